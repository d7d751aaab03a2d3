from __future__ import annotations

from datetime import UTC, datetime

import pytest
from chalicelib.domain import Order, Status, transition_problem

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
