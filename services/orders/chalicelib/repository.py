"""Orders SQL. Drinks are read only through menu's `orderable_drinks` and `drink_stock` views
(ADR 0005, ADR 0029)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from chalicelib.domain import (
    MAX_NUMBER,
    OPEN,
    BarSettings,
    Order,
    Ordering,
    Page,
    PageRequest,
    PushSubscription,
    Status,
)

if TYPE_CHECKING:
    from psycopg import Connection

COLUMNS = (
    "id, user_key, username, drink_id, drink_name, quantity, notes, status, created_at,"
    " updated_at, ready_at, completed_at, closed_out, number, started_at"
)
BAR_COLUMNS = "ordering, message, reopens_at, wait_warn_seconds, wait_late_seconds, updated_at"
BAR = "bar"  # the one row's key
NIGHT = "night"  # the order counter's key
OPEN_STATUSES = [s.value for s in OPEN]


def _order(row: tuple[Any, ...]) -> Order:
    return Order(
        id=str(row[0]),
        user_key=str(row[1]),
        username=row[2],
        drink_id=str(row[3]),
        drink_name=row[4],
        quantity=row[5],
        notes=row[6],
        status=Status(row[7]),
        created_at=row[8],
        updated_at=row[9],
        ready_at=row[10],
        completed_at=row[11],
        closed_out=bool(row[12]),
        number=row[13],
        started_at=row[14],
    )


def _bar(row: tuple[Any, ...]) -> BarSettings:
    return BarSettings(
        ordering=Ordering(row[0]),
        message=row[1],
        reopens_at=row[2],
        wait_warn_seconds=row[3],
        wait_late_seconds=row[4],
        updated_at=row[5],
    )


class OrdersRepository:
    def orderable_drink(self, conn: Connection[Any], drink_id: str) -> tuple[str, bool] | None:
        """The drink's name and whether it is sold out, if it is on the menu."""
        row = conn.execute(
            "SELECT d.name, coalesce(s.sold_out, false) FROM menu.orderable_drinks d"
            " LEFT JOIN menu.drink_stock s ON s.drink_id = d.id WHERE d.id = %s AND d.is_active",
            (drink_id,),
        ).fetchone()
        return (str(row[0]), bool(row[1])) if row else None

    def next_number(self, conn: Connection[Any]) -> int:
        """Take the night's next order number. The row is written by every placement, so two
        at once conflict and one of them is retried with the number after."""
        conn.execute(
            "INSERT INTO orders.order_numbers (counter, last_number) VALUES (%s, 0)"
            " ON CONFLICT (counter) DO NOTHING",
            (NIGHT,),
        )
        row = conn.execute(
            "UPDATE orders.order_numbers SET last_number ="
            " CASE WHEN last_number >= 0 AND last_number < %s THEN last_number + 1 ELSE 1 END"
            " WHERE counter = %s RETURNING last_number",
            (MAX_NUMBER, NIGHT),
        ).fetchone()
        return int(row[0]) if row else 1

    def reset_numbers(self, conn: Connection[Any]) -> None:
        """Start the next night at 1, unless an order is still open (it keeps its number, and
        a new order must not be given the same one)."""
        conn.execute(
            "UPDATE orders.order_numbers SET last_number = 0 WHERE counter = %s AND NOT EXISTS"
            " (SELECT 1 FROM orders.orders WHERE status = ANY(%s))",
            (NIGHT, OPEN_STATUSES),
        )

    def reclaim_active_slot(self, conn: Connection[Any], user_key: str) -> None:
        """An order the bartender recalled is open again: it counts, whatever the limit (the
        limit is for guests ordering, not for the bar taking a drink back)."""
        self._active_row(conn, user_key)
        conn.execute(
            "UPDATE orders.active_orders SET active = active + 1 WHERE user_key = %s",
            (user_key,),
        )

    def bar(self, conn: Connection[Any]) -> BarSettings:
        row = conn.execute(
            f"SELECT {BAR_COLUMNS} FROM orders.bar_settings WHERE bar = %s", (BAR,)
        ).fetchone()
        return _bar(row) if row else BarSettings()

    def save_bar(self, conn: Connection[Any], bar: BarSettings) -> None:
        values = (
            bar.ordering.value,
            bar.message,
            bar.reopens_at,
            bar.wait_warn_seconds,
            bar.wait_late_seconds,
            bar.updated_at,
        )
        conn.execute(
            f"INSERT INTO orders.bar_settings (bar, {BAR_COLUMNS})"
            " VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (bar) DO UPDATE SET"
            " ordering = EXCLUDED.ordering, message = EXCLUDED.message,"
            " reopens_at = EXCLUDED.reopens_at, wait_warn_seconds = EXCLUDED.wait_warn_seconds,"
            " wait_late_seconds = EXCLUDED.wait_late_seconds, updated_at = EXCLUDED.updated_at",
            (BAR, *values),
        )

    @staticmethod
    def _active_row(conn: Connection[Any], user_key: str) -> None:
        conn.execute(
            "INSERT INTO orders.active_orders (user_key, active) VALUES (%s, 0)"
            " ON CONFLICT (user_key) DO NOTHING",
            (user_key,),
        )

    def claim_active_slot(self, conn: Connection[Any], user_key: str, limit: int) -> bool:
        self._active_row(conn, user_key)
        row = conn.execute(
            "UPDATE orders.active_orders SET active = active + 1"
            " WHERE user_key = %s AND active < %s RETURNING active",
            (user_key, limit),
        ).fetchone()
        return row is not None

    def release_active_slot(self, conn: Connection[Any], user_key: str) -> None:
        conn.execute(
            "UPDATE orders.active_orders SET active = active - 1"
            " WHERE user_key = %s AND active > 0",
            (user_key,),
        )

    def claim_idempotency_key(
        self,
        conn: Connection[Any],
        user_key: str,
        key: str,
        order_id: str,
        now: datetime,
        window_hours: int,
    ) -> str | None:
        """Record `key` for this order; if a live one exists, the order it points at."""
        row = conn.execute(
            "INSERT INTO orders.idempotency_keys (user_key, idempotency_key, order_id, created_at)"
            " VALUES (%s, %s, %s, %s) ON CONFLICT (user_key, idempotency_key) DO NOTHING"
            " RETURNING order_id",
            (user_key, key, order_id, now),
        ).fetchone()
        if row is not None:
            return None
        existing = conn.execute(
            "SELECT order_id, created_at > %s - make_interval(hours => %s)"
            " FROM orders.idempotency_keys WHERE user_key = %s AND idempotency_key = %s",
            (now, window_hours, user_key, key),
        ).fetchone()
        if existing is None or existing[1]:
            return str(existing[0]) if existing else None
        # An expired key: it now names this new order.
        conn.execute(
            "UPDATE orders.idempotency_keys SET order_id = %s, created_at = %s"
            " WHERE user_key = %s AND idempotency_key = %s",
            (order_id, now, user_key, key),
        )
        return None

    def insert(self, conn: Connection[Any], order: Order) -> None:
        conn.execute(
            f"INSERT INTO orders.orders ({COLUMNS}) VALUES"
            " (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (
                order.id,
                order.user_key,
                order.username,
                order.drink_id,
                order.drink_name,
                order.quantity,
                order.notes,
                order.status.value,
                order.created_at,
                order.updated_at,
                order.ready_at,
                order.completed_at,
                order.closed_out,
                order.number,
                order.started_at,
            ),
        )

    def get(
        self,
        conn: Connection[Any],
        order_id: str,
        *,
        user_key: str | None = None,
    ) -> Order | None:
        sql = f"SELECT {COLUMNS} FROM orders.orders WHERE id = %s"
        params: list[Any] = [order_id]
        if user_key is not None:
            sql += " AND user_key = %s"
            params.append(user_key)
        row = conn.execute(sql, params).fetchone()
        return _order(row) if row else None

    def move(self, conn: Connection[Any], before: Order, after: Order) -> bool:
        """Write the new status only if nobody moved the order meanwhile."""
        row = conn.execute(
            "UPDATE orders.orders SET status = %s, updated_at = %s, ready_at = %s,"
            " completed_at = %s, closed_out = %s, started_at = %s"
            " WHERE id = %s AND status = %s RETURNING id",
            (
                after.status.value,
                after.updated_at,
                after.ready_at,
                after.completed_at,
                after.closed_out,
                after.started_at,
                after.id,
                before.status.value,
            ),
        ).fetchone()
        return row is not None

    def for_guest(self, conn: Connection[Any], user_key: str, page: PageRequest) -> Page:
        """A guest's orders, newest first."""
        return self._page(conn, ["user_key = %s"], [user_key], page, newest_first=True)

    def queue(
        self,
        conn: Connection[Any],
        statuses: list[str],
        page: PageRequest,
        *,
        since: datetime | None = None,
        created_from: datetime | None = None,
    ) -> Page:
        """Orders in `statuses`, oldest first; `since` on updated_at, `created_from` on
        created_at (the live queue leaves stale orders out)."""
        where = ["status = ANY(%s)"]
        params: list[Any] = [statuses]
        if since is not None:
            where.append("updated_at >= %s")
            params.append(since)
        if created_from is not None:
            where.append("created_at >= %s")
            params.append(created_from)
        return self._page(conn, where, params, page, newest_first=False)

    def _page(
        self,
        conn: Connection[Any],
        where: list[str],
        params: list[Any],
        page: PageRequest,
        *,
        newest_first: bool,
    ) -> Page:
        """Keyset paging on (created_at, id): a page starts strictly after the cursor, so
        orders added meanwhile never shift it (no OFFSET), and ties on created_at are ordered
        by id. One row beyond the limit tells whether another page follows."""
        where, params = list(where), list(params)
        if page.after is not None:
            where.append(f"(created_at, id) {'<' if newest_first else '>'} (%s, %s::uuid)")
            params += [page.after.created_at, page.after.id]
        order = "DESC" if newest_first else "ASC"
        rows = conn.execute(
            f"SELECT {COLUMNS} FROM orders.orders WHERE {' AND '.join(where)}"
            f" ORDER BY created_at {order}, id {order} LIMIT %s",
            [*params, page.limit + 1],
        ).fetchall()
        return Page.of([_order(r) for r in rows], page.limit)

    def open_before(self, conn: Connection[Any], before: datetime, limit: int) -> list[Order]:
        """The oldest open orders created before `before`: the next close-out batch."""
        rows = conn.execute(
            f"SELECT {COLUMNS} FROM orders.orders WHERE status = ANY(%s) AND created_at < %s"
            " ORDER BY created_at, id LIMIT %s",
            (OPEN_STATUSES, before, limit),
        ).fetchall()
        return [_order(r) for r in rows]

    def stats(
        self,
        conn: Connection[Any],
        day_start: datetime,
        hours_from: datetime,
    ) -> dict[str, Any]:
        total, today, avg_ready, drinks_total, drinks_today = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE created_at >= %s),"
            " avg(extract(epoch FROM ready_at - created_at)) FILTER (WHERE ready_at IS NOT NULL),"
            " coalesce(sum(quantity), 0),"
            " coalesce(sum(quantity) FILTER (WHERE created_at >= %s), 0)"
            " FROM orders.orders",
            (day_start, day_start),
        ).fetchone() or (0, 0, None, 0, 0)
        by_status = dict(
            conn.execute("SELECT status, count(*) FROM orders.orders GROUP BY status").fetchall()
        )
        by_drink = conn.execute(
            "SELECT drink_id, min(drink_name), count(*) AS n, sum(quantity) FROM orders.orders"
            " WHERE status <> 'cancelled' GROUP BY drink_id ORDER BY n DESC, min(drink_name)"
            " LIMIT 10"
        ).fetchall()
        per_hour = conn.execute(
            "SELECT date_trunc('hour', created_at) AS hour, count(*) FROM orders.orders"
            " WHERE created_at >= %s GROUP BY hour ORDER BY hour",
            (hours_from,),
        ).fetchall()
        recent = conn.execute(
            f"SELECT {COLUMNS} FROM orders.orders ORDER BY created_at DESC LIMIT 10"
        ).fetchall()
        return {
            "total": int(total),
            "today": int(today),
            "drinks_total": int(drinks_total),
            "drinks_today": int(drinks_today),
            "avg_seconds_to_ready": round(float(avg_ready), 1) if avg_ready is not None else None,
            "by_status": {k: int(v) for k, v in by_status.items()},
            "by_drink": [(str(r[0]), r[1], int(r[2]), int(r[3])) for r in by_drink],
            "per_hour": [(r[0], int(r[1])) for r in per_hour],
            "recent": [_order(r) for r in recent],
        }

    # Web Push subscriptions (ADR 0036) ---------------------------------------------------
    def save_subscription(
        self, conn: Connection[Any], sub: PushSubscription, now: datetime, keep: int
    ) -> None:
        """Store (or take over) an endpoint for the guest, and forget the guest's oldest ones
        beyond `keep`."""
        conn.execute(
            "INSERT INTO orders.push_subscriptions"
            " (id, user_key, endpoint, p256dh, auth, created_at, updated_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO UPDATE SET"
            " user_key = excluded.user_key, p256dh = excluded.p256dh, auth = excluded.auth,"
            " updated_at = excluded.updated_at",
            (sub.id, sub.user_key, sub.endpoint, sub.p256dh, sub.auth, now, now),
        )
        conn.execute(
            "DELETE FROM orders.push_subscriptions WHERE user_key = %s AND id NOT IN"
            " (SELECT id FROM orders.push_subscriptions WHERE user_key = %s"
            "  ORDER BY updated_at DESC, id LIMIT %s)",
            (sub.user_key, sub.user_key, keep),
        )

    def delete_subscription(self, conn: Connection[Any], user_key: str, sub_id: str) -> bool:
        """Forget one of the guest's endpoints (someone else's stays)."""
        cur = conn.execute(
            "DELETE FROM orders.push_subscriptions WHERE id = %s AND user_key = %s",
            (sub_id, user_key),
        )
        return cur.rowcount > 0

    def subscriptions_of(self, conn: Connection[Any], user_key: str) -> list[PushSubscription]:
        rows = conn.execute(
            "SELECT user_key, endpoint, p256dh, auth FROM orders.push_subscriptions"
            " WHERE user_key = %s ORDER BY updated_at DESC",
            (user_key,),
        ).fetchall()
        return [PushSubscription(str(r[0]), r[1], r[2], r[3]) for r in rows]

    def subscriptions(self, conn: Connection[Any], ids: list[str]) -> dict[str, PushSubscription]:
        """The subscriptions among `ids` that still exist, by id."""
        rows = conn.execute(
            "SELECT user_key, endpoint, p256dh, auth FROM orders.push_subscriptions"
            " WHERE id = ANY(%s::uuid[])",
            (ids,),
        ).fetchall()
        found = [PushSubscription(str(r[0]), r[1], r[2], r[3]) for r in rows]
        return {s.id: s for s in found}

    def forget_subscriptions(self, conn: Connection[Any], ids: list[str]) -> None:
        """Endpoints the push service says are gone (404/410)."""
        conn.execute("DELETE FROM orders.push_subscriptions WHERE id = ANY(%s::uuid[])", (ids,))
