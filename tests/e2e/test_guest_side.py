"""The guest side at a real bar (issue 16): joining with the code printed on the invite sheet,
being told what signing out costs, an outage ridden out (Offline said, the menu kept, a failed
order re-sent once with its Idempotency-Key, every banner gone once the bar is back), the ready
banner leaving when the drink is served, a new drink saved with its photo in one go, a paused
bar and a sold-out drink as the guest sees them, and the order number on the guest's card."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from barkeep.testing.stack import RunningStack
from playwright.sync_api import expect

from .conftest import shoot, sign_in_admin
from .test_admin import png
from .test_party import bar_and_guest, create_invite, order

pytestmark = pytest.mark.xdist_group("stack")


class Bartender:
    """The admin side over HTTP, as the kitchen display's switches would send it."""

    def __init__(self, stack: RunningStack) -> None:
        self.stack = stack
        self.headers = {"Authorization": f"Bearer {stack.admin_token()}"}

    def call(self, method: str, service: str, path: str, body: Any = None) -> Any:
        url = f"{self.stack.api(service)}{path}"
        response = requests.request(method, url, headers=self.headers, json=body, timeout=5)
        response.raise_for_status()
        return response.json() if response.content else None

    def set_bar(self, **settings: Any) -> None:
        self.call("PATCH", "orders", "/admin/bar", settings)

    def set_sold_out(self, drink: str, sold_out: bool) -> None:
        drinks = self.call("GET", "menu", f"/drinks?q={drink}")["drinks"]
        (drink_id,) = [d["id"] for d in drinks if d["name"] == drink]
        self.call("PATCH", "menu", f"/admin/drinks/{drink_id}", {"sold_out": sold_out})


@pytest.fixture
def bartender(stack: RunningStack) -> Iterator[Bartender]:
    """The bar's switches, put back afterwards: the other tests on this stack order drinks."""
    who = Bartender(stack)
    yield who
    who.set_bar(ordering="open", message="")
    who.set_sold_out("Manhattan", False)


def test_guest_types_the_code_from_the_sheet_and_is_told_what_signing_out_costs(
    phone: Any, desktop: Any, artifacts: Path
) -> None:
    # Given an invite code read off the printed sheet, as a phone keyboard types it
    bar = desktop.new_page()
    sign_in_admin(bar)
    code = parse_qs(urlparse(create_invite(bar)).query)["code"][0]
    typed = " ".join(code[i : i + 4] for i in range(0, len(code), 4)).capitalize()

    # When the guest opens /join without a link and types it
    guest = phone.new_page()
    guest.goto("/join")
    guest.get_by_label("Invite code").fill(typed)
    expect(guest.get_by_label("Invite code")).to_have_value(code)
    guest.get_by_label("Your name").fill("Ines")
    shoot(guest, artifacts, "phone-join-typed-code")
    guest.get_by_role("button", name="Join").click()
    expect(guest.get_by_role("heading", name="Menu")).to_be_visible()

    # Then, with an order open, signing out asks first and says what is lost
    order(guest, "Negroni")
    guest.get_by_role("button", name="Sign out").click()
    dialog = guest.get_by_role("dialog", name="Sign out with an open order?")
    expect(dialog).to_contain_text("Negroni — waiting for the bartender")
    expect(dialog).to_contain_text("joining again makes you a new guest who can't see it")
    expect(dialog).not_to_contain_text("stay with the bar")
    shoot(guest, artifacts, "phone-sign-out-open-order")
    dialog.get_by_role("button", name="Sign out anyway").click()
    expect(guest.get_by_label("Invite code")).to_be_visible()


