from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from barkeep.local import LocalApi
from barkeep.realtime import REALTIME
from barkeep.testing import reset_process_state
from barkeep.testing.realtime import RealtimeCapture

pytest_plugins = ["barkeep.testing"]

SERVICE_DIR = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def service_migrations() -> dict[str, Path]:
    return {"menu": SERVICE_DIR / "migrations"}


@pytest.fixture
def realtime() -> RealtimeCapture:
    return RealtimeCapture()


@pytest.fixture
def api(clean_database: str, local_aws: Any, realtime: RealtimeCapture) -> LocalApi:
    """The menu app behind Chalice's local API Gateway, on a clean database and moto."""
    from chalicelib import wiring

    reset_process_state(wiring.reset)
    wiring.publisher().sinks[REALTIME] = realtime
    from app import app

    local_aws.drain_tap()
    return LocalApi(app)


@pytest.fixture
def section(api: LocalApi, admin_token: str) -> dict[str, Any]:
    response = api.post(
        "/admin/sections",
        token=admin_token,
        json_body={"name": "Sours", "description": "Bright", "display_order": 10},
    )
    assert response.status == 201, response.body
    section: dict[str, Any] = response.json()["section"]
    return section


def drink_body(section_id: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "section_id": section_id,
        "name": "Daiquiri",
        "description": "Rum, lime and sugar in balance.",
        "ingredients": [
            {"name": "White rum", "amount": 6, "unit": "cl"},
            {"name": "Lime juice", "amount": 2.5, "unit": "cl"},
            {"name": "Simple syrup", "amount": 1.5, "unit": "cl"},
        ],
        "recipe_steps": ["Shake hard with ice.", "Fine strain into a chilled coupe."],
        "tags": ["sour", "Classic"],
    }
    body.update(overrides)
    return body


def refused_fields(response: Any) -> dict[str, str]:
    """The field errors of a 400 `validation_error` (asserting that is what it is)."""
    assert response.status == 400, (response.status, response.body)
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    fields: dict[str, str] = error["details"]["fields"]
    return fields


@pytest.fixture
def drink(api: LocalApi, admin_token: str, section: dict[str, Any]) -> dict[str, Any]:
    response = api.post("/admin/drinks", token=admin_token, json_body=drink_body(section["id"]))
    assert response.status == 201, response.body
    drink: dict[str, Any] = response.json()["drink"]
    return drink
