"""Every route answers bad input with a clear 4xx in the envelope — never a 5xx — and loses
nothing: the menu is unchanged afterwards."""

from __future__ import annotations

from typing import Any

import pytest
from barkeep.local import LocalApi
from barkeep.testing.hostile import DEEP_BODIES, answers_on_json_routes

from tests.conftest import drink_body, refused_fields

UNKNOWN = "7d3c1f0e-0000-4000-8000-000000000000"
BIG = b'{"name": "' + b"x" * (70 * 1024) + b'"}'


@pytest.mark.parametrize("path", ["/admin/drinks", "/admin/sections"])
@pytest.mark.parametrize("raw", [b"", b"{", b"[1,2]", b'"text"', b"null", b"\xff\xfe"])
def test_malformed_bodies_are_400(api: LocalApi, admin_token: str, path: str, raw: bytes) -> None:
    fields = refused_fields(api.post(path, token=admin_token, body=raw))
    assert "body" in fields


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/admin/drinks"),
        ("POST", "/admin/sections"),
        ("PATCH", f"/admin/drinks/{UNKNOWN}"),
        ("PATCH", f"/admin/sections/{UNKNOWN}"),
        ("POST", f"/admin/drinks/{UNKNOWN}/image-upload"),
    ],
)
def test_a_70_kib_body_is_413(api: LocalApi, admin_token: str, method: str, path: str) -> None:
    response = api.request(method, path, token=admin_token, body=BIG)
    assert response.status == 413
    assert response.json()["error"]["code"] == "payload_too_large"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/drinks/42"),
        ("PATCH", "/admin/drinks/not-a-uuid"),
        ("DELETE", "/admin/drinks/1"),
        ("POST", "/admin/drinks/x/image-upload"),
        ("PATCH", "/admin/sections/abc"),
        ("DELETE", "/admin/sections/abc"),
        # what uuid.UUID forgives and PostgreSQL does not (a 500 from the driver)
        ("GET", "/drinks/+2345678-1234-1234-1234-1234567890ab"),
        ("PATCH", "/admin/drinks/1234urn:5678123456781234567812345678"),
        ("DELETE", "/admin/sections/1234_678-1234-1234-1234-1234567890ab"),
        ("GET", f"/drinks/{UNKNOWN[:-1]}\x00"),
    ],
)
def test_non_uuid_path_ids_are_400(api: LocalApi, admin_token: str, method: str, path: str) -> None:
    fields = refused_fields(api.request(method, path, token=admin_token, json_body={"name": "x"}))
    assert fields == {"id": "Must be a UUID"}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"/drinks/{UNKNOWN}"),
        ("PATCH", f"/admin/drinks/{UNKNOWN}"),
        ("DELETE", f"/admin/drinks/{UNKNOWN}"),
        ("POST", f"/admin/drinks/{UNKNOWN}/image-upload"),
        ("PATCH", f"/admin/sections/{UNKNOWN}"),
        ("DELETE", f"/admin/sections/{UNKNOWN}"),
    ],
)
def test_unknown_ids_are_404(api: LocalApi, admin_token: str, method: str, path: str) -> None:
    body = {"name": "Fine name"} if method == "PATCH" else None
    response = api.request(method, path, token=admin_token, json_body=body)
    assert response.status == 404


DRINK_CASES: list[tuple[str, dict[str, Any], str]] = [
    ("missing name", {"name": None}, "name"),
    ("empty name", {"name": "   "}, "name"),
    ("long name", {"name": "x" * 101}, "name"),
    ("name with NUL", {"name": "Rum\x00"}, "name"),
    ("name with newline", {"name": "Rum\nPunch"}, "name"),
    ("name wrong type", {"name": 12}, "name"),
    ("long description", {"description": "x" * 1001}, "description"),
    ("no ingredients", {"ingredients": []}, "ingredients"),
    ("21 ingredients", {"ingredients": [{"name": f"I{i}"} for i in range(21)]}, "ingredients"),
    (
        "bad unit",
        {"ingredients": [{"name": "Rum", "amount": 1, "unit": "gallon"}]},
        "ingredients.0.unit",
    ),
    ("amount as text", {"ingredients": [{"name": "Rum", "amount": "4"}]}, "ingredients.0.amount"),
    ("negative amount", {"ingredients": [{"name": "Rum", "amount": -1}]}, "ingredients.0.amount"),
    ("ingredient extra key", {"ingredients": [{"name": "Rum", "abv": 40}]}, "ingredients.0.abv"),
    ("long ingredient", {"ingredients": [{"name": "x" * 101}]}, "ingredients.0.name"),
    ("21 steps", {"recipe_steps": ["Stir."] * 21}, "recipe_steps"),
    ("empty step", {"recipe_steps": [""]}, "recipe_steps.0"),
    ("long step", {"recipe_steps": ["x" * 501]}, "recipe_steps.0"),
    ("11 tags", {"tags": [f"t{i}" for i in range(11)]}, "tags"),
    ("long tag", {"tags": ["x" * 31]}, "tags.0"),
    ("tags not a list", {"tags": "sour"}, "tags"),
    ("section not uuid", {"section_id": "nope"}, "section_id"),
    ("image url not http", {"image_url": "javascript:alert(1)"}, "image_url"),
    ("is_active as string", {"is_active": "yes"}, "is_active"),
    ("unknown field", {"price": 9}, "price"),
]


