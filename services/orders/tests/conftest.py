from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest
from barkeep.local import LocalApi
from barkeep.realtime import REALTIME
from barkeep.testing import GuestTokens, reset_process_state
from barkeep.testing.realtime import RealtimeCapture

pytest_plugins = ["barkeep.testing"]

SERVICE_DIR = Path(__file__).resolve().parents[1]
MENU_MIGRATIONS = SERVICE_DIR.parent / "menu" / "migrations"


@pytest.fixture(scope="session")
def service_migrations() -> dict[str, Path]:
    # menu's migrations too: orders reads drinks through menu's orderable_drinks view
    return {"menu": MENU_MIGRATIONS, "orders": SERVICE_DIR / "migrations"}


@pytest.fixture
def realtime() -> RealtimeCapture:
    return RealtimeCapture()


@pytest.fixture
def api(
    clean_database: str, local_aws: Any, guest_tokens: GuestTokens, realtime: RealtimeCapture
) -> LocalApi:
    from chalicelib import wiring

    reset_process_state(wiring.reset)
    wiring.publisher().sinks[REALTIME] = realtime
    from app import app

    local_aws.drain_tap()
    return LocalApi(app)


def add_drink(url: str, name: str = "Daiquiri", *, active: bool = True) -> str:
    """A drink as the menu service would have stored it (orders only sees the view)."""
    drink_id = str(uuid.uuid4())
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO menu.drinks (id, section_id, name, name_key, ingredients, is_active)"
            " VALUES (%s, %s, %s, %s, '[]', %s)",
            (drink_id, str(uuid.uuid4()), name, f"{name.lower()}-{drink_id}", active),
        )
    return drink_id


def backdate(url: str, order_id: str, hours: int) -> None:
    """Make an order look placed `hours` earlier (an earlier night's, say)."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "UPDATE orders.orders SET created_at = created_at - make_interval(hours => %s)"
            " WHERE id = %s",
            (hours, order_id),
        )


@pytest.fixture
def drink_id(clean_database: str) -> str:
    return add_drink(clean_database)


@pytest.fixture
def ada(guest_tokens: GuestTokens) -> dict[str, str]:
    user_key = str(uuid.uuid4())
    return {"user_key": user_key, "token": guest_tokens.token(user_key, "Ada")}


@pytest.fixture
def bob(guest_tokens: GuestTokens) -> dict[str, str]:
    user_key = str(uuid.uuid4())
    return {"user_key": user_key, "token": guest_tokens.token(user_key, "Bob")}


def order(api: LocalApi, guest: dict[str, str], drink_id: str, **body: Any) -> Any:
    headers = {}
    if "idempotency_key" in body:
        headers["Idempotency-Key"] = body.pop("idempotency_key")
    return api.post(
        "/orders", token=guest["token"], headers=headers, json_body={"drink_id": drink_id, **body}
    )


def active_count(url: str, user_key: str) -> int:
    """How many open orders the guest's counter says they have."""
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT active FROM orders.active_orders WHERE user_key = %s", (user_key,)
        ).fetchone()
    return int(row[0]) if row else 0


def many_guests(guest_tokens: GuestTokens, n: int) -> list[dict[str, str]]:
    guests = [{"user_key": str(uuid.uuid4())} for _ in range(n)]
    for i, g in enumerate(guests):
        g["token"] = guest_tokens.token(g["user_key"], f"Guest {i}")
    return guests
