"""The paged lists over HTTP: `limit`, `cursor`, `next_cursor`, and the live queue's age."""

from __future__ import annotations

import uuid
from typing import Any

from barkeep.local import LocalApi
from barkeep.testing import GuestTokens

from tests.conftest import backdate, order


def guests(guest_tokens: GuestTokens, n: int) -> list[dict[str, str]]:
    out = []
    for i in range(n):
        user_key = str(uuid.uuid4())
        out.append({"user_key": user_key, "token": guest_tokens.token(user_key, f"Guest {i}")})
    return out


def follow(api: LocalApi, path: str, token: str) -> list[list[dict[str, Any]]]:
    """Every page of a list over HTTP, as a client does: `cursor` = the last `next_cursor`."""
    pages = []
    body = api.get(path, token=token).json()
    while True:
        pages.append(body["orders"])
        if body["next_cursor"] is None:
            return pages
        sep = "&" if "?" in path else "?"
        response = api.get(f"{path}{sep}cursor={body['next_cursor']}", token=token)
        assert response.status == 200
        body = response.json()


def test_the_queue_comes_a_page_at_a_time_until_next_cursor_is_null(
    api: LocalApi, guest_tokens: GuestTokens, drink_id: str, admin_token: str
) -> None:
    placed = [order(api, g, drink_id).json()["order"] for g in guests(guest_tokens, 5)]
    pages = follow(api, "/admin/orders?limit=2", admin_token)
    assert [len(p) for p in pages] == [2, 2, 1]
    assert [o["id"] for p in pages for o in p] == [o["id"] for o in placed]  # oldest first
    whole = api.get("/admin/orders", token=admin_token).json()
    assert len(whole["orders"]) == 5 and whole["next_cursor"] is None


def test_the_status_filter_pages_too(
    api: LocalApi, guest_tokens: GuestTokens, drink_id: str, admin_token: str
) -> None:
    placed = [order(api, g, drink_id).json()["order"] for g in guests(guest_tokens, 4)]
    for o in placed[1:]:
        api.patch(f"/admin/orders/{o['id']}", token=admin_token, json_body={"status": "preparing"})
    pages = follow(api, "/admin/orders?status=preparing&limit=2", admin_token)
    assert [[o["status"] for o in p] for p in pages] == [["preparing"] * 2, ["preparing"]]


def test_a_guest_pages_through_their_own_orders_newest_first(
    api: LocalApi, ada: dict[str, str], drink_id: str, admin_token: str
) -> None:
    placed = []
    for _ in range(5):
        placed.append(order(api, ada, drink_id).json()["order"])
        api.post(f"/orders/{placed[-1]['id']}/cancel", token=ada["token"])
    pages = follow(api, "/orders?limit=2", ada["token"])
    assert [len(p) for p in pages] == [2, 2, 1]
    assert [o["id"] for p in pages for o in p] == [o["id"] for o in reversed(placed)]
    assert api.get("/orders", token=ada["token"]).json()["next_cursor"] is None  # 50 a page


def test_last_nights_open_orders_leave_the_live_queue(
    api: LocalApi,
    ada: dict[str, str],
    bob: dict[str, str],
    drink_id: str,
    admin_token: str,
    clean_database: str,
) -> None:
    # Given an order nobody closed 13 hours ago (the default maximum age is 12) and one now
    stale = order(api, ada, drink_id).json()["order"]
    backdate(clean_database, stale["id"], hours=13)
    tonight = order(api, bob, drink_id).json()["order"]
    # Then the live queue shows tonight's only; asking for the status still finds the old one
    live = api.get("/admin/orders", token=admin_token).json()["orders"]
    assert [o["id"] for o in live] == [tonight["id"]]
    pending = api.get("/admin/orders?status=pending", token=admin_token).json()["orders"]
    assert {o["id"] for o in pending} == {stale["id"], tonight["id"]}
