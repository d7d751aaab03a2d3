from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import jwt
import pytest
from barkeep.auth import reset_verifiers
from barkeep.local import LocalApi
from barkeep.settings import GUEST_REVOCATIONS_KEY
from chalicelib.wiring import identity as identity_service

from tests.conftest import register


def _refresh(api: LocalApi, token: str) -> Any:
    return api.post("/token/refresh", json_body={"refresh_token": token})


def test_refresh_rotates_the_pair(api: LocalApi, session: dict[str, Any]) -> None:
    first = _refresh(api, session["refresh_token"])
    assert first.status == 200
    pair = first.json()
    assert set(pair) == {"access_token", "refresh_token", "expires_in"}
    assert pair["refresh_token"] != session["refresh_token"]
    assert api.get("/me", token=pair["access_token"]).status == 200
    # the new refresh token works in turn
    assert _refresh(api, pair["refresh_token"]).status == 200


def test_a_reused_refresh_token_revokes_the_whole_family(
    api: LocalApi, session: dict[str, Any]
) -> None:
    # Given the guest refreshed once (the old token is now rotated)
    rotated = _refresh(api, session["refresh_token"]).json()
    # When someone presents the old token again (a thief, say)
    replay = _refresh(api, session["refresh_token"])
    # Then it is refused, and so is the legitimate newer token: the family is revoked
    assert replay.status == 401
    assert replay.json()["error"]["code"] == "invalid_refresh_token"
    assert _refresh(api, rotated["refresh_token"]).status == 401


def test_other_sign_ins_survive_a_revoked_family(api: LocalApi, invite: dict[str, Any]) -> None:
    mine = register(api, invite["code"], "Ada").json()
    other = register(api, invite["code"], "Bob").json()
    _refresh(api, mine["refresh_token"])
    _refresh(api, mine["refresh_token"])  # reuse: revokes Ada's family only
    assert _refresh(api, other["refresh_token"]).status == 200


def test_of_two_concurrent_refreshes_at_most_one_succeeds(
    api: LocalApi, session: dict[str, Any]
) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: _refresh(api, session["refresh_token"]), range(4)))
    statuses = sorted(r.status for r in results)
    assert statuses.count(200) <= 1 and set(statuses) <= {200, 401}
    # and whichever pair came out is dead too: presenting a used token revoked the family
    for r in results:
        if r.status == 200:
            assert _refresh(api, r.json()["refresh_token"]).status == 401


def test_unknown_and_malformed_refresh_tokens_are_401(api: LocalApi) -> None:
    assert _refresh(api, "x" * 43).status == 401
    assert api.post("/token/refresh", json_body={}).status == 400
    assert api.post("/token/refresh", json_body={"refresh_token": ""}).status == 400
    assert api.post("/token/refresh", json_body={"refresh_token": 5}).status == 400


def test_logout_revokes_the_family(api: LocalApi, session: dict[str, Any]) -> None:
    assert api.post("/logout", json_body={"refresh_token": session["refresh_token"]}).status == 204
    assert _refresh(api, session["refresh_token"]).status == 401
    # logging out an unknown token says nothing about it
    assert api.post("/logout", json_body={"refresh_token": "nope"}).status == 204


def test_deactivating_a_guest_stops_refresh_at_once(
    api: LocalApi, admin_token: str, invite: dict[str, Any]
) -> None:
    one = register(api, invite["code"], "Mallory").json()
    two = _refresh(api, one["refresh_token"]).json()  # a second live token in the family
    user_key = one["user"]["user_key"]
    response = api.post(f"/admin/guests/{user_key}/deactivate", token=admin_token)
    assert response.status == 200 and response.json()["user"]["is_active"] is False
    assert _refresh(api, two["refresh_token"]).status == 401
    guests = api.get("/admin/guests", token=admin_token).json()["guests"]
    assert [(g["user_key"], g["is_active"]) for g in guests] == [(user_key, False)]


