"""Web Push (ADR 0036) end to end in the service: a guest's browsers subscribe, the bartender
marks the drink ready, and a push service on loopback receives what a real one would, which
the test decrypts with the browser's own keys."""

from __future__ import annotations

import json
import threading
from typing import Any

import jwt
import psycopg
import pytest
from barkeep.local import LocalApi
from barkeep.testing.guests import GuestTokens
from chalicelib import webpush
from cryptography.hazmat.primitives.asymmetric import ec

from tests.conftest import order
from tests.pushing import Browser, PushService


@pytest.fixture
def push_service(monkeypatch: pytest.MonkeyPatch, api: LocalApi) -> Any:
    from chalicelib import wiring

    # loopback stands in for FCM here; nowhere else is a plain-http endpoint accepted
    monkeypatch.setenv("PUSH_ENDPOINT_HOSTS", "127.0.0.1")
    wiring.orders_settings.cache_clear()
    wiring.push.cache_clear()
    with PushService() as service:
        yield service


def subscribe(api: LocalApi, guest: dict[str, str], endpoint: str, browser: Browser) -> Any:
    return api.request(
        "PUT",
        "/push/subscription",
        token=guest["token"],
        json_body={"endpoint": endpoint, "keys": browser.keys()},
    )


def make_ready(api: LocalApi, admin_token: str, order_id: str) -> None:
    for status in ("preparing", "ready"):
        moved = api.patch(
            f"/admin/orders/{order_id}", token=admin_token, json_body={"status": status}
        )
        assert moved.status == 200, moved.body


def subscriptions(url: str) -> list[str]:
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute("SELECT endpoint FROM orders.push_subscriptions ORDER BY endpoint")
        return [r[0] for r in rows.fetchall()]


def pending_pushes(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM orders.outbox WHERE target = 'webpush' AND published_at IS NULL"
        ).fetchone()
    return int(row[0]) if row else 0


def test_the_key_is_the_stages_and_outlives_the_process(api: LocalApi, ada: dict[str, str]) -> None:
    from barkeep.testing import reset_process_state
    from chalicelib import wiring

    # When a guest asks for the key twice, once from a fresh process
    first = api.get("/push/key", token=ada["token"])
    reset_process_state(wiring.reset)
    second = api.get("/push/key", token=ada["token"])
    # Then it is one P-256 public key, kept in Secrets Manager
    assert first.status == 200, first.body
    key = first.json()["public_key"]
    assert len(webpush.unb64url(key)) == 65 and webpush.unb64url(key)[0] == 4
    assert second.json()["public_key"] == key
    # and only a guest gets it
    assert api.get("/push/key").status == 401


def test_a_ready_drink_is_pushed_to_each_of_the_guests_browsers(
    api: LocalApi,
    push_service: PushService,
    ada: dict[str, str],
    bob: dict[str, str],
    drink_id: str,
    admin_token: str,
    clean_database: str,
) -> None:
    # Given Ada subscribed on her phone and her laptop, and Bob on his phone
    phone, laptop, bobs = Browser(), Browser(), Browser()
    base = push_service.base
    for guest, path, browser in (
        (ada, "/ada/phone", phone),
        (ada, "/ada/laptop", laptop),
        (bob, "/bob", bobs),
    ):
        answer = subscribe(api, guest, base + path, browser)
        assert answer.status == 204, answer.body
    key = api.get("/push/key", token=ada["token"]).json()["public_key"]
    placed = order(api, ada, drink_id, quantity=2).json()["order"]
    # When the bartender starts her drink, nothing is pushed; when it is ready, both her
    # browsers are
    api.patch(f"/admin/orders/{placed['id']}", token=admin_token, json_body={"status": "preparing"})
    assert push_service.received == []
    api.patch(f"/admin/orders/{placed['id']}", token=admin_token, json_body={"status": "ready"})
    received = {r.path: r for r in push_service.received}
    assert sorted(received) == ["/ada/laptop", "/ada/phone"]
    # Then each browser reads the order from its own copy
    for path, browser in (("/ada/phone", phone), ("/ada/laptop", laptop)):
        message = json.loads(browser.read(received[path].body))
        assert message == {
            "type": "ORDER_READY",
            "order": {
                "id": placed["id"],
                "number": placed["number"],
                "drink_name": "Daiquiri",
                "quantity": 2,
            },
        }
        with pytest.raises(Exception):  # noqa: B017 - the other browser cannot read it
            (laptop if browser is phone else phone).read(received[path].body)
    # And the request is what push services ask for (RFC 8030, 8291, 8292)
    headers = received["/ada/phone"].headers
    assert headers["content-encoding"] == "aes128gcm"
    assert headers["content-type"] == "application/octet-stream"
    assert headers["urgency"] == "high"
    assert 3500 < int(headers["ttl"]) <= 3600
    assert headers["topic"] == placed["id"].replace("-", "")
    scheme, _, params = headers["authorization"].partition(" ")
    token, k = params.removeprefix("t=").split(", k=")
    assert scheme == "vapid" and k == key
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), webpush.unb64url(k))
    claims = jwt.decode(token, public, algorithms=["ES256"], audience=base)
    assert claims["sub"].startswith(("mailto:", "https://"))
    # and nothing is left in the outbox
    assert pending_pushes(clean_database) == 0


