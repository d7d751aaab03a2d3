"""Orders settings, read once on first use (no os.environ anywhere else in the service)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache

from barkeep.settings import Env

# Read here beyond what every service reads (Env.PLATFORM); `make package` lists them for infra.
ENVIRONMENT = (Env.MAX_ACTIVE_ORDERS_PER_GUEST,)


@dataclass(frozen=True)
class OrdersSettings:
    max_active_orders_per_guest: int = 3
    idempotency_window_hours: int = 24


@cache
def orders_settings() -> OrdersSettings:
    return OrdersSettings(
        max_active_orders_per_guest=int(os.environ.get(Env.MAX_ACTIVE_ORDERS_PER_GUEST) or "3")
    )
