"""The guest side at a real bar (issue 16): joining with the code printed on the invite sheet,
being told what signing out costs, an outage ridden out (Offline said, the menu kept, a failed
order re-sent once with its Idempotency-Key, every banner gone once the bar is back), the ready
banner leaving when the drink is served, and a new drink saved with its photo in one go."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from .conftest import shoot, sign_in_admin
from .test_admin import png
from .test_party import bar_and_guest, create_invite, order

pytestmark = pytest.mark.xdist_group("stack")


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