def test_a_guests_browsers_are_sent_to_at_once_not_one_after_another(
    api: LocalApi,
    push_service: PushService,
    ada: dict[str, str],
    drink_id: str,
    admin_token: str,
    clean_database: str,
) -> None:
    # Given Ada on three browsers, and a push service that answers none of them until all
    # three requests are in (sent in turn, the first waits for the others and gets a 503)
    for path in ("/ada/phone", "/ada/laptop", "/ada/tablet"):
        assert subscribe(api, ada, push_service.base + path, Browser()).status == 204
    push_service.together = threading.Barrier(3)
    placed = order(api, ada, drink_id).json()["order"]
    # When her drink is ready
    make_ready(api, admin_token, placed["id"])
    # Then all three were sent in the bartender's one request, and none is left to retry
    assert sorted(r.path for r in push_service.received) == [
        "/ada/laptop",
        "/ada/phone",
        "/ada/tablet",
    ]
    assert pending_pushes(clean_database) == 0


def test_a_browser_that_unsubscribed_at_its_push_service_is_forgotten(
    api: LocalApi,
    push_service: PushService,
    ada: dict[str, str],
    drink_id: str,
    admin_token: str,
    clean_database: str,
) -> None:
    # Given Ada's two browsers, one of which its push service no longer knows
    base = push_service.base
    subscribe(api, ada, base + "/old", Browser())
    subscribe(api, ada, base + "/new", Browser())
    push_service.status["/old"] = 410
    # When her drink is ready
    make_ready(api, admin_token, order(api, ada, drink_id).json()["order"]["id"])
    # Then the other still got it, the gone one is forgotten, and nothing waits for a retry
    assert sorted(r.path for r in push_service.received) == ["/new", "/old"]
    assert subscriptions(clean_database) == [base + "/new"]
    assert pending_pushes(clean_database) == 0
    # and the next drink goes to the one left only
    push_service.received.clear()
    make_ready(api, admin_token, order(api, ada, drink_id).json()["order"]["id"])
    assert [r.path for r in push_service.received] == ["/new"]


def test_a_busy_push_service_gets_the_ping_from_the_sweeper(
    api: LocalApi,
    push_service: PushService,
    ada: dict[str, str],
    drink_id: str,
    admin_token: str,
    clean_database: str,
) -> None:
    from chalicelib.wiring import publisher

    browser = Browser()
    subscribe(api, ada, push_service.base + "/p", browser)
    # Given the push service answers 503
    push_service.default = 503
    placed = order(api, ada, drink_id).json()["order"]
    make_ready(api, admin_token, placed["id"])
    # Then the move succeeded and the ping waits in the outbox
    assert (
        api.get(f"/orders/{placed['id']}", token=ada["token"]).json()["order"]["status"] == "ready"
    )
    assert pending_pushes(clean_database) == 1
    # When it answers again, the sweeper sends it
    push_service.default = 201
    push_service.received.clear()
    assert publisher().sweep(older_than_seconds=0) >= 1
    assert len(push_service.received) == 1
    assert json.loads(browser.read(push_service.received[0].body))["order"]["id"] == placed["id"]
    assert pending_pushes(clean_database) == 0


