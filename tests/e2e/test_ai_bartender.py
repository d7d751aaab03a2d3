"""What the guest's words and diet mean at the bar (issue 17), in a real browser against the
whole stack: the diet filter over facts the menu derives, a chat that keeps a stated
constraint, answers from the menu, the engine named, and the conversation still there after a
tab switch and a reload."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import shoot, sign_in_admin
from .test_party import bar_and_guest

pytestmark = pytest.mark.xdist_group("stack")


def say(page: Any, text: str) -> Any:
    """Send one chat message; the bartender's newest bubble once it has answered."""
    log = page.get_by_role("log")
    before = log.locator(".bubble:not(.mine)").count()
    page.get_by_label("Message").fill(text)
    page.get_by_role("button", name="Send").click()
    answers = log.locator(".bubble:not(.mine)")
    expect(answers).to_have_count(before + 1)
    return answers.nth(before)


def test_a_vegan_guest_filters_the_menu_and_the_chat_keeps_to_it(
    desktop: Any, phone: Any, artifacts: Path
) -> None:
    # Given a guest on tonight's menu
    _bar, guest = bar_and_guest(desktop, phone, "Vera")

    # When they filter by Vegan and Alcohol-free
    diet = guest.get_by_role("group", name="Diet")
    diet.get_by_role("button", name="Vegan").click()
    diet.get_by_role("button", name="Alcohol-free").click()

    # Then honey (Berry Basil Smash) and every spirit are gone, and the chip survives a reload
    expect(guest.get_by_role("heading", name="Nojito", exact=True)).to_be_visible()
    expect(guest.get_by_role("heading", name="Berry Basil Smash", exact=True)).to_have_count(0)
    expect(guest.get_by_role("heading", name="Negroni", exact=True)).to_have_count(0)
    expect(guest.get_by_text("Vegan", exact=True).first).to_be_visible()
    shoot(guest, artifacts, "phone-menu-vegan-alcohol-free")
    guest.reload()
    expect(
        guest.get_by_role("group", name="Diet").get_by_role("button", name="Vegan")
    ).to_have_attribute("aria-pressed", "true")
    expect(guest.get_by_role("heading", name="Berry Basil Smash", exact=True)).to_have_count(0)

    # When they tell the bartender they are vegan, then ask for something sweet and fruity
    guest.get_by_role("link", name="Bartender").click()
    first = say(guest, "I'm vegan and I'm not drinking tonight")
    expect(first).to_contain_text("Offline suggestions")
    answer = say(guest, "something sweet and fruity")

    # Then no suggestion breaks what they said a turn earlier (honey, cream, egg, alcohol)
    suggested = answer.get_by_role("button", name=re.compile("^Order "))
    expect(suggested.first).to_be_visible()
    for name in suggested.all_inner_texts():
        assert not re.search(
            r"Berry Basil Smash|Piña Colada|White Russian|Grasshopper|Negroni|Daiquiri", name
        ), name

    # And a question about the menu is answered from the menu
    expect(say(guest, "What's in the Negroni?")).to_contain_text("Campari")
    shoot(guest, artifacts, "phone-bartender-chat")

    # When they switch tabs and come back, and then reload, the conversation is still there
    for leave in (
        lambda: guest.get_by_role("link", name=re.compile("My orders")).click(),
        guest.reload,
    ):
        leave()
        guest.get_by_role("link", name="Bartender").click()
        log = guest.get_by_role("log")
        expect(log).to_contain_text("I'm vegan and I'm not drinking tonight")
        expect(log).to_contain_text("What's in the Negroni?")
        expect(log.locator(".bubble:not(.mine)")).to_have_count(3)


def test_the_bartender_is_told_about_an_ingredient_the_vocabulary_does_not_know(
    desktop: Any, artifacts: Path
) -> None:
    # Given the menu editor's new-drink form
    bar = desktop.new_page()
    sign_in_admin(bar, "/admin/menu")
    bar.get_by_role("button", name="Add drink", exact=True).click()
    form = bar.get_by_role("dialog", name="Add drink")

    # When an ingredient the vocabulary knows is typed, nothing is said; an unknown one is named
    name = form.get_by_label("Ingredient name")
    name.fill("Gin")
    expect(form.get_by_text("Not in the ingredient vocabulary")).to_have_count(0)
    name.fill("Grandma's cordial")
    expect(
        form.get_by_text(re.compile("Not in the ingredient vocabulary: Grandma's cordial"))
    ).to_be_visible()
    shoot(bar, artifacts, "desktop-unknown-ingredient")
