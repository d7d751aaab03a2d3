"""Who may do what: public reads for anyone, the editor only for Cognito admins."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import jwt
import pytest
from barkeep.local import LocalApi

ADMIN_ROUTES = [
    ("GET", "/admin/drinks"),
    ("POST", "/admin/drinks"),
    ("PATCH", "/admin/drinks/7d3c1f0e-0000-4000-8000-000000000000"),
    ("DELETE", "/admin/drinks/7d3c1f0e-0000-4000-8000-000000000000"),
    ("POST", "/admin/drinks/7d3c1f0e-0000-4000-8000-000000000000/image-upload"),
    ("POST", "/admin/sections"),
    ("PATCH", "/admin/sections/7d3c1f0e-0000-4000-8000-000000000000"),
    ("DELETE", "/admin/sections/7d3c1f0e-0000-4000-8000-000000000000"),
]


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _tampered(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["cognito:groups"] = ["admin"]
    claims["username"] = "mallory"
    return f"{header}.{_b64(claims)}.{signature}"


@pytest.mark.parametrize(("method", "path"), ADMIN_ROUTES)
def test_admin_routes_refuse_missing_credentials(api: LocalApi, method: str, path: str) -> None:
    response = api.request(method, path, json_body={})
    assert response.status == 401
    assert response.json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize(("method", "path"), ADMIN_ROUTES)
def test_admin_routes_refuse_a_signed_in_non_admin(
    api: LocalApi, non_admin_token: str, method: str, path: str
) -> None:
    response = api.request(method, path, json_body={}, token=non_admin_token)
    assert response.status == 403
    assert response.json()["error"]["code"] == "forbidden"


def bad_tokens(admin_token: str, local_aws: Any) -> dict[str, str]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    claims = jwt.decode(admin_token, options={"verify_signature": False})
    header = jwt.get_unverified_header(admin_token)
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwks = json.loads(__import__("urllib.request").request.urlopen(local_aws.jwks_url).read())
    public_pem = jwt.PyJWK.from_dict(jwks["keys"][0], algorithm="RS256").key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )

    def resign(**changes: Any) -> str:
        return jwt.encode(
            {**claims, **changes}, other_key, algorithm="RS256", headers={"kid": header["kid"]}
        )

    return {
        "garbage": "not-a-token",
        "alg_none": f"{_b64({'alg': 'none', 'typ': 'JWT', 'kid': header['kid']})}.{_b64(claims)}.",
        "hs256_with_public_key": f"{_b64({'alg': 'HS256', 'typ': 'JWT', 'kid': header['kid']})}."
        f"{_b64(claims)}."
        + base64.urlsafe_b64encode(
            __import__("hmac")
            .new(
                public_pem,
                f"{_b64({'alg': 'HS256', 'typ': 'JWT', 'kid': header['kid']})}.{_b64(claims)}".encode(),
                "sha256",
            )
            .digest()
        )
        .rstrip(b"=")
        .decode(),
        "tampered_payload": _tampered(admin_token),
        "wrong_key": resign(),
        "expired": resign(exp=int(time.time()) - 3600),
    }


@pytest.mark.parametrize(
    "kind",
    ["garbage", "alg_none", "hs256_with_public_key", "tampered_payload", "wrong_key", "expired"],
)
def test_admin_routes_refuse_forged_or_broken_tokens(
    api: LocalApi, admin_token: str, local_aws: Any, kind: str
) -> None:
    token = bad_tokens(admin_token, local_aws)[kind]
    response = api.get("/admin/drinks", token=token)
    assert response.status == 401, kind


def test_token_of_another_app_client_is_refused(api: LocalApi, local_aws: Any) -> None:
    idp = local_aws.client("cognito-idp")
    other_client = idp.create_user_pool_client(
        UserPoolId=local_aws.user_pool_id,
        ClientName="not-barkeep",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"],
    )["UserPoolClient"]["ClientId"]
    token = idp.initiate_auth(
        ClientId=other_client,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": local_aws.admin_email, "PASSWORD": local_aws.admin_password},
    )["AuthenticationResult"]["AccessToken"]
    assert api.get("/admin/drinks", token=token).status == 401


def test_id_token_is_not_an_access_token(api: LocalApi, local_aws: Any) -> None:
    result = local_aws.client("cognito-idp").initiate_auth(
        ClientId=local_aws.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": local_aws.admin_email, "PASSWORD": local_aws.admin_password},
    )
    assert api.get("/admin/drinks", token=result["AuthenticationResult"]["IdToken"]).status == 401


def test_public_reads_need_no_token(api: LocalApi) -> None:
    for path in ("/drinks", "/sections", "/health"):
        assert api.get(path).status == 200


def test_unknown_route_is_404_in_the_envelope(api: LocalApi) -> None:
    response = api.get("/no/such/thing")
    assert response.status == 404
    assert response.json()["error"]["code"] == "not_found"