def test_guest_rides_out_an_outage_and_the_ready_banner_leaves_when_served(
    phone: Any, desktop: Any, artifacts: Path
) -> None:
    # Given a guest on the menu, live, whose first order tap meets a 503
    keys: list[str] = []

    def orders_service(route: Any) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        keys.append(route.request.headers.get("idempotency-key", ""))
        if len(keys) == 1:
            body = {"error": {"code": "service_unavailable", "message": "Busy", "details": {}}}
            route.fulfill(status=503, content_type="application/json", body=json.dumps(body))
        else:
            route.continue_()

    bar, guest = bar_and_guest(
        desktop,
        phone,
        "Omar",
        lambda page: page.route(re.compile(r"/api/orders/orders$"), orders_service),
    )
    expect(guest.get_by_text("Live", exact=True)).to_be_visible()

    # When the guest orders, the app waits and sends it again by itself, with the same key
    order(guest, "Daiquiri")
    assert len(keys) == 2 and keys[0] and keys[0] == keys[1], keys
    expect(guest.get_by_role("listitem", name=re.compile("Daiquiri"))).to_have_count(1)

    # When the phone loses its network, it says Offline, and the menu is still there
    phone.set_offline(True)
    expect(guest.get_by_text("Offline", exact=True)).to_be_visible()
    guest.get_by_role("link", name="Menu").click()
    expect(guest.get_by_role("alert").filter(has_text="Can't reach the bar")).to_be_visible()
    expect(guest.get_by_role("heading", name="Negroni", exact=True)).to_be_visible()
    shoot(guest, artifacts, "phone-menu-offline")

    # Then, back online, the app is Live and the banner goes by itself
    phone.set_offline(False)
    expect(guest.get_by_text("Live", exact=True)).to_be_visible(timeout=20_000)
    expect(guest.get_by_role("alert")).to_have_count(0)

    # And the ready banner shows while the drink waits at the bar, and goes once it is served
    bar.goto("/admin/orders")
    for step in ("Start", "Ready", "Served"):
        card = bar.get_by_role("article", name=re.compile("Daiquiri for Omar"))
        card.get_by_role("button", name=step).click()
        if step == "Ready":
            expect(guest.get_by_role("alert").filter(has_text="Daiquiri is ready")).to_be_visible()
    guest.get_by_role("link", name="My orders").click()
    expect(guest.get_by_role("listitem", name="Daiquiri: served")).to_be_visible()
    expect(guest.get_by_role("alert")).to_have_count(0)


def test_bartender_adds_a_drink_with_its_photo_in_one_go(desktop: Any, artifacts: Path) -> None:
    # Given the bartender adding a drink, photo chosen before it is saved
    bar = desktop.new_page()
    sign_in_admin(bar, "/admin/menu")
    bar.get_by_role("button", name="Add drink", exact=True).click()
    form = bar.get_by_role("dialog", name="Add drink")
    form.get_by_label("Name", exact=True).fill("Amber Sour")
    form.get_by_label("Ingredient name").fill("Whisky")
    form.get_by_label("Photo", exact=True).set_input_files(
        {"name": "amber.png", "mimeType": "image/png", "buffer": png()}
    )
    expect(form.get_by_role("img", name="The photo you chose")).to_be_visible()
    shoot(bar, artifacts, "desktop-admin-add-drink-with-photo")

    # When it is saved, the drink is created and its photo is on it, without reopening it
    form.get_by_role("button", name="Save drink").click()
    expect(bar.get_by_text("Amber Sour saved.")).to_be_visible()
    expect(bar.get_by_role("row", name=re.compile("Amber Sour"))).not_to_contain_text("no photo")
    bar.get_by_role("button", name="Edit Amber Sour").click()
    photo = bar.get_by_role("dialog").locator("img[src*='/drinks/']")
    expect(photo).to_be_visible()
    assert bar.request.get(photo.get_attribute("src")).ok


