"""Builds the OrdersService on first use and keeps it for the life of the warm process."""

from __future__ import annotations

from datetime import timedelta
from functools import cache

from barkeep.auth import guest_revoked
from barkeep.aws import client
from barkeep.db import Retention, database
from barkeep.events import Publisher, publisher_for
from barkeep.settings import platform

from chalicelib.push import WEBPUSH, PushKeyStore, PushSink, VapidKeys
from chalicelib.repository import OrdersRepository
from chalicelib.service import OrdersService, PushService
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
    sink = PushSink(database("orders"), OrdersRepository(), vapid_keys(), subject=push_subject)
    return publisher_for("orders", retained=[keys], sinks={WEBPUSH: sink})


@cache
def vapid_keys() -> VapidKeys:
    return VapidKeys(
        PushKeyStore(orders_settings().push_keys_secret, lambda: client("secretsmanager"))
    )


def push_subject() -> str:
    """Who sends (RFC 8292's `sub`): the app's https origin; a contact address otherwise."""
    origin = platform().web_origin
    return origin if origin.startswith("https://") else "mailto:bartender@barkeep.invalid"


@cache
def push() -> PushService:
    return PushService(
        database("orders"),
        OrdersRepository(),
        vapid_keys(),
        extra_hosts=orders_settings().push_endpoint_hosts,
    )


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
    for cached in (orders, publisher, push, vapid_keys, orders_settings):
        cached.cache_clear()
