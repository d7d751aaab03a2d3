"""Live updates through the running stack: real WebSocket clients on the AppSync Events
emulator, real HTTP for everything else."""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests
from barkeep.testing.realtime_client import Realtime
from barkeep.testing.stack import RunningStack

from tests.integration.conftest import join

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("stack")]


def _ws(stack: RunningStack) -> str:
    return str(stack.config["realtime"]["ws"]).replace("localhost", "127.0.0.1")


def test_a_guest_sees_their_order_become_ready_live(
    stack: RunningStack, orders_url: str, invite: str, drink_id: str, admin_headers: dict[str, str]
) -> None:
    ada = join(stack, invite, "Ada")
    guest = Realtime(_ws(stack), {"Authorization": ada["access_token"]})
    bar = Realtime(_ws(stack), {"Authorization": admin_headers["Authorization"].split()[1]})
    try:
        assert guest.subscribe(f"/orders/{ada['user']['user_key']}", "mine")["type"] == (
            "subscribe_success"
        )
        assert bar.subscribe("/admin/orders", "queue")["type"] == "subscribe_success"
        placed = requests.post(
            f"{orders_url}/orders",
            timeout=5,
            json={"drink_id": drink_id},
            headers={"Authorization": f"Bearer {ada['access_token']}"},
        )
        order = placed.json()["order"]
        for client in (guest, bar):
            created = client.event()
            assert created["type"] == "ORDER_CREATED" and created["data"]["order"] == order
        for status in ("preparing", "ready"):
            started = time.monotonic()
            requests.patch(
                f"{orders_url}/admin/orders/{order['id']}",
                headers=admin_headers,
                json={"status": status},
                timeout=5,
            ).raise_for_status()
            changed = guest.event(timeout=2)  # the bar: within 2 s, no reload
            assert time.monotonic() - started < 2
            assert changed["type"] == "ORDER_STATUS_CHANGED"
            assert changed["data"]["order"]["status"] == status
            assert bar.event()["data"]["order"]["status"] == status
    finally:
        guest.close()
        bar.close()


def test_a_guest_may_not_listen_to_another_guest_or_the_bar(
    stack: RunningStack, invite: str
) -> None:
    ada, bob = join(stack, invite, "Ada"), join(stack, invite, "Bob")
    client = Realtime(_ws(stack), {"Authorization": ada["access_token"]})
    try:
        assert client.subscribe(f"/orders/{bob['user']['user_key']}", "x")["type"] == (
            "subscribe_error"
        )
        assert client.subscribe("/admin/orders", "y")["type"] == "subscribe_error"
        assert client.subscribe("/orders/*", "z")["type"] == "subscribe_error"
    finally:
        client.close()


def test_clients_cannot_publish(
    stack: RunningStack, invite: str, admin_headers: dict[str, str]
) -> None:
    ada = join(stack, invite, "Mallory")
    http = str(stack.config["realtime"]["http"]).replace("localhost", "127.0.0.1")
    fake = {"channel": f"/orders/{ada['user']['user_key']}", "events": ['{"type":"X"}']}
    for headers in (
        {"Authorization": ada["access_token"]},
        admin_headers,
        {"x-api-key": stack.config["realtime"]["api_key"]},
        {},
    ):
        response = requests.post(http, json=fake, headers=headers, timeout=5)
        assert response.status_code in (401, 403), (headers.keys(), response.text)


def test_anyone_with_the_api_key_hears_menu_changes(
    stack: RunningStack, admin_headers: dict[str, str]
) -> None:
    menu = stack.api("menu")
    client = Realtime(_ws(stack), {"x-api-key": stack.config["realtime"]["api_key"]})
    try:
        assert client.subscribe("/menu/updates", "menu")["type"] == "subscribe_success"
        drink: dict[str, Any] = requests.get(f"{menu}/drinks", timeout=5).json()["drinks"][1]
        requests.patch(
            f"{menu}/admin/drinks/{drink['id']}",
            headers=admin_headers,
            json={"description": "Freshly described"},
            timeout=5,
        ).raise_for_status()
        # Delivery is at least once and other changes may be in flight (the sweeper delivers
        # anything left from seeding): wait for this drink's event, as a client would.
        deadline = time.monotonic() + 5
        while True:
            event = client.event(timeout=max(0.1, deadline - time.monotonic()))
            assert event["type"] == "MENU_CHANGED"
            if event["data"]["drink_id"] == drink["id"]:
                break
        assert event["data"] == {"drink_id": drink["id"], "change": "updated"}
    finally:
        client.close()


