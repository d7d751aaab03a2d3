"""The AppSync Events emulator: AWS's protocol over a real socket (uvicorn on 127.0.0.1 and the
`websockets` client), SigV4-signed HTTP publishing, and the protocol's edge cases."""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import uvicorn
from barkeep.auth import LEEWAY_SECONDS
from barkeep.realtime import Decision
from barkeep.realtime import api_key as shared_api_key
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from devstack.gateway import Site, build_app
from devstack.realtime import (
    MAX_EVENT_BYTES,
    Channel,
    RealtimeEmulator,
    RealtimeError,
    ServiceCredentials,
    parse_channel,
    verify_sigv4,
)
from starlette.testclient import TestClient
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

if TYPE_CHECKING:
    from barkeep.testing.guests import GuestTokens

pytest_plugins = ["barkeep.testing.guests"]  # the guest_tokens fixture

API_KEY = "da2-emulatortestkey"
REGION = "eu-west-1"
GUEST_A = {"Authorization": "guest:alice", "host": "localhost"}
GUEST_B = {"Authorization": "guest:bob", "host": "localhost"}
ADMIN = {"Authorization": "admin", "host": "localhost"}
PUBLIC = {"x-api-key": API_KEY, "host": "localhost"}


class FakeAuthorizer:
    """Stands in for barkeep.realtime.authorize: the API key, `guest:<key>`, `admin` and
    `service` may connect; `guest:<key>` may subscribe to /orders/<key>, `admin` to
    /admin/orders and /orders/*, the API key to /menu/updates; only `service` publishes.
    A guest's allow holds `guest_seconds` (None: for good) unless the guest is `revoked`.
    Records every call; a CONNECT with `slow` takes `slow_seconds`."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, dict[str, str]]] = []
        self.slow_seconds = 0.0
        self.guest_seconds: float | None = None
        self.revoked: set[str] = set()

    def __call__(self, operation: str, channel: str, auth: Mapping[str, str]) -> Decision:
        self.calls.append((operation, channel, dict(auth)))
        lowered = {k.lower(): v for k, v in auth.items()}
        token = lowered.get("authorization", "")
        if operation == "CONNECT":
            if token == "slow":
                time.sleep(self.slow_seconds)
            if "x-api-key" in lowered:
                return Decision(lowered["x-api-key"] == API_KEY)
            return Decision(token in ("admin", "service", "slow") or token.startswith("guest:"))
        if operation == "PUBLISH":
            return Decision(token == "service")
        if channel == "/menu/updates":
            return Decision(lowered.get("x-api-key") == API_KEY)
        if token == "admin":
            return Decision(channel in ("/admin/orders", "/orders/*"))
        guest = token.removeprefix("guest:")
        if (
            token.startswith("guest:")
            and channel == f"/orders/{guest}"
            and guest not in self.revoked
        ):
            lapses = None if self.guest_seconds is None else time.time() + self.guest_seconds
            return Decision(True, lapses)
        return Decision(False)

    def subscribe_calls(self, channel: str) -> int:
        return sum(1 for c in self.calls if c[:2] == ("SUBSCRIBE", channel))


def auth_subprotocol(auth: Mapping[str, str]) -> str:
    encoded = base64.urlsafe_b64encode(json.dumps(auth).encode()).decode().rstrip("=")
    return f"header-{encoded}"


def subprotocols(auth: Mapping[str, str]) -> list[Any]:
    return ["aws-appsync-event-ws", auth_subprotocol(auth)]


def make_site(tmp_path: Path) -> Site:
    return Site(
        port=8080,
        services={},
        region=REGION,
        user_pool_id="eu-west-1_pool",
        client_id="client",
        cognito_endpoint="http://127.0.0.1:5000",
        web_dist=tmp_path / "dist",
        admin_email="admin@barkeep.local",
        admin_password="Barkeep-admin-1",
    )


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """uvicorn on a free loopback port, as the stack runs the gateway; yields host:port."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", lifespan="off", timeout_graceful_shutdown=1)
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


