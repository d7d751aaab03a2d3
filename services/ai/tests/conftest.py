from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from barkeep.local import LocalApi
from barkeep.testing import GuestTokens, reset_process_state

from tests.facts import facts_for

pytest_plugins = ["barkeep.testing"]

SERVICE_DIR = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def service_migrations() -> dict[str, Path]:
    return {"ai": SERVICE_DIR / "migrations"}


@pytest.fixture
def api(clean_database: str, local_aws: Any, guest_tokens: GuestTokens) -> LocalApi:
    from chalicelib import wiring
    from chalicelib.settings import ai_settings

    sqs = local_aws.client("sqs")
    url = sqs.create_queue(QueueName=ai_settings().queue_name)["QueueUrl"]
    while batch := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages"):
        for message in batch:  # start empty (PurgeQueue is limited to once a minute)
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    reset_process_state(wiring.reset)
    from app import app

    return LocalApi(app)


@pytest.fixture
def guest(guest_tokens: GuestTokens) -> dict[str, str]:
    user_key = str(uuid.uuid4())
    return {"user_key": user_key, "token": guest_tokens.token(user_key, "Ada")}


def drink_event(
    name: str,
    tags: list[str],
    ingredients: list[str],
    *,
    kind: str = "DrinkCreated",
    drink_id: str | None = None,
    description: str = "",
    active: bool = True,
    sold_out: bool = False,
    updated_at: str | None = None,
    facts: bool = True,
) -> dict[str, Any]:
    """A menu Drink event as EventBridge delivers it to the ai queue (with the facts menu
    derives, unless `facts=False`: an event from before issue 17)."""
    drink_id = drink_id or str(uuid.uuid4())
    now = updated_at or datetime.now(UTC).isoformat()
    data: dict[str, Any] = {
        "id": drink_id,
        "section_id": str(uuid.uuid4()),
        "name": name,
        "description": description,
        "tags": tags,
        "is_active": active,
        "sold_out": sold_out,
        "ingredients": [{"name": i, "amount": None, "unit": None} for i in ingredients],
        "recipe_steps": [],
        "image_url": None,
        "created_at": now,
        "updated_at": now,
    }
    if facts:
        data["facts"] = facts_for(ingredients)
    if kind == "DrinkDeleted":
        data = {"drink_id": drink_id}
    return {
        "detail-type": kind,
        "source": "barkeep.menu",
        "detail": {
            "metadata": {
                "event_id": str(uuid.uuid4()),
                "event_type": kind,
                "version": 1,
                "occurred_at": now,
                "correlation_id": "test",
            },
            "data": data,
        },
    }


MENU = [
    ("Daiquiri", ["sour", "citrus", "classic"], ["White rum", "Lime juice", "Simple syrup"]),
    ("Negroni", ["bitter", "strong", "classic"], ["Gin", "Campari", "Sweet vermouth"]),
    (
        "Piña Colada",
        ["sweet", "creamy", "tropical"],
        ["White rum", "Pineapple juice", "Coconut cream"],
    ),
    ("Moscow Mule", ["spicy", "fresh", "sparkling"], ["Vodka", "Lime juice", "Ginger beer"]),
    (
        "Nojito",
        ["fresh", "herbal", "citrus", "non-alcoholic"],
        ["Mint leaves", "Lime juice", "Soda water"],
    ),
    (
        "Virgin Colada",
        ["sweet", "creamy", "tropical", "non-alcoholic"],
        ["Pineapple juice", "Coconut cream"],
    ),
]


@pytest.fixture
def menu(api: LocalApi) -> dict[str, str]:
    """The read model filled through the real consumer, as the queue would deliver it."""
    from app import handle_work

    ids = {}
    for name, tags, ingredients in MENU:
        event = drink_event(name, tags, ingredients)
        handle_work(event)
        ids[name] = event["detail"]["data"]["id"]
    return ids
