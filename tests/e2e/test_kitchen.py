"""The kitchen display as a bar uses it: it fits a portrait tablet and a 1080p screen with every
column in view, each scrolling on its own; a bartender works it with the keyboard alone; a batch
moves every one of a drink; the pickup board calls out ready orders live. Orders are placed over
HTTP (`Bar`), so each scene is set in a second and starts from an empty board."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import Bar, shoot, sign_in_admin

pytestmark = pytest.mark.xdist_group("stack")

GUESTS = ("Ana", "Bo", "Cleo", "Dev", "Eli", "Fay")


def column(page: Any, status: str) -> Any:
    return page.locator(f"section.column:has(#column-{status})")


def status_of(bar: Bar, guest: dict[str, str], order_id: str) -> str:
    """What the guest's own screen reads for the order."""
    read = bar.http.get(f"{bar.stack.api('orders')}/orders/{order_id}", headers=guest, timeout=5)
    read.raise_for_status()
    status: str = read.json()["order"]["status"]
    return status


@pytest.mark.parametrize("screen", ["tablet", "desktop"])
def test_every_column_is_in_view_and_scrolls_on_its_own(
    request: Any, screen: str, bar_api: Bar, artifacts: Path
) -> None:
    # Given a busy night: 18 orders, three of them started and one ready
    placed = [
        bar_api.order(bar_api.guest(name), drink)
        for name in GUESTS
        for drink in ("Negroni", "Mojito", "Paloma")
    ]
    for order in placed[:4]:
        bar_api.move(order["id"], "preparing")
    bar_api.move(placed[3]["id"], "ready")
    page = request.getfixturevalue(screen).new_page()
    sign_in_admin(page, "/admin/orders")
    expect(page.get_by_role("article")).to_have_count(18)
    page.keyboard.press("2")  # a ticket selected, as the bartender sees it mid-shift
    shoot(page, artifacts, f"{screen}-kitchen-busy")

    # Then the three columns stand side by side, whole, on the screen, and the page never scrolls
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    boxes = [column(page, status).bounding_box() for status in ("pending", "preparing", "ready")]
    for box in boxes:
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, boxes
        assert box["y"] >= 0 and box["y"] + box["height"] <= height, boxes
    assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"], boxes
    assert page.evaluate("document.documentElement.scrollHeight") <= height

    # When the long column is scrolled, only it moves: its header and count stay in view
    new = column(page, "pending")
    body = new.locator(".column-body")
    assert body.evaluate("el => el.scrollHeight > el.clientHeight"), "14 tickets should overflow"
    heading = new.get_by_role("heading", name=re.compile("^New"))
    expect(heading).to_contain_text("14")
    before = heading.bounding_box()
    body.evaluate("el => el.scrollTo(0, el.scrollHeight)")
    expect(new.get_by_role("article").last).to_be_in_viewport()
    assert heading.bounding_box() == before
    for other in ("preparing", "ready"):
        assert column(page, other).locator(".column-body").evaluate("el => el.scrollTop") == 0
    assert page.evaluate("window.scrollY") == 0

    # When a new order lands below what is in view, a pill says so and takes the bartender there
    body.evaluate("el => el.scrollTo(0, 0)")
    bar_api.order(bar_api.guest("Zed"), "Daiquiri")
    pill = new.get_by_role("button", name=re.compile(r"^1 new below"))
    expect(pill).to_be_visible()
    ticket = new.get_by_role("article", name=re.compile("Daiquiri for Zed"))
    expect(ticket).not_to_be_in_viewport()
    pill.click()
    expect(ticket).to_be_in_viewport()
    expect(pill).to_have_count(0)


