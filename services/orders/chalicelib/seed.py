"""What the local stack needs from orders: the stage's VAPID key pair (ADR 0036), made on the
first start and kept in the stack's data directory with the other secrets (ADR 0022)."""

from __future__ import annotations

from chalicelib.service import OrdersService
from chalicelib.wiring import vapid_keys


def load_seed(orders: OrdersService) -> dict[str, str]:
    created = vapid_keys().store.ensure()
    return {"push_keys": "created" if created else "kept"}
