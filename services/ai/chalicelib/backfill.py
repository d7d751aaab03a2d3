"""Backfill ai's menu read model from the menu service's public API (for a fresh ai database,
or after events were lost beyond the outbox's reach). Usage:

    python -m chalicelib.backfill https://<menu base URL>   (with the ai service's environment)

It reads the public menu over HTTP, never menu's tables, and applies each drink as a
synthetic DrinkUpdated event, so the consumer's ordering rules (newer state wins) hold."""

from __future__ import annotations

import json
import sys
import urllib.request
import uuid
from typing import Any

from chalicelib.wiring import ai


def backfill(menu_url: str) -> int:
    if not menu_url.startswith(("http://", "https://")):
        raise ValueError("the menu URL must be http(s)")
    with urllib.request.urlopen(f"{menu_url.rstrip('/')}/drinks", timeout=10) as r:  # noqa: S310
        drinks: list[dict[str, Any]] = json.loads(r.read())["drinks"]
    service = ai()
    for drink in drinks:
        service.apply_menu_event(
            {
                "metadata": {
                    "event_id": str(uuid.uuid4()),
                    "event_type": "DrinkUpdated",
                    "version": 1,
                    "occurred_at": drink["updated_at"],
                    "correlation_id": "backfill",
                },
                "data": drink,
            }
        )
    return len(drinks)


if __name__ == "__main__":
    print(f"backfilled {backfill(sys.argv[1])} drinks")
