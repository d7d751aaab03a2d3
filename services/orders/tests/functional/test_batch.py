"""Moving several orders at once, each on its own (issue 16, ADR 0029)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from barkeep.local import LocalApi
from barkeep.testing.realtime import RealtimeCapture

from tests.conftest import order

BATCH = "/admin/orders/batch"


def test_a_batch_moves_each_order_and_tells_each_guest(
    api: LocalApi,
    ada: dict[str, str],
    bob: dict[str, str],
    drink_id: str,
    admin_token: str,
    realtime: RealtimeCapture,
    local_aws: Any,
) -> None:
    # Given three pending Daiquiris from two guests
    ids = [order(api, g, drink_id).json()["order"]["id"] for g in (ada, bob, ada)]
    local_aws.drain_tap(wait_seconds=1)
    # When the bartender starts them in one action
    response = api.post(
        BATCH, token=admin_token, json_body={"order_ids": ids, "status": "preparing"}
    )
    # Then each moved, in the order asked
    assert response.status == 200, response.body
    body = response.json()
    assert body["failed"] == []
    assert [o["id"] for o in body["orders"]] == ids
    assert all(o["status"] == "preparing" and o["started_at"] for o in body["orders"])
    # and each guest heard of each of their own orders, once
    for guest, mine in ((ada, [ids[0], ids[2]]), (bob, [ids[1]])):
        changes = [
            e["data"]["order"]["id"]
            for e in realtime.on(f"/orders/{guest['user_key']}")
            if e["type"] == "ORDER_STATUS_CHANGED"
        ]
        assert changes == mine
    # and each has its own event on the bus
    bus = local_aws.drain_tap(wait_seconds=1) + local_aws.drain_tap()
    changed = [e for e in bus if e["detail-type"] == "OrderStatusChanged"]
    assert sorted(e["detail"]["data"]["order"]["id"] for e in changed) == sorted(ids)
    assert len({e["detail"]["metadata"]["event_id"] for e in changed}) == 3


def test_one_order_that_cannot_move_stops_none_of_the_others(
    api: LocalApi, ada: dict[str, str], bob: dict[str, str], drink_id: str, admin_token: str
) -> None:
    # Given one pending order, one already started, and an id nobody knows
    pending = order(api, ada, drink_id).json()["order"]["id"]
    started = order(api, bob, drink_id).json()["order"]["id"]
    api.patch(f"/admin/orders/{started}", token=admin_token, json_body={"status": "preparing"})
    unknown = str(uuid.uuid4())
    # When all three are started
    body = api.post(
        BATCH,
        token=admin_token,
        json_body={"order_ids": [started, pending, unknown], "status": "preparing"},
    ).json()
    # Then the pending one moved, and each of the others says why not
    assert [o["id"] for o in body["orders"]] == [pending]
    assert [(f["id"], f["error"]["code"]) for f in body["failed"]] == [
        (started, "invalid_transition"),
        (unknown, "order_not_found"),
    ]
    assert all(f["error"]["message"] for f in body["failed"])


def test_a_batch_of_recalls_honours_the_window(
    api: LocalApi, ada: dict[str, str], drink_id: str, admin_token: str
) -> None:
    placed = order(api, ada, drink_id).json()["order"]["id"]
    for status in ("preparing", "ready", "served"):
        api.patch(f"/admin/orders/{placed}", token=admin_token, json_body={"status": status})
    body = api.post(
        BATCH, token=admin_token, json_body={"order_ids": [placed], "status": "ready"}
    ).json()
    assert [o["status"] for o in body["orders"]] == ["ready"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "order_ids"),
        ({"status": "ready"}, "order_ids"),
        ({"order_ids": [], "status": "ready"}, "order_ids"),
        ({"order_ids": [str(uuid.uuid4()) for _ in range(51)], "status": "ready"}, "order_ids"),
        ({"order_ids": ["nope"], "status": "ready"}, "order_ids"),
        ({"order_ids": "abc", "status": "ready"}, "order_ids"),
        ({"order_ids": [1], "status": "ready"}, "order_ids"),
        ({"order_ids": [str(uuid.UUID(int=1))] * 2, "status": "ready"}, "order_ids"),
        ({"order_ids": [str(uuid.uuid4())]}, "status"),
        ({"order_ids": [str(uuid.uuid4())], "status": "done"}, "status"),
        ({"order_ids": [str(uuid.uuid4())], "status": "ready", "force": True}, "force"),
    ],
)
def test_bad_batches_are_400(
    api: LocalApi, admin_token: str, body: dict[str, Any], field: str
) -> None:
    response = api.post(BATCH, token=admin_token, json_body=body)
    assert response.status == 400, response.body
    fields = response.json()["error"]["details"]["fields"]
    assert any(name.startswith(field) for name in fields), fields


def test_fifty_orders_are_one_batch(api: LocalApi, admin_token: str) -> None:
    ids = [str(uuid.uuid4()) for _ in range(50)]
    body = api.post(BATCH, token=admin_token, json_body={"order_ids": ids, "status": "ready"})
    assert body.status == 200
    assert len(body.json()["failed"]) == 50


def test_only_the_bartender_batches(api: LocalApi, ada: dict[str, str]) -> None:
    body = {"order_ids": [str(uuid.uuid4())], "status": "cancelled"}
    assert api.post(BATCH, json_body=body).status == 401
    assert api.post(BATCH, token=ada["token"], json_body=body).status == 403
