"""The issue's concurrency tests on the real database."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from barkeep.local import LocalApi
from barkeep.testing import GuestTokens

from tests.conftest import active_count, many_guests, order


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
    guests = many_guests(guest_tokens, 30)
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


def test_guests_ordering_at_once_get_distinct_numbers(
    api: LocalApi, guest_tokens: GuestTokens, drink_id: str
) -> None:
    # Every placement writes the one counter row: the conflicts are retried with the next
    # number, so no two orders share one and none is skipped.
    guests = many_guests(guest_tokens, 24)
    with ThreadPoolExecutor(max_workers=24) as pool:
        responses = list(pool.map(lambda g: order(api, g, drink_id), guests))
    assert [r.status for r in responses] == [201] * 24
    assert sorted(r.json()["order"]["number"] for r in responses) == list(range(1, 25))


def _race(api: LocalApi, token: str, order_id: str, targets: list[str]) -> list[Any]:
    path = f"/admin/orders/{order_id}"
    with ThreadPoolExecutor(max_workers=len(targets)) as pool:
        return list(
            pool.map(lambda t: api.patch(path, token=token, json_body={"status": t}), targets)
        )


def test_a_recall_racing_a_serve_leaves_one_winner(
    api: LocalApi, ada: dict[str, str], drink_id: str, admin_token: str, clean_database: str
) -> None:
    for _ in range(5):
        # Given a ready order; one bartender serves it while another takes it back
        placed = order(api, ada, drink_id).json()["order"]
        path = f"/admin/orders/{placed['id']}"
        for status in ("preparing", "ready"):
            api.patch(path, token=admin_token, json_body={"status": status})
        responses = _race(api, admin_token, placed["id"], ["served", "preparing"])
        # Then exactly one wins, the other is told the order moved on
        assert sorted(r.status for r in responses) == [200, 409], [r.body for r in responses]
        winner = next(r for r in responses if r.status == 200).json()["order"]
        loser = next(r for r in responses if r.status == 409).json()["error"]
        assert loser["code"] == "invalid_transition"
        final = api.get(f"/orders/{placed['id']}", token=ada["token"]).json()["order"]
        assert final["status"] == winner["status"]
        # and the guest's open count matches what is open
        assert active_count(clean_database, ada["user_key"]) == (final["status"] != "served")
        if final["status"] != "served":
            api.patch(path, token=admin_token, json_body={"status": "cancelled"})


def test_three_undo_serves_at_once_count_the_guest_once(
    api: LocalApi, ada: dict[str, str], drink_id: str, admin_token: str, clean_database: str
) -> None:
    # Given a served order
    placed = order(api, ada, drink_id).json()["order"]
    path = f"/admin/orders/{placed['id']}"
    for status in ("preparing", "ready", "served"):
        api.patch(path, token=admin_token, json_body={"status": status})
    # When three bartenders undo the serve at once
    responses = _race(api, admin_token, placed["id"], ["ready"] * 3)
    # Then one recall happens, and the guest's open order is counted once
    assert sorted(r.status for r in responses) == [200, 409, 409]
    assert active_count(clean_database, ada["user_key"]) == 1


def test_two_bartenders_changing_the_bar_at_once_lose_neither_change(
    api: LocalApi, admin_token: str
) -> None:
    # Each change is read-modify-write of the one row: the loser of a conflict is retried on
    # top of the winner's change, so neither is overwritten by the other's stale copy.
    patches = [{"message": "Two minutes"}, {"wait_warn_seconds": 120}, {"ordering": "last_call"}]
    for _ in range(3):
        with ThreadPoolExecutor(max_workers=3) as pool:
            responses = list(
                pool.map(lambda b: api.patch("/admin/bar", token=admin_token, json_body=b), patches)
            )
        assert [r.status for r in responses] == [200] * 3
        bar = api.get("/bar").json()["bar"]
        assert (bar["message"], bar["wait_warn_seconds"], bar["ordering"]) == (
            "Two minutes",
            120,
            "last_call",
        )
        api.patch(
            "/admin/bar",
            token=admin_token,
            json_body={"message": "", "wait_warn_seconds": 300, "ordering": "open"},
        )


def test_two_overlapping_batches_move_each_order_once(
    api: LocalApi, guest_tokens: GuestTokens, drink_id: str, admin_token: str, realtime: Any
) -> None:
    # Given six pending orders; two bartenders start overlapping halves at once
    ids = [order(api, g, drink_id).json()["order"]["id"] for g in many_guests(guest_tokens, 6)]
    batches = [ids[:4], ids[2:]]
    with ThreadPoolExecutor(max_workers=2) as pool:
        bodies = list(
            pool.map(
                lambda b: api.post(
                    "/admin/orders/batch",
                    token=admin_token,
                    json_body={"order_ids": b, "status": "preparing"},
                ).json(),
                batches,
            )
        )
    # Then every order moved exactly once, and the shared ones failed for one of them
    moved = [o["id"] for body in bodies for o in body["orders"]]
    assert sorted(moved) == sorted(ids)
    failed = [f for body in bodies for f in body["failed"]]
    assert sorted(f["id"] for f in failed) == sorted(ids[2:4])
    assert {f["error"]["code"] for f in failed} == {"invalid_transition"}
    changes = [
        e["data"]["order"]["id"]
        for e in realtime.on("/admin/orders")
        if e["type"] == "ORDER_STATUS_CHANGED"
    ]
    assert sorted(changes) == sorted(ids)  # one notification per move
