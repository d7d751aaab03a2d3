from __future__ import annotations

from typing import Any

import jwt
import pytest
from barkeep.local import LocalApi

from tests.conftest import ISSUER, register


def test_guest_joins_with_a_code_and_a_name(
    api: LocalApi, invite: dict[str, Any], local_aws: Any
) -> None:
    response = register(api, invite["code"], "  Ada Lovelace ")
    assert response.status == 201
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 900
    assert body["user"]["username"] == "Ada Lovelace" and body["user"]["is_active"] is True
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["sub"] == body["user"]["user_key"] and claims["token_type"] == "access"
    assert claims["iss"] == ISSUER and claims["aud"] == "barkeep"
    assert claims["exp"] - claims["iat"] == 900
    assert jwt.get_unverified_header(body["access_token"])["kid"]
    me = api.get("/me", token=body["access_token"])
    assert me.status == 200 and me.json()["user"] == body["user"]
    events = local_aws.drain_tap(wait_seconds=1) + local_aws.drain_tap()
    assert [e["detail-type"] for e in events] == ["GuestRegistered"]
    assert events[0]["detail"]["data"] == {
        "user_key": body["user"]["user_key"],
        "username": "Ada Lovelace",
    }


def test_two_guests_may_share_a_name(api: LocalApi, invite: dict[str, Any]) -> None:
    first = register(api, invite["code"], "Sam").json()["user"]
    second = register(api, invite["code"], "Sam").json()["user"]
    assert first["username"] == second["username"] and first["user_key"] != second["user_key"]


def test_each_registration_uses_up_one_use(
    api: LocalApi, admin_token: str, invite: dict[str, Any]
) -> None:
    for _ in range(5):
        assert register(api, invite["code"]).status == 201
    response = register(api, invite["code"])
    assert response.status == 403
    assert response.json()["error"]["code"] == "code_unusable"
    listed = api.get("/admin/registration-codes", token=admin_token).json()["registration_codes"]
    assert listed[0]["use_count"] == 5 and listed[0]["status"] == "used_up"


@pytest.mark.parametrize("state", ["unknown", "revoked", "expired"])
def test_unusable_codes_are_403(
    api: LocalApi, admin_token: str, invite: dict[str, Any], state: str
) -> None:
    code = invite["code"]
    if state == "unknown":
        code = "abcdefghjkmn"
    elif state == "revoked":
        api.delete(f"/admin/registration-codes/{code}", token=admin_token)
    else:
        from chalicelib.wiring import identity

        identity().db.transaction(
            lambda c: c.execute(
                "UPDATE identity.registration_codes SET expires_at = now() - interval '1 second'"
            )
        )
    response = register(api, code)
    assert response.status == 403
    assert response.json()["error"]["code"] == "code_unusable"


@pytest.mark.parametrize("code", ["", "x", "has space", "UPPER-CASE!", "a" * 40, "é" * 12])
def test_malformed_codes_are_refused(api: LocalApi, code: str) -> None:
    response = register(api, code)
    assert response.status in (401, 403)  # no code at all is 401; a bad one 403


def test_missing_code_header_is_401(api: LocalApi) -> None:
    response = api.post("/register", json_body={"username": "Ada"})
    assert response.status == 401


@pytest.mark.parametrize(
    ("username", "reason"),
    [
        ("A", "too short"),
        ("  A  ", "too short after trimming"),
        ("x" * 51, "too long"),
        ("Ada\x00", "NUL"),
        ("Ada\nLovelace", "newline"),
        ("Ada\u0007", "bell"),
        (42, "not text"),
    ],
)
def test_bad_usernames_are_400_and_use_nothing(
    api: LocalApi, admin_token: str, invite: dict[str, Any], username: Any, reason: str
) -> None:
    response = register(api, invite["code"], username)
    assert response.status == 400, reason
    assert "username" in response.json()["error"]["details"]["fields"]
    listed = api.get("/admin/registration-codes", token=admin_token).json()["registration_codes"]
    assert listed[0]["use_count"] == 0