def test_a_deactivated_guests_access_token_is_refused_at_once(
    api: LocalApi, admin_token: str, invite: dict[str, Any], local_aws: Any
) -> None:
    ada = register(api, invite["code"], "Ada").json()
    bob = register(api, invite["code"], "Bob").json()
    assert api.get("/me", token=ada["access_token"]).status == 200
    ada_key = ada["user"]["user_key"]

    assert api.post(f"/admin/guests/{ada_key}/deactivate", token=admin_token).status == 200

    # identity put the list where every verifier reads it, beside the JWKS
    listed = local_aws.client("s3").get_object(
        Bucket=local_aws.images_bucket, Key=GUEST_REVOCATIONS_KEY
    )
    assert json.loads(listed["Body"].read()) == {"revoked": [ada_key]}
    reset_verifiers()  # this process's verifier reads it now, not within its 2 seconds
    refused = api.get("/me", token=ada["access_token"])
    assert refused.status == 401 and refused.json()["error"]["code"] == "unauthorized"
    assert api.get("/me", token=bob["access_token"]).status == 200


def test_a_failed_put_of_the_revocation_list_is_a_503_and_deactivating_again_repairs_it(
    api: LocalApi, admin_token: str, invite: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib import wiring

    user_key = register(api, invite["code"], "Eve").json()["user"]["user_key"]
    publisher = wiring.revocations_publisher()
    assert publisher is not None
    real_put = publisher.publish

    def failing(document: dict[str, Any]) -> bool:
        raise ConnectionError("S3 is unreachable")

    monkeypatch.setattr(publisher, "publish", failing)
    response = api.post(f"/admin/guests/{user_key}/deactivate", token=admin_token)
    assert response.status == 503 and response.headers["Retry-After"] == "2"
    assert "try again" in response.json()["error"]["message"]

    monkeypatch.setattr(publisher, "publish", real_put)
    again = api.post(f"/admin/guests/{user_key}/deactivate", token=admin_token)
    assert again.status == 200 and again.json()["user"]["is_active"] is False
    assert identity_service().revoked_guests() == [user_key]


def test_the_revocation_list_forgets_a_guest_once_their_tokens_have_expired(
    api: LocalApi, admin_token: str, invite: dict[str, Any]
) -> None:
    from chalicelib.service import REVOCATION_MARGIN

    user_key = register(api, invite["code"], "Mallory").json()["user"]["user_key"]
    assert api.post(f"/admin/guests/{user_key}/deactivate", token=admin_token).status == 200
    service = identity_service()
    lifetime = timedelta(seconds=service.tokens.ttl_seconds) + REVOCATION_MARGIN
    now = service.clock()
    service.clock = lambda: now + lifetime - timedelta(seconds=5)
    assert service.revoked_guests() == [user_key]
    service.clock = lambda: now + lifetime + timedelta(seconds=5)
    assert service.revoked_guests() == []


def test_deactivate_unknown_guest_is_404_and_bad_id_400(api: LocalApi, admin_token: str) -> None:
    unknown = "7d3c1f0e-0000-4000-8000-000000000000"
    assert api.post(f"/admin/guests/{unknown}/deactivate", token=admin_token).status == 404
    assert api.post("/admin/guests/nope/deactivate", token=admin_token).status == 400


def test_jwks_lists_the_signing_key(api: LocalApi, session: dict[str, Any]) -> None:
    keys = api.get("/.well-known/jwks.json").json()["keys"]
    kid = jwt.get_unverified_header(session["access_token"])["kid"]
    assert [k["kid"] for k in keys] == [kid]
    assert keys[0]["kty"] == "RSA" and keys[0]["alg"] == "RS256" and "d" not in keys[0]


def test_key_rotation_keeps_old_tokens_valid(api: LocalApi, invite: dict[str, Any]) -> None:
    from chalicelib import wiring
    from chalicelib.keys import rotate

    # Given a guest holding a token signed with the current key
    before = register(api, invite["code"], "Old").json()
    old_kid = jwt.get_unverified_header(before["access_token"])["kid"]
    # When the keys are rotated (make rotate-keys) and this instance re-reads them
    new_kid = rotate(wiring.key_store(), wiring.signing_keys().keep_for)
    wiring.signing_keys().forget()
    # Then new tokens are signed with the new key, old tokens still verify, and the JWKS has both
    after = register(api, invite["code"], "New").json()
    assert jwt.get_unverified_header(after["access_token"])["kid"] == new_kid != old_kid
    assert api.get("/me", token=before["access_token"]).status == 200
    assert api.get("/me", token=after["access_token"]).status == 200
    kids = {k["kid"] for k in api.get("/.well-known/jwks.json").json()["keys"]}
    assert kids == {old_kid, new_kid}
