"""The installable app (issue 18, ADR 0034): the web app manifest and its icons, the service
worker controlling the page, the app shell and tonight's menu after a reload with no network
(and never a stale shell while online), and the "ready" notification shown through the worker
and opening the order when tapped.

The app registers its worker in a browser driven by tests only when asked (localStorage
`barkeep.serviceWorker` = "on"), so the other browser tests see the network they route."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import Bar, shoot
from .test_party import join, order

pytestmark = pytest.mark.xdist_group("stack")

OPT_IN = "localStorage.setItem('barkeep.serviceWorker', 'on')"


@pytest.fixture
def installed(phone: Any) -> Any:
    """The guest's phone with the app's service worker allowed."""
    phone.add_init_script(OPT_IN)
    return phone


def png_size(body: bytes) -> tuple[int, int]:
    assert body[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", body[16:24])  # IHDR comes first
    return width, height


def test_the_manifest_is_served_and_its_icons_load(installed: Any) -> None:
    # Given the app's page
    page = installed.new_page()
    page.goto("/join")

    # When the browser reads the manifest the page links to
    href = page.locator("link[rel=manifest]").get_attribute("href")
    manifest_response = page.request.get(href)
    assert manifest_response.ok
    assert manifest_response.headers["content-type"].startswith("application/manifest+json")
    manifest = json.loads(manifest_response.body())

    # Then it installs as a standalone app over the whole origin, in the app's own (dark) colours;
    # a light device gets its own bar colour from the page
    assert manifest["name"] == "Barkeep" and manifest["short_name"]
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == (
        "/",
        "/",
        "standalone",
    )
    page.emulate_media(color_scheme="dark")
    theme = page.locator('meta[name=theme-color][media*="dark"]').get_attribute("content")
    assert manifest["theme_color"] == theme
    light = page.locator('meta[name=theme-color][media*="light"]').get_attribute("content")
    assert light != theme
    background = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    red, green, blue = (int(manifest["background_color"][i : i + 2], 16) for i in (1, 3, 5))
    assert background == f"rgb({red}, {green}, {blue})"

    # And every icon is a PNG of the size it claims: 192, 512, and a maskable one
    sizes = set()
    for icon in manifest["icons"]:
        body = page.request.get(icon["src"])
        assert body.ok and body.headers["content-type"] == "image/png", icon
        width, height = png_size(body.body())
        assert icon["sizes"] == f"{width}x{height}", icon
        sizes.add((icon["sizes"], icon.get("purpose", "any")))
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    touch = page.locator("link[rel=apple-touch-icon]").get_attribute("href")
    assert png_size(page.request.get(touch).body()) == (180, 180)
    assert page.locator("meta[name=apple-mobile-web-app-capable]").get_attribute("content") == "yes"

    # And chromium itself parses it without a complaint and finds the app installable
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    cdp = installed.new_cdp_session(page)
    parsed = cdp.send("Page.getAppManifest")
    assert parsed["errors"] == [] and parsed["url"].endswith("/manifest.webmanifest"), parsed
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # (a test's browser context is an incognito one, which chromium never installs from)
    assert [e for e in errors if e["errorId"] != "in-incognito"] == [], errors


def shell_cache(page: Any) -> str:
    name: str = page.evaluate(
        "caches.keys().then((names) => names.find((n) => n.startsWith('barkeep-shell-')))"
    )
    assert name, "the worker precached no shell"
    return name


def test_offline_the_app_and_tonights_menu_load_and_online_the_shell_is_never_stale(
    installed: Any, bar_api: Bar, artifacts: Path
) -> None:
    # Given a guest who joined, with the worker installed and controlling the page
    page = installed.new_page()
    join(page, f"/join?code={bar_api.stack.invite_code(bar_api.admin, max_uses=1)}", "Pia")
    assert page.evaluate("navigator.serviceWorker.ready.then((r) => r.active.state)") == "activated"
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    expect(page.get_by_role("heading", name="Negroni", exact=True)).to_be_visible()

    # When the cached shell is an old one, a reload online still gets the server's
    stale = "<!doctype html><title>stale</title><p>An old build</p>"
    page.evaluate(
        """([name, body]) => caches.open(name).then((cache) => cache.put('/', new Response(body,
             { headers: { 'Content-Type': 'text/html' } })))""",
        [shell_cache(page), stale],
    )
    page.reload()
    expect(page.get_by_role("heading", name="Menu")).to_be_visible()
    expect(page.get_by_text("An old build")).to_have_count(0)

    # And when the phone loses its network, without the app's own copy of the menu either
    installed.set_offline(True)
    page.evaluate("localStorage.removeItem('barkeep.cache.menu')")
    assert page.evaluate(
        "fetch('/config.json?not-cached').then(() => 'reached', () => 'offline')"
    ) == ("offline"), "the worker's own requests are not offline: this test would prove nothing"
    page.reload()

    # Then the app shell loads from the worker's cache (the fresh one), with tonight's menu
    expect(page.get_by_role("heading", name="Menu")).to_be_visible()
    expect(page.get_by_text("An old build")).to_have_count(0)
    expect(page.get_by_text("Offline", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Negroni", exact=True)).to_be_visible()
    page.get_by_role("link", name="My orders").click()  # a route the browser never loaded
    expect(page.get_by_role("heading", name="My orders")).to_be_visible()
    shoot(page, artifacts, "phone-installed-offline")

    # And the guest's own orders were never kept by the worker: only the public menu and config
    kept = page.evaluate(
        """caches.open('barkeep-data-v1').then((cache) => cache.keys())
             .then((requests) => requests.map((r) => new URL(r.url).pathname))"""
    )
    assert set(kept) <= {"/config.json", "/api/menu/drinks", "/api/menu/sections"}, kept
    assert "/api/menu/drinks" in kept
    installed.set_offline(False)


def test_the_ready_notification_comes_through_the_worker_and_tapping_it_opens_the_order(
    installed: Any, bar_api: Bar
) -> None:
    # Given a guest with notifications allowed, the worker controlling the page, and an order
    page = installed.new_page()
    join(page, f"/join?code={bar_api.stack.invite_code(bar_api.admin, max_uses=1)}", "Rui")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    order(page, "Negroni")
    (placed,) = [o for o in bar_api.queue() if o["username"] == "Rui"]

    # When the bartender makes it ready
    bar_api.move(placed["id"], "preparing")
    bar_api.move(placed["id"], "ready")
    expect(page.get_by_role("alert").filter(has_text="Negroni is ready")).to_be_visible()

    # Then the worker shows the notification, tagged with the order, opening its card
    shown = notifications(page, placed["id"])
    assert shown == [
        {
            "title": f"#{placed['number']} · Your Negroni is ready",
            "body": "Pick it up at the bar.",
            "data": {"url": f"/orders#order-{placed['id']}"},
        }
    ]

    # And when it is tapped while the app is on another screen, the app shows that order
    page.get_by_role("link", name="Menu").click()
    expect(page.get_by_role("heading", name="Menu")).to_be_visible()
    (worker,) = installed.service_workers
    worker.evaluate(
        """(tag) => self.registration.getNotifications({ tag }).then(([notification]) => {
             // A test cannot tap: dispatch the event the browser would. (waitUntil refuses an
             // untrusted event; the handler's work has started by then, so swallow that.)
             try {
               self.dispatchEvent(new NotificationEvent('notificationclick', { notification }));
             } catch {}
           })""",
        placed["id"],
    )
    expect(page).to_have_url(re.compile(rf"/orders#order-{placed['id']}$"))
    card = page.locator(f"#order-{placed['id']}")
    expect(card).to_contain_text("Negroni")
    expect(card).to_be_in_viewport()


def registration_id(cdp: Any, page: Any, scope: str) -> str:
    """The service worker registration's id, as DevTools names it."""
    found: dict[str, str] = {}

    def seen(event: dict[str, Any]) -> None:
        for registration in event["registrations"]:
            if registration["scopeURL"] == scope and not registration["isDeleted"]:
                found["id"] = registration["registrationId"]

    cdp.on("ServiceWorker.workerRegistrationUpdated", seen)
    cdp.send("ServiceWorker.enable")
    for _ in range(50):
        if "id" in found:
            return found["id"]
        page.wait_for_timeout(100)
    raise AssertionError(f"no service worker registration for {scope}")


