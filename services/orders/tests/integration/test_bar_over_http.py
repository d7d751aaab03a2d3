"""The bar's settings and sold out through the local stack's one front door (issue 16)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from barkeep.testing.stack import RunningStack

from tests.integration.conftest import join

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("stack")]


@pytest.fixture
def guest(stack: RunningStack, invite: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {join(stack, invite, 'Barfly')['access_token']}"}


@pytest.fixture(autouse=True)
def _restored(
    stack: RunningStack, orders_url: str, admin_headers: dict[str, str], drink_id: str
) -> Iterator[None]:
    yield
    requests.patch(
        f"{orders_url}/admin/bar", headers=admin_headers, json={"ordering": "open"}, timeout=5
    )
    requests.patch(
        f"{stack.api('menu')}/admin/drinks/{drink_id}",
        headers=admin_headers,
        json={"sold_out": False},
        timeout=5,
    )


def test_the_bar_is_read_without_signing_in_and_a_pause_refuses_orders(
    orders_url: str, admin_headers: dict[str, str], guest: dict[str, str], drink_id: str
) -> None:
    # GET /bar is routed to orders by the gateway and needs no credentials
    read = requests.get(f"{orders_url}/bar", timeout=5)
    assert read.status_code == 200 and read.json()["bar"]["ordering"] == "open"
    paused = requests.patch(
        f"{orders_url}/admin/bar",
        headers=admin_headers,
        json={"ordering": "paused", "message": "Back soon"},
        timeout=5,
    )
    assert paused.status_code == 200, paused.text
    refused = requests.post(
        f"{orders_url}/orders", headers=guest, json={"drink_id": drink_id}, timeout=5
    )
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "ordering_paused"
    requests.patch(
        f"{orders_url}/admin/bar", headers=admin_headers, json={"ordering": "open"}, timeout=5
    )
    placed = requests.post(
        f"{orders_url}/orders", headers=guest, json={"drink_id": drink_id}, timeout=5
    )
    assert placed.status_code == 201, placed.text
    assert isinstance(placed.json()["order"]["number"], int)


def test_a_drink_menu_marks_sold_out_is_refused_by_orders(
    stack: RunningStack,
    orders_url: str,
    admin_headers: dict[str, str],
    guest: dict[str, str],
    drink_id: str,
) -> None:
    marked = requests.patch(
        f"{stack.api('menu')}/admin/drinks/{drink_id}",
        headers=admin_headers,
        json={"sold_out": True},
        timeout=5,
    )
    assert marked.status_code == 200, marked.text
    menu = requests.get(f"{stack.api('menu')}/drinks", timeout=5).json()["drinks"]
    assert next(d for d in menu if d["id"] == drink_id)["sold_out"] is True
    refused = requests.post(
        f"{orders_url}/orders", headers=guest, json={"drink_id": drink_id}, timeout=5
    )
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "sold_out"
