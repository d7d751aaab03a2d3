"""A stand-in for AppSync in functional tests: records what would be published, per channel,
and can be switched 'down' to prove the outbox keeps every notification."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from barkeep.events import OutboxMessage


class RealtimeCapture:
    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []
        self.down = False

    def send(self, messages: Sequence[OutboxMessage]) -> set[str]:
        if self.down:
            raise ConnectionError("AppSync unreachable")
        for m in messages:
            self.sent.append((m.topic, json.loads(m.payload)))
        return {m.event_id for m in messages}

    def on(self, channel: str) -> list[dict[str, Any]]:
        return [event for ch, event in self.sent if ch == channel]
