"""A sold-out drink stays on the menu, marked (issue 16, ADR 0029)."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from barkeep.local import LocalApi

from tests.conftest import drink_body, refused_fields


def test_a_new_drink_is_not_sold_out(drink: dict[str, Any]) -> None:
    assert drink["sold_out"] is False


def test_sold_out_stays_on_the_public_menu_marked(
    api: LocalApi, admin_token: str, drink: dict[str, Any]
) -> None:
    # When the bartender marks the drink sold out
    response = api.patch(
        f"/admin/drinks/{drink['id']}", token=admin_token, json_body={"sold_out": True}
    )
    assert response.status == 200, response.body
    assert response.json()["drink"]["sold_out"] is True
    assert response.json()["drink"]["is_active"] is True
    # Then guests still see it, marked, in the list and alone
    listed = api.get("/drinks").json()["drinks"]
    assert [(d["id"], d["sold_out"]) for d in listed] == [(drink["id"], True)]
    assert api.get(f"/drinks/{drink['id']}").json()["drink"]["sold_out"] is True
    # And back in stock it is orderable again
    back = api.patch(
        f"/admin/drinks/{drink['id']}", token=admin_token, json_body={"sold_out": False}
    ).json()["drink"]
    assert back["sold_out"] is False
    assert api.get("/drinks").json()["drinks"][0]["sold_out"] is False


def test_a_drink_can_be_created_sold_out(
    api: LocalApi, admin_token: str, section: dict[str, Any]
) -> None:
    response = api.post(
        "/admin/drinks", token=admin_token, json_body=drink_body(section["id"], sold_out=True)
    )
    assert response.status == 201, response.body
    assert response.json()["drink"]["sold_out"] is True
    assert api.get("/drinks").json()["drinks"][0]["sold_out"] is True


@pytest.mark.parametrize("value", [None, "yes", 1, [], {}])
def test_sold_out_must_be_a_boolean(
    api: LocalApi, admin_token: str, drink: dict[str, Any], value: Any
) -> None:
    response = api.patch(
        f"/admin/drinks/{drink['id']}", token=admin_token, json_body={"sold_out": value}
    )
    assert response.status == 400, response.body


@pytest.mark.parametrize("value", ["yes", 1, None])
def test_creating_with_a_bad_sold_out_is_400(
    api: LocalApi, admin_token: str, section: dict[str, Any], value: Any
) -> None:
    response = api.post(
        "/admin/drinks", token=admin_token, json_body=drink_body(section["id"], sold_out=value)
    )
    assert "sold_out" in refused_fields(response)


def test_a_drink_from_before_the_column_reads_as_in_stock(
    api: LocalApi, clean_database: str, drink: dict[str, Any]
) -> None:
    # Given a row written before sold_out existed (the column is NULL)
    with psycopg.connect(clean_database, autocommit=True) as conn:
        conn.execute("UPDATE menu.drinks SET sold_out = NULL WHERE id = %s", (drink["id"],))
    # Then every read says it is not sold out
    assert api.get("/drinks").json()["drinks"][0]["sold_out"] is False
    assert api.get(f"/drinks/{drink['id']}").json()["drink"]["sold_out"] is False
