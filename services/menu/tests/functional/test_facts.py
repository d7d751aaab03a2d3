"""Every drink's facts, derived from its ingredients, stored, filterable (issue 17, ADR 0032)."""

from __future__ import annotations

import json
from typing import Any

import psycopg
import pytest
from barkeep.local import LocalApi

from tests.conftest import drink_body, refused_fields

SOUR = [
    {"name": "Gin", "amount": 5, "unit": "cl"},
    {"name": "Lemon juice", "amount": 2.5, "unit": "cl"},
    {"name": "Egg white", "amount": 1, "unit": "piece"},
]
NOJITO = [{"name": "Lime juice", "amount": 2, "unit": "cl"}, {"name": "Soda water"}]
ALMOND = [{"name": "Lime juice"}, {"name": "Orgeat syrup"}, {"name": "Soda water"}]


def _add(api: LocalApi, token: str, section: dict[str, Any], name: str, ingredients: Any) -> Any:
    response = api.post(
        "/admin/drinks",
        token=token,
        json_body=drink_body(section["id"], name=name, ingredients=ingredients),
    )
    assert response.status == 201, response.body
    return response.json()["drink"]


def _stored(url: str, drink_id: str) -> tuple[Any, Any]:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT facts, facts_version FROM menu.drinks WHERE id = %s", (drink_id,)
        ).fetchone()
    assert row is not None
    return (json.loads(row[0]) if row[0] is not None else None), row[1]


@pytest.fixture
def three(api: LocalApi, admin_token: str, section: dict[str, Any]) -> dict[str, Any]:
    return {
        "sour": _add(api, admin_token, section, "Gin Sour", SOUR),
        "nojito": _add(api, admin_token, section, "Nojito", NOJITO),
        "almond": _add(api, admin_token, section, "Almond Fizz", ALMOND),
    }


def test_facts_are_derived_stored_and_served_everywhere(
    api: LocalApi, admin_token: str, clean_database: str, three: dict[str, Any]
) -> None:
    sour = three["sour"]
    assert sour["facts"] == {
        "contains": ["alcohol", "animal", "egg", "spirit:gin"],
        "unknown_ingredients": [],
        "suitable_for": [
            "caffeine-free",
            "dairy-free",
            "gluten-free",
            "nut-free",
            "vegetarian",
        ],
    }
    from chalicelib.vocabulary import VERSION

    assert _stored(clean_database, sour["id"]) == (sour["facts"], VERSION)
    public = {d["id"]: d for d in api.get("/drinks").json()["drinks"]}
    assert public[sour["id"]]["facts"] == sour["facts"]
    assert api.get(f"/drinks/{sour['id']}").json()["drink"]["facts"] == sour["facts"]
    admin = {d["id"]: d for d in api.get("/admin/drinks", token=admin_token).json()["drinks"]}
    assert admin == public


def test_an_edit_of_the_ingredients_derives_the_facts_again(
    api: LocalApi, admin_token: str, clean_database: str, three: dict[str, Any]
) -> None:
    nojito = three["nojito"]
    assert "vegan" in nojito["facts"]["suitable_for"]
    patched = api.patch(
        f"/admin/drinks/{nojito['id']}",
        token=admin_token,
        json_body={"ingredients": [*NOJITO, {"name": "Grandma's cordial"}]},
    ).json()["drink"]
    assert patched["facts"]["unknown_ingredients"] == ["Grandma's cordial"]
    assert patched["facts"]["suitable_for"] == []
    assert _stored(clean_database, nojito["id"])[0] == patched["facts"]
    public = api.get(f"/drinks/{nojito['id']}").json()["drink"]
    assert public["facts"] == patched["facts"]
    vegan = {d["name"] for d in api.get("/drinks?suitable_for=vegan").json()["drinks"]}
    assert vegan == {"Almond Fizz"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"Almond Fizz", "Gin Sour", "Nojito"}),
        ("suitable_for=vegan", {"Almond Fizz", "Nojito"}),
        ("suitable_for=vegan&suitable_for=nut-free", {"Nojito"}),
        ("suitable_for=vegan,nut-free", {"Nojito"}),
        ("suitable_for=Vegan, nut-free", {"Nojito"}),
        ("suitable_for=alcohol-free", {"Almond Fizz", "Nojito"}),
        ("suitable_for=egg-free&suitable_for=alcohol-free&suitable_for=nut-free", {"Nojito"}),
        ("suitable_for=vegetarian&q=gin", {"Gin Sour"}),
        ("suitable_for=", {"Almond Fizz", "Gin Sour", "Nojito"}),
    ],
)
def test_guests_filter_by_what_every_drink_must_suit(
    api: LocalApi, three: dict[str, Any], query: str, expected: set[str]
) -> None:
    response = api.get(f"/drinks?{query}")
    assert response.status == 200, response.body
    assert {d["name"] for d in response.json()["drinks"]} == expected


