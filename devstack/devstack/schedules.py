"""The services' schedules (`@app.schedule`), run at their own rate as EventBridge rules run
them in AWS. The outbox sweep is the exception: the sweeper runs it every few seconds here, so
a developer never waits a minute for a held notification."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from barkeep.observability import get_logger

from .services import MountedService

log = get_logger("barkeep.devstack.schedules")

SECONDS = {"MINUTES": 60, "HOURS": 3600, "DAYS": 86400}
SWEPT_ELSEWHERE = "sweep_outbox"


@dataclass
class Scheduled:
    service: str
    name: str
    every_seconds: float
    handler: Callable[[dict[str, Any], Any], Any]
    next_at: float = field(default=0.0)

    def run_if_due(self, now: float) -> bool:
        if now < self.next_at:
            return False
        self.next_at = now + self.every_seconds
        try:
            self.handler(_event(self.name), None)
        except Exception:
            log.warning("schedule failed", exc_info=True, extra={"schedule": self.name})
        return True


def scheduled(services: list[MountedService], *, now: float | None = None) -> list[Scheduled]:
    """Every rate schedule of every service but the outbox sweep; each first runs one period
    after the stack starts (a cron expression is logged and left to AWS)."""
    start = time.monotonic() if now is None else now
    found = []
    for service in services:
        for source in getattr(service.api.app, "event_sources", []):
            expression = getattr(source, "schedule_expression", None)
            name = source.handler_string.split(".")[-1]
            if expression is None or name == SWEPT_ELSEWHERE:
                continue
            unit = getattr(expression, "unit", None)
            if unit not in SECONDS:
                log.info("schedule not run locally", extra={"schedule": name})
                continue
            every = float(expression.value * SECONDS[unit])
            handler = getattr(service.module("app"), name)
            found.append(Scheduled(service.name, name, every, handler, start + every))
    return found


def _event(rule: str) -> dict[str, Any]:
    """What an EventBridge schedule sends its target."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "000000000000",
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": "eu-west-1",
        "resources": [f"arn:aws:events:eu-west-1:000000000000:rule/{rule}"],
        "detail": {},
    }
