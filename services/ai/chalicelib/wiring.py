"""Builds the AiService on first use and keeps it for the life of the warm process."""

from __future__ import annotations

from functools import cache

from barkeep.aws import client
from barkeep.db import database

from chalicelib.providers.base import Provider
from chalicelib.providers.offline import OfflineProvider
from chalicelib.repository import AiRepository
from chalicelib.service import AiService
from chalicelib.settings import ai_settings


@cache
def provider() -> Provider:
    cfg = ai_settings()
    if cfg.provider == "bedrock":
        from chalicelib.providers.bedrock import BedrockProvider, default_client

        bedrock: Provider = BedrockProvider(default_client, cfg.models)
        return bedrock
    return OfflineProvider(cfg.models)


@cache
def ai() -> AiService:
    return AiService(database(), AiRepository(), provider())


@cache
def queue_url() -> str:
    url: str = client("sqs").get_queue_url(QueueName=ai_settings().queue_name)["QueueUrl"]
    return url


def reset() -> None:
    """Forget the wiring (tests and the local stack change settings between runs)."""
    for cached in (ai, provider, queue_url, ai_settings):
        cached.cache_clear()
