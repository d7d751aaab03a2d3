"""The guest app and the kitchen display in the browser's language (issue 18, ADR 0037): a phone
set to Swedish joins, orders and follows the order in Swedish; the switcher turns it to English
and the choice outlives a reload; a kitchen display on a Swedish computer works in Swedish."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from barkeep.testing.stack import ADMIN_EMAIL, ADMIN_PASSWORD, RunningStack
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE, Bar, _origin, browser_context, shoot
from .test_screens import audit

pytestmark = pytest.mark.xdist_group("stack")

TIMES = "\u00d7"  # the app writes "2 TIMES Negroni" with the multiplication sign


@pytest.fixture
def swedish_phone(browser: Any, stack: RunningStack) -> Iterator[Any]:
    """A guest's phone whose language is Swedish, as Chromium reports it to the page."""
    with browser_context(
        browser,
        **PHONE,
        base_url=_origin(stack),
        locale="sv-SE",
        permissions=["notifications"],
    ) as context:
        yield context


@pytest.fixture
def swedish_desktop(browser: Any, stack: RunningStack) -> Iterator[Any]:
    with browser_context(browser, **DESKTOP, base_url=_origin(stack), locale="sv-SE") as context:
        yield context


def test_a_swedish_phone_gets_the_guest_app_in_swedish_and_the_switcher_keeps_english(
    swedish_phone: Any, bar_api: Bar, stack: RunningStack, artifacts: Path
) -> None:
    # Given an invite, opened on a phone whose browser says Swedish
    code = stack.invite_code(bar_api.admin, max_uses=1)
    guest = swedish_phone.new_page()
    guest.goto(f"/join?code={code}")

    # Then the join screen is Swedish, and says so to screen readers
    expect(guest.locator("html")).to_have_attribute("lang", "sv")
    expect(guest.get_by_role("heading", name="Välkommen till festen")).to_be_visible()
    guest.get_by_label("Ditt namn").fill("Sigrid")
    guest.get_by_role("button", name="Gå med").click()

    # And so is the menu, and ordering from it
    expect(guest.get_by_role("heading", name="Meny", exact=True)).to_be_visible()
    guest.get_by_label("Sök drinkar").fill("Negroni")
    guest.get_by_role("heading", name="Negroni", exact=True).click()
    dialog = guest.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name="Ingredienser")).to_be_visible()
    dialog.get_by_role("button", name="Beställ", exact=True).click()
    dialog.get_by_role("button", name="Skicka beställning").click()
    expect(
        dialog.get_by_role("status").filter(has_text=f"Beställt: 1 {TIMES} Negroni")
    ).to_be_visible()
    dialog.get_by_role("link", name="Se mina beställningar").click()

    # And the order's status, live, with its time of day on a 24-hour clock
    card = guest.get_by_role("listitem", name="Negroni: väntar")
    expect(card).to_contain_text(re.compile(r"Väntar på bartendern · beställd \d\d:\d\d"))
    (placed,) = [o for o in bar_api.queue() if o["username"] == "Sigrid"]
    bar_api.move(placed["id"], "preparing")
    expect(guest.get_by_role("listitem", name="Negroni: tillagas")).to_contain_text("Görs just nu")
    bar_api.move(placed["id"], "ready")
    expect(guest.get_by_role("alert").filter(has_text="Din Negroni är klar!")).to_be_visible()
    shoot(guest, artifacts, "phone-orders-swedish")
    assert audit(guest, "phone sv") == []

    # When the guest picks English in the switcher
    guest.get_by_label("Språk").select_option("en")

    # Then the app is English at once, and still after a reload
    expect(guest.get_by_role("heading", name="My orders")).to_be_visible()
    expect(guest.locator("html")).to_have_attribute("lang", "en")
    guest.reload()
    expect(guest.get_by_role("heading", name="My orders")).to_be_visible()
    expect(guest.get_by_role("listitem", name="Negroni: ready")).to_contain_text(
        "Ready! Pick it up at the bar"
    )
    expect(guest.get_by_label("Language")).to_have_value("en")


def test_a_swedish_kitchen_display_works_in_swedish(
    swedish_desktop: Any, bar_api: Bar, artifacts: Path
) -> None:
    # Given two orders, one with two drinks
    ana = bar_api.guest("Ana")
    bar_api.order(ana, "Negroni", quantity=2)
    bar_api.order(bar_api.guest("Bo"), "Negroni")

    # When the bartender signs in on a computer set to Swedish
    kds = swedish_desktop.new_page()
    kds.goto("/admin/orders")
    expect(kds.get_by_role("heading", name="Inloggning för bartendern")).to_be_visible()
    kds.get_by_label("E-post").fill(ADMIN_EMAIL)
    kds.get_by_label("Lösenord").fill(ADMIN_PASSWORD)
    kds.get_by_role("button", name="Logga in").click()

    # Then the display's columns, tickets and counts are Swedish
    expect(kds.get_by_role("heading", name="Beställningar", exact=True)).to_be_visible()
    new = kds.locator("section.column:has(#column-pending)")
    expect(kds.locator("#column-pending")).to_contain_text("Nya")
    expect(new.locator(".count")).to_have_attribute("aria-label", "2 beställningar, 3 drinkar")
    ticket = new.get_by_role(
        "article", name=re.compile(rf"2 {TIMES} Negroni till Ana, väntar \d+:\d\d")
    )
    expect(ticket).to_be_visible()
    expect(kds.get_by_role("region", name="Totalt")).to_contain_text(
        "nya: 3 · tillagas: 0 · klara: 0"
    )
    expect(kds.locator("footer.shortcuts")).to_have_attribute("aria-label", "Kortkommandon")
    expect(kds.locator("footer.shortcuts")).to_contain_text("Enter nästa steg")

    # And working it is too: "Starta" moves the ticket to "Tillagas"
    ticket.get_by_role("button", name="Starta").click()
    making = kds.locator("section.column:has(#column-preparing)")
    expect(making.get_by_role("article", name=re.compile("Ana, tillagas"))).to_be_visible()
    expect(making.get_by_role("button", name="Klar", exact=True)).to_be_visible()
    shoot(kds, artifacts, "kitchen-swedish")
    assert audit(kds, "kitchen sv") == []

    # And the pickup board
    kds.goto("/admin/board")
    expect(kds.get_by_role("heading", name="Klart att hämta")).to_be_visible()
    expect(kds.get_by_role("region", name="På gång")).to_contain_text("Bo")