def test_a_paused_bar_says_why_and_until_when_then_opens_again_and_the_card_shows_the_number(
    phone: Any, desktop: Any, bartender: Bartender
) -> None:
    # Given a guest with the order form open while the bar still takes orders
    _, guest = bar_and_guest(desktop, phone, "Wren")
    guest.get_by_label("Search drinks").fill("Gimlet")
    guest.get_by_role("heading", name="Gimlet", exact=True).click()
    guest.get_by_role("dialog").get_by_role("button", name="Order", exact=True).click()

    # When the bartender pauses ordering, and the guest taps "Place order" before the app knows
    reopens = (datetime.now(UTC) + timedelta(minutes=30)).replace(second=0, microsecond=0)
    bartender.set_bar(
        ordering="paused", message="Changing the kegs", reopens_at=reopens.isoformat()
    )
    dialog = guest.get_by_role("dialog", name="Gimlet")
    dialog.get_by_role("button", name="Place order").click()

    # Then the dialog says so in plain words (no ISO time), and ordering is disabled with why
    at = rf"\d\d:{reopens.minute:02d}"  # the phone's own clock: the hour depends on its zone
    expect(dialog.get_by_role("alert")).to_have_text(
        re.compile(rf"The bar has paused ordering\. Changing the kegs\. Ordering reopens at {at}\.")
    )
    expect(dialog.get_by_role("button", name="Place order")).to_be_disabled()
    dialog.get_by_role("button", name="Close").click()
    banner = guest.get_by_role("status", name="Ordering is paused")
    expect(banner).to_contain_text("Changing the kegs")
    expect(banner).to_contain_text(re.compile(f"Ordering reopens at {at}"))
    guest.get_by_role("heading", name="Gimlet", exact=True).click()
    order_button = guest.get_by_role("dialog").get_by_role("button", name="Order", exact=True)
    expect(order_button).to_be_disabled()
    expect(guest.get_by_role("dialog")).to_contain_text(
        re.compile(f"Ordering is paused until {at}")
    )

    # When the bar opens again, the next read (here: the phone back online) enables ordering
    bartender.set_bar(ordering="open")
    phone.set_offline(True)
    phone.set_offline(False)
    expect(order_button).to_be_enabled()
    expect(banner).to_have_count(0)
    order_button.click()
    guest.get_by_role("dialog").get_by_role("button", name="Place order").click()
    guest.get_by_role("dialog").get_by_role("link", name="See my orders").click()

    # Then the guest's card shows the number the bar will call
    (placed,) = [
        o
        for o in bartender.call("GET", "orders", "/admin/orders")["orders"]
        if o["username"] == "Wren" and o["drink_name"] == "Gimlet"
    ]
    assert isinstance(placed["number"], int), placed
    card = guest.get_by_role("listitem", name="Gimlet: pending")
    expect(card.get_by_role("heading")).to_have_text(f"#{placed['number']}Gimlet")


def test_a_sold_out_drink_stays_on_the_menu_marked_and_cannot_be_ordered(
    phone: Any, desktop: Any, bartender: Bartender, artifacts: Path
) -> None:
    # Given a guest looking at the menu
    _, guest = bar_and_guest(desktop, phone, "Kai")
    manhattan = guest.get_by_role("article").filter(
        has=guest.get_by_role("heading", name="Manhattan", exact=True)
    )
    expect(manhattan).not_to_contain_text("Sold out")

    # When the bartender marks the Manhattan sold out
    bartender.set_sold_out("Manhattan", True)

    # Then it stays on the guest's menu, marked, without a reload, and the detail won't order it
    expect(manhattan).to_contain_text("Sold out")
    guest.get_by_role("heading", name="Manhattan", exact=True).click()
    detail = guest.get_by_role("dialog", name="Manhattan")
    expect(detail.get_by_role("button", name="Sold out")).to_be_disabled()
    expect(detail.get_by_role("button", name="Order", exact=True)).to_have_count(0)
    shoot(guest, artifacts, "phone-drink-sold-out")
    detail.get_by_role("button", name="Close").click()

    # And with the bar paused too, the phone shows both (a screenshot for a person to look at)
    reopens = (datetime.now(UTC) + timedelta(minutes=10)).replace(second=0, microsecond=0)
    bartender.set_bar(
        ordering="paused", message="Back in ten minutes", reopens_at=reopens.isoformat()
    )
    guest.reload()
    expect(guest.get_by_role("status", name="Ordering is paused")).to_contain_text("reopens at")
    guest.get_by_label("Search drinks").fill("vermouth")
    expect(manhattan).to_contain_text("Sold out")
    shoot(guest, artifacts, "phone-menu-paused-sold-out")
