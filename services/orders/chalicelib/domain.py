"""Orders and their status machine. Pure: no SQL, no boto3, no Chalice."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from barkeep.events import isoformat


class Status(StrEnum):
    PENDING = "pending"
    PREPARING = "preparing"
    READY = "ready"
    SERVED = "served"
    CANCELLED = "cancelled"


# pending -> preparing -> ready -> served; pending -> cancelled (guest or admin);
# preparing -> cancelled (admin only).
ADMIN_TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.PENDING: frozenset({Status.PREPARING, Status.CANCELLED}),
    Status.PREPARING: frozenset({Status.READY, Status.CANCELLED}),
    Status.READY: frozenset({Status.SERVED}),
    Status.SERVED: frozenset(),
    Status.CANCELLED: frozenset(),
}
GUEST_TRANSITIONS: dict[Status, frozenset[Status]] = {Status.PENDING: frozenset({Status.CANCELLED})}
OPEN = (Status.PENDING, Status.PREPARING, Status.READY)
CLOSED = (Status.SERVED, Status.CANCELLED)


def transition_problem(current: Status, target: Status, *, by_admin: bool) -> str | None:
    """Why `current -> target` is not allowed (None when it is)."""
    allowed = (ADMIN_TRANSITIONS if by_admin else GUEST_TRANSITIONS).get(current, frozenset())
    if target in allowed:
        return None
    if current in CLOSED:
        return f"Order is already {current.value}"
    if current == target:
        return f"Order is already {current.value}"
    if not by_admin and target is Status.CANCELLED:
        return "Only a pending order can be cancelled; ask the bartender"
    return f"An order cannot go from {current.value} to {target.value}"


@dataclass(frozen=True)
class Order:
    id: str
    user_key: str
    username: str
    drink_id: str
    drink_name: str
    quantity: int
    notes: str
    status: Status
    created_at: datetime
    updated_at: datetime
    ready_at: datetime | None = None
    completed_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    def moved_to(self, target: Status, now: datetime) -> Order:
        return replace(
            self,
            status=target,
            updated_at=now,
            ready_at=now if target is Status.READY else self.ready_at,
            completed_at=now if target in CLOSED else self.completed_at,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "user_key": self.user_key,
            "username": self.username,
            "drink_id": self.drink_id,
            "drink_name": self.drink_name,
            "quantity": self.quantity,
            "notes": self.notes,
            "status": self.status.value,
            "created_at": isoformat(self.created_at),
            "updated_at": isoformat(self.updated_at),
            "ready_at": isoformat(self.ready_at) if self.ready_at else None,
            "completed_at": isoformat(self.completed_at) if self.completed_at else None,
        }
