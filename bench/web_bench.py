"""The web app in a real browser (Debian's chromium, Playwright) against a throwaway stack.

(k) Bundle: the gzipped size of what a guest's phone downloads (entry JS + CSS) and of the admin
    chunk only the bartender loads.
(l) Cold load on a 360 px phone: a fresh browser context (empty cache) with a signed-in guest,
    from navigation to the menu's first section heading on screen.
(m) "Ready" on the guest's screen: the bartender's PATCH to `ready` is sent at t0; side by side,
    in the same run and for the same events, (i) a raw WebSocket client on the guest's channel
    records the `data` frame and (ii) the guest's page records (MutationObserver, Date.now) the
    moment its order card says "ready". The difference is what the app itself adds.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import gzip
import json
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.stats import percentiles

ROOT = Path(__file__).resolve().parents[1]
ORDERS = 30
LOADS = 10
PHONE = {"viewport": {"width": 360, "height": 780}, "is_mobile": True, "has_touch": True}

# Armed before the PATCH; the promise waits in `window` until the card says "ready".
ARM_READY_WATCH = """() => { window.__readyAt = new Promise((resolve) => {
  const ready = () => document.querySelector('[aria-label$=": ready"]');
  if (ready()) return resolve(Date.now());
  new MutationObserver((_, observer) => {
    if (ready()) { observer.disconnect(); resolve(Date.now()); }
  }).observe(document.body, {subtree: true, childList: true, attributes: true});
}); }"""


def bundle_sizes() -> dict[str, Any]:
    assets = ROOT / "web" / "dist" / "assets"
    sizes = {p.name: len(gzip.compress(p.read_bytes(), 9)) for p in assets.glob("*.[jc]s*")}

    def kb(prefix: str) -> float:
        total = sum(v for k, v in sizes.items() if k.startswith(prefix) and not k.endswith(".map"))
        return round(total / 1024, 1)

    return {"guest_entry_gzip_kb": kb("index-"), "admin_chunk_gzip_kb": kb("AdminApp-")}


def _call(method: str, url: str, token: str, body: dict[str, Any] | None = None) -> Any:
    request = urllib.request.Request(  # noqa: S310 - loopback only
        url,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        text = response.read()
        return json.loads(text) if text else None


class FrameClock(threading.Thread):
    """A raw AppSync Events client on the guest's channel: when each READY frame arrived."""

    def __init__(self, ws_url: str, host: str, token: str, channel: str) -> None:
        super().__init__(daemon=True)
        self.args = (ws_url, host, token, channel)
        self.ready_at: dict[str, float] = {}
        self.subscribed = threading.Event()

    def run(self) -> None:
        import websockets

        with contextlib.suppress(websockets.ConnectionClosed):  # the stack stopped at the end
            asyncio.run(self._listen())

    async def _listen(self) -> None:
        import websockets

        ws_url, host, token, channel = self.args
        auth = {"host": host, "Authorization": token}
        header = base64.urlsafe_b64encode(json.dumps(auth).encode()).rstrip(b"=").decode()
        async with websockets.connect(
            ws_url,
            subprotocols=["aws-appsync-event-ws", f"header-{header}"],  # type: ignore[list-item]
        ) as ws:
            await ws.send(json.dumps({"type": "connection_init"}))
            await ws.send(
                json.dumps(
                    {"type": "subscribe", "id": "b", "channel": channel, "authorization": auth}
                )
            )
            async for raw in ws:
                message = json.loads(raw)
                if message["type"] == "subscribe_success":
                    self.subscribed.set()
                elif message["type"] == "data":
                    data = json.loads(message["event"])["data"]
                    if data["order"]["status"] == "ready":
                        self.ready_at[data["order"]["id"]] = time.time()


def bench_web() -> dict[str, Any]:
    from barkeep.testing.browser import CHROMIUM_FLAGS, chromium_path
    from barkeep.testing.stack import launch_throwaway_stack

    chromium = chromium_path()
    if chromium is None or not (ROOT / "web" / "dist" / "index.html").exists():
        return {"web_skipped": "needs `make web` and Debian's chromium (`make browser`)"}
    from playwright.sync_api import sync_playwright

    results: dict[str, Any] = {"web_bundle": bundle_sizes()}
    with launch_throwaway_stack() as stack, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        origin = stack.base.replace("127.0.0.1", "localhost")
        admin = stack.admin_token()
        code = _call(
            "POST", f"{stack.api('identity')}/admin/registration-codes", admin, {"max_uses": 5}
        )["registration_code"]

        guest_context = browser.new_context(**PHONE, base_url=origin)
        page = guest_context.new_page()
        page.goto(code["join_url"])
        page.get_by_label("Your name").fill("Bench")
        page.get_by_role("button", name="Join").click()
        page.get_by_role("heading", name="Menu").wait_for()
        session = json.loads(page.evaluate("localStorage.getItem('barkeep.guest')"))
        results["web_cold_load"] = _cold_loads(browser, origin, guest_context.storage_state())
        results.update(_ready_on_screen(stack, page, session, admin))
        browser.close()
    return results


def _cold_loads(browser: Any, origin: str, state: Any) -> dict[str, Any]:
    samples = []
    for _ in range(LOADS):
        context = browser.new_context(**PHONE, base_url=origin, storage_state=state)
        page = context.new_page()
        started = time.perf_counter()
        page.goto("/")
        page.get_by_role("heading", name="Sours & Citrus").wait_for()
        samples.append(time.perf_counter() - started)
        context.close()
    return percentiles(samples)


def _ready_on_screen(stack: Any, page: Any, session: dict[str, Any], admin: str) -> dict[str, Any]:
    token, user_key = session["access_token"], session["profile"]["user_key"]
    host = stack.config["realtime"]["http"].split("//", 1)[1].split("/", 1)[0]
    clock = FrameClock(
        stack.config["realtime"]["ws"].replace("localhost", "127.0.0.1"),
        host,
        token,
        f"/orders/{user_key}",
    )
    clock.start()
    clock.subscribed.wait(10)
    drink = _call("GET", f"{stack.api('menu')}/drinks", token)["drinks"][0]
    page.goto("/orders")
    page.get_by_role("heading", name="My orders").wait_for()
    frame, screen = [], []

    def move(order_id: str, status: str) -> None:
        _call("PATCH", f"{stack.api('orders')}/admin/orders/{order_id}", admin, {"status": status})

    for _ in range(ORDERS):
        order = _call("POST", f"{stack.api('orders')}/orders", token, {"drink_id": drink["id"]})
        order_id = order["order"]["id"]
        page.locator('[aria-label$=": pending"]').wait_for()
        move(order_id, "preparing")
        page.locator('[aria-label$=": preparing"]').wait_for()
        page.evaluate(ARM_READY_WATCH)
        sent = time.time()
        move(order_id, "ready")
        on_screen = page.evaluate("() => window.__readyAt") / 1000
        deadline = time.time() + 5
        while order_id not in clock.ready_at and time.time() < deadline:
            time.sleep(0.005)
        frame.append(clock.ready_at[order_id] - sent)
        screen.append(on_screen - sent)
        move(order_id, "served")
        page.locator('[aria-label$=": ready"]').wait_for(state="detached")
    f, s = percentiles(frame), percentiles(screen)
    return {
        "web_ready_frame": f,
        "web_ready_on_screen": s,
        "web_ready_app_overhead_p50_ms": round(s["p50_ms"] - f["p50_ms"], 3),
    }
