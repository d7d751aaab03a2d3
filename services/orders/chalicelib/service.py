"""Order use cases. A change, its EventBridge event and its realtime notifications commit
together (the outbox) and are published right after."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from barkeep.db import Database, RetryPolicy
from barkeep.errors import DomainError, ValidationFailed
from barkeep.events import Publisher, UnitOfWork, Writer, isoformat, utcnow
from barkeep.observability import metric
from barkeep.realtime import ADMIN_ORDERS, guest_orders_channel

from chalicelib.domain import (
    CLOSED,
    MAX_SUBSCRIPTIONS_PER_GUEST,
    OPEN,
    BarSettings,
    Order,
    Page,
    PageRequest,
    PushSubscription,
    Status,
    endpoint_problem,
    pings_guest,
    recall_problem,
    subscription_id,
    transition_problem,
)
from chalicelib.errors import (
    DrinkNotOrderable,
    DrinkSoldOut,
    InvalidTransition,
    OrderingPaused,
    OrderNotFound,
    RecallWindowClosed,
    TooManyActiveOrders,
)
from chalicelib.push import WEBPUSH, VapidKeys, push_payload
from chalicelib.repository import OrdersRepository

SOURCE = "barkeep.orders"
# A busy bar: several orders for one guest, or one order for several bartenders, at once.
CONTENDED = RetryPolicy(attempts=20, base_delay=0.005, max_delay=0.25)
# Orders per close-out transaction. Each writes five rows (the order, the guest's active count,
# the EventBridge event and two realtime notifications in the outbox): 1,000 rows, a third of
# what DSQL allows in one transaction. (A close-out moves nothing into "ready", so it queues no
# Web Push.)
CLOSE_OUT_BATCH = 200


@dataclass(frozen=True)
class Placed:
    order: Order
    created: bool  # False: an Idempotency-Key replay returned the first order


@dataclass(frozen=True)
class ClosedOut:
    closed: int
    complete: bool  # False: the time budget ran out first; what is left is still open

    def to_json(self) -> dict[str, Any]:
        return {"closed": self.closed, "complete": self.complete}


@dataclass(frozen=True)
class Batch:
    """What a batch move did: the orders that moved, and why each of the others did not."""

    orders: list[Order]
    failed: list[tuple[str, DomainError]]

    def to_json(self) -> dict[str, Any]:
        return {
            "orders": [o.to_json() for o in self.orders],
            "failed": [
                {"id": order_id, "error": {"code": e.code, "message": e.message}}
                for order_id, e in self.failed
            ],
        }


class OrdersService:
    def __init__(
        self,
        db: Database,
        repo: OrdersRepository,
        publisher: Publisher,
        *,
        max_active: int,
        idempotency_hours: int = 24,
        open_order_max_age: timedelta = timedelta(hours=12),
        recall_window: timedelta = timedelta(seconds=300),
        close_out_batch: int = CLOSE_OUT_BATCH,
        guest_revoked: Callable[[str], bool] = lambda _user_key: False,
        clock: Callable[[], datetime] = utcnow,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self.db = db
        self.guest_revoked = guest_revoked
        self.repo = repo
        self.max_active = max_active
        self.idempotency_hours = idempotency_hours
        self.open_order_max_age = open_order_max_age
        self.recall_window = recall_window
        self.close_out_batch = close_out_batch
        self.clock = clock
        self.timer = timer
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
            bar = self.repo.bar(u.conn)
            refusal = bar.refusal()
            if refusal is not None:
                raise OrderingPaused(
                    refusal,
                    details={"reopens_at": isoformat(bar.reopens_at) if bar.reopens_at else None},
                )
            drink = self.repo.orderable_drink(u.conn, drink_id)
            if drink is None:
                raise DrinkNotOrderable()
            name, sold_out = drink
            if sold_out:
                raise DrinkSoldOut(name)
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
                # last: a refused order takes no number, and a retried one takes the next
                number=self.repo.next_number(u.conn),
            )
            self.repo.insert(u.conn, order)
            event = u.emit("OrderPlaced", order.to_json())
            u.notify(
                self._channels(user_key),
                "ORDER_CREATED",
                {"order": order.to_json()},
                cause=event,
            )
            return Placed(order, created=True)

        placed: Placed = self.write(work, name="place-order", retry=CONTENDED)
        if placed.created:
            metric("OrdersPlaced", 1)  # the dashboard's orders per minute
        return placed

    def mine(self, user_key: str, page: PageRequest) -> Page:
        return self.db.transaction(
            lambda c: self.repo.for_guest(c, user_key, page), name="my-orders"
        )

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

    def set_statuses(self, order_ids: list[str], target: Status) -> Batch:
        """Move each order on its own: its own transaction, event and guest notification, so
        one that cannot move (already moved, unknown) stops none of the others."""
        moved: list[Order] = []
        failed: list[tuple[str, DomainError]] = []
        for order_id in order_ids:
            try:
                moved.append(self.set_status(order_id, target))
            except DomainError as problem:
                failed.append((order_id, problem))
        return Batch(moved, failed)

    # The bar's settings -------------------------------------------------------------------
    def bar(self) -> BarSettings:
        return self.db.transaction(self.repo.bar, name="bar")

    def update_bar(self, changes: dict[str, Any]) -> BarSettings:
        """Change some of the bar's settings; the wait colours are checked as they end up."""

        def work(conn: Any) -> BarSettings:
            after = self.repo.bar(conn).changed(changes, self.clock())
            problem = after.wait_problem()
            if problem:
                raise ValidationFailed(problem)
            self.repo.save_bar(conn, after)
            return after

        return self.db.transaction(work, name="update-bar", retry=CONTENDED)

    def queue(self, statuses: list[str], since: datetime | None, page: PageRequest) -> Page:
        """The live queue by default: open orders younger than the maximum age (older ones
        are last nights' leftovers, which the close-out ends); any status when asked."""
        wanted = statuses or [s.value for s in OPEN]
        created_from = None if statuses else self.clock() - self.open_order_max_age
        return self.db.transaction(
            lambda c: self.repo.queue(c, wanted, page, since=since, created_from=created_from),
            name="queue",
        )

    def close_out(
        self,
        before: datetime | None = None,
        *,
        budget_seconds: float | None = None,
        reset_numbers: bool = True,
    ) -> ClosedOut:
        """End every open order created before `before` (default, and at most: now), in
        batches that each commit with their events; stops after the batch that uses up
        `budget_seconds`, so a request or a schedule ends in time and the next run goes on.
        A complete close-out that leaves no order open starts the order numbers again at 1."""
        started = self.timer()
        cutoff = min(before, self.clock()) if before is not None else self.clock()
        closed = 0
        while True:
            batch = self.write(
                lambda u: self._close_batch(u, cutoff), name="close-out", retry=CONTENDED
            )
            closed += batch
            if batch < self.close_out_batch:
                complete = True
                break
            if budget_seconds is not None and self.timer() - started >= budget_seconds:
                complete = False
                break
        if complete and reset_numbers:
            self.db.transaction(self.repo.reset_numbers, name="reset-numbers", retry=CONTENDED)
        if closed:
            metric("OrdersClosedOut", closed)
        return ClosedOut(closed, complete)

    def close_out_stale(self, *, budget_seconds: float | None = None) -> ClosedOut:
        """Close out the open orders older than the maximum age (the scheduled sweep)."""
        # last nights' leftovers: tonight's orders, and their numbers, go on
        return self.close_out(
            self.clock() - self.open_order_max_age,
            budget_seconds=budget_seconds,
            reset_numbers=False,
        )

    def _close_batch(self, u: UnitOfWork, before: datetime) -> int:
        now = self.clock()  # per attempt: never older than a move that beat this batch
        batch = self.repo.open_before(u.conn, before, self.close_out_batch)
        for order in batch:
            after = order.closed_out_at(now)
            if not self.repo.move(u.conn, order, after):
                raise InvalidTransition("An order changed meanwhile; close out again")
            self._announce(u, order, after)
        return len(batch)

    def stats(self) -> dict[str, Any]:
        now = self.clock()
        day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
        hours_from = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=23)
        raw = self.db.transaction(lambda c: self.repo.stats(c, day_start, hours_from), name="stats")
        by_status = {s.value: raw["by_status"].get(s.value, 0) for s in Status}
        return {
            "total": raw["total"],
            "today": raw["today"],
            "drinks_total": raw["drinks_total"],
            "drinks_today": raw["drinks_today"],
            "by_status": by_status,
            "by_drink": [
                {"drink_id": d, "drink_name": n, "count": c, "drinks": q}
                for d, n, c, q in raw["by_drink"]
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
            now = self.clock()
            late = recall_problem(before, target, now, self.recall_window)
            if late:
                raise RecallWindowClosed(late, details={"status": before.status.value})
            after = before.moved_to(target, now)
            if not self.repo.move(u.conn, before, after):
                # A concurrent change surfaces as 40001 (retried); this is the backstop.
                raise InvalidTransition("The order changed meanwhile; reload it")
            self._announce(u, before, after)
            return after

        moved: Order = self.write(work, name="move-order", retry=CONTENDED)
        metric(f"Orders{moved.status.value.capitalize()}", 1)  # e.g. OrdersReady per minute
        return moved

    def _channels(self, user_key: str) -> list[str]:
        """Where a change of this guest's order is announced: the bar always, the guest unless
        they were deactivated (ADR 0028: a subscription they still hold hears nothing more)."""
        if self.guest_revoked(user_key):
            return [ADMIN_ORDERS]
        return [guest_orders_channel(user_key), ADMIN_ORDERS]

    def _announce(self, u: UnitOfWork, before: Order, after: Order) -> None:
        """What follows a status change in its transaction: the guest's slot freed when it
        closed, the event on the bus, and both realtime channels."""
        if after.status in CLOSED:
            self.repo.release_active_slot(u.conn, before.user_key)
        elif before.status in CLOSED:  # a recalled order is open again
            self.repo.reclaim_active_slot(u.conn, before.user_key)
        data = {"order": after.to_json(), "previous_status": before.status.value}
        event = u.emit("OrderStatusChanged", data)
        u.notify(self._channels(after.user_key), "ORDER_STATUS_CHANGED", data, cause=event)
        if pings_guest(before, after) and not self.guest_revoked(after.user_key):
            # the guest's phones, even locked: one Web Push per subscription (ADR 0036)
            payload = push_payload(after, self.clock())
            for sub in self.repo.subscriptions_of(u.conn, after.user_key):
                u.deliver(WEBPUSH, sub.id, payload, cause=event)


class PushService:
    """A guest's Web Push subscriptions (ADR 0036), and the key browsers subscribe with."""

    def __init__(
        self,
        db: Database,
        repo: OrdersRepository,
        keys: VapidKeys,
        *,
        extra_hosts: tuple[str, ...] = (),
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.db = db
        self.repo = repo
        self.keys = keys
        self.extra_hosts = extra_hosts
        self.clock = clock

    def public_key(self) -> str:
        return self.keys.key().public_key

    def subscribe(self, sub: PushSubscription) -> None:
        problem = endpoint_problem(sub.endpoint, self.extra_hosts)
        if problem:
            raise ValidationFailed({"endpoint": problem})
        self.db.transaction(
            lambda c: self.repo.save_subscription(
                c, sub, self.clock(), MAX_SUBSCRIPTIONS_PER_GUEST
            ),
            name="push-subscribe",
            retry=CONTENDED,
        )

    def unsubscribe(self, user_key: str, endpoint: str) -> None:
        """Idempotent: an endpoint already gone, or someone else's, is left as it is."""
        self.db.transaction(
            lambda c: self.repo.delete_subscription(c, user_key, subscription_id(endpoint)),
            name="push-unsubscribe",
        )
