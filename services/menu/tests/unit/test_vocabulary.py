"""The ingredient vocabulary and the facts it derives (ADR 0032)."""

from __future__ import annotations

import json
import typing

import pytest
from chalicelib import schemas
from chalicelib.seed import SEED_FILE
from chalicelib.vocabulary import (
    ALIASES,
    SPIRITS,
    SUITABLE_FOR,
    TAGS,
    VOCABULARY,
    canonical,
    derive_facts,
    entries,
    lookup,
    normalise,
)

ALL_DIETS = sorted(SUITABLE_FOR)


def test_the_vocabulary_is_large_and_uses_only_the_contracts_tags() -> None:
    assert len(VOCABULARY) >= 120
    used = {tag for tags in VOCABULARY.values() for tag in tags}
    assert used <= set(TAGS)
    assert used == set(TAGS)  # every tag is carried by some ingredient
    assert all(name == normalise(name) for name in VOCABULARY)


def test_every_alias_names_an_entry() -> None:
    assert all(normalise(target) in VOCABULARY for target in ALIASES.values())
    assert not {normalise(a) for a in ALIASES} & set(VOCABULARY)


def test_the_diets_of_the_api_are_the_vocabularys() -> None:
    assert set(typing.get_args(schemas.Diet)) == set(SUITABLE_FOR)


@pytest.mark.parametrize(
    ("name", "tags"),
    [
        ("London dry gin", {"alcohol", "spirit:gin"}),
        ("Vodka", {"alcohol", "spirit:vodka"}),
        ("Dark rum", {"alcohol", "spirit:rum"}),
        ("Bourbon", {"alcohol", "spirit:whisky"}),
        ("Rye whiskey", {"alcohol", "spirit:whisky"}),
        ("Scotch", {"alcohol", "spirit:whisky"}),
        ("Tequila blanco", {"alcohol", "spirit:tequila"}),
        ("Mezcal", {"alcohol", "spirit:mezcal"}),
        ("Cognac", {"alcohol", "spirit:brandy"}),
        ("Pisco", {"alcohol", "spirit:pisco"}),
        ("Cachaça", {"alcohol", "spirit:cachaca"}),
        ("Aperol", {"alcohol", "spirit:liqueur", "sugar"}),
        ("Campari", {"alcohol", "spirit:liqueur", "sugar"}),
        ("Sweet vermouth", {"alcohol", "spirit:vermouth", "sugar"}),
        ("Dry vermouth", {"alcohol", "spirit:vermouth"}),
        ("Prosecco", {"alcohol", "spirit:wine"}),
        ("Beer", {"alcohol", "spirit:beer", "gluten"}),
        ("Cider", {"alcohol", "spirit:cider"}),
        ("Sake", {"alcohol", "spirit:sake"}),
        ("Angostura bitters", {"alcohol", "spirit:bitters"}),
        ("Amaretto", {"alcohol", "spirit:liqueur", "nuts", "sugar"}),
        ("Orgeat syrup", {"nuts", "sugar"}),
        ("Baileys", {"alcohol", "spirit:liqueur", "spirit:whisky", "dairy", "animal", "sugar"}),
        ("Kahlua", {"alcohol", "spirit:liqueur", "caffeine", "sugar"}),
        ("Espresso", {"caffeine"}),
        ("Cold brew", {"caffeine"}),
        ("Egg white", {"egg", "animal"}),
        ("Aquafaba", set()),
        ("Honey syrup", {"honey", "animal"}),
        ("Cream", {"dairy", "animal"}),
        ("Milk", {"dairy", "animal"}),
        ("Oat milk", {"gluten"}),
        ("Gluten-free oat milk", set()),
        ("Coconut cream", set()),
        ("Simple syrup", {"sugar"}),
        ("Worcestershire sauce", {"meat", "animal"}),
        ("Gelatin", {"meat", "animal"}),
        ("Absinthe", {"alcohol"}),
        ("Ice", set()),
        ("Lime juice", set()),
        ("Soda water", set()),
        ("Mint leaves", set()),
        ("Salt", set()),
    ],
)
def test_each_ingredient_carries_its_tags(name: str, tags: set[str]) -> None:
    assert lookup(name) == frozenset(tags)


