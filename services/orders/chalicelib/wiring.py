"""Builds the OrdersService on first use and keeps it for the life of the warm process."""

from __future__ import annotations

from functools import cache

from barkeep.db import database
from barkeep.events import EventBridgeSink, Publisher, Sink
from barkeep.realtime import REALTIME, AppSyncSink
from barkeep.settings import platform

from chalicelib.repository import OrdersRepository
from chalicelib.service import OrdersService
from chalicelib.settings import orders_settings


@cache
def publisher() -> Publisher:
    cfg = platform()
    sinks: dict[str, Sink] = {"eventbridge": EventBridgeSink(cfg.event_bus_name)}
    if cfg.realtime_http_url:
        sinks[REALTIME] = AppSyncSink(cfg.realtime_http_url, cfg.region)
    return Publisher(database(), "orders", sinks)


@cache
def orders() -> OrdersService:
    cfg = orders_settings()
    return OrdersService(
        database(),
        OrdersRepository(),
        publisher(),
        max_active=cfg.max_active_orders_per_guest,
        idempotency_hours=cfg.idempotency_window_hours,
    )


def reset() -> None:
    """Forget the wiring (tests and the local stack change settings between runs)."""
    for cached in (orders, publisher, orders_settings):
        cached.cache_clear()
