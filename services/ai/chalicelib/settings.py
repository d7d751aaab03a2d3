"""ai settings, read once on first use (no os.environ anywhere else in the service)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache

from chalicelib.providers.base import ModelIds

AI_PROVIDER = "AI_PROVIDER"
AI_TEXT_MODEL_ID = "AI_TEXT_MODEL_ID"
AI_IMAGE_MODEL_ID = "AI_IMAGE_MODEL_ID"
AI_QUEUE_NAME = "AI_QUEUE_NAME"
# Chalice binds the SQS handler by queue name when it packages the app; infra creates it.
WORK_QUEUE = "barkeep-ai"


@dataclass(frozen=True)
class AiSettings:
    provider: str  # "offline" (default: no network) or "bedrock"
    models: ModelIds
    queue_name: str


@cache
def ai_settings() -> AiSettings:
    models = ModelIds(
        text=os.environ.get(AI_TEXT_MODEL_ID) or ModelIds.text,
        image=os.environ.get(AI_IMAGE_MODEL_ID) or ModelIds.image,
    )
    return AiSettings(
        provider=(os.environ.get(AI_PROVIDER) or "offline").lower(),
        models=models,
        queue_name=os.environ.get(AI_QUEUE_NAME) or WORK_QUEUE,
    )