@pytest.mark.parametrize(
    ("written", "entry"),
    [
        ("  LIME   juice ", "lime juice"),
        ("Fresh lime juice", "lime juice"),
        ("freshly squeezed lemon juice", "lemon juice"),
        ("Limes", "lime"),
        ("Raspberry", "raspberries"),
        ("Egg whites", "egg white"),
        ("Coffee bean", "coffee beans"),
        ("Creme de cacao", "crème de cacao"),  # without the accent
        ("Cre\u0300me de menthe", "crème de menthe"),  # typed in NFD
        ("Curacao", "orange curaçao"),
        ("St-Germain", "elderflower liqueur"),
        ("Kahlúa", "coffee liqueur"),
        ("club soda", "soda water"),
        ("Rye", "rye whiskey"),
    ],
)
def test_names_are_normalised_and_aliases_found(written: str, entry: str) -> None:
    assert canonical(written) == entry


def test_an_unknown_ingredient_is_none_not_neutral() -> None:
    assert lookup("Grandma's cordial") is None
    assert lookup("") is None


def test_every_spirit_implies_alcohol_and_every_animal_source_animal() -> None:
    for tags in VOCABULARY.values():
        if any(t in SPIRITS for t in tags):
            assert "alcohol" in tags
        if tags & {"dairy", "egg", "honey", "meat"}:
            assert "animal" in tags


def test_facts_are_sorted_and_suit_what_nothing_forbids() -> None:
    facts = derive_facts(["Gin", "Egg white", "Simple syrup", "Lemon juice", "Ice"])
    assert facts.to_json() == {
        "contains": ["alcohol", "animal", "egg", "spirit:gin", "sugar"],
        "unknown_ingredients": [],
        "suitable_for": ["caffeine-free", "dairy-free", "gluten-free", "nut-free", "vegetarian"],
    }


@pytest.mark.parametrize(
    ("ingredient", "lost"),
    [
        ("Vodka", "alcohol-free"),
        ("Honey syrup", "vegan"),
        ("Worcestershire sauce", "vegetarian"),
        ("Milk", "dairy-free"),
        ("Egg yolk", "egg-free"),
        ("Almond milk", "nut-free"),
        ("Stout", "gluten-free"),
        ("Black tea", "caffeine-free"),
    ],
)
def test_each_diet_is_lost_to_its_tag(ingredient: str, lost: str) -> None:
    suitable = derive_facts(["Lime juice", ingredient]).suitable_for
    assert lost not in suitable
    assert lost in derive_facts(["Lime juice"]).suitable_for


def test_meat_is_not_vegan_nor_vegetarian_but_honey_is_vegetarian() -> None:
    assert {"vegan", "vegetarian"}.isdisjoint(derive_facts(["Gelatin"]).suitable_for)
    honey = derive_facts(["Honey"]).suitable_for
    assert "vegetarian" in honey and "vegan" not in honey


def test_a_neutral_drink_suits_every_diet() -> None:
    assert list(derive_facts(["Soda water", "Lime juice", "Mint leaves"]).suitable_for) == (
        ALL_DIETS
    )


def test_one_unknown_ingredient_and_the_drink_suits_nothing() -> None:
    facts = derive_facts(["Soda water", "Grandma's cordial", "Grandma's cordial"])
    assert facts.suitable_for == ()
    assert facts.unknown_ingredients == ("Grandma's cordial",)  # as written, once
    assert facts.contains == ()


def test_no_ingredients_is_known_and_suits_everything() -> None:
    assert list(derive_facts([]).suitable_for) == ALL_DIETS


def test_the_seed_menu_has_no_unknown_ingredient() -> None:
    data = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    names = [i["name"] for s in data["sections"] for d in s["drinks"] for i in d["ingredients"]]
    assert names
    assert [n for n in names if lookup(n) is None] == []


def test_entries_list_the_vocabulary_by_name() -> None:
    listed = entries()
    assert [e["name"] for e in listed] == sorted(VOCABULARY)
    assert {"name": "egg white", "contains": ["animal", "egg"]} in listed
