"""Orders and their status machine. Pure: no SQL, no boto3, no Chalice."""

from __future__ import annotations

import base64
import binascii
import uuid
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
    closed_out: bool = False  # closed by the end-of-night close-out, not by a bartender

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

    def closed_out_at(self, now: datetime) -> Order:
        """This open order, closed out: what the bar did with it is the honest terminal state."""
        return replace(self.moved_to(CLOSE_OUT[self.status], now), closed_out=True)

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
            "closed_out": self.closed_out,
        }


# What a close-out makes of an open order, through the baseline state machine only (ADR 0021):
# a drink still pending or being made was never handed over, so it is cancelled; a ready drink
# was made and left on the bar, so it is served. Every client already knows both.
CLOSE_OUT: dict[Status, Status] = {
    Status.PENDING: Status.CANCELLED,
    Status.PREPARING: Status.CANCELLED,
    Status.READY: Status.SERVED,
}


# Lists ------------------------------------------------------------------------------------
class BadCursor(ValueError):
    pass


@dataclass(frozen=True)
class Cursor:
    """Where a page ended: the last order's (created_at, id), the list's sort key. Clients get
    it as an opaque string and hand it back for the next page."""

    created_at: datetime
    id: str

    @classmethod
    def after(cls, order: Order) -> Cursor:
        return cls(order.created_at, order.id)

    def encode(self) -> str:
        raw = f"{isoformat(self.created_at)}|{self.id}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
            moment, _, order_id = raw.partition("|")
            created_at = datetime.fromisoformat(moment)
            parsed = uuid.UUID(order_id)
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise BadCursor("Not a cursor this API gave out") from None
        if created_at.tzinfo is None:
            raise BadCursor("Not a cursor this API gave out")
        return cls(created_at, str(parsed))


@dataclass(frozen=True)
class PageRequest:
    limit: int
    after: Cursor | None = None


@dataclass(frozen=True)
class Page:
    """One page of a list; `next` is None when it is the last one (the list is complete)."""

    orders: list[Order]
    next: Cursor | None

    @classmethod
    def of(cls, rows: list[Order], limit: int) -> Page:
        """`rows` as read with one row beyond the limit: that row tells whether more follow."""
        shown = rows[:limit]
        return cls(shown, Cursor.after(shown[-1]) if len(rows) > limit and shown else None)

    def to_json(self) -> dict[str, Any]:
        return {
            "orders": [o.to_json() for o in self.orders],
            "next_cursor": self.next.encode() if self.next else None,
        }
