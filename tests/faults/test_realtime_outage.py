"""The realtime emulator restarts mid-party, and publishing to EventBridge and AppSync fails for
a while: clients reconnect, resubscribe and resync, the outbox holds every event and the
sweeper delivers each once after recovery."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Sequence
from typing import Any

import httpx
from barkeep.events import EVENTBRIDGE, OutboxMessage
from barkeep.realtime import REALTIME
from barkeep.testing.party import Listener, Party, PartyPlan

from .conftest import InProcessStack

PLAN = PartyPlan(guests=12, orders=30, join_seconds=1, order_seconds=8, settle_seconds=25)


def test_every_client_comes_back_after_the_emulator_restarts(
    in_process_stack: InProcessStack,
) -> None:
    emulator = in_process_stack.emulator
    party = Party(
        in_process_stack.client,
        PLAN,
        database_url=in_process_stack.client.database_url(),
        faults=[(3.0, lambda: emulator.restart(down_for=2.0))],
    )
    report = asyncio.run(party.run())
    assert party.problems(report) == [], (report["lost_samples"], report["final_state"])
    # every guest and both displays lost their connection and came back by themselves
    assert report["reconnects"] >= PLAN.guests + PLAN.displays
    assert emulator.connection_count == 0  # the party closed its sockets at the end


class Outage:
    """A sink that fails while `down`, as an unreachable endpoint does, and counts what it
    delivered once it is back. (The emulator's own restart is the test above.)"""

    def __init__(self, sink: Any) -> None:
        self.sink = sink
        self.down = threading.Event()
        self.delivered: list[str] = []

    def send(self, messages: Sequence[OutboxMessage]) -> set[str]:
        if self.down.is_set():
            raise ConnectionError("the endpoint is unreachable")
        sent: set[str] = self.sink.send(messages)
        self.delivered += sorted(sent)
        return sent


def _listen(listener: Listener, stop: asyncio.Event) -> Any:
    return asyncio.ensure_future(listener.run(stop))


def test_the_outbox_holds_everything_while_publishing_fails_and_sends_each_once(
    in_process_stack: InProcessStack,
) -> None:
    client = in_process_stack.client
    orders = in_process_stack.publisher("orders")
    bus = Outage(orders.sinks[EVENTBRIDGE])
    appsync = Outage(orders.sinks[REALTIME])  # the guest's own connection stays up meanwhile
    orders.sinks[EVENTBRIDGE], orders.sinks[REALTIME] = bus, appsync
    admin = {"Authorization": f"Bearer {client.admin_token()}"}
    with httpx.Client(timeout=10) as http:
        code = http.post(
            f"{client.api('identity')}/admin/registration-codes",
            headers=admin,
            json={"max_uses": 5},
        ).json()["registration_code"]["code"]
        guest = http.post(
            f"{client.api('identity')}/register",
            headers={"X-Registration-Code": code},
            json={"username": "Patient"},
        ).json()
        drink = http.get(f"{client.api('menu')}/drinks").json()["drinks"][0]["id"]

    async def scenario() -> tuple[Listener, list[str]]:
        party = Party(client, PLAN)
        listener = Listener.for_guest(
            party, "guest", guest["user"]["user_key"], guest["access_token"]
        )
        stop = asyncio.Event()
        task = _listen(listener, stop)
        await asyncio.wait_for(listener.subscribed.wait(), 20)
        # Given EventBridge and AppSync are both unreachable
        bus.down.set()
        appsync.down.set()
        ids = []
        guest_auth = {"Authorization": f"Bearer {guest['access_token']}"}
        async with httpx.AsyncClient(timeout=10) as http:
            # When a guest orders and the bartender makes the drink meanwhile
            for _ in range(2):
                r = await http.post(
                    f"{client.api('orders')}/orders", headers=guest_auth, json={"drink_id": drink}
                )
                assert r.status_code == 201, r.text  # the request never fails for it
                ids.append(r.json()["order"]["id"])
                for status in ("preparing", "ready", "served"):
                    moved = await http.patch(
                        f"{client.api('orders')}/admin/orders/{ids[-1]}",
                        headers=admin,
                        json={"status": status},
                    )
                    assert moved.status_code == 200
            pending = _pending(client)
            assert pending == {"eventbridge": 8, "realtime": 16}  # 8 events, 2 channels each
            # Then, once both are back, the sweeper delivers everything (each once)
            bus.down.clear()
            appsync.down.clear()
            deadline = time.monotonic() + 30
            while _pending(client) and time.monotonic() < deadline:
                await asyncio.sleep(0.5)
            await asyncio.sleep(1.5)  # any second delivery would have arrived by now
        stop.set()
        await asyncio.gather(task, return_exceptions=True)
        return listener, ids

    listener, ids = asyncio.run(scenario())
    assert _pending(client) == {}
    assert len(bus.delivered) == 8 and len(set(bus.delivered)) == 8
    assert len(appsync.delivered) == 16 and len(set(appsync.delivered)) == 16
    # the guest got the 8 changes it was owed, each once, in the end
    assert listener.duplicates == 0
    assert sorted((f.order_id, f.status) for f in listener.frames) == sorted(
        (i, s) for i in ids for s in ("pending", "preparing", "ready", "served")
    )


def _pending(client: Any) -> dict[str, int]:
    import psycopg

    with psycopg.connect(client.database_url()) as conn:
        rows = conn.execute(
            "SELECT target, count(*) FROM orders.outbox WHERE published_at IS NULL GROUP BY target"
        ).fetchall()
    return {target: n for target, n in rows}