def test_a_bartender_works_the_board_by_keyboard_only(desktop: Any, bar_api: Bar) -> None:
    # Given two orders from Kai on the board, and shortcuts on screen
    kai = bar_api.guest("Kai")
    negroni = bar_api.order(kai, "Negroni")
    paloma = bar_api.order(kai, "Paloma")
    page = desktop.new_page()
    sign_in_admin(page, "/admin/orders")
    expect(page.get_by_role("article")).to_have_count(2)
    expect(page.get_by_label("Keyboard shortcuts")).to_contain_text("Enter bump")
    keys = page.keyboard
    focused = page.locator("article:focus")

    # When the bartender picks the second ticket by its number and bumps it with Enter
    keys.press("2")
    expect(focused).to_have_accessible_name(re.compile("Paloma for Kai"))
    keys.press("Enter")
    # Then it is being made, and the keyboard is on the next ticket in the column, not lost
    expect(
        column(page, "preparing").get_by_role("article", name=re.compile("Paloma"))
    ).to_be_visible()
    expect(focused).to_have_accessible_name(re.compile("Negroni for Kai"))

    # When it is bumped on to ready and to served, column by column with the arrow keys
    keys.press("ArrowRight")
    expect(focused).to_have_accessible_name(re.compile("Paloma for Kai, making"))
    keys.press("Enter")
    expect(column(page, "ready").get_by_role("article", name=re.compile("Paloma"))).to_be_visible()
    keys.press("ArrowRight")
    keys.press("Enter")
    expect(page.get_by_role("article", name=re.compile("Paloma"))).to_have_count(0)
    assert status_of(bar_api, kai, paloma["id"]) == "served"

    # When the serve was a mistake: U recalls it to Ready, and N takes it back to Preparing
    keys.press("u")
    expect(column(page, "ready").get_by_role("article", name=re.compile("Paloma"))).to_be_visible()
    assert status_of(bar_api, kai, paloma["id"]) == "ready"
    expect(focused).to_have_accessible_name(re.compile("Paloma for Kai"))
    keys.press("n")
    expect(
        column(page, "preparing").get_by_role("article", name=re.compile("Paloma"))
    ).to_be_visible()
    assert status_of(bar_api, kai, paloma["id"]) == "preparing"

    # When the other order is cancelled with Del, it asks first and the keyboard answers it
    keys.press("ArrowLeft")  # from the emptied Ready column to Preparing...
    keys.press("ArrowLeft")  # ...and to New
    expect(focused).to_have_accessible_name(re.compile("Negroni for Kai"))
    keys.press("Delete")
    dialog = page.get_by_role("dialog", name="Cancel this order?")
    expect(dialog).to_be_visible()
    keys.press("Shift+Tab")
    expect(dialog.get_by_role("button", name="Cancel order")).to_be_focused()
    keys.press("Enter")
    expect(page.get_by_role("article", name=re.compile("Negroni"))).to_have_count(0)
    assert status_of(bar_api, kai, negroni["id"]) == "cancelled"


def test_a_batch_moves_every_one_of_a_drink_and_each_guest_hears(
    desktop: Any, bar_api: Bar
) -> None:
    # Given four Daiquiris in three orders (one of two), and a Negroni
    guests = [bar_api.guest(name) for name in ("Ada", "Ben", "Cy")]
    daiquiris = [
        bar_api.order(guests[0], "Daiquiri", quantity=2),
        bar_api.order(guests[1], "Daiquiri"),
        bar_api.order(guests[2], "Daiquiri"),
    ]
    negroni = bar_api.order(guests[2], "Negroni")
    page = desktop.new_page()
    sign_in_admin(page, "/admin/orders")
    all_day = page.get_by_role("region", name="All day")
    # Then the all-day count counts drinks, not orders
    daiquiri = all_day.get_by_role("listitem", name="Daiquiri \u00d74")
    expect(daiquiri).to_contain_text("4 new · 0 making · 0 ready")

    # When the bartender starts them all at once, then marks them all ready
    all_day.get_by_role("button", name="Start all 4 Daiquiri").click()
    expect(column(page, "preparing").get_by_role("article")).to_have_count(3)
    expect(daiquiri).to_contain_text("0 new · 4 making · 0 ready")
    all_day.get_by_role("button", name="Ready all 4 Daiquiri").click()

    # Then each order is ready, each guest's own, and the Negroni was left alone
    expect(column(page, "ready").get_by_role("article")).to_have_count(3)
    expect(
        column(page, "pending").get_by_role("article", name=re.compile("Negroni"))
    ).to_be_visible()
    for guest, order in zip(guests, daiquiris, strict=True):
        assert status_of(bar_api, guest, order["id"]) == "ready"
    assert status_of(bar_api, guests[2], negroni["id"]) == "pending"
    expect(page.get_by_role("alert")).to_have_count(0)


