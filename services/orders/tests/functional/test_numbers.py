"""Short order numbers for the night (issue 16, ADR 0029)."""

from __future__ import annotations

from datetime import datetime, timedelta

import psycopg
from barkeep.local import LocalApi

from tests.conftest import add_drink, backdate, order


def _set_counter(url: str, last: int) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO orders.order_numbers (counter, last_number) VALUES ('night', %s)"
            " ON CONFLICT (counter) DO UPDATE SET last_number = EXCLUDED.last_number",
            (last,),
        )


def test_orders_count_up_from_one(
    api: LocalApi, ada: dict[str, str], bob: dict[str, str], drink_id: str
) -> None:
    numbers = [order(api, g, drink_id).json()["order"]["number"] for g in (ada, bob, ada)]
    assert numbers == [1, 2, 3]
    mine = api.get("/orders", token=ada["token"]).json()["orders"]
    assert [o["number"] for o in mine] == [3, 1]


def test_a_refused_order_takes_no_number(
    api: LocalApi, ada: dict[str, str], bob: dict[str, str], clean_database: str, drink_id: str
) -> None:
    gone = add_drink(clean_database, "Gone", active=False)
    assert order(api, ada, gone).status == 404
    assert order(api, bob, drink_id).json()["order"]["number"] == 1


def test_an_idempotent_replay_keeps_the_number(
    api: LocalApi, ada: dict[str, str], drink_id: str
) -> None:
    first = order(api, ada, drink_id, idempotency_key="k").json()["order"]
    again = order(api, ada, drink_id, idempotency_key="k").json()["order"]
    assert first["number"] == again["number"] == 1


def test_after_999_comes_1(
    api: LocalApi, ada: dict[str, str], bob: dict[str, str], clean_database: str, drink_id: str
) -> None:
    _set_counter(clean_database, 998)
    assert order(api, ada, drink_id).json()["order"]["number"] == 999
    assert order(api, bob, drink_id).json()["order"]["number"] == 1


def test_the_close_out_starts_the_next_night_at_one(
    api: LocalApi, ada: dict[str, str], bob: dict[str, str], drink_id: str, admin_token: str
) -> None:
    order(api, ada, drink_id)
    order(api, bob, drink_id)
    assert api.post("/admin/orders/close-out", token=admin_token).json()["complete"] is True
    assert order(api, ada, drink_id).json()["order"]["number"] == 1


def test_the_stale_sweep_does_not_restart_tonights_numbers(
    api: LocalApi, ada: dict[str, str], bob: dict[str, str], drink_id: str, clean_database: str
) -> None:
    from chalicelib.wiring import orders

    # Given last night's leftover and tonight's open order
    old = order(api, ada, drink_id).json()["order"]
    backdate(clean_database, old["id"], 13)
    order(api, bob, drink_id)
    # When the schedule closes out the leftover
    assert orders().close_out_stale().closed == 1
    # Then tonight's numbers go on
    assert order(api, ada, drink_id).json()["order"]["number"] == 3


def test_a_close_out_that_leaves_orders_open_keeps_counting(
    api: LocalApi, ada: dict[str, str], bob: dict[str, str], drink_id: str, clean_database: str
) -> None:
    from chalicelib.wiring import orders

    # Given an old order and one placed after the cut
    old = order(api, ada, drink_id).json()["order"]
    backdate(clean_database, old["id"], 2)
    order(api, bob, drink_id)
    # When the bartender closes out only what came before the cut
    result = orders().close_out(datetime.fromisoformat(old["created_at"]) - timedelta(hours=1))
    assert result.closed == 1 and result.complete
    # Then Bob's #2 is still open, so nobody else may get #1 or #2 again
    assert order(api, ada, drink_id).json()["order"]["number"] == 3


def test_orders_from_before_numbers_have_none(
    api: LocalApi, ada: dict[str, str], drink_id: str, clean_database: str
) -> None:
    placed = order(api, ada, drink_id).json()["order"]
    with psycopg.connect(clean_database, autocommit=True) as conn:
        conn.execute(
            "UPDATE orders.orders SET number = NULL, started_at = NULL WHERE id = %s",
            (placed["id"],),
        )
    again = api.get(f"/orders/{placed['id']}", token=ada["token"]).json()["order"]
    assert (again["number"], again["started_at"]) == (None, None)
