"""Builds the OrdersService on first use and keeps it for the life of the warm process."""

from __future__ import annotations

from datetime import timedelta
from functools import cache

from barkeep.auth import guest_revoked
from barkeep.db import Retention, database
from barkeep.events import Publisher, publisher_for

from chalicelib.repository import OrdersRepository
from chalicelib.service import OrdersService
from chalicelib.settings import orders_settings


@cache
def publisher() -> Publisher:
    # idempotency keys answer a double tap for the window, then nobody asks for them again
    keys = Retention(
        "orders.idempotency_keys",
        "user_key, idempotency_key",
        "created_at",
        orders_settings().idempotency_window_hours,
    )
    return publisher_for("orders", retained=[keys])


@cache
def orders() -> OrdersService:
    cfg = orders_settings()
    return OrdersService(
        database("orders"),
        OrdersRepository(),
        publisher(),
        max_active=cfg.max_active_orders_per_guest,
        idempotency_hours=cfg.idempotency_window_hours,
        open_order_max_age=timedelta(hours=cfg.open_order_max_age_hours),
        recall_window=timedelta(seconds=cfg.recall_window_seconds),
        guest_revoked=guest_revoked,
    )


def reset() -> None:
    """Forget the wiring (tests and the local stack change settings between runs)."""
    for cached in (orders, publisher, orders_settings):
        cached.cache_clear()