@pytest.mark.parametrize(("case", "change", "field"), DRINK_CASES, ids=[c[0] for c in DRINK_CASES])
def test_create_drink_rejects_badrefused_fields(
    api: LocalApi,
    admin_token: str,
    section: dict[str, Any],
    case: str,
    change: dict[str, Any],
    field: str,
) -> None:
    body = {k: v for k, v in {**drink_body(section["id"]), **change}.items() if v is not None}
    fields = refused_fields(api.post("/admin/drinks", token=admin_token, json_body=body))
    assert field in fields, (case, fields)
    assert api.get("/admin/drinks", token=admin_token).json()["drinks"] == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({}, "body"),
        ({"name": None}, "body"),
        ({"ingredients": None}, "body"),
        ({"is_active": None}, "body"),
        ({"name": ""}, "name"),
        ({"tags": [1]}, "tags.0"),
        ({"section_id": 5}, "section_id"),
    ],
)
def test_patch_drink_rejects_badrefused_fields(
    api: LocalApi, admin_token: str, drink: dict[str, Any], change: dict[str, Any], field: str
) -> None:
    fields = refused_fields(
        api.patch(f"/admin/drinks/{drink['id']}", token=admin_token, json_body=change)
    )
    assert field in fields
    assert api.get(f"/drinks/{drink['id']}").json()["drink"] == drink


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": "Ok", "description": "x" * 501}, "description"),
        ({"name": "Ok", "display_order": "1"}, "display_order"),
        ({"name": "Ok", "display_order": 2**40}, "display_order"),
        ({"name": "Ok", "display_order": 1.5}, "display_order"),
    ],
)
def test_create_section_rejects_badrefused_fields(
    api: LocalApi, admin_token: str, body: dict[str, Any], field: str
) -> None:
    assert field in refused_fields(api.post("/admin/sections", token=admin_token, json_body=body))


def test_patch_section_rejects_badrefused_fields(
    api: LocalApi, admin_token: str, section: dict[str, Any]
) -> None:
    path = f"/admin/sections/{section['id']}"
    assert "body" in refused_fields(api.patch(path, token=admin_token, json_body={}))
    assert "body" in refused_fields(api.patch(path, token=admin_token, json_body={"name": None}))
    assert "name" in refused_fields(
        api.patch(path, token=admin_token, json_body={"name": "y" * 101})
    )


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("section_id=nope", "section_id"),
        ("ingredient=" + "x" * 101, "ingredient"),
        ("tag=" + "x" * 31, "tag"),
        ("q=" + "x" * 101, "q"),
        ("q=a%00b", "q"),
    ],
)
def test_list_drinks_rejects_bad_filters(api: LocalApi, query: str, field: str) -> None:
    assert field in refused_fields(api.get(f"/drinks?{query}"))


def test_image_upload_rejects_other_content_types(
    api: LocalApi, admin_token: str, drink: dict[str, Any]
) -> None:
    fields = refused_fields(
        api.post(
            f"/admin/drinks/{drink['id']}/image-upload",
            token=admin_token,
            json_body={"content_type": "image/gif"},
        )
    )
    assert "content_type" in fields


@pytest.mark.parametrize("raw", DEEP_BODIES.values(), ids=DEEP_BODIES.keys())
def test_deeply_nested_json_is_400_on_every_json_route(
    api: LocalApi, admin_token: str, raw: bytes
) -> None:
    # When a small body nests deeper than the JSON parser's stack, on every route with a body
    answers = answers_on_json_routes(api, raw, admin=admin_token)
    # Then each refuses it as malformed input, in the envelope (it was a 500)
    assert len(answers) >= 5
    assert set(answers.values()) == {(400, "validation_error")}, answers
