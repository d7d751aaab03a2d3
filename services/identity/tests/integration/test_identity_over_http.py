"""A guest's whole life through the running stack, over real HTTP."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from barkeep.testing.fuzz import server_errors
from barkeep.testing.stack import RunningStack

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("stack")]


def test_invite_join_refresh_and_the_other_services_trust_the_token(
    stack: RunningStack, identity_url: str, admin_headers: dict[str, str]
) -> None:
    # Given the bartender makes an invite
    code = requests.post(
        f"{identity_url}/admin/registration-codes",
        headers=admin_headers,
        json={"max_uses": 2},
        timeout=5,
    ).json()["registration_code"]
    assert code["join_url"].startswith(stack.config["api"]["menu"].split("/api/")[0] + "/join?")
    qr = requests.get(
        f"{identity_url}/admin/registration-codes/{code['code']}/qr.svg",
        headers=admin_headers,
        timeout=5,
    )
    assert qr.headers["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    # When a guest joins with it
    joined = requests.post(
        f"{identity_url}/register",
        timeout=5,
        headers={"X-Registration-Code": code["code"]},
        json={"username": "Grace"},
    )
    assert joined.status_code == 201
    tokens: dict[str, Any] = joined.json()
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    # Then identity knows them, and the menu service (verifying against identity's JWKS over
    # HTTP) treats them as a guest: not an admin
    assert (
        requests.get(f"{identity_url}/me", headers=bearer, timeout=5).json()["user"]["username"]
        == "Grace"
    )
    menu_admin = requests.get(f"{stack.api('menu')}/admin/drinks", headers=bearer, timeout=5)
    assert menu_admin.status_code == 403
    # And the refresh token rotates, a replay revokes the family
    rotated = requests.post(
        f"{identity_url}/token/refresh", timeout=5, json={"refresh_token": tokens["refresh_token"]}
    )
    assert rotated.status_code == 200
    replay = requests.post(
        f"{identity_url}/token/refresh", timeout=5, json={"refresh_token": tokens["refresh_token"]}
    )
    assert replay.status_code == 401


def test_jwks_is_public(identity_url: str) -> None:
    keys = requests.get(f"{identity_url}/.well-known/jwks.json", timeout=5).json()["keys"]
    assert keys and all(k["alg"] == "RS256" and "d" not in k for k in keys)


def test_no_generated_request_gets_a_server_error(
    identity_url: str, admin_headers: dict[str, str]
) -> None:
    report = server_errors(identity_url, admin_headers)
    assert report["server_errors"] == []
    assert report["operations"] >= 10
