from __future__ import annotations

from typing import Any

import psycopg
import pytest
from barkeep.local import LocalApi

from tests.conftest import add_drink, backdate, order


def test_guest_orders_a_drink(api: LocalApi, ada: dict[str, str], drink_id: str) -> None:
    response = order(api, ada, drink_id, quantity=2, notes="  No ice  ")
    assert response.status == 201
    placed = response.json()["order"]
    assert placed["user_key"] == ada["user_key"] and placed["username"] == "Ada"
    assert (placed["drink_id"], placed["drink_name"]) == (drink_id, "Daiquiri")
    assert (placed["quantity"], placed["notes"], placed["status"]) == (2, "No ice", "pending")
    assert placed["ready_at"] is None and placed["completed_at"] is None
    assert api.get(f"/orders/{placed['id']}", token=ada["token"]).json()["order"] == placed


def test_the_order_keeps_the_drink_name_it_was_placed_with(
    api: LocalApi, ada: dict[str, str], drink_id: str, clean_database: str
) -> None:
    placed = order(api, ada, drink_id).json()["order"]
    with psycopg.connect(clean_database, autocommit=True) as conn:
        conn.execute("UPDATE menu.drinks SET name = 'Renamed' WHERE id = %s", (drink_id,))
        conn.execute("DELETE FROM menu.drinks WHERE id = %s", (drink_id,))
    again = api.get(f"/orders/{placed['id']}", token=ada["token"]).json()["order"]
    assert again["drink_name"] == "Daiquiri"


def test_only_orderable_drinks_can_be_ordered(
    api: LocalApi, ada: dict[str, str], clean_database: str
) -> None:
    off_menu = add_drink(clean_database, "Old Pal", active=False)
    for drink in (off_menu, "7d3c1f0e-0000-4000-8000-000000000000"):
        response = order(api, ada, drink)
        assert response.status == 404
        assert response.json()["error"]["code"] == "drink_not_found"


def test_guests_see_only_their_own_orders(
    api: LocalApi, ada: dict[str, str], bob: dict[str, str], drink_id: str
) -> None:
    first = order(api, ada, drink_id).json()["order"]
    second = order(api, ada, drink_id).json()["order"]
    bobs = order(api, bob, drink_id).json()["order"]
    mine = api.get("/orders", token=ada["token"]).json()["orders"]
    assert [o["id"] for o in mine] == [second["id"], first["id"]]  # newest first
    assert api.get(f"/orders/{bobs['id']}", token=ada["token"]).status == 404
    assert api.post(f"/orders/{bobs['id']}/cancel", token=ada["token"]).status == 404


def test_a_guest_cancels_only_while_pending(
    api: LocalApi, ada: dict[str, str], drink_id: str, admin_token: str
) -> None:
    first = order(api, ada, drink_id).json()["order"]
    cancelled = api.post(f"/orders/{first['id']}/cancel", token=ada["token"])
    assert cancelled.status == 200
    assert cancelled.json()["order"]["status"] == "cancelled"
    assert cancelled.json()["order"]["completed_at"] is not None
    second = order(api, ada, drink_id).json()["order"]
    api.patch(f"/admin/orders/{second['id']}", token=admin_token, json_body={"status": "preparing"})
    late = api.post(f"/orders/{second['id']}/cancel", token=ada["token"])
    assert late.status == 409
    assert late.json()["error"]["code"] == "invalid_transition"


def test_at_most_three_open_orders_per_guest(
    api: LocalApi, ada: dict[str, str], drink_id: str, admin_token: str
) -> None:
    placed = [order(api, ada, drink_id).json()["order"] for _ in range(3)]
    fourth = order(api, ada, drink_id)
    assert fourth.status == 409
    assert fourth.json()["error"]["code"] == "too_many_active_orders"
    # serving one frees a place
    for status in ("preparing", "ready", "served"):
        api.patch(
            f"/admin/orders/{placed[0]['id']}", token=admin_token, json_body={"status": status}
        )
    assert order(api, ada, drink_id).status == 201


def test_idempotency_key_returns_the_first_order(
    api: LocalApi, ada: dict[str, str], bob: dict[str, str], drink_id: str
) -> None:
    first = order(api, ada, drink_id, idempotency_key="tap-1")
    again = order(api, ada, drink_id, idempotency_key="tap-1", quantity=3)
    assert (first.status, again.status) == (201, 200)
    assert again.json()["order"] == first.json()["order"]
    assert order(api, bob, drink_id, idempotency_key="tap-1").status == 201  # per guest
    assert order(api, ada, drink_id, idempotency_key="tap-2").status == 201
    assert len(api.get("/orders", token=ada["token"]).json()["orders"]) == 2


