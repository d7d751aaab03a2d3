"""The local stack runs the services' schedules at their own rate (the outbox sweep apart)."""

from __future__ import annotations

from typing import Any

from devstack.config import SERVICES_DIR
from devstack.schedules import Scheduled, scheduled
from devstack.services import MountedService


def test_finds_every_rate_schedule_but_the_outbox_sweep() -> None:
    orders = MountedService("orders", SERVICES_DIR / "orders")
    try:
        found = scheduled([orders], now=1000.0)
    finally:
        orders.unload()
    assert [(s.service, s.name, s.every_seconds) for s in found] == [
        ("orders", "close_out_stale", 900.0)
    ]
    assert found[0].next_at == 1900.0  # one period after the start, as a new rule would


def test_runs_when_due_with_a_scheduled_event_and_survives_a_failure() -> None:
    events: list[dict[str, Any]] = []

    def handler(event: dict[str, Any], _context: Any) -> None:
        events.append(event)
        raise RuntimeError("the database is away")

    job = Scheduled("orders", "close_out_stale", 60.0, handler, next_at=100.0)
    assert not job.run_if_due(99.0)
    assert job.run_if_due(100.0)  # the failure is logged, not raised into the sweeper
    assert not job.run_if_due(159.0)
    assert job.run_if_due(160.0)
    assert [e["detail-type"] for e in events] == ["Scheduled Event"] * 2
