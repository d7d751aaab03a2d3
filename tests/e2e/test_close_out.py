"""The kitchen display reads a queue longer than one page to its end, and the bartender closes
out the night: every open order ends and the guest sees it at once."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from .test_party import bar_and_guest, order

pytestmark = pytest.mark.xdist_group("stack")
QUEUE = re.compile(r"/api/orders/admin/orders(\?|$)")


def test_the_display_follows_the_cursor_and_close_out_ends_the_night(
    phone: Any, desktop: Any
) -> None:
    bar, guest = bar_and_guest(desktop, phone, "Nico")
    for drink in ("Negroni", "Paloma", "Daiquiri"):
        guest.goto("/")
        order(guest, drink)

    # Given the real server answers the display one order a page
    reads: list[str] = []

    def one_a_page(route: Any) -> None:
        sep = "&" if "?" in route.request.url else "?"
        reads.append(route.request.url)
        route.continue_(url=f"{route.request.url}{sep}limit=1")

    bar.route(QUEUE, one_a_page)
    # When the kitchen display loads the queue
    bar.goto("/admin/orders")
    # Then it followed next_cursor page by page and shows every one of Nico's orders
    for drink in ("Negroni", "Paloma", "Daiquiri"):
        expect(bar.get_by_role("article", name=re.compile(f"{drink} for Nico"))).to_be_visible()
    # (the display reads once on load and again once subscribed: each read is a chain)
    cursors = {c for url in reads for c in parse_qs(urlsplit(url).query).get("cursor", [])}
    assert len(cursors) >= 2, reads  # three orders, one a page: two pages after the first
    expect(bar.get_by_text(re.compile("longer than this display reads"))).to_have_count(0)

    # When the bartender closes out the night, after confirming
    bar.get_by_role("button", name="End of night: close out").click()
    bar.get_by_role("dialog", name="Close out the night?").get_by_role(
        "button", name="Close out"
    ).click()
    # Then the display says how many it closed, and the board and the guest's screen show it
    said = bar.get_by_role("status").filter(has_text="Closed out")
    expect(said).to_have_text(re.compile(r"^Closed out \d+ orders?\.$"))
    expect(bar.get_by_role("article")).to_have_count(0)
    for drink in ("Negroni", "Paloma", "Daiquiri"):
        expect(guest.get_by_role("listitem", name=f"{drink}: cancelled")).to_be_visible()
