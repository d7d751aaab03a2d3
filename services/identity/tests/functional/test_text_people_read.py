"""A guest's name is shown on the kitchen display and an invite's notes to every bartender:
both are normalised to NFC and refuse what is invisible or turns text around (ADR 0027)."""

from __future__ import annotations

from typing import Any

import jwt
import pytest
from barkeep.local import LocalApi

from tests.conftest import register

INVISIBLE = "Names can't contain invisible or direction-changing characters"

# "Åsa" typed as A + combining ring (NFD), as some keyboards and pasted text send it
ASA_NFD, ASA = "A\u030asa", "\u00c5sa"


@pytest.mark.parametrize(
    "username",
    [
        "\u202eevil",
        "a\u200d\u200db",
        "\ufeffname",
        "Sam\u200b",
        "Sam\ufdd0",
        "Sam\x9b",
        "\u3164\u3164",
    ],
)
def test_a_name_that_hides_or_turns_text_is_refused_and_uses_nothing(
    api: LocalApi, admin_token: str, invite: dict[str, Any], username: str
) -> None:
    # When a guest joins with a name that would lie on the kitchen display
    response = register(api, invite["code"], username)
    # Then it is a 400 on the field, in words, and the invite keeps its uses
    assert response.status == 400, response.body
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert set(error["details"]["fields"]) == {"username"}
    listed = api.get("/admin/registration-codes", token=admin_token).json()["registration_codes"]
    assert listed[0]["use_count"] == 0


def test_the_refusal_says_what_is_wrong(api: LocalApi, invite: dict[str, Any]) -> None:
    fields = register(api, invite["code"], "\u202eevil").json()["error"]["details"]["fields"]
    assert fields["username"] == f"{INVISIBLE} (U+202E)"


def test_a_name_is_stored_signed_and_announced_in_nfc(
    api: LocalApi, admin_token: str, invite: dict[str, Any], local_aws: Any
) -> None:
    local_aws.drain_tap()
    # When a guest joins as "Åsa" typed in NFD, with stray spaces
    response = register(api, invite["code"], f"  {ASA_NFD}   Berg ")
    # Then the name is NFC everywhere: the answer, the database, the token, the event
    assert response.status == 201, response.body
    body = response.json()
    assert body["user"]["username"] == f"{ASA} Berg"
    from chalicelib.wiring import identity

    stored = identity().db.transaction(
        lambda c: c.execute(
            "SELECT username FROM identity.guests WHERE user_key = %s",
            (body["user"]["user_key"],),
        ).fetchone()
    )
    assert stored[0] == f"{ASA} Berg"
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["username"] == f"{ASA} Berg"
    events = local_aws.drain_tap(wait_seconds=1) + local_aws.drain_tap()
    assert events[0]["detail"]["data"]["username"] == f"{ASA} Berg"


@pytest.mark.parametrize(
    "username",
    ["محمد", "अनुष्का", "さくら", "👩\u200d🍳 Sam", "می\u200cخواهم"],  # noqa: RUF001
)
def test_names_in_every_script_are_welcome(
    api: LocalApi, invite: dict[str, Any], username: str
) -> None:
    response = register(api, invite["code"], username)
    assert response.status == 201, response.body
    assert response.json()["user"]["username"] == username


def test_a_name_counts_its_length_after_normalising(api: LocalApi, invite: dict[str, Any]) -> None:
    # 50 letters in NFC are 100 code points in NFD: still within 2-50
    response = register(api, invite["code"], "e\u0301" * 50)
    assert response.status == 201, response.body
    assert response.json()["user"]["username"] == "\u00e9" * 50


def test_invite_notes_refuse_direction_overrides(api: LocalApi, admin_token: str) -> None:
    response = api.post(
        "/admin/registration-codes",
        token=admin_token,
        json_body={"max_uses": 1, "notes": "\u202eevil"},
    )
    assert response.status == 400, response.body
    assert response.json()["error"]["details"]["fields"] == {
        "notes": "Text can't contain invisible or direction-changing characters (U+202E)"
    }


def test_invite_notes_are_stored_in_nfc(api: LocalApi, admin_token: str) -> None:
    created = api.post(
        "/admin/registration-codes",
        token=admin_token,
        json_body={"max_uses": 1, "notes": f"{ASA_NFD}'s birthday\nTable 4"},
    )
    assert created.status == 201, created.body
    assert created.json()["registration_code"]["notes"] == f"{ASA}'s birthday\nTable 4"
    listed = api.get("/admin/registration-codes", token=admin_token).json()["registration_codes"]
    assert listed[0]["notes"] == f"{ASA}'s birthday\nTable 4"