class Client:
    """A real WebSocket client speaking the protocol; `recv` skips keep-alives."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws

    def send(self, **frame: Any) -> None:
        self.ws.send(json.dumps(frame))

    def recv(self, timeout: float = 3.0, *, skip_ka: bool = True) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            frame: dict[str, Any] = json.loads(
                self.ws.recv(timeout=max(deadline - time.monotonic(), 0.01))
            )
            if not (skip_ka and frame["type"] == "ka"):
                return frame

    def subscribe(self, sub_id: str, channel: str, **extra: Any) -> dict[str, Any]:
        self.send(type="subscribe", id=sub_id, channel=channel, **extra)
        return self.recv()

    def assert_silent(self, seconds: float = 0.3) -> None:
        try:
            frame = self.recv(timeout=seconds)
        except TimeoutError:
            return
        pytest.fail(f"unexpected frame {frame}")

    def drain_until_closed(self) -> None:
        while True:
            self.recv(timeout=5, skip_ka=False)


@contextmanager
def ws_client(
    host: str, auth: Mapping[str, str], *, init: bool = True, **kw: Any
) -> Iterator[Client]:
    with connect(f"ws://{host}/event/realtime", subprotocols=subprotocols(auth), **kw) as ws:
        client = Client(ws)
        if init:
            client.send(type="connection_init")
            assert client.recv()["type"] == "connection_ack"
        yield client


def signed_publish(
    host: str,
    body: dict[str, Any] | bytes,
    *,
    secret: str = "testing",  # noqa: S107 - moto's fake secret
    tamper: bytes | None = None,
) -> httpx.Response:
    """A publish signed as the services sign it: botocore SigV4Auth, service appsync."""
    url = f"http://{host}/event"
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = AWSRequest(
        method="POST", url=url, data=data, headers={"Content-Type": "application/json"}
    )
    SigV4Auth(Credentials("testing", secret, "testing"), "appsync", REGION).add_auth(request)
    return httpx.post(url, content=tamper or data, headers=dict(request.headers.items()), timeout=5)


@pytest.fixture
def authorizer() -> FakeAuthorizer:
    return FakeAuthorizer()


@pytest.fixture
def emulator(authorizer: FakeAuthorizer) -> RealtimeEmulator:
    return RealtimeEmulator(
        authorizer=authorizer,
        service_credentials=lambda: ServiceCredentials("testing", "testing"),
        keep_alive_seconds=0.2,
    )


@pytest.fixture
def host(emulator: RealtimeEmulator, tmp_path: Path) -> Iterator[str]:
    with serve(build_app(make_site(tmp_path), realtime=emulator)) as address:
        yield address


def event(n: int) -> str:
    return json.dumps({"type": "ORDER_STATUS_CHANGED", "event_id": f"e{n}", "n": n})


# --- over a real socket -----------------------------------------------------------------------


def test_handshake_selects_the_protocol_acks_and_keeps_alive(host: str) -> None:
    # Given
    with ws_client(host, GUEST_A, init=False) as client:
        assert client.ws.subprotocol == "aws-appsync-event-ws"
        # When
        client.send(type="connection_init")
        # Then
        assert client.recv(skip_ka=False) == {
            "type": "connection_ack",
            "connectionTimeoutMs": 300_000,
        }
        assert client.recv(skip_ka=False) == {"type": "ka"}
        started = time.monotonic()
        assert client.recv(timeout=2, skip_ka=False) == {"type": "ka"}
        assert 0.1 < time.monotonic() - started < 1.5


def test_a_socket_without_the_events_subprotocol_is_refused(host: str) -> None:
    # When / Then
    with pytest.raises(InvalidStatus) as refused:
        connect(f"ws://{host}/event/realtime", subprotocols=[auth_subprotocol(GUEST_A)])  # type: ignore[list-item]
    assert refused.value.response.status_code == 403


@pytest.mark.parametrize(
    "auth",
    [{}, {"x-api-key": "da2-wrong"}, {"Authorization": "garbage"}, {"authorization": ""}],
)
def test_a_connection_without_valid_credentials_gets_connection_error(
    host: str, auth: dict[str, str]
) -> None:
    # Given
    with ws_client(host, auth, init=False) as client:
        # When
        client.send(type="connection_init")
        # Then
        frame = client.recv()
        assert frame["type"] == "connection_error"
        assert frame["errors"][0]["errorType"] == "UnauthorizedException"
        with pytest.raises(ConnectionClosed):
            client.recv()


@pytest.mark.parametrize("auth", [PUBLIC, GUEST_A, ADMIN])
def test_the_authorizer_decides_the_connection(
    host: str, authorizer: FakeAuthorizer, auth: dict[str, str]
) -> None:
    # When
    with ws_client(host, auth, init=False) as client:
        client.send(type="connection_init")
        # Then
        assert client.recv()["type"] == "connection_ack"
    assert authorizer.calls == [("CONNECT", "", auth)]


def test_a_slow_connection_decision_holds_up_nobody(host: str, authorizer: FakeAuthorizer) -> None:
    # Given a connection whose decision takes a second (a JWKS fetch, say)
    authorizer.slow_seconds = 1.0
    with ws_client(host, {"Authorization": "slow"}, init=False) as slow:
        slow.send(type="connection_init")
        # When another client connects meanwhile
        started = time.monotonic()
        with ws_client(host, GUEST_A) as other:
            # Then it is acknowledged and served at once, and the slow one in its time
            assert other.subscribe("mine", "/orders/alice")["type"] == "subscribe_success"
            assert time.monotonic() - started < 0.5
        assert slow.recv()["type"] == "connection_ack"


def test_guest_subscribes_to_their_channel_and_is_refused_another(
    host: str, authorizer: FakeAuthorizer
) -> None:
    # Given
    with ws_client(host, GUEST_A) as client:
        # When
        own = client.subscribe("s-1", "/orders/alice")
        other = client.subscribe("s-2", "/orders/bob")
    # Then
    assert own == {"type": "subscribe_success", "id": "s-1"}
    assert other == {
        "type": "subscribe_error",
        "id": "s-2",
        "errors": [
            {
                "errorType": "UnauthorizedException",
                "message": "You are not authorized to make this call.",
            }
        ],
    }
    assert authorizer.calls == [
        ("CONNECT", "", GUEST_A),
        ("SUBSCRIBE", "/orders/alice", GUEST_A),
        ("SUBSCRIBE", "/orders/bob", GUEST_A),
    ]


def test_a_subscribe_may_carry_its_own_authorization(host: str) -> None:
    # Given a connection opened with the public API key
    with ws_client(host, PUBLIC) as client:
        # When
        answer = client.subscribe("s-1", "/orders/bob", authorization=GUEST_B)
    # Then
    assert answer == {"type": "subscribe_success", "id": "s-1"}


def test_a_signed_http_publish_reaches_the_subscriber_in_order(host: str) -> None:
    # Given
    with ws_client(host, GUEST_A) as alice, ws_client(host, GUEST_B) as bob:
        assert alice.subscribe("mine", "/orders/alice")["type"] == "subscribe_success"
        assert bob.subscribe("mine", "/orders/bob")["type"] == "subscribe_success"
        # When
        response = signed_publish(
            host, {"channel": "/orders/alice", "events": [event(1), event(2)]}
        )
        # Then
        assert response.status_code == 200
        body = response.json()
        assert body["failed"] == []
        assert [s["index"] for s in body["successful"]] == [0, 1]
        assert all(isinstance(s["identifier"], str) and s["identifier"] for s in body["successful"])
        assert alice.recv() == {"type": "data", "id": "mine", "event": event(1)}
        assert alice.recv() == {"type": "data", "id": "mine", "event": event(2)}
        bob.assert_silent()


def test_publish_without_the_service_signature_is_refused(host: str) -> None:
    # Given
    url = f"http://{host}/event"
    body = {"channel": "/orders/alice", "events": [event(1)]}
    with ws_client(host, GUEST_A) as alice:
        alice.subscribe("mine", "/orders/alice")
        # When
        unsigned = httpx.post(url, json=body)
        api_key = httpx.post(url, json=body, headers={"x-api-key": API_KEY})
        token = httpx.post(url, json=body, headers={"Authorization": "guest:alice"})
        wrong_secret = signed_publish(host, body, secret="not-the-secret")
        tampered = signed_publish(
            host, body, tamper=json.dumps({**body, "channel": "/orders/bob"}).encode()
        )
        # Then
        assert unsigned.status_code == api_key.status_code == token.status_code == 401
        for refused in (unsigned, api_key, token):
            assert refused.json()["errors"][0]["errorType"] == "UnauthorizedException"
        assert wrong_secret.status_code == tampered.status_code == 403
        for refused in (wrong_secret, tampered):
            assert refused.json()["errors"][0]["errorType"] == "InvalidSignatureException"
        alice.assert_silent()


def test_wildcard_subscription_receives_every_channel_below_it(host: str) -> None:
    # Given
    with ws_client(host, ADMIN) as admin:
        assert admin.subscribe("all", "/orders/*")["type"] == "subscribe_success"
        # When
        for channel, n in (("/orders/alice", 1), ("/admin/orders", 2), ("orders/bob", 3)):
            assert (
                signed_publish(host, {"channel": channel, "events": [event(n)]}).status_code == 200
            )
        # Then
        assert admin.recv() == {"type": "data", "id": "all", "event": event(1)}
        assert admin.recv() == {"type": "data", "id": "all", "event": event(3)}
        admin.assert_silent()


def test_unsubscribe_stops_delivery(host: str, emulator: RealtimeEmulator) -> None:
    # Given
    with ws_client(host, GUEST_A) as alice:
        alice.subscribe("mine", "/orders/alice")
        # When
        alice.send(type="unsubscribe", id="mine")
        answer = alice.recv()
        again = (alice.send(type="unsubscribe", id="mine"), alice.recv())[1]
        signed_publish(host, {"channel": "/orders/alice", "events": [event(1)]})
        # Then
        assert answer == {"type": "unsubscribe_success", "id": "mine"}
        assert again["type"] == "unsubscribe_error"
        assert again["id"] == "mine"
        assert again["errors"][0]["errorType"] == "BadRequestException"
        alice.assert_silent()
        assert emulator.subscription_count == 0


def test_websocket_publish_is_refused_for_a_browser_credential(
    host: str, authorizer: FakeAuthorizer
) -> None:
    # Given
    with ws_client(host, PUBLIC) as browser, ws_client(host, GUEST_A) as alice:
        alice.subscribe("mine", "/orders/alice")
        # When
        browser.send(
            type="publish",
            id="p-1",
            channel="/orders/alice",
            events=[event(1)],
            authorization=GUEST_A,
        )
        # Then
        assert browser.recv() == {
            "type": "publish_error",
            "id": "p-1",
            "errors": [
                {
                    "errorType": "UnauthorizedException",
                    "message": "You are not authorized to make this call.",
                }
            ],
        }
        assert ("PUBLISH", "/orders/alice", GUEST_A) in authorizer.calls
        alice.assert_silent()


def test_websocket_publish_allowed_by_the_authorizer_is_delivered(host: str) -> None:
    # Given
    with ws_client(host, GUEST_A) as alice, ws_client(host, PUBLIC) as service:
        alice.subscribe("mine", "/orders/alice")
        # When
        service.send(
            type="publish",
            id="p-1",
            channel="/orders/alice",
            events=[event(1)],
            authorization={"Authorization": "service"},
        )
        # Then
        answer = service.recv()
        assert answer["type"] == "publish_success"
        assert answer["id"] == "p-1"
        assert answer["failed"] == []
        assert [s["index"] for s in answer["successful"]] == [0]
        assert alice.recv() == {"type": "data", "id": "mine", "event": event(1)}


def test_a_client_that_stops_reading_is_cut_off_at_the_byte_limit_and_slows_nobody(
    tmp_path: Path, authorizer: FakeAuthorizer
) -> None:
    # Given a client that never reads, one that does, and a 1 MiB backlog per connection
    limit = 1024 * 1024
    emulator = RealtimeEmulator(
        authorizer=authorizer,
        service_credentials=lambda: ServiceCredentials("testing", "testing"),
        send_backlog_bytes=limit,
    )
    pad = "x" * 200_000
    with (
        serve(build_app(make_site(tmp_path), realtime=emulator)) as host,
        ws_client(host, ADMIN, max_queue=1, compression=None) as slow,
        ws_client(host, ADMIN) as fast,
    ):
        slow.subscribe("all", "/orders/*")
        fast.subscribe("all", "/orders/*")
        # When batches of five 200 KB events keep coming (1 MB each, 100 MB at most)
        published: list[str] = []
        received: list[str] = []
        backlog: list[int] = []
        slowest = 0.0
        for batch in range(100):
            events = [json.dumps({"n": batch * 5 + i, "pad": pad}) for i in range(5)]
            started = time.monotonic()
            emulator.publish("/orders/alice", events)
            published += events
            received += [fast.recv(timeout=5)["event"] for _ in events]
            slowest = max(slowest, time.monotonic() - started)
            backlog.append(emulator.backlog_bytes)
            if emulator.connection_count == 1:
                break
        # Then the silent client was cut off (1008) holding no more than the limit, while the
        # other got every event, in order, promptly
        assert emulator.connection_count == 1, "the client that stopped reading was never dropped"
        assert max(backlog) <= limit
        assert received == published
        assert slowest < 2.0
        with pytest.raises(ConnectionClosed) as closed:
            slow.drain_until_closed()
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008


def test_a_subscription_ends_when_its_token_expires_and_a_fresh_token_resumes_it(
    tmp_path: Path, guest_tokens: GuestTokens
) -> None:
    # Given the web app's connection (the API key): the menu, and a guest's channel subscribed
    # with a token accepted for about two seconds more
    user_key = str(uuid.uuid4())
    channel = f"/orders/{user_key}"
    short = guest_tokens.token(user_key, exp=int(time.time()) - LEEWAY_SECONDS + 2)
    public = {"x-api-key": shared_api_key(), "host": "localhost"}
    emulator = RealtimeEmulator()
    with (
        serve(build_app(make_site(tmp_path), realtime=emulator)) as host,
        ws_client(host, public) as app,
    ):
        assert app.subscribe("menu", "/menu/updates")["type"] == "subscribe_success"
        mine = app.subscribe("mine", channel, authorization={"Authorization": short})
        assert mine == {"type": "subscribe_success", "id": "mine"}
        emulator.publish(channel, [event(1)])
        assert app.recv() == {"type": "data", "id": "mine", "event": event(1)}
        # When the token expires
        lapsed = app.recv(timeout=5)
        emulator.publish(channel, [event(2)])
        emulator.publish("/menu/updates", [event(3)])
        # Then the subscription ended with an error the client understands, and hears no more,
        # while the API key's subscription goes on
        assert lapsed["type"] == "subscribe_error"
        assert lapsed["id"] == "mine"
        assert lapsed["errors"][0]["errorType"] == "UnauthorizedException"
        assert app.recv() == {"type": "data", "id": "menu", "event": event(3)}
        app.assert_silent()
        # And subscribing again with a fresh token hears the channel again
        fresh = {"Authorization": guest_tokens.token(user_key)}
        assert app.subscribe("mine", channel, authorization=fresh)["type"] == "subscribe_success"
        emulator.publish(channel, [event(4)])
        assert app.recv() == {"type": "data", "id": "mine", "event": event(4)}


def test_an_open_subscription_is_decided_again_and_ends_once_refused(
    host: str, authorizer: FakeAuthorizer
) -> None:
    # Given a guest whose every allow holds a fifth of a second
    authorizer.guest_seconds = 0.2
    with ws_client(host, PUBLIC) as client:
        assert client.subscribe("mine", "/orders/alice", authorization=GUEST_A)["type"] == (
            "subscribe_success"
        )
        # When it is decided again while the guest is still allowed
        time.sleep(0.7)
        signed_publish(host, {"channel": "/orders/alice", "events": [event(1)]})
        # Then nothing but the events reaches the client
        assert client.recv() == {"type": "data", "id": "mine", "event": event(1)}
        assert authorizer.subscribe_calls("/orders/alice") >= 3
        # When the guest is revoked (a denylist the decision consults)
        authorizer.revoked.add("alice")
        # Then the subscription ends at its next decision, and hears no more
        lapsed = client.recv(timeout=1)
        signed_publish(host, {"channel": "/orders/alice", "events": [event(2)]})
        assert lapsed["type"] == "subscribe_error"
        assert lapsed["errors"][0]["errorType"] == "UnauthorizedException"
        client.assert_silent()


def test_an_unsubscribed_subscription_is_decided_no_more(
    host: str, authorizer: FakeAuthorizer, emulator: RealtimeEmulator
) -> None:
    # Given
    authorizer.guest_seconds = 0.1
    with ws_client(host, GUEST_A) as alice:
        alice.subscribe("mine", "/orders/alice")
        # When
        alice.send(type="unsubscribe", id="mine")
        assert alice.recv()["type"] == "unsubscribe_success"
        decided = authorizer.subscribe_calls("/orders/alice")
        # Then
        alice.assert_silent(0.5)
    assert authorizer.subscribe_calls("/orders/alice") == decided
    assert emulator.subscription_count == 0


def test_a_restart_drops_subscriptions_and_clients_resubscribe(
    host: str, emulator: RealtimeEmulator
) -> None:
    # Given
    with ws_client(host, GUEST_A) as alice:
        alice.subscribe("mine", "/orders/alice")
        # When
        emulator.disconnect_all()
        # Then
        with pytest.raises(ConnectionClosed) as closed:
            alice.recv()
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1012
    assert emulator.subscription_count == 0
    with ws_client(host, GUEST_A) as again:
        assert again.subscribe("mine", "/orders/alice")["type"] == "subscribe_success"
        emulator.publish("/orders/alice", [event(1)])
        assert again.recv() == {"type": "data", "id": "mine", "event": event(1)}


def test_the_shared_decision_refuses_a_garbage_connection_and_admits_a_guest(
    tmp_path: Path, guest_tokens: GuestTokens
) -> None:
    # Given the emulator as the gateway builds it, with barkeep.realtime's decision
    guest = {"Authorization": guest_tokens.token(), "host": "localhost"}
    garbage = {"Authorization": "garbage", "host": "localhost"}
    with serve(build_app(make_site(tmp_path))) as host:
        # When
        with ws_client(host, garbage, init=False) as refused:
            refused.send(type="connection_init")
            refusal = refused.recv()
        with ws_client(host, guest, init=False) as admitted:
            admitted.send(type="connection_init")
            ack = admitted.recv()
    # Then
    assert refusal["type"] == "connection_error"
    assert refusal["errors"][0]["errorType"] == "UnauthorizedException"
    assert ack["type"] == "connection_ack"


def test_the_shared_authorizer_and_api_key_are_the_default(tmp_path: Path) -> None:
    # Given the emulator as the gateway builds it, with barkeep.realtime's decision
    public = {"x-api-key": shared_api_key(), "host": "localhost"}
    with serve(build_app(make_site(tmp_path))) as host, ws_client(host, public) as browser:
        # When
        menu = browser.subscribe("menu", "/menu/updates")
        admin = browser.subscribe("admin", "/admin/orders")
        browser.send(type="publish", id="p", channel="/menu/updates", events=[event(1)])
        publish = browser.recv()
    # Then
    assert menu == {"type": "subscribe_success", "id": "menu"}
    assert admin["type"] == "subscribe_error"
    assert publish["type"] == "publish_error"
    assert publish["errors"][0]["errorType"] == "UnauthorizedException"


# --- protocol details (Starlette's TestClient) -------------------------------------------------


@pytest.fixture
def app(emulator: RealtimeEmulator, tmp_path: Path) -> Any:
    return build_app(make_site(tmp_path), realtime=emulator)


def receive(ws: Any) -> dict[str, Any]:
    while True:
        frame: dict[str, Any] = ws.receive_json()
        if frame["type"] != "ka":
            return frame


@contextmanager
def session(app: Any, auth: Mapping[str, str] = GUEST_A) -> Iterator[Any]:
    with TestClient(app).websocket_connect(
        "/event/realtime", subprotocols=subprotocols(auth)
    ) as ws:
        ws.send_json({"type": "connection_init"})
        assert receive(ws)["type"] == "connection_ack"
        yield ws


def test_a_duplicate_subscription_id_is_an_error(app: Any) -> None:
    with session(app) as ws:
        # Given
        ws.send_json({"type": "subscribe", "id": "dup", "channel": "/orders/alice"})
        assert receive(ws) == {"type": "subscribe_success", "id": "dup"}
        # When
        ws.send_json({"type": "subscribe", "id": "dup", "channel": "/orders/alice"})
        # Then
        frame = receive(ws)
    assert frame["type"] == "subscribe_error"
    assert frame["id"] == "dup"
    assert frame["errors"][0]["errorType"] == "BadRequestException"
    assert "already in use" in frame["errors"][0]["message"]


@pytest.mark.parametrize(
    "channel",
    [
        "",
        "/",
        "/orders//x",
        "/a/b/c/d/e/f",
        "/orders/ali ce",
        "/orders/-alice",
        "/orders/" + "x" * 51,
        "/*",
        "/orders/*/x",
        "/orders/al*",
        "/ordérs/alice",
    ],
)
def test_invalid_channel_names_are_refused(app: Any, channel: str) -> None:
    with session(app) as ws:
        # When
        ws.send_json({"type": "subscribe", "id": "s", "channel": channel})
        # Then
        frame = receive(ws)
    assert frame["type"] == "subscribe_error"
    assert frame["errors"][0]["errorType"] == "BadRequestException"


def test_invalid_subscription_ids_are_refused(app: Any) -> None:
    with session(app) as ws:
        ws.send_json({"type": "subscribe", "id": "not ok!", "channel": "/orders/alice"})
        bad = receive(ws)
        ws.send_json({"type": "subscribe", "channel": "/orders/alice"})
        missing = receive(ws)
    assert bad["type"] == "subscribe_error"
    assert bad["errors"][0]["errorType"] == "BadRequestException"
    assert missing["type"] == "error"
    assert missing["errors"][0]["errorType"] == "BadRequestException"


def test_publish_limits_over_http_and_websocket(app: Any, authorizer: FakeAuthorizer) -> None:
    # Given
    too_many = [event(n) for n in range(6)]
    too_large = [json.dumps("x" * MAX_EVENT_BYTES)]
    cases = {
        "too many": too_many,
        "too large": too_large,
        "not JSON": ["{nope"],
        "not a string": [{"a": 1}],
        "empty": [],
    }
    client = TestClient(app)
    with session(app) as ws:
        for name, events in cases.items():
            # When
            response = signed_publish_in_process(
                client, {"channel": "/orders/alice", "events": events}
            )
            ws.send_json(
                {
                    "type": "publish",
                    "id": "p",
                    "channel": "/orders/alice",
                    "events": events,
                    "authorization": {"Authorization": "service"},
                }
            )
            frame = receive(ws)
            # Then
            assert response.status_code == 400, name
            assert response.json()["errors"][0]["errorType"] == "BadRequestException", name
            assert frame["type"] == "publish_error", name
            assert frame["errors"][0]["errorType"] == "BadRequestException", name
        ws.send_json({"type": "publish", "id": "p", "channel": "/orders/*", "events": [event(1)]})
        wildcard = receive(ws)
    assert wildcard["type"] == "publish_error"
    assert "wildcards" in wildcard["errors"][0]["message"]
    assert not [c for c in authorizer.calls if c[0] == "PUBLISH"]  # refused before authorizing


def signed_publish_in_process(client: TestClient, body: dict[str, Any]) -> httpx.Response:
    data = json.dumps(body).encode()
    request = AWSRequest(
        method="POST",
        url="http://testserver/event",
        data=data,
        headers={"Content-Type": "application/json"},
    )
    SigV4Auth(Credentials("testing", "testing"), "appsync", REGION).add_auth(request)
    return client.post("/event", content=data, headers=dict(request.headers.items()))


def test_unknown_and_malformed_messages_get_aws_shaped_errors(app: Any) -> None:
    with session(app) as ws:
        ws.send_json({"type": "start", "id": "x"})
        unknown = receive(ws)
        ws.send_text("not json")
        malformed = receive(ws)
    assert unknown == {
        "type": "error",
        "id": "x",
        "errors": [
            {
                "errorType": "UnsupportedOperation",
                "message": "Operation 'start' is not supported through the realtime channel",
            }
        ],
    }
    assert malformed["type"] == "error"
    assert malformed["errors"][0]["errorType"] == "BadRequestException"


def test_cors_lets_a_browser_see_the_refusal(app: Any) -> None:
    client = TestClient(app)
    # When
    preflight = client.options(
        "/event",
        headers={
            "Origin": "http://localhost:5173",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, x-api-key",
        },
    )
    refused = client.post(
        "/event",
        json={"channel": "/menu/updates", "events": [event(1)]},
        headers={"Origin": "http://localhost:5173", "x-api-key": API_KEY},
    )
    # Then
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert preflight.headers["access-control-allow-headers"] == "content-type, x-api-key"
    assert refused.status_code == 401
    assert refused.headers["access-control-allow-origin"] == "*"
    assert refused.json()["errors"][0]["errorType"] == "UnauthorizedException"


def test_config_json_advertises_the_shared_api_key(app: Any) -> None:
    body = TestClient(app).get("/config.json").json()
    assert body["realtime"]["api_key"] == shared_api_key()


# --- units ------------------------------------------------------------------------------------


def test_channel_matching() -> None:
    wildcard = parse_channel("/orders/*", subscribe=True)
    exact = parse_channel("orders/alice", subscribe=True)
    assert exact == Channel(("orders", "alice"))
    assert wildcard.path == "/orders/*"
    assert wildcard.matches(parse_channel("/orders/alice", subscribe=False))
    assert wildcard.matches(parse_channel("/orders/alice/x", subscribe=False))
    assert not wildcard.matches(parse_channel("/orders", subscribe=False))
    assert not wildcard.matches(parse_channel("/Orders/alice", subscribe=False))
    assert exact.matches(parse_channel("/orders/alice", subscribe=False))
    assert not exact.matches(parse_channel("/orders/alice/x", subscribe=False))
    with pytest.raises(RealtimeError):
        parse_channel("/orders/*", subscribe=False)


def _signed_headers(body: bytes, *, service: str = "appsync") -> dict[str, str]:
    request = AWSRequest(
        method="POST",
        url="http://localhost:8080/event",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    SigV4Auth(Credentials("testing", "testing", "token"), service, REGION).add_auth(request)
    headers = {k.lower(): v for k, v in request.headers.items()}
    headers["host"] = "localhost:8080"
    return headers


@pytest.mark.parametrize(
    ("change", "error_type"),
    [
        ({}, None),
        ({"now": timedelta(minutes=4)}, None),
        ({"now": timedelta(minutes=6)}, "InvalidSignatureException"),
        ({"now": -timedelta(minutes=6)}, "InvalidSignatureException"),
        ({"service": "execute-api"}, "InvalidSignatureException"),
        ({"key_id": "someone-else"}, "UnrecognizedClientException"),
        ({"body": b'{"channel":"/x"}'}, "InvalidSignatureException"),
        ({"drop": "x-amz-security-token"}, "InvalidSignatureException"),
        ({"authorization": "AWS4-HMAC-SHA256 nonsense"}, "IncompleteSignatureException"),
    ],
)
def test_sigv4_verification(change: dict[str, Any], error_type: str | None) -> None:
    # Given
    body = b'{"channel":"/orders/alice","events":["{}"]}'
    headers = _signed_headers(body, service=change.get("service", "appsync"))
    if "drop" in change:
        del headers[change["drop"]]
    if "authorization" in change:
        headers["authorization"] = change["authorization"]
    signed_at = datetime.strptime(headers["x-amz-date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    # When
    refusal = verify_sigv4(
        method="POST",
        url="http://localhost:8080/event",
        headers=headers,
        body=change.get("body", body),
        credentials=ServiceCredentials(change.get("key_id", "testing"), "testing"),
        now=signed_at + change.get("now", timedelta(0)),
    )
    # Then
    assert (refusal and refusal.error_type) == error_type
