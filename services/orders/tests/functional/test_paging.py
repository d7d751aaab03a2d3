"""Keyset paging on the real database: every order exactly once, whatever arrives meanwhile."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest
from chalicelib.domain import Order, Page, PageRequest, Status
from chalicelib.repository import OPEN_STATUSES, OrdersRepository

T0 = datetime(2026, 12, 31, 21, 0, tzinfo=UTC)
repo = OrdersRepository()


@pytest.fixture
def conn(clean_database: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(clean_database, autocommit=True) as connection:
        yield connection


def add(
    conn: psycopg.Connection[Any],
    created_at: datetime,
    *,
    status: Status = Status.PENDING,
    user_key: str | None = None,
    updated_at: datetime | None = None,
) -> Order:
    order = Order(
        id=str(uuid.uuid4()),
        user_key=user_key or str(uuid.uuid4()),
        username="Ada",
        drink_id=str(uuid.uuid4()),
        drink_name="Daiquiri",
        quantity=1,
        notes="",
        status=status,
        created_at=created_at,
        updated_at=updated_at or created_at,
    )
    repo.insert(conn, order)
    return order


def read_all(read: Any, limit: int) -> list[list[str]]:
    """Every page of a list, following `next` until it is None."""
    pages: list[list[str]] = []
    page: Page = read(PageRequest(limit))
    while True:
        pages.append([o.id for o in page.orders])
        if page.next is None:
            return pages
        page = read(PageRequest(limit, page.next))


def flat(pages: list[list[str]]) -> list[str]:
    return [order_id for page in pages for order_id in page]


def queue(conn: psycopg.Connection[Any], **filters: Any) -> Any:
    return lambda page: repo.queue(conn, OPEN_STATUSES, page, **filters)


def test_the_queue_pages_oldest_first_and_ties_are_ordered_by_id(
    conn: psycopg.Connection[Any],
) -> None:
    # Given seven orders, three of them placed in the very same microsecond
    orders = [add(conn, T0 + timedelta(minutes=m)) for m in (3, 1, 2, 5, 4)]
    tied = [add(conn, T0 + timedelta(minutes=2)) for _ in range(2)]
    expected = sorted(orders + tied, key=lambda o: (o.created_at, uuid.UUID(o.id)))
    # When the queue is read three at a time
    pages = read_all(queue(conn), 3)
    # Then the pages hold every order once, in order, and the last page says it is the last
    assert [len(p) for p in pages] == [3, 3, 1]
    assert flat(pages) == [o.id for o in expected]


def test_a_page_exactly_full_is_the_last_one(conn: psycopg.Connection[Any]) -> None:
    for m in range(4):
        add(conn, T0 + timedelta(minutes=m))
    assert [len(p) for p in read_all(queue(conn), 2)] == [2, 2]
    assert repo.queue(conn, OPEN_STATUSES, PageRequest(4)).next is None


def test_orders_arriving_between_pages_neither_shift_nor_repeat_the_queue(
    conn: psycopg.Connection[Any],
) -> None:
    first = [add(conn, T0 + timedelta(minutes=m)) for m in range(4)]
    page = repo.queue(conn, OPEN_STATUSES, PageRequest(2))
    # While the display reads, two guests order, and the oldest order is served
    late = [add(conn, T0 + timedelta(minutes=10 + m)) for m in range(2)]
    conn.execute("UPDATE orders.orders SET status = 'served' WHERE id = %s", (first[0].id,))
    seen = [o.id for o in page.orders]
    while page.next is not None:
        page = repo.queue(conn, OPEN_STATUSES, PageRequest(2, page.next))
        seen += [o.id for o in page.orders]
    assert seen == [o.id for o in first + late]  # nothing twice, the newcomers at the end


def test_paging_keeps_the_status_since_and_age_filters(conn: psycopg.Connection[Any]) -> None:
    ready = [add(conn, T0 + timedelta(minutes=m), status=Status.READY) for m in range(5)]
    add(conn, T0, status=Status.PENDING)
    add(conn, T0, status=Status.SERVED)
    touched = [
        add(
            conn, T0 + timedelta(minutes=m), status=Status.READY, updated_at=T0 + timedelta(hours=1)
        )
        for m in range(3)
    ]
    by_status = read_all(lambda p: repo.queue(conn, ["ready"], p), 2)
    assert flat(by_status) == [o.id for o in sorted(ready + touched, key=_key)]
    since = read_all(lambda p: repo.queue(conn, ["ready"], p, since=T0 + timedelta(minutes=30)), 2)
    assert flat(since) == [o.id for o in sorted(touched, key=_key)]
    young = read_all(queue(conn, created_from=T0 + timedelta(minutes=3)), 1)
    assert flat(young) == [o.id for o in sorted(ready[3:], key=_key)]


def test_a_guests_orders_page_newest_first_and_only_theirs(
    conn: psycopg.Connection[Any],
) -> None:
    ada = str(uuid.uuid4())
    mine = [add(conn, T0 + timedelta(minutes=m % 3), user_key=ada) for m in range(7)]
    add(conn, T0, user_key=str(uuid.uuid4()))
    pages = read_all(lambda p: repo.for_guest(conn, ada, p), 3)
    assert [len(p) for p in pages] == [3, 3, 1]
    assert flat(pages) == [o.id for o in sorted(mine, key=_key, reverse=True)]


def test_a_guests_new_order_does_not_reappear_on_a_later_page(
    conn: psycopg.Connection[Any],
) -> None:
    ada = str(uuid.uuid4())
    older = [add(conn, T0 + timedelta(minutes=m), user_key=ada) for m in range(4)]
    page = repo.for_guest(conn, ada, PageRequest(2))
    add(conn, T0 + timedelta(hours=1), user_key=ada)  # shows on top at the next refresh
    assert page.next is not None
    rest = repo.for_guest(conn, ada, PageRequest(2, page.next))
    assert [o.id for o in page.orders + rest.orders] == [o.id for o in reversed(older)]
    assert rest.next is None


def _key(order: Order) -> tuple[datetime, uuid.UUID]:
    return (order.created_at, uuid.UUID(order.id))
