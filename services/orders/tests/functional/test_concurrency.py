"""The issue's concurrency tests on the real database."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from barkeep.local import LocalApi
from barkeep.testing import GuestTokens

from tests.conftest import order


def test_three_bartenders_advance_one_order_at_once(
    api: LocalApi, ada: dict[str, str], drink_id: str, admin_token: str
) -> None:
    placed = order(api, ada, drink_id).json()["order"]
    path = f"/admin/orders/{placed['id']}"
    for target in ("preparing", "ready", "served"):
        with ThreadPoolExecutor(max_workers=3) as pool:
            responses = list(
                pool.map(
                    lambda body: api.patch(path, token=admin_token, json_body=body),
                    [{"status": target}] * 3,
                )
            )
        statuses = sorted(r.status for r in responses)
        assert statuses == [200, 409, 409], statuses  # one wins, the others see it's done
    final = api.get(f"/orders/{placed['id']}", token=ada["token"]).json()["order"]
    assert final["status"] == "served"


def test_thirty_guests_order_at_once(
    api: LocalApi, guest_tokens: GuestTokens, drink_id: str
) -> None:
    guests = [{"user_key": str(uuid.uuid4())} for _ in range(30)]
    for i, g in enumerate(guests):
        g["token"] = guest_tokens.token(g["user_key"], f"Guest {i}")
    with ThreadPoolExecutor(max_workers=30) as pool:
        responses = list(pool.map(lambda g: order(api, g, drink_id), guests))
    assert [r.status for r in responses] == [201] * 30
    ids = {r.json()["order"]["id"] for r in responses}
    assert len(ids) == 30


def test_one_guest_racing_past_the_limit_gets_exactly_three(
    api: LocalApi, ada: dict[str, str], drink_id: str
) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(lambda _: order(api, ada, drink_id), range(8)))
    assert sorted(r.status for r in responses) == [201] * 3 + [409] * 5


def test_a_double_tap_with_one_idempotency_key_makes_one_order(
    api: LocalApi, ada: dict[str, str], drink_id: str
) -> None:
    with ThreadPoolExecutor(max_workers=6) as pool:
        responses: list[Any] = list(
            pool.map(lambda _: order(api, ada, drink_id, idempotency_key="double-tap"), range(6))
        )
    assert sorted(r.status for r in responses) == [200] * 5 + [201]
    assert len({r.json()["order"]["id"] for r in responses}) == 1
    assert len(api.get("/orders", token=ada["token"]).json()["orders"]) == 1
