"""The one channel-authorization decision, as the emulator and AWS's authorizer use it."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest
from barkeep.auth import LEEWAY_SECONDS
from barkeep.realtime import (
    AUTHORIZATION_TTL_SECONDS,
    MENU_UPDATES,
    api_key,
    authorize,
    lambda_handler,
)
from barkeep.testing import GuestTokens


@pytest.fixture
def guest(guest_tokens: GuestTokens) -> dict[str, str]:
    user_key = str(uuid.uuid4())
    return {"user_key": user_key, "token": guest_tokens.token(user_key, "Ada")}


def test_a_guest_may_subscribe_to_their_own_channel_only(
    guest: dict[str, str], local_aws: Any
) -> None:
    auth = {"Authorization": guest["token"]}
    assert authorize("SUBSCRIBE", f"/orders/{guest['user_key']}", auth)
    assert authorize(
        "SUBSCRIBE", f"/orders/{guest['user_key']}", {"authorization": f"Bearer {guest['token']}"}
    )  # any header case, Bearer
    assert not authorize("SUBSCRIBE", f"/orders/{uuid.uuid4()}", auth)
    assert not authorize("SUBSCRIBE", "/orders/*", auth)
    assert not authorize("SUBSCRIBE", "/admin/orders", auth)
    assert authorize("SUBSCRIBE", "/menu/updates", auth)


def test_the_bar_channel_needs_an_admin(
    admin_token: str, non_admin_token: str, guest_tokens: GuestTokens
) -> None:
    assert authorize("SUBSCRIBE", "/admin/orders", {"Authorization": admin_token})
    assert not authorize("SUBSCRIBE", "/admin/orders", {"Authorization": non_admin_token})
    assert not authorize("SUBSCRIBE", "/admin/orders", {})


def test_the_api_key_reaches_only_the_menu(guest: dict[str, str]) -> None:
    key = {"x-api-key": api_key()}
    assert authorize("SUBSCRIBE", "/menu/updates", key)
    assert not authorize("SUBSCRIBE", "/menu/updates", {"x-api-key": "da2-wrong"})
    assert not authorize("SUBSCRIBE", f"/orders/{guest['user_key']}", key)
    assert not authorize("SUBSCRIBE", "/admin/orders", key)


def test_a_connection_needs_the_api_key_or_a_valid_token(
    guest: dict[str, str], admin_token: str
) -> None:
    assert authorize("CONNECT", "", {"x-api-key": api_key()})
    assert authorize("CONNECT", "", {"Authorization": guest["token"]})
    assert authorize("CONNECT", "", {"authorization": f"Bearer {admin_token}"})
    assert not authorize("CONNECT", "", {"Authorization": "garbage"})
    assert not authorize("CONNECT", "", {"x-api-key": "da2-wrong", "Authorization": guest["token"]})
    assert not authorize("CONNECT", "", {})


def test_a_tokens_allow_lasts_until_the_token_expires_and_the_api_keys_for_good(
    guest: dict[str, str], guest_tokens: GuestTokens, admin_token: str
) -> None:
    # Given a guest token that expires in a minute
    exp = int(time.time()) + 60
    token = guest_tokens.token(guest["user_key"], exp=exp)
    mine = f"/orders/{guest['user_key']}"
    # When
    allowed = authorize("SUBSCRIBE", mine, {"Authorization": token})
    # Then it holds while the verifier accepts the token, and is decided again every few seconds
    assert allowed.valid_until == exp + LEEWAY_SECONDS
    assert allowed.recheck_in(time.time()) == AUTHORIZATION_TTL_SECONDS
    assert allowed.recheck_in(exp + LEEWAY_SECONDS - 1) == pytest.approx(1)
    assert allowed.recheck_in(exp + LEEWAY_SECONDS + 1) == 0
    assert not authorize(
        "SUBSCRIBE",
        mine,
        {
            "Authorization": guest_tokens.token(
                guest["user_key"], exp=int(time.time()) - LEEWAY_SECONDS - 1
            )
        },
    )
    admin = authorize("SUBSCRIBE", "/admin/orders", {"Authorization": admin_token})
    assert admin.valid_until is not None and admin.valid_until > time.time()
    # And the API key does not lapse; a refusal is final
    assert authorize("SUBSCRIBE", MENU_UPDATES, {"x-api-key": api_key()}).recheck_in(0) is None
    assert authorize("SUBSCRIBE", "/admin/orders", {"Authorization": token}).recheck_in(0) is None


def test_nobody_publishes_with_a_browser_credential(
    guest: dict[str, str], admin_token: str
) -> None:
    for auth in (
        {"Authorization": guest["token"]},
        {"Authorization": admin_token},
        {"x-api-key": api_key()},
    ):
        for channel in (f"/orders/{guest['user_key']}", "/admin/orders", "/menu/updates"):
            assert not authorize("PUBLISH", channel, auth)


def test_the_aws_lambda_authorizer_makes_the_same_decision(
    guest: dict[str, str], admin_token: str
) -> None:
    def event(operation: str, channel: str, token: str) -> dict[str, Any]:
        return {
            "authorizationToken": token,
            "requestContext": {"operation": operation, "channel": channel},
        }

    mine = f"/orders/{guest['user_key']}"
    assert lambda_handler(event("EVENT_SUBSCRIBE", mine, guest["token"]), None) == {
        "isAuthorized": True,
        "ttlOverride": 0,
    }
    assert not lambda_handler(event("EVENT_SUBSCRIBE", "/admin/orders", guest["token"]), None)[
        "isAuthorized"
    ]
    assert lambda_handler(event("EVENT_CONNECT", "", admin_token), None) == {
        "isAuthorized": True,
        "ttlOverride": 0,  # never cached: a cached answer could answer for another channel
    }
    assert not lambda_handler(event("EVENT_CONNECT", "", "garbage"), None)["isAuthorized"]
    assert not lambda_handler(event("EVENT_PUBLISH", mine, guest["token"]), None)["isAuthorized"]


def test_a_deactivated_guest_may_not_subscribe_or_connect(
    guest: dict[str, str], guest_tokens: GuestTokens
) -> None:
    auth = {"Authorization": guest["token"]}
    mine = f"/orders/{guest['user_key']}"
    assert authorize("SUBSCRIBE", mine, auth)
    guest_tokens.revoke(guest["user_key"])
    assert not authorize("SUBSCRIBE", mine, auth)
    assert not authorize("SUBSCRIBE", "/menu/updates", auth)
    connect = {
        "authorizationToken": guest["token"],
        "requestContext": {"operation": "EVENT_CONNECT"},
    }
    assert not lambda_handler(connect, None)["isAuthorized"]


def test_a_guest_route_refuses_a_deactivated_guest_whose_authorizer_answer_was_cached(
    guest: dict[str, str], guest_tokens: GuestTokens
) -> None:
    """API Gateway hands a route the authorizer's answer it cached for the token (minutes):
    the route itself asks the revocation list too."""
    import json

    from barkeep.auth import guest_authorizer
    from barkeep.http import ServiceApp

    app = ServiceApp("probe")

    @app.route("/mine", methods=["GET"], authorizer=guest_authorizer(app))
    def mine() -> dict[str, str]:
        return {"ok": "yes"}

    cached = {"role": "guest", "user_key": guest["user_key"], "username": "Ada"}

    def call() -> dict[str, Any]:
        event = {
            "resource": "/mine",
            "path": "/mine",
            "httpMethod": "GET",
            "headers": {"authorization": f"Bearer {guest['token']}"},
            "multiValueHeaders": {},
            "queryStringParameters": None,
            "multiValueQueryStringParameters": None,
            "pathParameters": None,
            "stageVariables": None,
            "body": None,
            "isBase64Encoded": False,
            "requestContext": {
                "resourcePath": "/mine",
                "httpMethod": "GET",
                "requestId": "r-1",
                "authorizer": cached,
            },
        }
        response: dict[str, Any] = app(event, None)
        return response

    assert call()["statusCode"] == 200
    guest_tokens.revoke(guest["user_key"])
    refused = call()
    assert refused["statusCode"] == 401
    assert json.loads(refused["body"])["error"]["code"] == "unauthorized"
