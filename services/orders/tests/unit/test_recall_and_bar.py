"""The recalls and the bar's settings (issue 16, ADR 0029): pure rules, no I/O."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from chalicelib.domain import (
    BarSettings,
    Order,
    Ordering,
    Status,
    recall_problem,
    transition_problem,
)

T0 = datetime(2026, 12, 31, 21, 0, tzinfo=UTC)
WINDOW = timedelta(seconds=300)


def _order(status: Status, **fields: object) -> Order:
    return replace(
        Order("o", "u", "Ada", "d", "Daiquiri", 1, "", status, T0, T0, number=7), **fields
    )


@pytest.mark.parametrize(("current", "target"), [("ready", "preparing"), ("served", "ready")])
def test_the_bartender_may_take_a_step_back(current: str, target: str) -> None:
    assert transition_problem(Status(current), Status(target), by_admin=True) is None


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("served", "preparing"),
        ("served", "pending"),
        ("ready", "pending"),
        ("preparing", "pending"),
        ("cancelled", "pending"),
        ("cancelled", "ready"),
        ("served", "served"),
    ],
)
def test_no_other_step_back_exists(current: str, target: str) -> None:
    assert transition_problem(Status(current), Status(target), by_admin=True) is not None


@pytest.mark.parametrize(("current", "target"), [("ready", "preparing"), ("served", "ready")])
def test_a_guest_may_not_recall(current: str, target: str) -> None:
    assert transition_problem(Status(current), Status(target), by_admin=False) is not None


def test_not_ready_clears_ready_at_and_restarts_the_clock() -> None:
    ready = _order(Status.PREPARING, started_at=T0).moved_to(
        Status.READY, T0 + timedelta(seconds=60)
    )
    later = T0 + timedelta(minutes=3)
    back = ready.moved_to(Status.PREPARING, later)
    assert (back.status, back.ready_at, back.started_at, back.updated_at) == (
        Status.PREPARING,
        None,
        later,
        later,
    )
    assert back.number == 7  # the ticket keeps its number


def test_undo_serve_clears_completed_at_and_keeps_when_it_was_ready() -> None:
    ready_at = T0 + timedelta(minutes=2)
    served = _order(Status.READY, ready_at=ready_at).moved_to(Status.SERVED, T0 + WINDOW)
    assert served.completed_at == T0 + WINDOW
    back = served.moved_to(Status.READY, T0 + WINDOW + timedelta(seconds=10))
    assert (back.status, back.completed_at, back.ready_at) == (Status.READY, None, ready_at)
    assert back.is_open


def test_starting_stamps_started_at() -> None:
    started = _order(Status.PENDING).moved_to(Status.PREPARING, T0 + timedelta(seconds=5))
    assert started.started_at == T0 + timedelta(seconds=5)
    assert started.moved_to(Status.READY, T0 + WINDOW).started_at == started.started_at


def test_undo_serve_within_the_window_is_allowed() -> None:
    served = _order(Status.SERVED, completed_at=T0)
    assert recall_problem(served, Status.READY, T0 + WINDOW, WINDOW) is None


def test_undo_serve_after_the_window_is_too_late() -> None:
    served = _order(Status.SERVED, completed_at=T0)
    problem = recall_problem(served, Status.READY, T0 + WINDOW + timedelta(seconds=1), WINDOW)
    assert problem is not None and "300 seconds" in problem


def test_a_closed_out_order_is_never_recalled() -> None:
    served = _order(Status.SERVED, completed_at=T0, closed_out=True)
    assert recall_problem(served, Status.READY, T0, WINDOW) is not None


def test_a_served_order_without_a_time_is_not_recalled() -> None:
    assert recall_problem(_order(Status.SERVED), Status.READY, T0, WINDOW) is not None


def test_not_ready_has_no_window() -> None:
    ready = _order(Status.READY, ready_at=T0)
    assert recall_problem(ready, Status.PREPARING, T0 + timedelta(days=1), WINDOW) is None


def test_the_order_json_carries_number_and_started_at() -> None:
    data = _order(Status.PREPARING, started_at=T0).to_json()
    assert (data["number"], data["started_at"]) == (7, "2026-12-31T21:00:00.000000Z")
    legacy = replace(_order(Status.PENDING), number=None).to_json()
    assert (legacy["number"], legacy["started_at"]) == (None, None)


# The bar's settings -------------------------------------------------------------------------
def test_the_defaults() -> None:
    assert BarSettings().to_json() == {
        "ordering": "open",
        "message": "",
        "reopens_at": None,
        "wait_warn_seconds": 300,
        "wait_late_seconds": 600,
        "updated_at": None,
    }


def test_an_open_bar_and_last_call_take_orders() -> None:
    assert BarSettings().refusal() is None
    assert BarSettings(ordering=Ordering.LAST_CALL, message="Last one!").refusal() is None


def test_a_paused_bar_says_why_and_when_it_reopens() -> None:
    bar = BarSettings(ordering=Ordering.PAUSED, message="Changing the keg", reopens_at=T0)
    refusal = bar.refusal()
    assert refusal is not None
    assert "Changing the keg" in refusal and "2026-12-31T21:00:00" in refusal
    assert BarSettings(ordering=Ordering.PAUSED).refusal() == "The bar has paused ordering"
    sentence = BarSettings(ordering=Ordering.PAUSED, message="Back soon.", reopens_at=T0)
    assert sentence.refusal() == (
        "The bar has paused ordering: Back soon. It reopens at 2026-12-31T21:00:00.000000Z"
    )


def test_opening_again_clears_reopens_at() -> None:
    paused = BarSettings(ordering=Ordering.PAUSED, reopens_at=T0)
    assert paused.changed({"message": "Soon"}, T0).reopens_at == T0
    opened = paused.changed({"ordering": Ordering.OPEN}, T0)
    assert (opened.ordering, opened.reopens_at, opened.updated_at) == (Ordering.OPEN, None, T0)


def test_late_must_come_after_warn() -> None:
    assert BarSettings().wait_problem() == {}
    assert "wait_late_seconds" in BarSettings(wait_warn_seconds=600).wait_problem()
    assert "wait_late_seconds" in BarSettings(wait_late_seconds=300).wait_problem()
