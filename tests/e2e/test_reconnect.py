"""The guest's phone loses its connection while the drink is being made: the app says
"Reconnecting", comes back on its own, re-reads the orders and still announces "ready"."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from .test_party import bar_and_guest, order

pytestmark = pytest.mark.xdist_group("stack")


class Network:
    """Stands between the page and the realtime endpoint (Playwright's WebSocket routing)."""

    def __init__(self) -> None:
        self.up = True
        self.sockets: list[Any] = []

    def route(self, socket: Any) -> None:
        if not self.up:
            socket.close(code=1006, reason="network down")
            return
        socket.connect_to_server()
        self.sockets.append(socket)

    def drop(self) -> None:
        self.up = False
        for socket in self.sockets:
            socket.close(code=1006, reason="network down")
        self.sockets.clear()


def test_guest_catches_up_after_the_connection_drops(phone: Any, desktop: Any) -> None:
    # Given a guest with an order, live
    network = Network()
    bar, guest = bar_and_guest(
        desktop,
        phone,
        "Noor",
        lambda page: page.route_web_socket(re.compile(r"/event/realtime"), network.route),
    )
    order(guest, "Daiquiri")
    expect(guest.get_by_text("Live", exact=True)).to_be_visible()

    # When the connection drops, and the drink is made while the guest hears nothing
    network.drop()
    expect(guest.get_by_text("Reconnecting", exact=True)).to_be_visible()
    bar.goto("/admin/orders")
    card = bar.get_by_role("article", name=re.compile("Daiquiri for Noor"))
    card.get_by_role("button", name="Start").click()
    card.get_by_role("button", name="Ready").click()
    expect(bar.get_by_role("article", name=re.compile("Daiquiri for Noor"))).to_contain_text(
        "Served"
    )
    expect(guest.get_by_role("listitem", name=re.compile("Daiquiri: pending"))).to_be_visible()

    # Then, once the network is back, the app reconnects by itself, re-reads and announces it
    network.up = True
    expect(guest.get_by_text("Live", exact=True)).to_be_visible(timeout=20_000)
    expect(guest.get_by_role("listitem", name=re.compile("Daiquiri: ready"))).to_be_visible()
    expect(guest.get_by_role("alert").filter(has_text="Daiquiri is ready")).to_be_visible()
