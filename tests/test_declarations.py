"""The services' platform declarations agree with each other and with what the code emits."""

from __future__ import annotations

import re
from pathlib import Path

from barkeep.declarations import load_all, unrouted

ROOT = Path(__file__).resolve().parents[1]
NEEDS = load_all(ROOT / "services")


def test_every_service_declares_what_it_needs() -> None:
    assert set(NEEDS) == {"menu", "identity", "orders", "ai"}
    assert all((ROOT / "services" / s / "platform.toml").exists() for s in NEEDS)


def test_every_subscription_is_fed_by_what_a_producer_emits() -> None:
    assert unrouted(NEEDS.values()) == []


def test_every_event_a_service_emits_is_declared() -> None:
    # `emit("OrderPlaced", ...)` in a service's code means its declaration must say so (infra
    # grants events:PutEvents for the service's own source only, and the event catalogue
    # is built from the declarations)
    for service, needs in NEEDS.items():
        code = "\n".join(
            p.read_text() for p in (ROOT / "services" / service / "chalicelib").rglob("*.py")
        )
        emitted = set(re.findall(r"\.emit\(\s*\"([A-Z][A-Za-z]+)\"", code))
        assert emitted == set(needs.emits), service
