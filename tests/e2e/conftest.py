"""The web app in a real browser (Debian's chromium, driven by Playwright) against a running
`python -m devstack`: the product as a guest and a bartender see it. Screenshots of each main
screen, at phone and desktop size, are saved under `tests/e2e/artifacts/` for a person to look at."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from barkeep.testing.browser import CHROMIUM_FLAGS
from barkeep.testing.browser import chromium_path as browser_path
from barkeep.testing.stack import ADMIN_EMAIL, ADMIN_PASSWORD, RunningStack, launch_throwaway_stack

ARTIFACTS = Path(__file__).parent / "artifacts"
PHONE: dict[str, Any] = {
    "viewport": {"width": 360, "height": 780},  # the narrowest phone we promise
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP: dict[str, Any] = {"viewport": {"width": 1920, "height": 1080}}  # a 1080p kitchen screen
TABLET: dict[str, Any] = {  # a portrait tablet on the bar
    "viewport": {"width": 768, "height": 1024},
    "device_scale_factor": 2,
    "has_touch": True,
}


def chromium_path() -> str:
    path = browser_path()
    if path is None:
        pytest.fail(
            "Debian's chromium is not installed: run `make browser` (or `make test`, which does)"
        )
    return path


@pytest.fixture(scope="session")
def stack() -> Iterator[RunningStack]:
    if not (Path(__file__).resolve().parents[2] / "web" / "dist" / "index.html").is_file():
        pytest.fail("the web app is not built: run `make web` (or `make test`, which does)")
    with launch_throwaway_stack() as running:
        yield running


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS
        )
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


_REPORT_CSP = """
document.addEventListener("securitypolicyviolation", (e) =>
  window.__barkeepCspViolation(
    `${e.effectiveDirective} blocked ${e.blockedURI || "inline"} in ${e.sourceFile}:${e.lineNumber}`
  )
);
"""


@contextmanager
def browser_context(browser: Any, **options: Any) -> Iterator[Any]:
    """A browser context that fails the test on any Content-Security-Policy violation: the
    gateway sends the very policy CloudFront sends in AWS (barkeep.web_security)."""
    context = browser.new_context(**options)
    context.set_default_timeout(10_000)
    violations: list[str] = []
    context.expose_binding("__barkeepCspViolation", lambda _source, text: violations.append(text))
    context.add_init_script(_REPORT_CSP)
    context.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield context
    context.close()
    assert violations == [], "the app broke its Content-Security-Policy:\n" + "\n".join(violations)


@pytest.fixture
def phone(browser: Any, stack: RunningStack) -> Iterator[Any]:
    """A guest's phone: its own storage, notifications allowed."""
    with browser_context(
        browser, **PHONE, base_url=_origin(stack), permissions=["notifications"]
    ) as context:
        yield context


@pytest.fixture
def desktop(browser: Any, stack: RunningStack) -> Iterator[Any]:
    """The bartender's screen."""
    with browser_context(browser, **DESKTOP, base_url=_origin(stack)) as context:
        yield context


@pytest.fixture
def tablet(browser: Any, stack: RunningStack) -> Iterator[Any]:
    """A portrait tablet as a kitchen display."""
    with browser_context(browser, **TABLET, base_url=_origin(stack)) as context:
        yield context


@pytest.fixture(scope="session")
def admin_headers(stack: RunningStack) -> dict[str, str]:
    """The dev admin's Authorization, for setting a scene over HTTP rather than by clicking."""
    return {"Authorization": f"Bearer {stack.admin_token()}"}


class Bar:
    """The running stack's API, as guests and the bartender use it, to set a scene quickly:
    many guests' orders in a second instead of a minute of clicking."""

    def __init__(self, stack: RunningStack, admin: dict[str, str]) -> None:
        import requests

        self.stack, self.admin, self.http = stack, admin, requests.Session()
        if stack.ca_file:  # a `make party` stack's own CA (not REQUESTS_CA_BUNDLE's)
            self.http.verify, self.http.trust_env = str(stack.ca_file), False
        drinks = self.http.get(f"{stack.api('menu')}/drinks", timeout=5).json()["drinks"]
        self.drinks = {d["name"]: d["id"] for d in drinks}

    def guest(self, name: str) -> dict[str, str]:
        """A new guest's Authorization, joined through a fresh invite."""
        code = self.stack.invite_code(self.admin, max_uses=1)
        joined = self.http.post(
            f"{self.stack.api('identity')}/register",
            headers={"X-Registration-Code": code},
            json={"username": name},
            timeout=5,
        )
        joined.raise_for_status()
        return {"Authorization": f"Bearer {joined.json()['access_token']}"}

    def order(self, guest: dict[str, str], drink: str, quantity: int = 1) -> dict[str, Any]:
        placed = self.http.post(
            f"{self.stack.api('orders')}/orders",
            headers=guest,
            json={"drink_id": self.drinks[drink], "quantity": quantity},
            timeout=5,
        )
        placed.raise_for_status()
        order: dict[str, Any] = placed.json()["order"]
        return order

    def move(self, order_id: str, status: str) -> dict[str, Any]:
        moved = self.http.patch(
            f"{self.stack.api('orders')}/admin/orders/{order_id}",
            headers=self.admin,
            json={"status": status},
            timeout=5,
        )
        moved.raise_for_status()
        order: dict[str, Any] = moved.json()["order"]
        return order

    def queue(self) -> list[dict[str, Any]]:
        """The open queue's first page (the scenes here are smaller than a page)."""
        read = self.http.get(
            f"{self.stack.api('orders')}/admin/orders", headers=self.admin, timeout=5
        )
        read.raise_for_status()
        orders: list[dict[str, Any]] = read.json()["orders"]
        return orders

    def close_out(self) -> None:
        """End the night: the next scene starts from an empty board."""
        closed = self.http.post(
            f"{self.stack.api('orders')}/admin/orders/close-out", headers=self.admin, timeout=30
        )
        closed.raise_for_status()

    def open_up(self) -> None:
        """The bar's settings as a fresh stack has them: open, no message, 5 and 10 minutes."""
        opened = self.http.patch(
            f"{self.stack.api('orders')}/admin/bar",
            headers=self.admin,
            json={
                "ordering": "open",
                "message": "",
                "wait_warn_seconds": 300,
                "wait_late_seconds": 600,
            },
            timeout=5,
        )
        opened.raise_for_status()


@pytest.fixture
def bar_api(stack: RunningStack, admin_headers: dict[str, str]) -> Iterator[Bar]:
    """The API with an empty board and the bar open: earlier tests' orders are closed out first,
    and whatever a test did to the bar's settings is undone after it."""
    bar = Bar(stack, admin_headers)
    bar.close_out()
    bar.open_up()
    yield bar
    bar.open_up()


def _origin(stack: RunningStack) -> str:
    # The app's URLs (config.json, join links) say localhost; use the same origin.
    return stack.base.replace("127.0.0.1", "localhost")


def sign_in_admin(page: Any, path: str = "/admin") -> None:
    page.goto(path)
    page.get_by_label("Email").fill(ADMIN_EMAIL)
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").wait_for()


def shoot(page: Any, artifacts: Path, name: str) -> None:
    # A dialog is fixed to the viewport: photograph what the person sees, not the whole page.
    full_page = page.get_by_role("dialog").count() == 0
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=full_page)
