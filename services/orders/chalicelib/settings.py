"""Orders settings, read once on first use (no os.environ anywhere else in the service)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache

from barkeep import settings
from barkeep.settings import Env

# Read here beyond what every service reads (Env.PLATFORM); `make package` lists them for infra.
ENVIRONMENT = (
    Env.MAX_ACTIVE_ORDERS_PER_GUEST,
    Env.OPEN_ORDER_MAX_AGE_HOURS,
    Env.RECALL_WINDOW_SECONDS,
    Env.PUSH_KEYS_SECRET,
    Env.PUSH_ENDPOINT_HOSTS,
)


@dataclass(frozen=True)
class OrdersSettings:
    max_active_orders_per_guest: int = 3
    idempotency_window_hours: int = 24
    # An open order older than this is a leftover of an earlier night: it leaves the live queue
    # and the scheduled close-out ends it (ADR 0021).
    open_order_max_age_hours: float = 12
    # How long after "served" a bartender may still take it back (ADR 0029).
    recall_window_seconds: float = 300
    # The stage's VAPID key pair (ADR 0036); orders writes the first one itself.
    push_keys_secret: str = "barkeep-local-push-keys"  # noqa: S105 - a name
    # Hosts a push endpoint may name besides the browsers' push services (tests only).
    push_endpoint_hosts: tuple[str, ...] = ()


def _number(name: str, default: float) -> float:
    raw = os.environ.get(name) or ""
    try:
        value = float(raw) if raw else default
    except ValueError:
        raise ValueError(f"{name} must be a number, not {raw!r}") from None
    if value <= 0:
        raise ValueError(f"{name} must be positive, not {raw!r}")
    return value


@cache
def orders_settings() -> OrdersSettings:
    return OrdersSettings(
        max_active_orders_per_guest=int(os.environ.get(Env.MAX_ACTIVE_ORDERS_PER_GUEST) or "3"),
        open_order_max_age_hours=_number(Env.OPEN_ORDER_MAX_AGE_HOURS, 12),
        recall_window_seconds=_number(Env.RECALL_WINDOW_SECONDS, 300),
        push_keys_secret=os.environ.get(Env.PUSH_KEYS_SECRET)
        or settings.platform_resource_name("push-keys", stage=settings.platform().stage),
        push_endpoint_hosts=tuple(
            h.strip().lower()
            for h in (os.environ.get(Env.PUSH_ENDPOINT_HOSTS) or "").split(",")
            if h.strip()
        ),
    )
