"""Taking a step back: "not ready" and "undo serve" (issue 16, ADR 0029)."""

from __future__ import annotations

from typing import Any

import psycopg
from barkeep.local import LocalApi
from barkeep.testing.realtime import RealtimeCapture

from tests.conftest import active_count, order


def _move(api: LocalApi, token: str, order_id: str, status: str) -> Any:
    return api.patch(f"/admin/orders/{order_id}", token=token, json_body={"status": status})


def _to(api: LocalApi, token: str, order_id: str, *statuses: str) -> dict[str, Any]:
    moved: dict[str, Any] = {}
    for status in statuses:
        response = _move(api, token, order_id, status)
        assert response.status == 200, response.body
        moved = response.json()["order"]
    return moved


def _served_seconds_ago(url: str, order_id: str, seconds: int) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "UPDATE orders.orders SET completed_at = now() - make_interval(secs => %s)"
            " WHERE id = %s",
            (seconds, order_id),
        )


def test_not_ready_takes_a_ready_order_back_to_preparing(
    api: LocalApi, ada: dict[str, str], drink_id: str, admin_token: str
) -> None:
    # Given a ready order
    placed = order(api, ada, drink_id).json()["order"]
    ready = _to(api, admin_token, placed["id"], "preparing", "ready")
    assert ready["ready_at"] is not None and ready["started_at"] is not None
    # When the bartender takes it back
    back = _to(api, admin_token, placed["id"], "preparing")
    # Then it is being made again, no longer ready, restarted now, and keeps its number
    assert back["status"] == "preparing" and back["ready_at"] is None
    assert back["started_at"] > ready["started_at"]
    assert back["number"] == placed["number"]
    assert api.get(f"/orders/{placed['id']}", token=ada["token"]).json()["order"] == back


def test_undo_serve_within_the_window_reopens_the_order_and_tells_the_guest(
    api: LocalApi,
    ada: dict[str, str],
    drink_id: str,
    admin_token: str,
    clean_database: str,
    realtime: RealtimeCapture,
) -> None:
    # Given a served order: the guest's slot was freed
    placed = order(api, ada, drink_id).json()["order"]
    served = _to(api, admin_token, placed["id"], "preparing", "ready", "served")
    assert active_count(clean_database, ada["user_key"]) == 0
    # When the bartender undoes the serve
    back = _to(api, admin_token, placed["id"], "ready")
    # Then it is ready again, not completed, still ready since the first time
    assert back["status"] == "ready" and back["completed_at"] is None
    assert back["ready_at"] == served["ready_at"]
    # and it counts among the guest's open orders again
    assert active_count(clean_database, ada["user_key"]) == 1
    # and the guest hears it as a normal status change
    last = realtime.on(f"/orders/{ada['user_key']}")[-1]
    assert last["type"] == "ORDER_STATUS_CHANGED"
    assert last["data"] == {"order": back, "previous_status": "served"}
    # and serving it again frees the slot again
    _to(api, admin_token, placed["id"], "served")
    assert active_count(clean_database, ada["user_key"]) == 0


def test_undo_serve_after_the_window_is_refused(
    api: LocalApi, ada: dict[str, str], drink_id: str, admin_token: str, clean_database: str
) -> None:
    placed = order(api, ada, drink_id).json()["order"]
    _to(api, admin_token, placed["id"], "preparing", "ready", "served")
    _served_seconds_ago(clean_database, placed["id"], 301)
    response = _move(api, admin_token, placed["id"], "ready")
    assert response.status == 409
    assert response.json()["error"]["code"] == "recall_window_closed"
    assert api.get(f"/orders/{placed['id']}", token=ada["token"]).json()["order"]["status"] == (
        "served"
    )


def test_the_window_comes_from_the_settings(
    api: LocalApi,
    ada: dict[str, str],
    drink_id: str,
    admin_token: str,
    clean_database: str,
    monkeypatch: Any,
) -> None:
    from chalicelib import wiring

    monkeypatch.setenv("RECALL_WINDOW_SECONDS", "900")
    wiring.reset()
    placed = order(api, ada, drink_id).json()["order"]
    _to(api, admin_token, placed["id"], "preparing", "ready", "served")
    _served_seconds_ago(clean_database, placed["id"], 600)
    assert _move(api, admin_token, placed["id"], "ready").status == 200


def test_a_closed_out_order_is_never_recalled(
    api: LocalApi, ada: dict[str, str], drink_id: str, admin_token: str
) -> None:
    # Given a ready order the close-out served
    placed = order(api, ada, drink_id).json()["order"]
    _to(api, admin_token, placed["id"], "preparing", "ready")
    assert api.post("/admin/orders/close-out", token=admin_token).status == 200
    # Then even at once it cannot be recalled
    response = _move(api, admin_token, placed["id"], "ready")
    assert response.status == 409
    assert response.json()["error"]["code"] == "recall_window_closed"


def test_other_steps_back_are_still_invalid(
    api: LocalApi, ada: dict[str, str], drink_id: str, admin_token: str
) -> None:
    placed = order(api, ada, drink_id).json()["order"]
    _to(api, admin_token, placed["id"], "preparing")
    assert _move(api, admin_token, placed["id"], "pending").json()["error"]["code"] == (
        "invalid_transition"
    )
    _to(api, admin_token, placed["id"], "ready", "served")
    response = _move(api, admin_token, placed["id"], "preparing")
    assert response.status == 409 and response.json()["error"]["code"] == "invalid_transition"
