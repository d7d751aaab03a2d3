"""A sold-out drink is refused, through menu's drink_stock view (issue 16, ADR 0029)."""

from __future__ import annotations

import psycopg
from barkeep.local import LocalApi

from tests.conftest import order


def _sold_out(url: str, drink_id: str, sold_out: bool | None) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE menu.drinks SET sold_out = %s WHERE id = %s", (sold_out, drink_id))


def test_a_sold_out_drink_is_refused_and_takes_no_slot(
    api: LocalApi, ada: dict[str, str], drink_id: str, clean_database: str
) -> None:
    _sold_out(clean_database, drink_id, True)
    response = order(api, ada, drink_id)
    assert response.status == 409
    error = response.json()["error"]
    assert error["code"] == "sold_out" and "Daiquiri" in error["message"]
    # back in stock, the guest orders as usual: nothing was held for the refusal
    _sold_out(clean_database, drink_id, False)
    placed = order(api, ada, drink_id)
    assert placed.status == 201 and placed.json()["order"]["number"] == 1


def test_a_drink_from_before_sold_out_existed_is_orderable(
    api: LocalApi, ada: dict[str, str], drink_id: str, clean_database: str
) -> None:
    _sold_out(clean_database, drink_id, None)
    assert order(api, ada, drink_id).status == 201


def test_an_inactive_drink_is_still_not_found_first(
    api: LocalApi, ada: dict[str, str], drink_id: str, clean_database: str
) -> None:
    _sold_out(clean_database, drink_id, True)
    with psycopg.connect(clean_database, autocommit=True) as conn:
        conn.execute("UPDATE menu.drinks SET is_active = false WHERE id = %s", (drink_id,))
    assert order(api, ada, drink_id).status == 404
