from __future__ import annotations

from datetime import UTC, datetime

from barkeep.text import name_key
from chalicelib.domain import Drink, Ingredient, normalise_tags

T0 = datetime(2026, 12, 31, 21, 15, tzinfo=UTC)


def _drink() -> Drink:
    return Drink(
        id="d",
        section_id="s",
        name="Daiquiri",
        created_at=T0,
        updated_at=T0,
        ingredients=(Ingredient("White rum", 6.0, "cl"),),
        tags=("sour",),
    )


def test_names_compare_case_and_space_insensitively() -> None:
    assert name_key("  Piña   Colada ") == name_key("piña colada")
    assert name_key("Straße") == name_key("STRASSE")


def test_tags_are_lowercased_and_unique_in_order() -> None:
    assert normalise_tags(["Sour", "fresh", "SOUR ", "citrus"]) == ["sour", "fresh", "citrus"]


def test_whole_amounts_serialise_as_integers() -> None:
    assert Ingredient("Rum", 6.0, "cl").to_json() == {"name": "Rum", "amount": 6, "unit": "cl"}
    assert Ingredient("Lime", 2.5, "cl").to_json()["amount"] == 2.5
    assert Ingredient("Soda", None, "top").to_json()["amount"] is None


def test_with_changes_touches_only_given_fields_and_time() -> None:
    later = datetime(2027, 1, 1, tzinfo=UTC)
    changed = _drink().with_changes({"tags": ["strong"], "is_active": False}, later)
    assert changed.tags == ("strong",) and changed.is_active is False
    assert changed.name == "Daiquiri" and changed.updated_at == later
    assert changed.created_at == T0


def test_drink_json_has_the_contract_fields() -> None:
    assert set(_drink().to_json()) == {
        "id",
        "section_id",
        "name",
        "description",
        "ingredients",
        "recipe_steps",
        "tags",
        "image_url",
        "is_active",
        "sold_out",
        "facts",
        "created_at",
        "updated_at",
    }


def test_a_drinks_facts_follow_its_ingredients() -> None:
    drink = _drink()
    assert drink.to_json()["facts"] == {
        "contains": ["alcohol", "spirit:rum"],
        "unknown_ingredients": [],
        "suitable_for": [
            "caffeine-free",
            "dairy-free",
            "egg-free",
            "gluten-free",
            "nut-free",
            "vegan",
            "vegetarian",
        ],
    }
    flip = drink.with_changes(
        {"ingredients": [Ingredient("Egg white"), Ingredient("Moonshine")]}, T0
    )
    assert flip.facts.contains == ("animal", "egg")
    assert flip.facts.unknown_ingredients == ("Moonshine",)
    assert flip.facts.suitable_for == ()
    assert _drink().to_json()["created_at"] == "2026-12-31T21:15:00.000000Z"
