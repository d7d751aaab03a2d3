"""The AI bartender through the running stack: the read model is fed by real events."""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests
from barkeep.testing.fuzz import server_errors
from barkeep.testing.stack import RunningStack

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("stack")]


def _guest(stack: RunningStack, admin_headers: dict[str, str]) -> dict[str, str]:
    identity = stack.api("identity")
    code = requests.post(
        f"{identity}/admin/registration-codes",
        headers=admin_headers,
        json={"max_uses": 5},
        timeout=5,
    ).json()["registration_code"]["code"]
    token = requests.post(
        f"{identity}/register",
        headers={"X-Registration-Code": code},
        json={"username": "Grace"},
        timeout=5,
    ).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def test_recommendations_come_from_the_seeded_menu(
    stack: RunningStack, ai_url: str, admin_headers: dict[str, str]
) -> None:
    menu = {
        d["id"]: d for d in requests.get(f"{stack.api('menu')}/drinks", timeout=5).json()["drinks"]
    }
    if not all("facts" in d for d in menu.values()):
        # without menu's derived facts every ingredient is unknown, so "no alcohol" rightly
        # rules out every drink (ADR 0033); this holds again once menu sends facts (issue 17)
        pytest.skip("the menu service does not send facts yet")
    guest = _guest(stack, admin_headers)
    deadline = time.monotonic() + 20
    while True:  # the seed's DrinkCreated events reach ai through EventBridge and SQS
        response = requests.post(
            f"{ai_url}/recommendations",
            headers=guest,
            timeout=5,
            json={"preferences": "fresh, no alcohol"},
        )
        recs: list[dict[str, Any]] = response.json()["recommendations"]
        if recs or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert recs and all(r["drink_id"] in menu for r in recs)
    assert all("non-alcoholic" in menu[r["drink_id"]]["tags"] for r in recs)


def test_a_new_drink_gets_a_prompt_and_a_generated_image(
    stack: RunningStack, ai_url: str, admin_headers: dict[str, str]
) -> None:
    menu = stack.api("menu")
    section = requests.get(f"{menu}/sections", timeout=5).json()["sections"][0]["id"]
    drink = requests.post(
        f"{menu}/admin/drinks",
        headers=admin_headers,
        timeout=5,
        json={
            "section_id": section,
            "name": "Integration Spritz",
            "tags": ["sparkling"],
            "ingredients": [{"name": "Prosecco", "amount": 9, "unit": "cl"}],
        },
    ).json()["drink"]
    prompt_url = f"{ai_url}/admin/drinks/{drink['id']}/image-prompt"
    deadline = time.monotonic() + 20
    while requests.get(prompt_url, headers=admin_headers, timeout=5).status_code != 200:
        assert time.monotonic() < deadline, "no prompt"
        time.sleep(0.2)
    assert (
        requests.post(
            f"{ai_url}/admin/drinks/{drink['id']}/image", headers=admin_headers, timeout=5
        ).status_code
        == 202
    )
    while not requests.get(f"{menu}/drinks/{drink['id']}", timeout=5).json()["drink"]["image_url"]:
        assert time.monotonic() < deadline + 20, "the generated image never reached the menu"
        time.sleep(0.3)
    image_url = requests.get(f"{menu}/drinks/{drink['id']}", timeout=5).json()["drink"]["image_url"]
    assert "/placeholder-" in image_url
    assert requests.get(image_url, timeout=5).content.startswith(b"\x89PNG")


def test_no_generated_request_gets_a_server_error(
    stack: RunningStack, ai_url: str, admin_headers: dict[str, str]
) -> None:
    for headers in (_guest(stack, admin_headers), admin_headers):
        report = server_errors(ai_url, headers, examples=15)
        assert report["server_errors"] == []
