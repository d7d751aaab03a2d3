"""Orders settings, read once on first use (no os.environ anywhere else in the service)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache

MAX_ACTIVE_ORDERS_PER_GUEST = "MAX_ACTIVE_ORDERS_PER_GUEST"


@dataclass(frozen=True)
class OrdersSettings:
    max_active_orders_per_guest: int = 3
    idempotency_window_hours: int = 24


@cache
def orders_settings() -> OrdersSettings:
    return OrdersSettings(
        max_active_orders_per_guest=int(os.environ.get(MAX_ACTIVE_ORDERS_PER_GUEST) or "3")
    )