def test_a_ping_waiting_for_the_sweeper_is_not_sent_to_the_next_guest_on_the_phone(
    api: LocalApi,
    push_service: PushService,
    ada: dict[str, str],
    bob: dict[str, str],
    drink_id: str,
    admin_token: str,
    clean_database: str,
) -> None:
    from chalicelib.wiring import publisher

    endpoint = push_service.base + "/phone"
    subscribe(api, ada, endpoint, Browser())
    # Given Ada's ping waits in the outbox (the push service is busy)
    push_service.default = 503
    placed = order(api, ada, drink_id).json()["order"]
    make_ready(api, admin_token, placed["id"])
    assert pending_pushes(clean_database) == 1
    # When she passes the phone to Bob, who subscribes it, and the sweeper runs
    subscribe(api, bob, endpoint, Browser())
    push_service.default = 201
    push_service.received.clear()
    publisher().sweep(older_than_seconds=0)
    # Then Bob's phone is not told about Ada's drink, and the ping is done with
    assert push_service.received == []
    assert pending_pushes(clean_database) == 0


def test_signing_out_stops_the_pings(
    api: LocalApi,
    push_service: PushService,
    ada: dict[str, str],
    bob: dict[str, str],
    drink_id: str,
    admin_token: str,
    clean_database: str,
) -> None:
    endpoint = push_service.base + "/ada"
    subscribe(api, ada, endpoint, Browser())
    # Bob cannot remove Ada's (he gets the same 204: nothing says it exists)
    gone = api.delete("/push/subscription", token=bob["token"], json_body={"endpoint": endpoint})
    assert gone.status == 204
    assert subscriptions(clean_database) == [endpoint]
    # When Ada signs out (twice: it is idempotent)
    for _ in range(2):
        gone = api.delete(
            "/push/subscription", token=ada["token"], json_body={"endpoint": endpoint}
        )
        assert gone.status == 204, gone.body
    # Then her ready drink pushes nothing
    make_ready(api, admin_token, order(api, ada, drink_id).json()["order"]["id"])
    assert push_service.received == []
    assert subscriptions(clean_database) == []


def test_a_browser_belongs_to_whoever_subscribed_it_last_and_a_guest_keeps_five(
    api: LocalApi,
    push_service: PushService,
    ada: dict[str, str],
    bob: dict[str, str],
    drink_id: str,
    admin_token: str,
    clean_database: str,
) -> None:
    base = push_service.base
    # Given a phone Ada used, then Bob joined on (it is one endpoint)
    subscribe(api, ada, base + "/shared", Browser())
    subscribe(api, bob, base + "/shared", Browser())
    # When Ada's drink is ready, the phone hears nothing of it
    make_ready(api, admin_token, order(api, ada, drink_id).json()["order"]["id"])
    assert push_service.received == []
    # And a guest subscribing a seventh browser keeps the newest five
    for i in range(7):
        assert subscribe(api, ada, f"{base}/ada/{i}", Browser()).status == 204
    kept = [e for e in subscriptions(clean_database) if "/ada/" in e]
    assert kept == [f"{base}/ada/{i}" for i in range(2, 7)]


def test_a_deactivated_guests_drink_pushes_nothing(
    api: LocalApi,
    push_service: PushService,
    ada: dict[str, str],
    drink_id: str,
    admin_token: str,
    guest_tokens: GuestTokens,
) -> None:
    subscribe(api, ada, push_service.base + "/ada", Browser())
    placed = order(api, ada, drink_id).json()["order"]
    guest_tokens.revoke(ada["user_key"])
    make_ready(api, admin_token, placed["id"])
    assert push_service.received == []


