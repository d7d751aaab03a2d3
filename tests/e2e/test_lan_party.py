"""`make party` (issue 18, ADR 0035): the stack served on a LAN address, here the loopback alias
127.0.0.2 standing in for it (Linux answers the whole 127/8 with no setup; traffic stays on
loopback). Every address handed out names it: config.json, the invite link and its QR code, the
realtime endpoint. A phone that installed the party's CA gets HTTPS and the whole app (a secure
context: the service worker); without it, over plain HTTP, the secure-context features are
missing and the guest still joins, orders and watches the drink go ready live."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from barkeep.testing.browser import CHROMIUM_FLAGS
from barkeep.testing.stack import ADMIN_EMAIL, RunningStack, launch_throwaway_stack
from playwright.sync_api import expect

from .conftest import PHONE, TABLET, Bar, browser_context, chromium_path
from .test_party import join, order

pytestmark = pytest.mark.xdist_group("stack")

LAN = "127.0.0.2"

# What a browser leaves out of a page that is no secure context (a LAN address over HTTP);
# chromium counts every 127.x address as secure, so the test takes them away itself.
INSECURE_CONTEXT = """
Object.defineProperty(Crypto.prototype, "randomUUID", { value: undefined, configurable: true });
for (const name of ["serviceWorker", "locks"]) {
  Object.defineProperty(Navigator.prototype, name, { get: () => undefined, configurable: true });
}
delete window.Notification;
"""


def _spki_hash(stack: RunningStack) -> str:
    """The server key's SPKI hash: chromium trusts it as a phone trusts the installed CA."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    assert stack.data_dir is not None
    cert = x509.load_pem_x509_certificate((stack.data_dir / "tls" / "server.pem").read_bytes())
    spki = cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(hashlib.sha256(spki).digest()).decode()


@pytest.fixture(scope="module")
def party() -> Iterator[RunningStack]:
    with launch_throwaway_stack(host=LAN) as running:
        yield running


@pytest.fixture(scope="module")
def trusting_browser(browser: Any, party: RunningStack) -> Iterator[Any]:
    """A second chromium (from the session's Playwright) that trusts the party's key."""
    flags = [*CHROMIUM_FLAGS, f"--ignore-certificate-errors-spki-list={_spki_hash(party)}"]
    instance = browser.browser_type.launch(
        executable_path=chromium_path(), headless=True, args=flags
    )
    yield instance
    instance.close()


def _ready_live(guest: Any, bar: Bar, drink: str) -> None:
    """The guest's order, moved along by the bartender, shows up ready without a reload."""
    expect(guest.get_by_role("listitem", name=re.compile(f"{drink}: pending"))).to_be_visible()
    expect(guest.get_by_text("Live", exact=True)).to_be_visible()
    placed = next(o for o in bar.queue() if o["drink_name"] == drink)
    bar.move(placed["id"], "preparing")
    bar.move(placed["id"], "ready")
    expect(guest.get_by_role("alert").filter(has_text="is ready")).to_be_visible()
    expect(guest.get_by_role("listitem", name=re.compile(f"{drink}: ready"))).to_be_visible()


