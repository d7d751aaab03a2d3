"""Order use cases. A change, its EventBridge event and its realtime notifications commit
together (the outbox) and are published right after."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from barkeep.db import Database, RetryPolicy
from barkeep.events import Publisher, UnitOfWork, Writer, isoformat, utcnow
from barkeep.observability import metric
from barkeep.realtime import ADMIN_ORDERS, guest_orders_channel

from chalicelib.domain import CLOSED, Order, Status, transition_problem
from chalicelib.errors import (
    DrinkNotOrderable,
    InvalidTransition,
    OrderNotFound,
    TooManyActiveOrders,
)
from chalicelib.repository import OrdersRepository

SOURCE = "barkeep.orders"
# A busy bar: several orders for one guest, or one order for several bartenders, at once.
CONTENDED = RetryPolicy(attempts=20, base_delay=0.005, max_delay=0.25)


@dataclass(frozen=True)
class Placed:
    order: Order
    created: bool  # False: an Idempotency-Key replay returned the first order


class OrdersService:
    def __init__(
        self,
        db: Database,
        repo: OrdersRepository,
        publisher: Publisher,
        *,
        max_active: int,
        idempotency_hours: int = 24,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.db = db
        self.repo = repo
        self.max_active = max_active
        self.idempotency_hours = idempotency_hours
        self.clock = clock
        self.write = Writer(db, "orders", SOURCE, publisher)

    def place(
        self,
        *,
        user_key: str,
        username: str,
        drink_id: str,
        quantity: int,
        notes: str,
        idempotency_key: str | None,
    ) -> Placed:
        now = self.clock()
        order_id = str(uuid.uuid4())

        def work(u: UnitOfWork) -> Placed:
            if idempotency_key:
                first = self.repo.claim_idempotency_key(
                    u.conn, user_key, idempotency_key, order_id, now, self.idempotency_hours
                )
                if first is not None:
                    existing = self.repo.get(u.conn, first, user_key=user_key)
                    if existing is not None:
                        return Placed(existing, created=False)
            name = self.repo.orderable_drink(u.conn, drink_id)
            if name is None:
                raise DrinkNotOrderable()
            if not self.repo.claim_active_slot(u.conn, user_key, self.max_active):
                raise TooManyActiveOrders(self.max_active)
            order = Order(
                id=order_id,
                user_key=user_key,
                username=username,
                drink_id=drink_id,
                drink_name=name,
                quantity=quantity,
                notes=notes,
                status=Status.PENDING,
                created_at=now,
                updated_at=now,
            )
            self.repo.insert(u.conn, order)
            event = u.emit("OrderPlaced", order.to_json())
            u.notify(
                [guest_orders_channel(user_key), ADMIN_ORDERS],
                "ORDER_CREATED",
                {"order": order.to_json()},
                cause=event,
            )
            return Placed(order, created=True)

        placed: Placed = self.write(work, name="place-order", retry=CONTENDED)
        if placed.created:
            metric("OrdersPlaced", 1)  # the dashboard's orders per minute
        return placed

    def mine(self, user_key: str) -> list[Order]:
        return self.db.transaction(lambda c: self.repo.for_guest(c, user_key), name="my-orders")

    def get_mine(self, user_key: str, order_id: str) -> Order:
        order = self.db.transaction(
            lambda c: self.repo.get(c, order_id, user_key=user_key), name="my-order"
        )
        if order is None:
            raise OrderNotFound()  # someone else's order is as unknown as a missing one
        return order

    def cancel_mine(self, user_key: str, order_id: str) -> Order:
        return self._move(order_id, Status.CANCELLED, by_admin=False, user_key=user_key)

    def set_status(self, order_id: str, target: Status) -> Order:
        return self._move(order_id, target, by_admin=True)

    def queue(self, statuses: list[str], since: datetime | None) -> list[Order]:
        wanted = statuses or [s.value for s in Status if s not in CLOSED]
        return self.db.transaction(lambda c: self.repo.queue(c, wanted, since), name="queue")

    def stats(self) -> dict[str, Any]:
        now = self.clock()
        day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
        hours_from = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=23)
        raw = self.db.transaction(lambda c: self.repo.stats(c, day_start, hours_from), name="stats")
        by_status = {s.value: raw["by_status"].get(s.value, 0) for s in Status}
        return {
            "total": raw["total"],
            "today": raw["today"],
            "by_status": by_status,
            "by_drink": [
                {"drink_id": d, "drink_name": n, "count": c} for d, n, c in raw["by_drink"]
            ],
            "avg_seconds_to_ready": raw["avg_seconds_to_ready"],
            "per_hour": [{"hour": isoformat(h), "count": c} for h, c in raw["per_hour"]],
            "recent": [o.to_json() for o in raw["recent"]],
        }

    def _move(
        self, order_id: str, target: Status, *, by_admin: bool, user_key: str | None = None
    ) -> Order:
        def work(u: UnitOfWork) -> Order:
            before = self.repo.get(u.conn, order_id, user_key=user_key)
            if before is None:
                raise OrderNotFound()
            problem = transition_problem(before.status, target, by_admin=by_admin)
            if problem:
                raise InvalidTransition(problem, details={"status": before.status.value})
            after = before.moved_to(target, self.clock())
            if not self.repo.move(u.conn, before, after):
                # A concurrent change surfaces as 40001 (retried); this is the backstop.
                raise InvalidTransition("The order changed meanwhile; reload it")
            if target in CLOSED:
                self.repo.release_active_slot(u.conn, before.user_key)
            data = {"order": after.to_json(), "previous_status": before.status.value}
            event = u.emit("OrderStatusChanged", data)
            u.notify(
                [guest_orders_channel(after.user_key), ADMIN_ORDERS],
                "ORDER_STATUS_CHANGED",
                data,
                cause=event,
            )
            return after

        moved: Order = self.write(work, name="move-order", retry=CONTENDED)
        metric(f"Orders{moved.status.value.capitalize()}", 1)  # e.g. OrdersReady per minute
        return moved
