from __future__ import annotations

from typing import Any

import pytest
import requests
from barkeep.testing.stack import RunningStack, admin_headers, stack

__all__ = ["admin_headers", "stack"]


@pytest.fixture(scope="session")
def orders_url(stack: RunningStack) -> str:
    return stack.api("orders")


@pytest.fixture(scope="session")
def invite(stack: RunningStack, admin_headers: dict[str, str]) -> str:
    response = requests.post(
        f"{stack.api('identity')}/admin/registration-codes",
        headers=admin_headers,
        json={"max_uses": 100},
        timeout=5,
    )
    code: str = response.json()["registration_code"]["code"]
    return code


def join(stack: RunningStack, code: str, name: str) -> dict[str, Any]:
    response = requests.post(
        f"{stack.api('identity')}/register",
        timeout=5,
        headers={"X-Registration-Code": code},
        json={"username": name},
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


@pytest.fixture(scope="session")
def drink_id(stack: RunningStack) -> str:
    drinks = requests.get(f"{stack.api('menu')}/drinks", timeout=5).json()["drinks"]
    return str(drinks[0]["id"])