def test_admin_works_the_queue(
    api: LocalApi, ada: dict[str, str], bob: dict[str, str], drink_id: str, admin_token: str
) -> None:
    a = order(api, ada, drink_id).json()["order"]
    b = order(api, bob, drink_id).json()["order"]
    queue = api.get("/admin/orders", token=admin_token).json()["orders"]
    assert [o["id"] for o in queue] == [a["id"], b["id"]]  # oldest first
    steps = {}
    for status in ("preparing", "ready", "served"):
        response = api.patch(
            f"/admin/orders/{a['id']}", token=admin_token, json_body={"status": status}
        )
        assert response.status == 200
        steps[status] = response.json()["order"]
    assert steps["ready"]["ready_at"] is not None and steps["ready"]["completed_at"] is None
    assert steps["served"]["completed_at"] is not None
    # served orders leave the default queue; a status filter (repeatable) brings them back
    assert [o["id"] for o in api.get("/admin/orders", token=admin_token).json()["orders"]] == [
        b["id"]
    ]
    both = api.get("/admin/orders?status=served&status=pending", token=admin_token).json()
    assert {o["id"] for o in both["orders"]} == {a["id"], b["id"]}
    later = api.get("/admin/orders?since=2999-01-01T00:00:00Z", token=admin_token).json()
    assert later["orders"] == []


@pytest.mark.parametrize(
    ("steps", "target"),
    [
        ([], "ready"),  # skipping preparing
        ([], "served"),
        (["preparing"], "preparing"),  # already there
        (["preparing"], "pending"),  # no way back
        (["preparing", "ready"], "cancelled"),  # too late to cancel
        (["preparing", "ready", "served"], "cancelled"),
        (["cancelled"], "preparing"),  # closed for good
    ],
)
def test_invalid_transitions_are_409(
    api: LocalApi,
    ada: dict[str, str],
    drink_id: str,
    admin_token: str,
    steps: list[str],
    target: str,
) -> None:
    placed = order(api, ada, drink_id).json()["order"]
    path = f"/admin/orders/{placed['id']}"
    for status in steps:
        assert api.patch(path, token=admin_token, json_body={"status": status}).status == 200
    response = api.patch(path, token=admin_token, json_body={"status": target})
    assert response.status == 409, response.body
    assert response.json()["error"]["code"] == "invalid_transition"
    assert api.get(f"/orders/{placed['id']}", token=ada["token"]).json()["order"]["status"] == (
        steps[-1] if steps else "pending"
    )


def test_stats_for_the_dashboard(
    api: LocalApi, ada: dict[str, str], bob: dict[str, str], clean_database: str, admin_token: str
) -> None:
    mojito = add_drink(clean_database, "Mojito")
    negroni = add_drink(clean_database, "Negroni")
    a = order(api, ada, mojito).json()["order"]
    order(api, bob, mojito, quantity=3)
    order(api, bob, negroni, quantity=2)
    for status in ("preparing", "ready"):
        api.patch(f"/admin/orders/{a['id']}", token=admin_token, json_body={"status": status})
    stats: dict[str, Any] = api.get("/admin/stats", token=admin_token).json()
    assert (stats["total"], stats["today"]) == (3, 3)
    assert (stats["drinks_total"], stats["drinks_today"]) == (6, 6)  # "3 x Mojito" is three
    assert stats["by_status"] == {
        "pending": 2,
        "preparing": 0,
        "ready": 1,
        "served": 0,
        "cancelled": 0,
    }
    assert [(d["drink_name"], d["count"], d["drinks"]) for d in stats["by_drink"]] == [
        ("Mojito", 2, 4),
        ("Negroni", 1, 2),
    ]
    assert stats["avg_seconds_to_ready"] is not None and stats["avg_seconds_to_ready"] >= 0
    assert sum(h["count"] for h in stats["per_hour"]) == 3
    assert len(stats["recent"]) == 3 and stats["recent"][0]["drink_name"] == "Negroni"


def test_drinks_today_leaves_out_earlier_nights(
    api: LocalApi, ada: dict[str, str], drink_id: str, clean_database: str, admin_token: str
) -> None:
    old = order(api, ada, drink_id, quantity=3).json()["order"]
    backdate(clean_database, old["id"], 25)
    order(api, ada, drink_id, quantity=2)
    stats = api.get("/admin/stats", token=admin_token).json()
    assert (stats["total"], stats["today"]) == (2, 1)
    assert (stats["drinks_total"], stats["drinks_today"]) == (5, 2)
