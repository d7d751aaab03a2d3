"""End of night: the close-out ends open orders in batches, each with its normal events."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest
from barkeep.events import isoformat
from barkeep.local import LocalApi
from barkeep.testing import GuestTokens
from barkeep.testing.realtime import RealtimeCapture

from tests.conftest import backdate, order

CLOSE_OUT = "/admin/orders/close-out"


@pytest.fixture
def party(api: LocalApi, guest_tokens: GuestTokens, drink_id: str, admin_token: str) -> list[Any]:
    """Seven open orders from three guests: three pending, two preparing, two ready."""
    placed = []
    for i in range(3):
        user_key = str(uuid.uuid4())
        guest = {"user_key": user_key, "token": guest_tokens.token(user_key, f"Guest {i}")}
        placed += [order(api, guest, drink_id).json()["order"] for _ in range(3 if i < 2 else 1)]
    for o, path in zip(placed[3:], [["preparing"]] * 2 + [["preparing", "ready"]] * 2, strict=True):
        for status in path:
            api.patch(f"/admin/orders/{o['id']}", token=admin_token, json_body={"status": status})
    return placed


def status_changes(realtime: RealtimeCapture) -> list[dict[str, Any]]:
    return [e for e in realtime.on("/admin/orders") if e["type"] == "ORDER_STATUS_CHANGED"]


def test_the_bartender_closes_out_the_night(
    api: LocalApi, party: list[Any], admin_token: str, realtime: RealtimeCapture, local_aws: Any
) -> None:
    local_aws.drain_tap(wait_seconds=1)
    realtime.sent.clear()
    # When the bartender closes out
    response = api.post(CLOSE_OUT, token=admin_token)
    # Then every open order ends: never made → cancelled, made and waiting → served
    assert response.status == 200
    assert response.json() == {"closed": 7, "complete": True}
    rows = api.get("/admin/orders?status=cancelled&status=served", token=admin_token).json()[
        "orders"
    ]
    assert Counter(o["status"] for o in rows) == {"cancelled": 5, "served": 2}
    assert all(o["closed_out"] and o["completed_at"] for o in rows)
    assert api.get("/admin/orders", token=admin_token).json() == {
        "orders": [],
        "next_cursor": None,
    }
    # and each order told the guest, the displays and the bus once
    changes = status_changes(realtime)
    assert sorted(e["data"]["order"]["id"] for e in changes) == sorted(o["id"] for o in party)
    assert Counter(e["data"]["previous_status"] for e in changes) == {
        "pending": 3,
        "preparing": 2,
        "ready": 2,
    }
    for o in party:
        guest_events = [
            e
            for e in realtime.on(f"/orders/{o['user_key']}")
            if e["data"]["order"]["id"] == o["id"]
        ]
        assert len(guest_events) == 1 and guest_events[0]["data"]["order"]["closed_out"]
    bus = local_aws.drain_tap(wait_seconds=1) + local_aws.drain_tap()
    assert Counter(e["detail-type"] for e in bus) == {"OrderStatusChanged": 7}


def test_closing_out_twice_closes_nothing_more_and_says_nothing_more(
    api: LocalApi, party: list[Any], admin_token: str, realtime: RealtimeCapture
) -> None:
    assert api.post(CLOSE_OUT, token=admin_token).json()["closed"] == 7
    sent = len(realtime.sent)
    assert api.post(CLOSE_OUT, token=admin_token).json() == {"closed": 0, "complete": True}
    assert len(realtime.sent) == sent


def test_a_closed_out_guest_may_order_again(
    api: LocalApi, ada: dict[str, str], drink_id: str, admin_token: str
) -> None:
    for _ in range(3):
        order(api, ada, drink_id)
    assert order(api, ada, drink_id).status == 409  # three open: the limit
    api.post(CLOSE_OUT, token=admin_token)
    assert order(api, ada, drink_id).status == 201


def test_only_orders_placed_before_the_cut_close(
    api: LocalApi,
    ada: dict[str, str],
    bob: dict[str, str],
    drink_id: str,
    admin_token: str,
    clean_database: str,
) -> None:
    old = order(api, ada, drink_id).json()["order"]
    backdate(clean_database, old["id"], hours=2)
    new = order(api, bob, drink_id).json()["order"]
    cut = isoformat(datetime.now(UTC) - timedelta(hours=1))
    response = api.post(CLOSE_OUT, token=admin_token, json_body={"before": cut})
    assert response.json() == {"closed": 1, "complete": True}
    assert api.get(f"/orders/{old['id']}", token=ada["token"]).json()["order"]["closed_out"]
    assert (
        api.get(f"/orders/{new['id']}", token=bob["token"]).json()["order"]["status"] == "pending"
    )


def test_a_cut_in_the_future_means_now(
    api: LocalApi, ada: dict[str, str], drink_id: str, clean_database: str
) -> None:
    from chalicelib import wiring
    from chalicelib.service import OrdersService

    # Given an order placed a minute after the moment the close-out starts
    placed = order(api, ada, drink_id).json()["order"]
    started = datetime.fromisoformat(placed["created_at"]) - timedelta(minutes=1)
    service = wiring.orders()
    at_start = OrdersService(
        service.db, service.repo, wiring.publisher(), max_active=3, clock=lambda: started
    )
    # When the bartender's clock, a day ahead, asks to close out everything before tomorrow
    result = at_start.close_out(started + timedelta(days=1))
    # Then only what existed when it started is closed: nothing here
    assert result.closed == 0
    assert api.get(f"/orders/{placed['id']}", token=ada["token"]).json()["order"]["status"] == (
        "pending"
    )


def test_more_orders_than_a_batch_close_in_several_transactions(
    api: LocalApi, party: list[Any], realtime: RealtimeCapture, clean_database: str
) -> None:
    from chalicelib import wiring
    from chalicelib.service import OrdersService

    # Given batches of two orders (200 in production)
    service = wiring.orders()
    small = OrdersService(
        service.db, service.repo, wiring.publisher(), max_active=3, close_out_batch=2
    )
    transactions = []
    write = small.write
    small.write = lambda work, **kw: transactions.append(kw["name"]) or write(work, **kw)  # type: ignore[method-assign]
    realtime.sent.clear()
    # When the night is closed out
    result = small.close_out()
    # Then four transactions of at most two orders each did it, every order announced once
    assert (result.closed, result.complete) == (7, True)
    assert transactions == ["close-out"] * 4
    changed = [e["data"]["order"]["id"] for e in status_changes(realtime)]
    assert sorted(changed) == sorted(o["id"] for o in party)
    with psycopg.connect(clean_database) as conn:
        pending = conn.execute("SELECT count(*) FROM orders.outbox WHERE published_at IS NULL")
        assert pending.fetchone() == (0,)


def test_a_close_out_out_of_time_stops_between_batches_and_the_next_one_goes_on(
    api: LocalApi, party: list[Any]
) -> None:
    from chalicelib import wiring
    from chalicelib.service import OrdersService

    service = wiring.orders()
    small = OrdersService(
        service.db, service.repo, wiring.publisher(), max_active=3, close_out_batch=3
    )
    first = small.close_out(budget_seconds=0)
    assert (first.closed, first.complete) == (3, False)
    rest = small.close_out(budget_seconds=0)
    assert (rest.closed, rest.complete) == (3, False)
    last = small.close_out(budget_seconds=0)
    assert (last.closed, last.complete) == (1, True)


def test_the_schedule_closes_out_only_stale_orders(
    api: LocalApi,
    ada: dict[str, str],
    bob: dict[str, str],
    drink_id: str,
    admin_token: str,
    clean_database: str,
) -> None:
    from app import close_out_stale

    stale = order(api, ada, drink_id).json()["order"]
    backdate(clean_database, stale["id"], hours=13)
    tonight = order(api, bob, drink_id).json()["order"]
    close_out_stale(SCHEDULED_EVENT, None)
    assert api.get(f"/orders/{stale['id']}", token=ada["token"]).json()["order"]["status"] == (
        "cancelled"
    )
    live = api.get("/admin/orders", token=admin_token).json()["orders"]
    assert [o["id"] for o in live] == [tonight["id"]]


SCHEDULED_EVENT = {
    "version": "0",
    "id": "5b1d7f4e-0000-4000-8000-000000000000",
    "detail-type": "Scheduled Event",
    "source": "aws.events",
    "account": "000000000000",
    "time": "2026-12-31T21:00:00Z",
    "region": "eu-west-1",
    "resources": ["arn:aws:events:eu-west-1:000000000000:rule/close-out-stale"],
    "detail": {},
}
