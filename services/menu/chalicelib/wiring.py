"""Builds the MenuService on first use and keeps it for the life of the (warm) process."""

from __future__ import annotations

from functools import cache

from barkeep.aws import client
from barkeep.db import database
from barkeep.events import Publisher, processed_events, publisher_for
from barkeep.realtime import REALTIME

from chalicelib.repository import MenuRepository
from chalicelib.service import MenuService
from chalicelib.settings import menu_settings
from chalicelib.stage_cache import FlushStageCacheFirst
from chalicelib.storage import S3ImageUploads


@cache
def publisher() -> Publisher:
    published = publisher_for("menu", retained=[processed_events("menu")])
    api_cache = menu_settings().api_cache
    if api_cache and REALTIME in published.sinks:
        published.sinks[REALTIME] = FlushStageCacheFirst(
            published.sinks[REALTIME], api_cache, lambda: client("apigateway")
        )
    return published


@cache
def menu() -> MenuService:
    cfg = menu_settings()
    uploads = S3ImageUploads(cfg.images_bucket, cfg.images_base_url) if cfg.images_bucket else None
    return MenuService(
        database("menu"),
        MenuRepository(),
        publisher(),
        uploads,
        upload_expires=cfg.upload_expires_seconds,
    )


def reset() -> None:
    """Forget the wiring (tests and the local stack change settings between runs)."""
    menu.cache_clear()
    publisher.cache_clear()
    menu_settings.cache_clear()