GOOD = Browser().keys()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"endpoint": "http://fcm.googleapis.com/x", "keys": GOOD}, "endpoint"),
        ({"endpoint": "https://10.0.0.1/x", "keys": GOOD}, "endpoint"),
        ({"endpoint": "not a url", "keys": GOOD}, "endpoint"),
        ({"endpoint": "https://fcm.googleapis.com/" + "x" * 2000, "keys": GOOD}, "endpoint"),
        ({"endpoint": "", "keys": GOOD}, "endpoint"),
        ({"endpoint": "https://fcm.googleapis.com/x\u0000", "keys": GOOD}, "endpoint"),
        ({"endpoint": "https://127.0.0.1\\.fcm.googleapis.com/x", "keys": GOOD}, "endpoint"),
        ({"endpoint": 5, "keys": GOOD}, "endpoint"),
        ({"keys": GOOD}, "endpoint"),
        ({"endpoint": "https://fcm.googleapis.com/x"}, "keys"),
        (
            {"endpoint": "https://fcm.googleapis.com/x", "keys": {**GOOD, "p256dh": "AAAA"}},
            "keys.p256dh",
        ),
        (
            {
                "endpoint": "https://fcm.googleapis.com/x",
                "keys": {**GOOD, "p256dh": "B" + "A" * 86},
            },
            "keys.p256dh",
        ),
        (
            {"endpoint": "https://fcm.googleapis.com/x", "keys": {**GOOD, "auth": "short"}},
            "keys.auth",
        ),
        (
            {"endpoint": "https://fcm.googleapis.com/x", "keys": {**GOOD, "auth": "!" * 22}},
            "keys.auth",
        ),
        (
            {"endpoint": "https://fcm.googleapis.com/x", "keys": {"p256dh": GOOD["p256dh"]}},
            "keys.auth",
        ),
        ({"endpoint": "https://fcm.googleapis.com/x", "keys": GOOD, "extra": 1}, "extra"),
    ],
)
def test_refuses_a_subscription_that_is_not_a_browsers(
    api: LocalApi, ada: dict[str, str], body: dict[str, Any], field: str, clean_database: str
) -> None:
    answer = api.request("PUT", "/push/subscription", token=ada["token"], json_body=body)
    assert answer.status == 400, answer.body
    error = answer.json()["error"]
    assert error["code"] == "validation_error"
    assert any(name.startswith(field) for name in error["details"]["fields"]), error
    assert subscriptions(clean_database) == []


def test_accepts_a_real_push_service_and_refuses_bad_unsubscribes(
    api: LocalApi, ada: dict[str, str], clean_database: str
) -> None:
    endpoint = "https://fcm.googleapis.com/fcm/send/e1:APA91b"
    ok = api.request(
        "PUT",
        "/push/subscription",
        token=ada["token"],
        json_body={"endpoint": endpoint, "keys": GOOD},
    )
    assert ok.status == 204, ok.body
    assert subscriptions(clean_database) == [endpoint]
    for body in (None, {}, {"endpoint": 1}, {"endpoint": "x" * 2001}):
        answer = api.request("DELETE", "/push/subscription", token=ada["token"], json_body=body)
        assert answer.status == 400, (body, answer.body)
    assert (
        api.request(
            "PUT", "/push/subscription", json_body={"endpoint": endpoint, "keys": GOOD}
        ).status
        == 401
    )


def test_browsers_subscribing_at_once_leave_one_row_each_and_five_per_guest(
    api: LocalApi, ada: dict[str, str], bob: dict[str, str], clean_database: str
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    base = "https://fcm.googleapis.com/fcm/send"
    # When Ada's twelve browsers subscribe at once, and Ada and Bob race for one endpoint
    with ThreadPoolExecutor(max_workers=12) as pool:
        mine = list(
            pool.map(lambda i: subscribe(api, ada, f"{base}/ada-{i}", Browser()), range(12))
        )
        raced = list(
            pool.map(lambda g: subscribe(api, g, f"{base}/shared", Browser()), [ada, bob] * 4)
        )
    # Then every request succeeded, the endpoint has one row, and Ada kept at most five
    assert [r.status for r in mine + raced] == [204] * 20, [r.body for r in mine + raced]
    rows = subscriptions(clean_database)
    assert rows.count(f"{base}/shared") == 1
    with psycopg.connect(clean_database, autocommit=True) as conn:
        counts = dict(
            conn.execute(
                "SELECT user_key::text, count(*) FROM orders.push_subscriptions GROUP BY user_key"
            ).fetchall()
        )
    assert counts[ada["user_key"]] <= 5


def test_lambdas_starting_at_once_make_one_key_pair(local_aws: Any) -> None:
    import uuid
    from concurrent.futures import ThreadPoolExecutor

    from barkeep.aws import client
    from chalicelib.push import PushKeyStore

    # Given the stage's secret as the platform creates it: there, but without a value
    name = f"barkeep-test-push-keys-{uuid.uuid4().hex[:8]}"
    client("secretsmanager").create_secret(Name=name, Description="created empty by Pulumi")
    store = PushKeyStore(name, lambda: client("secretsmanager"))
    # When eight processes each make sure it has one
    with ThreadPoolExecutor(max_workers=8) as pool:
        made = list(pool.map(lambda _: store.ensure(), range(8)))
    # Then one of them wrote it, and every one reads the same key
    assert made.count(True) == 1, made
    assert len({store.load().public_key for _ in range(3)}) == 1
    assert store.ensure() is False
