"""The read model keeps the facts menu derived for each drink (migration 0007)."""

from __future__ import annotations

from barkeep.local import LocalApi

from tests.conftest import drink_event
from tests.facts import facts_for


def test_facts_from_a_drink_event_are_stored_and_read_back(api: LocalApi) -> None:
    from app import handle_work
    from chalicelib.wiring import ai

    # Given a Drink event carrying the facts menu derived from its ingredients
    event = drink_event("Garden Gate Sour", ["sour"], ["Gin", "Egg white", "Grandma's cordial"])
    # When the consumer applies it
    handle_work(event)
    # Then the read model holds them, unknown ingredients as written
    (drink,) = [d for d in ai().menu() if d.name == "Garden Gate Sour"]
    assert drink.contains == {"alcohol", "spirit:gin", "egg", "animal"}
    assert drink.unknown_ingredients == ("Grandma's cordial",)
    assert drink.suitable_for == frozenset()
    assert drink.facts is not None and drink.facts.to_json() == facts_for(
        ["Gin", "Egg white", "Grandma's cordial"]
    )


def test_an_event_without_facts_counts_every_ingredient_unknown(api: LocalApi) -> None:
    from app import handle_work
    from chalicelib.wiring import ai

    # Given an event from before facts existed, then a newer one with facts
    old = drink_event("Nojito", ["non-alcoholic"], ["Mint leaves", "Soda water"], facts=False)
    handle_work(old)
    (drink,) = ai().menu()
    # Then nothing is known about it: never claimed safe for anything
    assert drink.facts is None
    assert drink.unknown_ingredients == ("Mint leaves", "Soda water")
    assert drink.suitable_for == frozenset()
    assert not drink.is_alcoholic  # is_alcoholic falls back to the tags
    newer = drink_event(
        "Nojito",
        ["non-alcoholic"],
        ["Mint leaves", "Soda water"],
        kind="DrinkUpdated",
        drink_id=drink.id,
    )
    handle_work(newer)
    (drink,) = ai().menu()
    assert drink.unknown_ingredients == () and "vegan" in drink.suitable_for


def test_malformed_facts_read_as_none(api: LocalApi) -> None:
    from app import handle_work
    from chalicelib.wiring import ai

    event = drink_event("Odd", [], ["Gin"])
    event["detail"]["data"]["facts"] = {"contains": "alcohol"}
    handle_work(event)
    (drink,) = ai().menu()
    assert drink.facts is None and drink.is_alcoholic
