"""ai settings, read once on first use (no os.environ anywhere else in the service)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache

from barkeep.settings import Env, resource_name

from chalicelib.providers.base import ModelIds

# Read here beyond what every service reads (Env.PLATFORM); `make package` lists them for infra.
ENVIRONMENT = (Env.AI_PROVIDER, Env.AI_TEXT_MODEL_ID, Env.AI_IMAGE_MODEL_ID)
# The service's own queue, by its name within the service: infra and the local stack create it
# as barkeep-<stage>-ai-work (settings.resource_name) and feed it drink events and our tasks.
WORK_QUEUE = "work"


@dataclass(frozen=True)
class AiSettings:
    provider: str  # "offline" (default: no network) or "bedrock"
    models: ModelIds
    queue_name: str


@cache
def ai_settings() -> AiSettings:
    models = ModelIds(
        text=os.environ.get(Env.AI_TEXT_MODEL_ID) or ModelIds.text,
        image=os.environ.get(Env.AI_IMAGE_MODEL_ID) or ModelIds.image,
    )
    return AiSettings(
        provider=(os.environ.get(Env.AI_PROVIDER) or "offline").lower(),
        models=models,
        queue_name=resource_name("ai", WORK_QUEUE),
    )
