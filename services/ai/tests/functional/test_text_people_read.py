"""What a guest tells the bartender bot follows the rule of text people read (ADR 0027): the
model is a reader too, and invisible characters are how a pasted text hides instructions
from the person who sends it."""

from __future__ import annotations

from typing import Any

import pytest
from barkeep.local import LocalApi

REFUSED = "Text can't contain invisible or direction-changing characters"


@pytest.mark.parametrize(
    ("path", "field"), [("/chat", "message"), ("/recommendations", "preferences")]
)
@pytest.mark.parametrize(
    "text", ["\u202eevil", "sour\u200b", "fresh \U000e0069\U000e0067\U000e006e\U000e006f"]
)
def test_hidden_characters_are_refused(
    api: LocalApi, guest: dict[str, str], menu: dict[str, str], path: str, field: str, text: str
) -> None:
    response = api.post(path, token=guest["token"], json_body={field: text})
    assert response.status == 400, response.body
    fields = response.json()["error"]["details"]["fields"]
    assert set(fields) == {field} and fields[field].startswith(REFUSED)


def test_a_message_is_kept_in_nfc(
    api: LocalApi, guest: dict[str, str], menu: dict[str, str]
) -> None:
    from chalicelib.wiring import ai

    # When a guest writes in NFD
    response = api.post("/chat", token=guest["token"], json_body={"message": "Cre\u0300me?"})
    assert response.status == 200, response.body
    cid = response.json()["conversation_id"]
    # Then the conversation keeps the message in NFC
    rows: list[Any] = ai().db.transaction(
        lambda c: c.execute(
            "SELECT text FROM ai.conversation_messages"
            " WHERE conversation_id = %s AND role = 'user'",
            (cid,),
        ).fetchall()
    )
    assert rows == [("Cr\u00e8me?",)]


def test_preferences_in_nfd_still_find_the_drink(
    api: LocalApi, guest: dict[str, str], menu: dict[str, str]
) -> None:
    response = api.post(
        "/recommendations", token=guest["token"], json_body={"preferences": "pin\u0303a"}
    )
    assert response.status == 200, response.body
    assert response.json()["recommendations"][0]["name"] == "Pi\u00f1a Colada"
