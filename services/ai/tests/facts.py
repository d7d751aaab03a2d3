"""Contract-shaped `facts` for test drinks (issue 17), from a tiny ingredient table of the
tests' own. The real vocabulary is the menu service's; the ai service only ever receives its
output through Drink events, so the tests build that output here instead of importing menu."""

from __future__ import annotations

import unicodedata
from typing import Any

_SPIRITS = {
    "gin": "spirit:gin",
    "vodka": "spirit:vodka",
    "white rum": "spirit:rum",
    "dark rum": "spirit:rum",
    "bourbon": "spirit:whisky",
    "rye whiskey": "spirit:whisky",
    "tequila": "spirit:tequila",
    "mezcal": "spirit:mezcal",
    "cognac": "spirit:brandy",
    "campari": "spirit:liqueur",
    "triple sec": "spirit:liqueur",
    "amaretto": "spirit:liqueur",
    "coffee liqueur": "spirit:liqueur",
    "sweet vermouth": "spirit:vermouth",
    "dry vermouth": "spirit:vermouth",
    "prosecco": "spirit:wine",
    "angostura bitters": "spirit:bitters",
}
_OTHER: dict[str, frozenset[str]] = {
    "lime juice": frozenset(),
    "lemon juice": frozenset(),
    "grapefruit juice": frozenset(),
    "pineapple juice": frozenset(),
    "orange juice": frozenset(),
    "cranberry juice": frozenset(),
    "coconut cream": frozenset(),
    "coconut water": frozenset(),
    "mint leaves": frozenset(),
    "basil": frozenset(),
    "blackberries": frozenset(),
    "cucumber": frozenset(),
    "soda water": frozenset(),
    "ginger beer": frozenset(),  # not beer
    "ice": frozenset(),
    "simple syrup": frozenset({"sugar"}),
    "tonic water": frozenset({"sugar"}),
    "honey syrup": frozenset({"honey", "sugar"}),
    "egg white": frozenset({"egg"}),
    "cream": frozenset({"dairy"}),
    "whole milk": frozenset({"dairy"}),
    "orgeat": frozenset({"nuts", "sugar"}),
    "almond milk": frozenset({"nuts"}),
    "oat milk": frozenset({"gluten"}),
    "espresso": frozenset({"caffeine"}),
    "cola": frozenset({"caffeine", "sugar"}),
    "gelatin": frozenset({"meat"}),
}
TABLE: dict[str, frozenset[str]] = {
    **{name: frozenset({"alcohol", tag}) for name, tag in _SPIRITS.items()},
    **_OTHER,
}
TABLE["coffee liqueur"] |= {"caffeine", "sugar"}
TABLE["amaretto"] |= {"nuts", "sugar"}
TABLE["triple sec"] |= {"sugar"}
_ANIMAL = {"dairy", "egg", "honey", "meat"}
_SUITABLE = {
    "alcohol-free": "alcohol",
    "vegan": "animal",
    "vegetarian": "meat",
    "dairy-free": "dairy",
    "egg-free": "egg",
    "nut-free": "nuts",
    "gluten-free": "gluten",
    "caffeine-free": "caffeine",
}


def _norm(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).lower().split())


def facts_for(ingredients: list[str]) -> dict[str, Any]:
    """The `facts` object menu puts on a Drink: contains (sorted), unknown ingredients as
    written, and suitable_for (sorted; empty when anything is unknown)."""
    contains: set[str] = set()
    unknown: list[str] = []
    for name in ingredients:
        found = TABLE.get(_norm(name))
        if found is None:
            unknown.append(name)
        else:
            contains |= found
    if contains & _ANIMAL:
        contains.add("animal")
    suitable = [] if unknown else sorted(s for s, tag in _SUITABLE.items() if tag not in contains)
    return {"contains": sorted(contains), "unknown_ingredients": unknown, "suitable_for": suitable}
