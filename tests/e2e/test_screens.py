"""Every main screen on a 360 px phone and a 1080p screen, in the dark and the light theme: a
screenshot for a person to look at, and axe-core (the accessibility engine) finding nothing serious
on it: labels, roles, names, contrast."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE, browser_context, shoot, sign_in_admin
from .test_party import create_invite, join, order

pytestmark = pytest.mark.xdist_group("stack")

# the system setting the app follows; every screen is checked in both
SCHEMES = ("dark", "light")
AXE = Path(__file__).resolve().parents[2] / "web" / "node_modules" / "axe-core" / "axe.min.js"


def audit(page: Any, screen: str) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now."""
    # evaluated through the debugger, not injected as a <script>: the app's CSP allows no
    # script but its own, and this test must not loosen it
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document);
            return {
                passes: r.passes.length,
                violations: r.violations
                    .filter(v => ['serious', 'critical'].includes(v.impact))
                    .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')),
            };
        }"""
    )
    assert result["passes"] > 10, f"axe checked next to nothing on {screen}"
    return [f"{screen}: {finding}" for finding in result["violations"]]


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_every_screen_looks_right_and_passes_axe(
    browser: Any, stack: Any, artifacts: Path, size: str
) -> None:
    origin = stack.base.replace("127.0.0.1", "localhost")
    device = PHONE if size == "phone" else DESKTOP
    with (
        browser_context(browser, **device, base_url=origin) as admin_context,
        browser_context(browser, **device, base_url=origin) as guest_context,
    ):
        _every_screen(admin_context, guest_context, artifacts, size)


def _every_screen(admin_context: Any, guest_context: Any, artifacts: Path, size: str) -> None:
    findings: list[str] = []
    name = {"phone": "Lena", "desktop": "Theo"}[size]

    def look(page: Any, name: str) -> None:
        page.wait_for_load_state("networkidle")
        backgrounds = set()
        for scheme in SCHEMES:
            page.emulate_media(color_scheme=scheme)
            backgrounds.add(
                page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
            )
            shoot(page, artifacts, f"{size}-{scheme}-{name}")
            findings.extend(audit(page, f"{name} ({scheme})"))
        if len(backgrounds) != len(SCHEMES):
            findings.append(f"{name}: the page looks the same in {' and '.join(SCHEMES)}")
        # Nothing may push the page sideways (wide tables scroll inside their own box).
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            findings.append(f"{name}: the page is {overflow}px wider than the screen")

    bar = admin_context.new_page()
    bar.goto("/admin")
    look(bar, "admin-sign-in")
    sign_in_admin(bar)
    join_url = create_invite(bar)
    look(bar, "admin-codes")

    guest = guest_context.new_page()
    guest.goto(join_url)
    look(guest, "join")
    join(guest, join_url, name)
    look(guest, "menu")
    guest.get_by_role("heading", name="Mai Tai", exact=True).click()
    look(guest, "drink-detail")
    guest.get_by_role("button", name="Close").click()
    # a valid note no screen may let push it sideways: one 150-letter word
    order(guest, "Mai Tai", notes="Extra mint " + "M" * 150)
    look(guest, "orders")

    guest.get_by_role("link", name="Bartender").click()
    guest.get_by_role("button", name="Fruity").click()
    guest.get_by_label("In your own words").fill("rum, not too sweet")
    guest.get_by_role("button", name="Recommend").click()
    expect(
        guest.get_by_role("list", name="Recommendations").get_by_role("listitem")
    ).not_to_have_count(0)
    guest.get_by_label("Message").fill("What's good with gin?")
    guest.get_by_role("button", name="Send").click()
    expect(guest.get_by_role("log").locator(".bubble")).to_have_count(2)
    look(guest, "bartender")

    bar.goto("/admin/orders")
    expect(bar.get_by_role("article", name=re.compile(f"Mai Tai for {name}"))).to_be_visible()
    look(bar, "admin-kitchen")
    bar.goto("/admin/board")
    expect(bar.get_by_role("region", name="Coming up")).to_contain_text(name)
    look(bar, "admin-pickup-board")
    bar.goto("/admin")
    expect(bar.get_by_role("heading", name="Orders per hour")).to_be_visible()
    look(bar, "admin-dashboard")
    bar.goto("/admin/menu")
    expect(bar.get_by_role("checkbox", name="Available: Mai Tai")).to_be_visible()
    look(bar, "admin-menu")
    bar.goto("/admin/guests")
    expect(bar.get_by_role("cell", name=name, exact=True)).to_be_visible()
    look(bar, "admin-guests")
    bar.goto("/admin/codes")
    bar.get_by_role("link", name="Print").first.click()
    expect(bar.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    look(bar, "admin-print-code")

    assert findings == []