def test_the_pickup_board_calls_out_ready_orders_live(
    desktop: Any, bar_api: Bar, artifacts: Path
) -> None:
    # Given the TV by the bar shows the pickup board, and Ana's Negroni is on its way
    ana = bar_api.guest("Ana")
    order = bar_api.order(ana, "Negroni")
    board = desktop.new_page()
    sign_in_admin(board)
    board.goto("/admin/board")
    ready = board.get_by_role("list", name="Ready")
    expect(ready).to_have_text("Nothing waiting on the bar.")
    expect(board.get_by_role("region", name="Coming up")).to_contain_text("Ana")
    board.evaluate("window.__sameDocument = true")

    # When the bartender marks it ready
    bar_api.move(order["id"], "preparing")
    moved = bar_api.move(order["id"], "ready")
    assert isinstance(moved["number"], int)

    # Then the board calls it out by its number, live, and has nothing to press
    expect(ready.get_by_role("listitem")).to_have_text(f"#{moved['number']} Ana \u2013 Negroni")
    shoot(board, artifacts, "desktop-pickup-board")
    assert board.evaluate("window.__sameDocument") is True
    expect(board.get_by_role("button")).to_have_count(0)

    # When the guest has it, it leaves the board
    bar_api.move(order["id"], "served")
    expect(ready).to_have_text("Nothing waiting on the bar.")


def test_pausing_and_wait_colours_belong_to_the_bar_not_the_screen(
    desktop: Any, tablet: Any, bar_api: Bar
) -> None:
    # Given two displays with their own storage: a 1080p screen and a tablet
    screen = desktop.new_page()
    sign_in_admin(screen, "/admin/orders")
    expect(screen.get_by_text("Ordering open")).to_be_visible()

    # When the bartender pauses ordering with a message, and sets the wait colours, on one
    screen.get_by_text("Ordering open").click()
    screen.get_by_label("Message for guests").fill("Restocking the ice")
    screen.get_by_role("button", name="Pause ordering").click()
    expect(screen.get_by_text("Ordering paused")).to_be_visible()
    screen.get_by_text("Wait colours").click()
    screen.get_by_label("Amber after (minutes)").fill("2")
    screen.get_by_label("Red after (minutes)").fill("4")
    screen.get_by_role("button", name="Save colours").click()
    expect(screen.get_by_text("Wait colours 2/4 min")).to_be_visible()

    # Then the other display shows the same, and a guest cannot order, and is told why
    other = tablet.new_page()
    sign_in_admin(other, "/admin/orders")
    expect(other.get_by_text("Ordering paused")).to_be_visible()
    expect(other.get_by_text("Wait colours 2/4 min")).to_be_visible()
    refused = bar_api.http.post(
        f"{bar_api.stack.api('orders')}/orders",
        headers=bar_api.guest("Lou"),
        json={"drink_id": bar_api.drinks["Negroni"]},
        timeout=5,
    )
    assert refused.status_code == 409, refused.text
    assert refused.json()["error"]["code"] == "ordering_paused"
    assert "Restocking the ice" in refused.json()["error"]["message"]

    # When it reopens, guests can order again
    other.get_by_text("Ordering paused").click()
    other.get_by_role("button", name="Reopen ordering").click()
    expect(other.get_by_text("Ordering open")).to_be_visible()
    bar_api.order(bar_api.guest("Lou"), "Negroni")