def test_after_a_reconnect_the_guest_resyncs_over_http(
    stack: RunningStack, orders_url: str, invite: str, drink_id: str, admin_headers: dict[str, str]
) -> None:
    grace = join(stack, invite, "Grace")
    bearer = {"Authorization": f"Bearer {grace['access_token']}"}
    channel = f"/orders/{grace['user']['user_key']}"
    client = Realtime(_ws(stack), {"Authorization": grace["access_token"]})
    client.subscribe(channel, "mine")
    order = requests.post(
        f"{orders_url}/orders", json={"drink_id": drink_id}, headers=bearer, timeout=5
    ).json()["order"]
    client.event()
    # The connection drops; meanwhile the bartender moves the order on
    client.close()
    requests.patch(
        f"{orders_url}/admin/orders/{order['id']}",
        headers=admin_headers,
        json={"status": "preparing"},
        timeout=5,
    ).raise_for_status()
    # The client reconnects, resubscribes and re-reads its orders (at-least-once + resync)
    again = Realtime(_ws(stack), {"Authorization": grace["access_token"]})
    try:
        assert again.subscribe(channel, "mine")["type"] == "subscribe_success"
        mine = requests.get(f"{orders_url}/orders", headers=bearer, timeout=5).json()["orders"]
        assert mine[0]["status"] == "preparing"
        requests.patch(
            f"{orders_url}/admin/orders/{order['id']}",
            headers=admin_headers,
            json={"status": "ready"},
            timeout=5,
        ).raise_for_status()
        assert again.event()["data"]["order"]["status"] == "ready"
    finally:
        again.close()


def test_a_deactivated_guest_is_out_everywhere_within_five_seconds(
    stack: RunningStack, orders_url: str, invite: str, drink_id: str, admin_headers: dict[str, str]
) -> None:
    ada = join(stack, invite, "Mallory")
    ada_key = ada["user"]["user_key"]
    ada_auth = {"Authorization": f"Bearer {ada['access_token']}"}
    mine = f"/orders/{ada_key}"
    held = Realtime(_ws(stack), {"Authorization": ada["access_token"]})
    door = Realtime(_ws(stack), {"x-api-key": stack.config["realtime"]["api_key"]})
    try:
        assert held.subscribe(mine, "mine")["type"] == "subscribe_success"
        placed = requests.post(
            f"{orders_url}/orders", timeout=5, json={"drink_id": drink_id}, headers=ada_auth
        )
        assert placed.status_code == 201
        assert held.event()["type"] == "ORDER_CREATED"

        # When the bartender deactivates her
        started = time.monotonic()
        deactivated = requests.post(
            f"{stack.api('identity')}/admin/guests/{ada_key}/deactivate",
            headers=admin_headers,
            timeout=5,
        )
        assert deactivated.status_code == 200

        # Then within 5 s every service refuses her token (read-only calls, until they do)
        def refused() -> bool:
            answers = [
                requests.get(f"{orders_url}/orders", headers=ada_auth, timeout=5),
                requests.get(f"{stack.api('identity')}/me", headers=ada_auth, timeout=5),
            ]
            assert {a.status_code for a in answers} <= {200, 401}
            return all(a.status_code == 401 for a in answers)

        while not refused():
            assert time.monotonic() - started < 5, "still let in 5 s after deactivation"
            time.sleep(0.1)
        again = requests.post(
            f"{orders_url}/orders", timeout=5, json={"drink_id": drink_id}, headers=ada_auth
        )
        assert again.status_code == 401 and again.json()["error"]["code"] == "unauthorized"
        # a new subscription with her token is refused
        fresh = door.subscribe(mine, "again", {"Authorization": ada["access_token"]})
        assert fresh["type"] == "subscribe_error"
        assert time.monotonic() - started < 5
        # and the subscription she still holds hears nothing more of her order
        moved = requests.patch(
            f"{orders_url}/admin/orders/{placed.json()['order']['id']}",
            headers=admin_headers,
            json={"status": "preparing"},
            timeout=5,
        )
        assert moved.status_code == 200
        with pytest.raises(TimeoutError):
            held.event(timeout=2)
    finally:
        held.close()
        door.close()
