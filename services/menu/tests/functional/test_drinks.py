from __future__ import annotations

from typing import Any

from barkeep.local import LocalApi

from tests.conftest import drink_body


def test_creates_a_drink_and_lists_it_publicly(api: LocalApi, admin_token: str,
                                               section: dict[str, Any]) -> None:
    # Given a section, When the bartender adds a drink
    created = api.post("/admin/drinks", token=admin_token, json_body=drink_body(section["id"]))
    # Then it is returned with normalised tags and appears on the public menu
    assert created.status == 201
    drink = created.json()["drink"]
    assert drink["tags"] == ["sour", "classic"]
    assert drink["ingredients"][0] == {"name": "White rum", "amount": 6, "unit": "cl"}
    assert drink["is_active"] is True and drink["image_url"] is None
    listed = api.get("/drinks").json()["drinks"]
    assert [d["id"] for d in listed] == [drink["id"]]
    assert api.get(f"/drinks/{drink['id']}").json()["drink"] == drink
