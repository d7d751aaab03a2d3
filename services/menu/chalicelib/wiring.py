"""Builds the MenuService on first use and keeps it for the life of the (warm) process."""

from __future__ import annotations

from functools import cache

from barkeep.db import database
from barkeep.events import EventBridgeSink, Publisher, Sink
from barkeep.realtime import REALTIME, AppSyncSink
from barkeep.settings import platform

from chalicelib.repository import MenuRepository
from chalicelib.service import MenuService
from chalicelib.settings import menu_settings
from chalicelib.storage import S3ImageUploads


@cache
def publisher() -> Publisher:
    cfg = platform()
    sinks: dict[str, Sink] = {"eventbridge": EventBridgeSink(cfg.event_bus_name)}
    if cfg.realtime_http_url:
        sinks[REALTIME] = AppSyncSink(cfg.realtime_http_url, cfg.region)
    return Publisher(database(), "menu", sinks)


@cache
def menu() -> MenuService:
    cfg = menu_settings()
    uploads = S3ImageUploads(cfg.images_bucket, cfg.images_base_url) if cfg.images_bucket else None
    return MenuService(
        database(),
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
