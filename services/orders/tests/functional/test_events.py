"""Every change reaches EventBridge and both realtime channels — and survives an outage."""

from __future__ import annotations

from typing import Any

from barkeep.local import LocalApi
from barkeep.testing.guests import GuestTokens
from barkeep.testing.realtime import RealtimeCapture

from tests.conftest import order


def test_placing_and_moving_an_order_notifies_everyone(
    api: LocalApi,
    ada: dict[str, str],
    drink_id: str,
    admin_token: str,
    realtime: RealtimeCapture,
    local_aws: Any,
) -> None:
    placed = order(api, ada, drink_id).json()["order"]
    ready = api.patch(
        f"/admin/orders/{placed['id']}", token=admin_token, json_body={"status": "preparing"}
    ).json()["order"]
    guest_channel = f"/orders/{ada['user_key']}"
    for channel in (guest_channel, "/admin/orders"):
        created, changed = realtime.on(channel)
        assert created["type"] == "ORDER_CREATED" and created["version"] == 1
        assert created["data"] == {"order": placed}
        assert changed["type"] == "ORDER_STATUS_CHANGED"
        assert changed["data"] == {"order": ready, "previous_status": "pending"}
    # the two channels carry the same event ids, so a client seeing both can de-duplicate
    assert [e["event_id"] for e in realtime.on(guest_channel)] == [
        e["event_id"] for e in realtime.on("/admin/orders")
    ]
    bus = local_aws.drain_tap(wait_seconds=1) + local_aws.drain_tap()
    assert sorted(e["detail-type"] for e in bus) == ["OrderPlaced", "OrderStatusChanged"]
    by_type = {e["detail-type"]: e["detail"] for e in bus}
    assert by_type["OrderPlaced"]["data"] == placed
    assert by_type["OrderStatusChanged"]["data"]["previous_status"] == "pending"
    # and the realtime event id is the domain event's id
    assert (
        realtime.on(guest_channel)[0]["event_id"] == by_type["OrderPlaced"]["metadata"]["event_id"]
    )


def test_an_order_is_placed_even_while_realtime_is_down(
    api: LocalApi, ada: dict[str, str], drink_id: str, admin_token: str, realtime: RealtimeCapture
) -> None:
    from chalicelib.wiring import publisher

    # Given AppSync is unreachable
    realtime.down = True
    # When a guest orders and the bartender starts it
    placed = order(api, ada, drink_id)
    moved = api.patch(
        f"/admin/orders/{placed.json()['order']['id']}",
        token=admin_token,
        json_body={"status": "preparing"},
    )
    # Then both succeed, and nothing is lost: the sweeper delivers once AppSync is back
    assert (placed.status, moved.status) == (201, 200)
    assert realtime.sent == []
    realtime.down = False
    # only realtime was down: the bus events went at once; 2 events x 2 channels remain
    assert publisher().sweep(older_than_seconds=0) == 4
    assert publisher().sweep(older_than_seconds=0) == 0
    for channel in (f"/orders/{ada['user_key']}", "/admin/orders"):
        ids = [e["event_id"] for e in realtime.on(channel)]
        assert len(ids) == 2 and len(set(ids)) == 2  # each event once per channel


def test_a_sweep_forgets_idempotency_keys_after_their_window(
    api: LocalApi, ada: dict[str, str], drink_id: str, clean_database: str
) -> None:
    import psycopg
    from chalicelib.wiring import publisher

    first = order(api, ada, drink_id, idempotency_key="tap-1")
    assert order(api, ada, drink_id, idempotency_key="tap-1").json() == first.json()  # a double tap
    with psycopg.connect(clean_database, autocommit=True) as conn:
        conn.execute("UPDATE orders.idempotency_keys SET created_at = now() - interval '25 hours'")
        publisher().sweep()
        assert conn.execute("SELECT count(*) FROM orders.idempotency_keys").fetchone() == (0,)


def test_a_deactivated_guest_can_no_longer_order_or_hear_about_their_orders(
    api: LocalApi,
    ada: dict[str, str],
    bob: dict[str, str],
    drink_id: str,
    admin_token: str,
    realtime: RealtimeCapture,
    guest_tokens: GuestTokens,
) -> None:
    placed = order(api, ada, drink_id).json()["order"]
    # When identity puts Ada on the revocation list (she was deactivated)
    guest_tokens.revoke(ada["user_key"])
    # Then every guest route refuses her token as no longer good, and Bob's still works
    for response in (
        order(api, ada, drink_id),
        api.get("/orders", token=ada["token"]),
        api.get(f"/orders/{placed['id']}", token=ada["token"]),
        api.post(f"/orders/{placed['id']}/cancel", token=ada["token"]),
    ):
        assert response.status == 401, response.body
        assert response.json()["error"]["code"] == "unauthorized"
    assert order(api, bob, drink_id).status == 201
    # And the bar still works her order, but her channel hears no more of it
    moved = api.patch(
        f"/admin/orders/{placed['id']}", token=admin_token, json_body={"status": "preparing"}
    )
    assert moved.status == 200
    guest_channel = f"/orders/{ada['user_key']}"
    assert [e["type"] for e in realtime.on(guest_channel)] == ["ORDER_CREATED"]
    assert [e["type"] for e in realtime.on("/admin/orders")] == [
        "ORDER_CREATED",
        "ORDER_CREATED",
        "ORDER_STATUS_CHANGED",
    ]
