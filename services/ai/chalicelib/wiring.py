"""Builds the AiService on first use and keeps it for the life of the warm process."""

from __future__ import annotations

from functools import cache

from barkeep.aws import client
from barkeep.db import database
from barkeep.events import Publisher, processed_events, publisher_for
from barkeep.settings import platform

from chalicelib.providers.base import Provider
from chalicelib.providers.offline import OfflineProvider
from chalicelib.repository import AiRepository
from chalicelib.service import AiService
from chalicelib.settings import ai_settings


@cache
def provider() -> Provider:
    cfg = ai_settings()
    if cfg.provider == "bedrock":
        from chalicelib.providers.bedrock import (
            IMAGE_READ_TIMEOUT,
            BedrockProvider,
            default_client,
        )

        bedrock: Provider = BedrockProvider(
            default_client,
            cfg.models,
            image_client_factory=lambda: default_client(read_timeout=IMAGE_READ_TIMEOUT),
        )
        return bedrock
    return OfflineProvider(cfg.models)


class BucketImages:
    """The images bucket; public URLs through IMAGES_BASE_URL (CloudFront in AWS)."""

    def put(self, key: str, body: bytes, content_type: str) -> str:
        cfg = platform()
        if not cfg.images_bucket:
            raise RuntimeError("IMAGES_BUCKET is not set")
        client("s3").put_object(
            Bucket=cfg.images_bucket, Key=key, Body=body, ContentType=content_type
        )
        base = cfg.images_base_url or f"https://{cfg.images_bucket}.s3.amazonaws.com"
        return f"{base.rstrip('/')}/{key}"


@cache
def publisher() -> Publisher:
    return publisher_for("ai", retained=[processed_events("ai")])


@cache
def ai() -> AiService:
    images = BucketImages() if platform().images_bucket else None
    return AiService(
        database("ai"), AiRepository(), provider(), images=images, publisher=publisher()
    )


@cache
def queue_url() -> str:
    url: str = client("sqs").get_queue_url(QueueName=ai_settings().queue_name)["QueueUrl"]
    return url


def reset() -> None:
    """Forget the wiring (tests and the local stack change settings between runs)."""
    for cached in (ai, provider, publisher, queue_url, ai_settings):
        cached.cache_clear()
