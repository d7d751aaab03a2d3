"""The issue's security list: each forged or misused credential on a guest route is a 401;
a guest on an admin route is a 403; tokens and codes never reach the logs."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from typing import Any

import jwt
import pytest
from barkeep.local import LocalApi
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.conftest import ISSUER


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _signing_key() -> Any:
    from chalicelib.wiring import signing_keys

    return signing_keys().signing_key()


def _claims(session: dict[str, Any], **changes: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {
        "sub": session["user"]["user_key"],
        "username": "Ada",
        "token_type": "access",
        "iss": ISSUER,
        "aud": "barkeep",
        "iat": now,
        "exp": now + 600,
    }
    return {**base, **changes}


def forged(kind: str, session: dict[str, Any], admin_token: str) -> str | None:
    kid, key = _signing_key()
    good = session["access_token"]

    def sign(**changes: Any) -> str:
        return jwt.encode(_claims(session, **changes), key, algorithm="RS256", headers={"kid": kid})

    if kind == "no_token":
        return None
    if kind == "garbage":
        return "definitely.not.a-jwt"
    if kind == "alg_none":
        header = _b64(json.dumps({"alg": "none", "typ": "JWT", "kid": kid}).encode())
        return f"{header}.{_b64(json.dumps(_claims(session)).encode())}."
    if kind == "hs256_with_public_key":
        public_pem = key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}).encode())
        payload = _b64(json.dumps(_claims(session)).encode())
        signature = hmac.new(public_pem, f"{header}.{payload}".encode(), hashlib.sha256).digest()
        return f"{header}.{payload}.{_b64(signature)}"
    if kind == "expired":
        return sign(iat=int(time.time()) - 3600, exp=int(time.time()) - 1800)
    if kind == "tampered":
        header, payload, signature = good.split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        claims["sub"] = str(uuid.uuid4())
        return f"{header}.{_b64(json.dumps(claims).encode())}.{signature}"
    if kind == "unknown_kid":
        other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return jwt.encode(_claims(session), other, algorithm="RS256", headers={"kid": "nope"})
    if kind == "wrong_iss":
        return sign(iss="https://evil.example")
    if kind == "wrong_aud":
        return sign(aud="someone-else")
    if kind == "refresh_token_as_access":
        return str(session["refresh_token"])
    if kind == "wrong_token_type":
        return sign(token_type="refresh")
    if kind == "cognito_admin_token":
        return admin_token
    raise AssertionError(kind)


KINDS = [
    "no_token",
    "garbage",
    "alg_none",
    "hs256_with_public_key",
    "expired",
    "tampered",
    "unknown_kid",
    "wrong_iss",
    "wrong_aud",
    "refresh_token_as_access",
    "wrong_token_type",
    "cognito_admin_token",
]


@pytest.mark.parametrize("kind", KINDS)
def test_guest_route_refuses_forged_and_misused_tokens(
    api: LocalApi, session: dict[str, Any], admin_token: str, kind: str
) -> None:
    token = forged(kind, session, admin_token)
    response = api.get("/me", token=token)
    assert response.status == 401, (kind, response.body)
    assert response.json()["error"]["code"] == "unauthorized"


def test_the_genuine_token_passes(api: LocalApi, session: dict[str, Any]) -> None:
    assert api.get("/me", token=session["access_token"]).status == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/admin/registration-codes"),
        ("POST", "/admin/registration-codes"),
        ("DELETE", "/admin/registration-codes/abcdefghjkmn"),
        ("GET", "/admin/guests"),
        ("POST", "/admin/guests/7d3c1f0e-0000-4000-8000-000000000000/deactivate"),
    ],
)
def test_a_guest_on_an_admin_route_is_403(
    api: LocalApi, session: dict[str, Any], method: str, path: str
) -> None:
    response = api.request(method, path, token=session["access_token"], json_body={})
    assert response.status == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_tokens_and_codes_never_reach_the_logs(
    api: LocalApi,
    admin_token: str,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    # When a whole guest session happens, including failures
    code = api.post(
        "/admin/registration-codes", token=admin_token, json_body={"max_uses": 2}
    ).json()["registration_code"]["code"]
    joined = api.post(
        "/register", headers={"X-Registration-Code": code}, json_body={"username": "Ada"}
    ).json()
    pair = api.post("/token/refresh", json_body={"refresh_token": joined["refresh_token"]}).json()
    api.post("/token/refresh", json_body={"refresh_token": joined["refresh_token"]})  # reuse
    api.get("/me", token=pair["access_token"] + "x")
    api.get("/admin/guests", token=pair["access_token"])
    api.post("/logout", json_body={"refresh_token": pair["refresh_token"]})
    api.get(f"/admin/registration-codes/{code}/qr.svg", token=admin_token)
    api.delete(f"/admin/registration-codes/{code}", token=admin_token)
    api.post("/register", headers={"X-Registration-Code": code}, json_body={"username": "Eve"})
    # Then no secret appears in anything logged
    logged = capsys.readouterr().out + capsys.readouterr().err + caplog.text
    assert "request" in logged  # the log was captured at all
    secrets = [
        code,
        joined["access_token"],
        joined["refresh_token"],
        pair["access_token"],
        pair["refresh_token"],
        admin_token,
    ]
    for secret in secrets:
        for part in {secret, *secret.split(".")} - {""}:
            if len(part) >= 12:
                assert part not in logged, "a secret reached the logs"