def test_over_https_every_address_names_the_lan_and_a_trusting_phone_gets_the_whole_app(
    party: RunningStack, trusting_browser: Any
) -> None:
    origin = f"https://{LAN}:{party.base.rsplit(':', 1)[1]}"
    assert party.base == origin

    # Given the party's config.json: every API, the realtime endpoint, over HTTPS on the LAN
    config = party.config
    assert set(config["api"].values()) == {f"{origin}/api/{s}" for s in config["api"]}
    assert config["realtime"]["http"] == f"{origin}/event"
    assert config["realtime"]["ws"] == f"wss://{LAN}:{origin.rsplit(':', 1)[1]}/event/realtime"
    # (and the plain page a phone trusts the party's CA on, which the printed invite names)
    assert config["party"] == {"certificate_page": f"http://{LAN}:{origin.rsplit(':', 1)[1]}/"}

    # And an invite the bartender makes: its link and its QR code name the LAN address
    admin = {"Authorization": f"Bearer {party.admin_token()}"}
    made = requests.post(
        f"{party.api('identity')}/admin/registration-codes",
        headers=admin,
        json={"max_uses": 3},
        timeout=5,
        verify=party.verify,
    )
    made.raise_for_status()
    invite = made.json()["registration_code"]
    assert invite["join_url"] == f"{origin}/join?code={invite['code']}"
    qr = requests.get(
        f"{party.api('identity')}/admin/registration-codes/{invite['code']}/qr.svg",
        headers=admin,
        timeout=5,
        verify=party.verify,
    )
    assert qr.status_code == 200
    import io

    import segno

    expected = io.BytesIO()  # the very symbol of the LAN link, drawn as identity draws it
    segno.make(invite["join_url"], error="m").save(
        expected, kind="svg", scale=8, border=2, title="Barkeep invite", svgclass="barkeep-qr"
    )
    assert qr.text == expected.getvalue().decode()

    # And the plain-HTTP page on the same port hands out the CA that signed the certificate
    plain = f"http://{LAN}:{origin.rsplit(':', 1)[1]}"
    page = requests.get(f"{plain}/", timeout=5)
    assert page.status_code == 200 and "Install a certificate" in page.text
    der = requests.get(f"{plain}/barkeep-ca.crt", timeout=5)
    assert der.headers["Content-Type"] == "application/x-x509-ca-cert"
    assert party.ca_file is not None
    assert der.content == base64.b64decode(
        "".join(party.ca_file.read_text().strip().splitlines()[1:-1])
    )
    redirect = requests.get(f"{plain}/join?code=x", timeout=5, allow_redirects=False)
    assert redirect.headers["Location"] == f"{origin}/join?code=x"

    # When a guest whose phone trusts the party's CA opens the invite link
    with browser_context(
        trusting_browser, **PHONE, base_url=origin, permissions=["notifications"]
    ) as phone:
        phone.add_init_script("localStorage.setItem('barkeep.serviceWorker', 'on')")
        guest = phone.new_page()
        sockets: list[str] = []
        guest.on("websocket", lambda ws: sockets.append(ws.url))
        join(guest, invite["join_url"], "Lan")

        # Then it is a secure context: the service worker takes the page, notifications exist
        assert guest.evaluate("window.isSecureContext") is True
        guest.wait_for_function("navigator.serviceWorker.controller !== null")
        assert guest.evaluate("typeof Notification") == "function"

        # And the guest orders and sees the drink go ready live, over wss on the LAN address
        order(guest, "Mojito")
        bar = Bar(party, admin)
        _ready_live(guest, bar, "Mojito")
        assert guest.url.startswith(origin)
        assert sockets and all(url.startswith(config["realtime"]["ws"]) for url in sockets)

    # And the bartender signs in on a tablet on the LAN: Cognito (moto) through the gateway
    assert config["auth"]["cognito_endpoint"] == f"{origin}/aws/"
    with browser_context(trusting_browser, **TABLET, base_url=origin) as tablet:
        kitchen = tablet.new_page()
        kitchen.goto("/admin/orders")
        kitchen.get_by_label("Email").fill(ADMIN_EMAIL)
        kitchen.get_by_label("Password").fill(party.admin_password)
        kitchen.get_by_role("button", name="Sign in").click()
        expect(kitchen.get_by_role("article", name=re.compile("Mojito for Lan"))).to_be_visible()

    # And photos are read through it too (the guest-token keys sit in the images bucket)
    jwks = requests.get(
        f"{config['images']}/.well-known/guest-jwks.json", verify=party.verify, timeout=5
    )
    assert jwks.status_code == 200 and jwks.json()["keys"]
    assert config["images"].startswith(f"{origin}/aws/")

    # And all those requests were logged to the party's log, not over the host's banner
    assert party.data_dir is not None
    terminal = (party.data_dir / "stack.log").read_text()
    logged = (party.data_dir / "party.log").read_text()
    assert '"message": "request"' in logged and '"message": "request"' not in terminal
    assert f"Log              {party.data_dir / 'party.log'}" in terminal


def test_nobody_on_the_network_can_publish_with_motos_well_known_secret(
    party: RunningStack,
) -> None:
    """The realtime endpoint is on the LAN: a publish signed with moto's `testing` secret (what
    every service used to sign with) must not put a forged order on the kitchen display."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    url = party.config["realtime"]["http"]
    forged = {
        "channel": "/admin/orders",
        "events": ['{"type": "ORDER_CREATED", "order": {"drink_name": "Free Champagne"}}'],
    }
    data = json.dumps(forged).encode()
    request = AWSRequest(
        method="POST", url=url, data=data, headers={"Content-Type": "application/json"}
    )
    SigV4Auth(Credentials("testing", "testing", "testing"), "appsync", "eu-west-1").add_auth(
        request
    )
    answer = requests.post(
        url, data=data, headers=dict(request.headers.items()), verify=party.verify, timeout=5
    )
    assert answer.status_code in (401, 403), answer.text


def test_over_plain_http_a_phone_without_secure_context_features_still_joins_and_orders(
    browser: Any,
) -> None:
    # Given a party over plain HTTP (BARKEEP_HTTPS=0) on the LAN address
    with launch_throwaway_stack(host=LAN, https=False) as party:
        origin = party.base
        assert origin.startswith(f"http://{LAN}:")
        assert party.config["realtime"]["ws"] == f"ws://{origin[len('http://') :]}/event/realtime"
        assert "party" not in party.config  # no certificate to trust
        admin = {"Authorization": f"Bearer {party.admin_token()}"}
        bar = Bar(party, admin)
        code = party.invite_code(admin, max_uses=1)

        # And a phone browser that, as on a LAN address over HTTP, has no service worker, no
        # notifications, no Web Locks and no crypto.randomUUID
        with browser_context(browser, **PHONE, base_url=origin) as phone:
            phone.add_init_script(INSECURE_CONTEXT)
            phone.add_init_script("localStorage.setItem('barkeep.serviceWorker', 'on')")
            guest = phone.new_page()
            errors: list[str] = []
            guest.on("pageerror", lambda error: errors.append(str(error)))

            # When the guest joins through the invite link and orders
            join(guest, f"{origin}/join?code={code}", "Plain")
            missing = (
                "[navigator.serviceWorker, navigator.locks, window.Notification, crypto.randomUUID]"
            )
            assert guest.evaluate(f"{missing}.every((api) => api === undefined)")
            order(guest, "Daiquiri")

            # Then the app offers no notifications it cannot give, and says what still tells
            expect(guest.get_by_role("button", name="Turn on notifications")).to_have_count(0)
            expect(guest.get_by_text("Keep this page open")).to_be_visible()

            # And the order goes ready live on the page (the in-page banner), and nothing broke
            _ready_live(guest, bar, "Daiquiri")
            assert errors == []
