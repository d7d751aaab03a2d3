from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest
from chalicelib.domain import (
    ADMIN_TRANSITIONS,
    BadCursor,
    Cursor,
    Order,
    Page,
    Status,
    transition_problem,
)

T0 = datetime(2026, 12, 31, 21, 0, tzinfo=UTC)
T1 = datetime(2026, 12, 31, 21, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("pending", "preparing"),
        ("pending", "cancelled"),
        ("preparing", "ready"),
        ("preparing", "cancelled"),
        ("ready", "served"),
    ],
)
def test_the_admin_path(current: str, target: str) -> None:
    assert transition_problem(Status(current), Status(target), by_admin=True) is None


def test_a_guest_may_only_cancel_a_pending_order() -> None:
    assert transition_problem(Status.PENDING, Status.CANCELLED, by_admin=False) is None
    assert "pending" in str(transition_problem(Status.PREPARING, Status.CANCELLED, by_admin=False))
    assert transition_problem(Status.PENDING, Status.PREPARING, by_admin=False) is not None


def test_closed_orders_say_so() -> None:
    assert transition_problem(Status.SERVED, Status.CANCELLED, by_admin=True) == (
        "Order is already served"
    )


def test_moving_stamps_the_right_times() -> None:
    order = Order("o", "u", "Ada", "d", "Daiquiri", 1, "", Status.PREPARING, T0, T0)
    ready = order.moved_to(Status.READY, T1)
    assert (ready.ready_at, ready.completed_at, ready.updated_at) == (T1, None, T1)
    served = ready.moved_to(Status.SERVED, T1)
    assert served.completed_at == T1 and served.ready_at == T1 and not served.is_open


@pytest.mark.parametrize(
    ("status", "ends_as"),
    [("pending", "cancelled"), ("preparing", "cancelled"), ("ready", "served")],
)
def test_a_close_out_ends_an_order_through_the_baseline_machine(status: str, ends_as: str) -> None:
    order = Order("o", "u", "Ada", "d", "Daiquiri", 1, "", Status(status), T0, T0)
    closed = order.closed_out_at(T1)
    assert closed.status == Status(ends_as) and closed.closed_out
    assert closed.completed_at == T1 and closed.updated_at == T1
    # a transition every client that knows API.md's state machine already handles
    assert closed.status in ADMIN_TRANSITIONS[order.status]
    assert closed.to_json()["closed_out"] is True
    assert order.to_json()["closed_out"] is False


def test_a_cursor_comes_back_as_it_went_out() -> None:
    cursor = Cursor(T0.replace(microsecond=123456), "7d3c1f0e-0000-4000-8000-000000000000")
    text = cursor.encode()
    assert text.isascii() and "=" not in text and "|" not in text  # safe in a query string
    assert Cursor.decode(text) == cursor


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not a cursor",
        "%%%",
        "é",
        # well-formed base64 of the wrong contents
        "MjAyNi0xMi0zMVQyMTowMDowMC4wMDAwMDBa",  # a time without an id
        "MjAyNi0xMi0zMVQyMTowMDowMHxub3BlLWlk",  # 2026-12-31T21:00:00|nope-id (naive, bad id)
        "bm9wZXw3ZDNjMWYwZS0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDAwMDA",  # nope|<uuid>
        "/w",  # not UTF-8
    ],
)
def test_anything_else_is_not_a_cursor(text: str) -> None:
    with pytest.raises(BadCursor):
        Cursor.decode(text)


def test_a_time_without_a_zone_is_not_a_cursor() -> None:
    raw = b"2026-12-31T21:00:00|7d3c1f0e-0000-4000-8000-000000000000"
    with pytest.raises(BadCursor):
        Cursor.decode(base64.urlsafe_b64encode(raw).decode())


def test_a_page_says_whether_more_follow() -> None:
    orders = [
        Order(str(i), "u", "Ada", "d", "Daiquiri", 1, "", Status.PENDING, T0, T0) for i in range(3)
    ]
    assert Page.of(orders[:2], 2).next is None  # exactly the limit: the last page
    more = Page.of(orders, 2)
    assert [o.id for o in more.orders] == ["0", "1"] and more.next == Cursor(T0, "1")
    assert Page.of([], 2).to_json() == {"orders": [], "next_cursor": None}
