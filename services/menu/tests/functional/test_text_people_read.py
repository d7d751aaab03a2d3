"""Every word of the menu is read by guests on their phones: each field is normalised to NFC
and refuses what is invisible or turns text around (ADR 0027)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from barkeep.local import LocalApi

from tests.conftest import drink_body, refused_fields

EVIL = "\u202eevil"
NAMES = "Names can't contain invisible or direction-changing characters (U+202E)"
TEXT = "Text can't contain invisible or direction-changing characters (U+202E)"
ASA_NFD, ASA = "A\u030asa", "\u00c5sa"  # "Åsa" as combining ring, and precomposed
CASSIS_NFD, CASSIS = "Cre\u0300me de cassis", "Cr\u00e8me de cassis"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": EVIL}, "name", NAMES),
        ({"description": EVIL}, "description", TEXT),
        ({"ingredients": [{"name": EVIL}]}, "ingredients.0.name", NAMES),
        ({"recipe_steps": ["Shake.", EVIL]}, "recipe_steps.1", TEXT),
        ({"tags": [EVIL]}, "tags.0", NAMES),
    ],
)
def test_every_drink_field_refuses_a_direction_override(
    api: LocalApi,
    admin_token: str,
    section: dict[str, Any],
    overrides: dict[str, Any],
    field: str,
    message: str,
) -> None:
    body = drink_body(section["id"], **overrides)
    fields = refused_fields(api.post("/admin/drinks", token=admin_token, json_body=body))
    assert fields == {field: message}
    assert api.get("/admin/drinks", token=admin_token).json()["drinks"] == []


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"name": "Dai\u200bquiri"}, "name"),
        ({"description": "\ufeffTart"}, "description"),
        ({"ingredients": [{"name": "Rum\u2066"}]}, "ingredients.0.name"),
        ({"tags": ["sour\u00ad"]}, "tags.0"),
    ],
)
def test_a_drink_edit_refuses_invisible_characters(
    api: LocalApi, admin_token: str, drink: dict[str, Any], patch: dict[str, Any], field: str
) -> None:
    response = api.patch(f"/admin/drinks/{drink['id']}", token=admin_token, json_body=patch)
    assert field in refused_fields(response)
    assert api.get(f"/drinks/{drink['id']}").json()["drink"]["name"] == "Daiquiri"


@pytest.mark.parametrize("field", ["name", "description"])
def test_section_fields_refuse_a_direction_override(
    api: LocalApi, admin_token: str, section: dict[str, Any], field: str
) -> None:
    created = api.post("/admin/sections", token=admin_token, json_body={"name": "New", field: EVIL})
    assert field in refused_fields(created)
    patched = api.patch(
        f"/admin/sections/{section['id']}", token=admin_token, json_body={field: EVIL}
    )
    assert field in refused_fields(patched)
    assert [s["name"] for s in api.get("/sections").json()["sections"]] == ["Sours"]


def test_a_drink_typed_in_nfd_is_stored_and_served_in_nfc(
    api: LocalApi, admin_token: str, section: dict[str, Any]
) -> None:
    # When every text of a drink is typed with combining marks (NFD)
    body = drink_body(
        section["id"],
        name=f"{ASA_NFD}s  Spritz ",
        description=f"{CASSIS_NFD} for {ASA_NFD}",
        ingredients=[{"name": CASSIS_NFD, "amount": 2, "unit": "cl"}],
        recipe_steps=[f"Pour for {ASA_NFD}."],
        tags=["Fe\u0302te"],
    )
    created = api.post("/admin/drinks", token=admin_token, json_body=body)
    # Then it is kept and served in NFC, the name's inner spaces collapsed
    assert created.status == 201, created.body
    drink = api.get(f"/drinks/{created.json()['drink']['id']}").json()["drink"]
    assert drink["name"] == f"{ASA}s Spritz"
    assert drink["description"] == f"{CASSIS} for {ASA}"
    assert drink["ingredients"][0]["name"] == CASSIS
    assert drink["recipe_steps"] == [f"Pour for {ASA}."]
    assert drink["tags"] == ["f\u00eate"]
    from chalicelib.wiring import menu

    stored = menu().db.transaction(
        lambda c: c.execute("SELECT name FROM menu.drinks WHERE id = %s", (drink["id"],)).fetchone()
    )
    assert stored[0] == f"{ASA}s Spritz"


def test_a_section_typed_in_nfd_is_stored_in_nfc(api: LocalApi, admin_token: str) -> None:
    created = api.post(
        "/admin/sections",
        token=admin_token,
        json_body={"name": f"{ASA_NFD}'s picks", "description": f"Chosen by {ASA_NFD}\nTonight"},
    )
    assert created.status == 201, created.body
    [listed] = api.get("/sections").json()["sections"]
    assert listed["name"] == f"{ASA}'s picks"
    assert listed["description"] == f"Chosen by {ASA}\nTonight"


def test_the_same_name_in_nfd_is_a_duplicate(
    api: LocalApi, admin_token: str, section: dict[str, Any]
) -> None:
    # Given a drink named "Åsa" (NFC), When another is named "ÅSA" typed in NFD
    first = api.post(
        "/admin/drinks", token=admin_token, json_body=drink_body(section["id"], name=ASA)
    )
    assert first.status == 201, first.body
    second = api.post(
        "/admin/drinks", token=admin_token, json_body=drink_body(section["id"], name="A\u030aSA")
    )
    # Then it is the same name
    assert second.status == 409, second.body
    assert second.json()["error"]["code"] == "duplicate_name"


def test_a_search_typed_in_nfd_finds_the_nfc_name(
    api: LocalApi, admin_token: str, section: dict[str, Any]
) -> None:
    body = drink_body(section["id"], name=f"{ASA}s Spritz", ingredients=[{"name": CASSIS}])
    assert api.post("/admin/drinks", token=admin_token, json_body=body).status == 201
    by_text = api.get(f"/drinks?q={quote(ASA_NFD)}").json()["drinks"]
    by_ingredient = api.get(f"/drinks?ingredient={quote(CASSIS_NFD)}").json()["drinks"]
    assert [d["name"] for d in by_text] == [f"{ASA}s Spritz"]
    assert [d["name"] for d in by_ingredient] == [f"{ASA}s Spritz"]
