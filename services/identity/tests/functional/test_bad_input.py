"""Every identity route answers bad input with a clear 4xx in the envelope, never a 5xx."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from barkeep.local import LocalApi
from barkeep.testing.hostile import DEEP_BODIES, answers_on_json_routes

BIG = b'{"username": "' + b"x" * (70 * 1024) + b'"}'


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "max_uses"),
        ({"max_uses": 0}, "max_uses"),
        ({"max_uses": 501}, "max_uses"),
        ({"max_uses": "5"}, "max_uses"),
        ({"max_uses": 1, "valid_hours": 0}, "valid_hours"),
        ({"max_uses": 1, "valid_hours": 169}, "valid_hours"),
        ({"max_uses": 1, "notes": "x" * 201}, "notes"),
        ({"max_uses": 1, "notes": "a\x00b"}, "notes"),
        ({"max_uses": 1, "expires_at": "tomorrow"}, "expires_at"),
        ({"max_uses": 1, "expires_at": "2030-01-01T00:00:00"}, "expires_at"),  # no timezone
        ({"max_uses": 1, "expires_at": "2020-01-01T00:00:00Z"}, "body"),  # in the past
        (
            {"max_uses": 1, "expires_at": (datetime.now(UTC) + timedelta(days=30)).isoformat()},
            "body",
        ),
        (
            {
                "max_uses": 1,
                "valid_hours": 2,
                "expires_at": (datetime.now(UTC) + timedelta(hours=1)).isoformat(),
            },
            "body",
        ),
        ({"max_uses": 1, "colour": "red"}, "colour"),
    ],
)
def test_create_code_rejects_bad_fields(
    api: LocalApi, admin_token: str, body: dict[str, Any], field: str
) -> None:
    response = api.post("/admin/registration-codes", token=admin_token, json_body=body)
    assert response.status == 400, response.body
    assert field in response.json()["error"]["details"]["fields"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/admin/registration-codes"),
        ("POST", "/register"),
        ("POST", "/token/refresh"),
        ("POST", "/logout"),
    ],
)
def test_a_70_kib_body_is_413(
    api: LocalApi, admin_token: str, invite: dict[str, Any], method: str, path: str
) -> None:
    headers = {"X-Registration-Code": invite["code"]}
    response = api.request(
        method, path, token=admin_token if "admin" in path else None, headers=headers, body=BIG
    )
    assert response.status == 413


@pytest.mark.parametrize("path", ["/register", "/token/refresh", "/logout"])
@pytest.mark.parametrize("raw", [b"", b"{", b"[]", b"null"])
def test_malformed_bodies_are_400(
    api: LocalApi, invite: dict[str, Any], path: str, raw: bytes
) -> None:
    response = api.post(path, headers={"X-Registration-Code": invite["code"]}, body=raw)
    assert response.status == 400
    assert response.json()["error"]["code"] == "validation_error"


def test_unknown_routes_and_ids(api: LocalApi, admin_token: str) -> None:
    assert api.get("/no/such/route").status == 404
    assert api.get("/admin/registration-codes/nope/qr.svg", token=admin_token).status == 404


def test_openapi_lists_every_route(api: LocalApi) -> None:
    paths = set(api.get("/openapi.json").json()["paths"])
    assert {
        "/register",
        "/token/refresh",
        "/logout",
        "/me",
        "/.well-known/jwks.json",
        "/admin/registration-codes",
        "/admin/registration-codes/{code}",
        "/admin/registration-codes/{code}/qr.svg",
        "/admin/guests",
        "/admin/guests/{user_key}/deactivate",
    } <= paths


@pytest.mark.parametrize("raw", DEEP_BODIES.values(), ids=DEEP_BODIES.keys())
def test_deeply_nested_json_is_400_on_every_json_route(
    api: LocalApi, admin_token: str, invite: dict[str, Any], raw: bytes
) -> None:
    # When a small body nests deeper than the JSON parser's stack, on every route with a body
    answers = answers_on_json_routes(api, raw, admin=admin_token, registration_code=invite["code"])
    # Then each refuses it as malformed input, in the envelope (it was a 500)
    assert len(answers) >= 4
    assert set(answers.values()) == {(400, "validation_error")}, answers


@pytest.mark.parametrize("code", ["\x00", "abcd\x00", "\x1b", "\x7f", "\x9b"])
@pytest.mark.parametrize("method", ["DELETE", "GET"])
def test_control_characters_in_a_code_are_404(
    api: LocalApi, admin_token: str, method: str, code: str
) -> None:
    # Given a path as API Gateway decodes it (`…/registration-codes/%00`)
    path = f"/admin/registration-codes/{code}" + ("/qr.svg" if method == "GET" else "")
    # When
    response = api.request(method, path, token=admin_token)
    # Then no such code, in the envelope (the NUL used to reach the database driver: 500)
    assert response.status == 404
    assert response.json()["error"]["code"] == "not_found"
