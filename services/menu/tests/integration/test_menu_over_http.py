"""The menu through the running local gateway, over real HTTP, as the web app will use it."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import requests

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("stack")]


def test_config_json_points_at_the_menu(stack: Any) -> None:
    config = stack.config
    assert config["stage"] == "local"
    assert set(config["api"]) == {"menu", "identity", "orders", "ai"}
    assert config["auth"]["mode"] == "local" and config["auth"]["client_id"]


def test_seed_menu_is_served(menu_url: str) -> None:
    drinks = requests.get(f"{menu_url}/drinks", timeout=5).json()["drinks"]
    sections = requests.get(f"{menu_url}/sections", timeout=5).json()["sections"]
    assert len(drinks) >= 25 and len(sections) >= 5
    zero_proof = requests.get(
        f"{menu_url}/drinks", params={"tag": "non-alcoholic"}, timeout=5
    ).json()["drinks"]
    assert zero_proof and all("non-alcoholic" in d["tags"] for d in zero_proof)


def test_bartender_edits_the_menu_and_guests_see_it(
    menu_url: str, admin_headers: dict[str, str]
) -> None:
    section_id = requests.get(f"{menu_url}/sections", timeout=5).json()["sections"][0]["id"]
    name = f"Integration Fizz {uuid.uuid4().hex[:6]}"
    created = requests.post(
        f"{menu_url}/admin/drinks",
        headers=admin_headers,
        timeout=5,
        json={
            "section_id": section_id,
            "name": name,
            "ingredients": [{"name": "Soda water", "amount": None, "unit": "top"}],
        },
    )
    assert created.status_code == 201, created.text
    drink_id = created.json()["drink"]["id"]
    assert requests.get(f"{menu_url}/drinks/{drink_id}", timeout=5).json()["drink"]["name"] == name
    off = requests.patch(
        f"{menu_url}/admin/drinks/{drink_id}",
        headers=admin_headers,
        json={"is_active": False},
        timeout=5,
    )
    assert off.status_code == 200
    assert requests.get(f"{menu_url}/drinks/{drink_id}", timeout=5).status_code == 404
    gone = requests.delete(f"{menu_url}/admin/drinks/{drink_id}", headers=admin_headers, timeout=5)
    assert gone.status_code == 204


def test_bad_requests_get_the_envelope_over_http(
    menu_url: str, admin_headers: dict[str, str]
) -> None:
    cases = [
        (requests.post, "/admin/drinks", {"data": b"{nope"}, 400, "validation_error"),
        (requests.post, "/admin/sections", {"data": b"x" * (70 * 1024)}, 413, "payload_too_large"),
        (requests.get, "/drinks/not-a-uuid", {}, 400, "validation_error"),
        (requests.get, f"/drinks/{uuid.uuid4()}", {}, 404, "drink_not_found"),
        (requests.get, "/no/such/route", {}, 404, "not_found"),
    ]
    for call, path, kwargs, status, code in cases:
        response = call(f"{menu_url}{path}", headers=admin_headers, timeout=5, **kwargs)
        assert (response.status_code, response.json()["error"]["code"]) == (status, code), path
    anonymous = requests.get(f"{menu_url}/admin/drinks", timeout=5)
    assert anonymous.status_code == 401


def test_conditional_get_saves_the_body(menu_url: str) -> None:
    first = requests.get(f"{menu_url}/drinks", timeout=5)
    again = requests.get(
        f"{menu_url}/drinks", headers={"If-None-Match": first.headers["ETag"]}, timeout=5
    )
    assert again.status_code == 304 and again.content == b""


def test_openapi_is_served(menu_url: str) -> None:
    doc = requests.get(f"{menu_url}/openapi.json", timeout=5).json()
    assert "/admin/drinks/{id}/image-upload" in doc["paths"]
