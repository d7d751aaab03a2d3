from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from barkeep.local import LocalApi

from tests.conftest import register


def test_creates_a_code_with_a_join_link(api: LocalApi, admin_token: str) -> None:
    before = datetime.now(UTC)
    response = api.post(
        "/admin/registration-codes",
        token=admin_token,
        json_body={"max_uses": 40, "notes": "  Birthday  "},
    )
    assert response.status == 201
    code = response.json()["registration_code"]
    assert code["status"] == "active" and code["use_count"] == 0 and code["max_uses"] == 40
    assert code["notes"] == "Birthday"
    assert code["join_url"] == f"https://party.example/join?code={code['code']}"
    # Cognito access tokens name the user by its username (a UUID when sign-in is by email)
    assert (
        code["created_by"]
        == jwt.decode(admin_token, options={"verify_signature": False})["username"]
    )
    expires = datetime.fromisoformat(code["expires_at"])
    assert timedelta(hours=11, minutes=59) < expires - before < timedelta(hours=12, minutes=1)


def test_expires_at_can_be_given_instead(api: LocalApi, admin_token: str) -> None:
    when = (datetime.now(UTC) + timedelta(hours=3)).replace(microsecond=0)
    code = api.post(
        "/admin/registration-codes",
        token=admin_token,
        json_body={"max_uses": 1, "expires_at": when.isoformat()},
    ).json()
    assert datetime.fromisoformat(code["registration_code"]["expires_at"]) == when


def test_lists_codes_newest_first_with_their_status(api: LocalApi, admin_token: str) -> None:
    first = api.post(
        "/admin/registration-codes", token=admin_token, json_body={"max_uses": 1}
    ).json()["registration_code"]["code"]
    second = api.post(
        "/admin/registration-codes", token=admin_token, json_body={"max_uses": 3}
    ).json()["registration_code"]["code"]
    assert register(api, first).status == 201  # uses it up
    assert api.delete(f"/admin/registration-codes/{second}", token=admin_token).status == 204
    listed = api.get("/admin/registration-codes", token=admin_token).json()["registration_codes"]
    assert [(c["code"], c["status"]) for c in listed] == [(second, "revoked"), (first, "used_up")]


def test_expired_codes_say_so(api: LocalApi, admin_token: str, invite: dict[str, Any]) -> None:
    from chalicelib.wiring import identity

    identity().db.transaction(
        lambda c: c.execute(
            "UPDATE identity.registration_codes SET expires_at = now() - interval '1 minute'"
        )
    )
    listed = api.get("/admin/registration-codes", token=admin_token).json()["registration_codes"]
    assert listed[0]["status"] == "expired"


def test_revoking_twice_is_fine_and_unknown_is_404(
    api: LocalApi, admin_token: str, invite: dict[str, Any]
) -> None:
    path = f"/admin/registration-codes/{invite['code']}"
    assert api.delete(path, token=admin_token).status == 204
    assert api.delete(path, token=admin_token).status == 204
    assert api.delete("/admin/registration-codes/nosuchcode", token=admin_token).status == 404


def test_qr_code_is_an_svg_of_the_join_link(
    api: LocalApi, admin_token: str, invite: dict[str, Any]
) -> None:
    response = api.get(f"/admin/registration-codes/{invite['code']}/qr.svg", token=admin_token)
    assert response.status == 200
    assert response.headers["Content-Type"] == "image/svg+xml"
    svg = response.body.decode()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "<path" in svg
    assert api.get("/admin/registration-codes/nosuchcode/qr.svg", token=admin_token).status == 404


def test_qr_decodes_to_the_join_link(
    api: LocalApi, admin_token: str, invite: dict[str, Any]
) -> None:
    import segno

    # The same encoder, same options: the matrix in the SVG is the join link's.
    expected = segno.make(invite["join_url"], error="m")
    svg = api.get(f"/admin/registration-codes/{invite['code']}/qr.svg", token=admin_token)
    assert f"{expected.symbol_size(scale=8, border=2)[0]}" in svg.body.decode()
