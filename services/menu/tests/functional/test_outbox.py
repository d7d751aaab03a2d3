"""Nothing lost: with EventBridge down, writes still succeed and their events follow later."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from barkeep.events import OutboxMessage, Sink
from barkeep.local import LocalApi

from tests.conftest import drink_body


class Outage:
    """Wraps the real sink; while `down`, every publish fails like a network error."""

    def __init__(self, real: Sink) -> None:
        self.real = real
        self.down = True

    def send(self, messages: Sequence[OutboxMessage]) -> set[str]:
        if self.down:
            raise ConnectionError("EventBridge unreachable")
        return self.real.send(messages)


def test_events_survive_an_eventbridge_outage(
    api: LocalApi, admin_token: str, section: dict[str, Any], local_aws: Any
) -> None:
    from chalicelib.wiring import publisher

    outage = Outage(publisher().sinks["eventbridge"])
    publisher().sinks["eventbridge"] = outage
    # Given EventBridge is down, When the bartender edits the menu
    created = api.post("/admin/drinks", token=admin_token, json_body=drink_body(section["id"]))
    drink_id = created.json()["drink"]["id"]
    updated = api.patch(
        f"/admin/drinks/{drink_id}", token=admin_token, json_body={"name": "Hemingway Daiquiri"}
    )
    # Then the requests still succeed, and nothing reached the bus yet
    assert (created.status, updated.status) == (201, 200)
    assert local_aws.drain_tap() == []
    assert publisher().sweep(older_than_seconds=0) == 0  # still down: stays pending
    # When EventBridge recovers and the sweeper runs
    outage.down = False
    assert publisher().sweep(older_than_seconds=0) == 2
    # Then both events arrive, each exactly once, and a further sweep sends nothing
    assert publisher().sweep(older_than_seconds=0) == 0
    events = local_aws.drain_tap(wait_seconds=1) + local_aws.drain_tap()
    assert sorted(e["detail-type"] for e in events) == ["DrinkCreated", "DrinkUpdated"]
    assert len({e["detail"]["metadata"]["event_id"] for e in events}) == 2
