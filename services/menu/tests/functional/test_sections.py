from __future__ import annotations

from typing import Any

from barkeep.local import LocalApi


def test_section_lifecycle(api: LocalApi, admin_token: str) -> None:
    created = api.post("/admin/sections", token=admin_token, json_body={"name": "Tiki"})
    assert created.status == 201
    section = created.json()["section"]
    assert section["description"] == "" and section["display_order"] == 0
    renamed = api.patch(
        f"/admin/sections/{section['id']}",
        token=admin_token,
        json_body={"name": "Tiki & Tropical", "display_order": 5},
    )
    assert renamed.json()["section"]["name"] == "Tiki & Tropical"
    assert api.delete(f"/admin/sections/{section['id']}", token=admin_token).status == 204
    assert api.get("/sections").json()["sections"] == []


def test_duplicate_section_name_is_a_conflict(
    api: LocalApi, admin_token: str, section: dict[str, Any]
) -> None:
    response = api.post("/admin/sections", token=admin_token, json_body={"name": "SOURS"})
    assert response.status == 409
    assert response.json()["error"]["code"] == "duplicate_name"
    other = api.post("/admin/sections", token=admin_token, json_body={"name": "Other"}).json()
    renamed = api.patch(
        f"/admin/sections/{other['section']['id']}", token=admin_token, json_body={"name": "sours"}
    )
    assert renamed.status == 409


def test_section_with_drinks_cannot_be_deleted(
    api: LocalApi, admin_token: str, drink: dict[str, Any]
) -> None:
    response = api.delete(f"/admin/sections/{drink['section_id']}", token=admin_token)
    assert response.status == 409
    assert response.json()["error"] == {
        "code": "section_not_empty",
        "message": "The section still holds drinks; move or delete them first",
        "details": {"drinks": 1},
    }


def test_drink_needs_an_existing_section(api: LocalApi, admin_token: str) -> None:
    from tests.conftest import drink_body

    response = api.post(
        "/admin/drinks",
        token=admin_token,
        json_body=drink_body("7d3c1f0e-0000-4000-8000-000000000000"),
    )
    assert response.status == 404
    assert response.json()["error"]["code"] == "section_not_found"