def notifications(page: Any, tag: str) -> list[dict[str, Any]]:
    """The worker's notifications with `tag`, once there are some (5 s at most)."""
    for _ in range(50):
        shown: list[dict[str, Any]] = page.evaluate(
            """(tag) => navigator.serviceWorker.ready
                 .then((r) => r.getNotifications({ tag }))
                 .then((list) => list.map((n) => ({ title: n.title, body: n.body, data: n.data })))""",
            tag,
        )
        if shown:
            return shown
        page.wait_for_timeout(100)
    return []


def test_a_web_push_wakes_the_worker_and_shows_the_ready_notification(
    installed: Any, bar_api: Bar
) -> None:
    # Given a guest with notifications allowed and the worker installed. The app asked for the
    # stage's push key and tried to subscribe; headless chromium has no push service to reach,
    # which the app takes silently (a phone's browser subscribes for real, ADR 0036).
    page = installed.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    asked: list[int] = []
    page.on(
        "response",
        lambda r: asked.append(r.status) if r.url.endswith("/api/orders/push/key") else None,
    )
    join(page, f"/join?code={bar_api.stack.invite_code(bar_api.admin, max_uses=1)}", "Ines")
    for _ in range(100):  # once the worker is active (polled from here: the CSP has no eval)
        if asked and page.evaluate("navigator.serviceWorker.controller !== null"):
            break
        page.wait_for_timeout(100)
    assert asked == [200]
    order(page, "Negroni")
    (placed,) = [o for o in bar_api.queue() if o["username"] == "Ines"]
    page.get_by_role("link", name="Menu").click()  # the app elsewhere; on a phone, locked

    # When the push service delivers the orders service's "ready" message to the worker (the
    # browser's own push test hook; services/orders/tests/functional/test_push.py proves the
    # service encrypts and sends exactly this message)
    cdp = installed.new_cdp_session(page)
    origin = page.evaluate("location.origin")
    message = {
        "type": "ORDER_READY",
        "order": {
            "id": placed["id"],
            "number": placed["number"],
            "drink_name": "Negroni",
            "quantity": 1,
        },
    }
    registration = registration_id(cdp, page, f"{origin}/")
    for _ in range(2):  # a second push for the same order replaces the first
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {"origin": origin, "registrationId": registration, "data": json.dumps(message)},
        )

    # Then the worker shows the app's own ready notification: its words, the order as its tag
    # and the order's card as where a tap opens
    shown = notifications(page, placed["id"])
    assert shown == [
        {
            "title": f"#{placed['number']} · Your Negroni is ready",
            "body": "Pick it up at the bar.",
            "data": {"url": f"/orders#order-{placed['id']}"},
        }
    ]

    # And a push the app does not understand still shows something (browsers demand it)
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": origin, "registrationId": registration, "data": "not json"},
    )
    assert [n["data"] for n in notifications(page, "barkeep")] == [{"url": "/orders"}]

    # And when the guest switches the app to Swedish, a push (with the app closed, on a phone)
    # is written in Swedish: the page leaves its choice where the worker reads it
    page.get_by_label("Language").select_option("sv")
    shared = "caches.open('barkeep-settings').then((c) => c.match('/__barkeep/locale')).then((r) => r && r.text())"
    for _ in range(50):
        if page.evaluate(shared) == "sv":
            break
        page.wait_for_timeout(100)
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": origin, "registrationId": registration, "data": json.dumps(message)},
    )
    for _ in range(50):
        shown = notifications(page, placed["id"])
        if shown and shown[0]["body"] != "Pick it up at the bar.":
            break
        page.wait_for_timeout(100)
    assert shown == [
        {
            "title": f"#{placed['number']} · Din Negroni är klar",
            "body": "Hämta den i baren.",
            "data": {"url": f"/orders#order-{placed['id']}"},
        }
    ]
    assert errors == []