@pytest.mark.parametrize(
    "query",
    ["suitable_for=keto", "suitable_for=vegan,keto", "suitable_for=vegan&suitable_for=halal"],
)
def test_an_unknown_diet_is_a_validation_error(api: LocalApi, query: str) -> None:
    fields = refused_fields(api.get(f"/drinks?{query}"))
    assert any(key.startswith("suitable_for") for key in fields)


def test_a_drink_from_before_the_column_suits_nothing_until_refreshed(
    api: LocalApi,
    admin_token: str,
    clean_database: str,
    three: dict[str, Any],
    local_aws: Any,
) -> None:
    from chalicelib.vocabulary import VERSION
    from chalicelib.wiring import menu

    # Given drinks written before the facts existed (NULL), and one of an older vocabulary
    sour, nojito = three["sour"], three["nojito"]
    with psycopg.connect(clean_database, autocommit=True) as conn:
        conn.execute(
            "UPDATE menu.drinks SET facts = NULL, facts_version = NULL WHERE id = ANY(%s)",
            ([sour["id"], nojito["id"]],),
        )
        conn.execute(
            "UPDATE menu.drinks SET facts_version = %s WHERE id = %s",
            (VERSION - 1, three["almond"]["id"]),
        )
    local_aws.drain_tap(wait_seconds=1)
    # Then the public menu shows them with every ingredient unknown, suitable for nothing
    public = {d["id"]: d for d in api.get("/drinks").json()["drinks"]}
    assert public[sour["id"]]["facts"] == {
        "contains": [],
        "unknown_ingredients": ["Gin", "Lemon juice", "Egg white"],
        "suitable_for": [],
    }
    assert {d["name"] for d in api.get("/drinks?suitable_for=vegan").json()["drinks"]} == {
        "Almond Fizz"
    }
    # When the facts are refreshed
    changed = menu().refresh_facts(batch=1)  # batches: every stale row, one at a time
    # Then every row holds its facts of this vocabulary, and the public menu shows them
    assert changed == 2  # the older-version row's facts were the same: no news
    for drink in three.values():
        assert _stored(clean_database, drink["id"]) == (drink["facts"], VERSION)
    public = {d["id"]: d for d in api.get("/drinks").json()["drinks"]}
    assert public[sour["id"]]["facts"] == sour["facts"]
    assert {d["name"] for d in api.get("/drinks?suitable_for=vegan").json()["drinks"]} == {
        "Almond Fizz",
        "Nojito",
    }
    # And the drinks whose facts changed were announced with them, like any edit
    events = local_aws.drain_tap(wait_seconds=1) + local_aws.drain_tap()
    updated = {e["detail"]["data"]["id"]: e["detail"]["data"] for e in events}
    assert {e["detail-type"] for e in events} == {"DrinkUpdated"}
    assert set(updated) == {sour["id"], nojito["id"]}
    assert updated[sour["id"]]["facts"] == sour["facts"]
    # And a second refresh finds nothing to do
    assert menu().refresh_facts() == 0


def test_drink_events_carry_the_facts(
    api: LocalApi, admin_token: str, section: dict[str, Any], local_aws: Any
) -> None:
    drink = _add(api, admin_token, section, "Gin Sour", SOUR)
    api.patch(f"/admin/drinks/{drink['id']}", token=admin_token, json_body={"ingredients": NOJITO})
    events = local_aws.drain_tap(wait_seconds=1) + local_aws.drain_tap()
    data = {e["detail-type"]: e["detail"]["data"] for e in events}
    assert data["DrinkCreated"]["facts"] == drink["facts"]
    assert data["DrinkUpdated"]["facts"]["contains"] == []
    assert "vegan" in data["DrinkUpdated"]["facts"]["suitable_for"]


def test_the_vocabulary_is_public_and_cacheable(api: LocalApi) -> None:
    response = api.get("/ingredients")
    assert response.status == 200
    assert "ETag" in response.headers and "public" in response.headers["Cache-Control"]
    ingredients = response.json()["ingredients"]
    assert len(ingredients) >= 120
    assert {"name": "orgeat syrup", "contains": ["nuts", "sugar"]} in ingredients
    assert {"name": "ice", "contains": []} in ingredients
    again = api.get("/ingredients", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status == 304


def test_the_seed_menu_is_all_known(api: LocalApi) -> None:
    from chalicelib.seed import load_seed
    from chalicelib.wiring import menu

    load_seed(menu())
    drinks = api.get("/drinks").json()["drinks"]
    assert drinks
    assert [d["name"] for d in drinks if d["facts"]["unknown_ingredients"]] == []
    assert all(d["facts"]["suitable_for"] for d in drinks)
    vegan = api.get("/drinks?suitable_for=vegan,alcohol-free").json()["drinks"]
    assert vegan and all("alcohol" not in d["facts"]["contains"] for d in vegan)
