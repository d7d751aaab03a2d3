"""The AppSync Events emulator answers hostile frames with AWS-shaped errors and keeps the
connection (issue 15): a frame nested deeper than the JSON parser's stack used to drop the
sender's connection with no close frame."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from barkeep.testing.hostile import nested_json
from devstack.gateway import build_app
from devstack.realtime import RealtimeEmulator, ServiceCredentials
from starlette.testclient import TestClient

from .test_realtime import (
    GUEST_A,
    FakeAuthorizer,
    make_site,
    receive,
    session,
    signed_publish_in_process,
    subprotocols,
)

DEEP = nested_json(1000, field=None).decode()


@pytest.fixture
def app(tmp_path: Path) -> Any:
    emulator = RealtimeEmulator(
        authorizer=FakeAuthorizer(),
        service_credentials=lambda: ServiceCredentials("testing", "testing"),
        keep_alive_seconds=60,
    )
    return build_app(make_site(tmp_path), realtime=emulator)


@pytest.fixture
def ws(app: Any) -> Iterator[Any]:
    with session(app) as connection:
        yield connection


def _still_serves(ws: Any) -> None:
    ws.send_json({"type": "subscribe", "id": "after", "channel": "/orders/alice"})
    assert receive(ws) == {"type": "subscribe_success", "id": "after"}


@pytest.mark.parametrize(
    "frame",
    [DEEP, '{"type": "subscribe", "id": "s", "channel": ' + DEEP + "}", '{"type": ' + DEEP + "}"],
    ids=["bare", "in-a-field", "as-the-type"],
)
def test_a_deeply_nested_frame_gets_an_error_frame_and_the_connection_stays(
    ws: Any, frame: str
) -> None:
    # When a frame nests deeper than the JSON parser's stack
    ws.send_text(frame)
    # Then the sender gets AWS's error frame, not a dropped connection
    answer = receive(ws)
    assert answer["type"] in ("error", "subscribe_error")
    assert answer["errors"][0]["errorType"] == "BadRequestException"
    _still_serves(ws)


def test_a_deeply_nested_event_is_a_publish_error(app: Any, ws: Any) -> None:
    # When an event (a JSON string) nests too deeply, over the WebSocket and over HTTP
    ws.send_json(
        {
            "type": "publish",
            "id": "p",
            "channel": "/orders/alice",
            "events": [DEEP],
            "authorization": {"Authorization": "service"},
        }
    )
    frame = receive(ws)
    response = signed_publish_in_process(
        TestClient(app), {"channel": "/orders/alice", "events": [DEEP]}
    )
    # Then both refuse it as a bad request
    assert frame["type"] == "publish_error"
    assert frame["errors"][0]["errorType"] == "BadRequestException"
    assert response.status_code == 400
    assert response.json()["errors"][0]["errorType"] == "BadRequestException"
    _still_serves(ws)


def test_a_deeply_nested_auth_subprotocol_gets_connection_error(app: Any) -> None:
    # Given an auth object (base64url JSON in the subprotocol) nested too deeply
    encoded = base64.urlsafe_b64encode(DEEP.encode()).decode().rstrip("=")
    offered = [subprotocols(GUEST_A)[0], f"header-{encoded}"]
    # When the client connects
    with TestClient(app).websocket_connect("/event/realtime", subprotocols=offered) as ws:
        ws.send_json({"type": "connection_init"})
        answer = json.loads(ws.receive_text())
    # Then it is refused as AWS refuses a malformed authorization
    assert answer["type"] == "connection_error"
    assert answer["errors"][0]["errorType"] == "UnauthorizedException"
