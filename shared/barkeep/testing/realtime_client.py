"""A minimal AppSync Events WebSocket client for tests (the protocol of API.md)."""

from __future__ import annotations

import base64
import json
import time
from typing import Any
from urllib.parse import urlparse

from websockets.sync.client import ClientConnection, connect


def _header(auth: dict[str, str]) -> str:
    return "header-" + base64.urlsafe_b64encode(json.dumps(auth).encode()).rstrip(b"=").decode()


class Realtime:
    def __init__(self, ws_url: str, auth: dict[str, str]) -> None:
        self.auth = {"host": urlparse(ws_url).netloc, **auth}
        self.ws: ClientConnection = connect(
            ws_url,
            subprotocols=["aws-appsync-event-ws", _header(self.auth)],  # type: ignore[list-item]
            open_timeout=5,
        )
        self.ws.send(json.dumps({"type": "connection_init"}))
        ack = self.next_of("connection_ack")
        assert ack["connectionTimeoutMs"] > 0

    def next_of(self, *types: str, timeout: float = 3.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no {types} within {timeout}s")
            message: dict[str, Any] = json.loads(self.ws.recv(timeout=remaining))
            if message.get("type") in types:
                return message

    def subscribe(
        self, channel: str, sub_id: str, authorization: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """Subscribe with the connection's auth, or with `authorization` of its own."""
        auth = self.auth if authorization is None else {"host": self.auth["host"], **authorization}
        self.ws.send(
            json.dumps(
                {"type": "subscribe", "id": sub_id, "channel": channel, "authorization": auth}
            )
        )
        return self.next_of("subscribe_success", "subscribe_error")

    def event(self, timeout: float = 3.0) -> dict[str, Any]:
        frame = self.next_of("data", timeout=timeout)
        event: dict[str, Any] = json.loads(frame["event"])
        return event

    def close(self) -> None:
        self.ws.close()
