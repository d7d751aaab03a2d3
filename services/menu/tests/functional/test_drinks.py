from __future__ import annotations

from typing import Any

from barkeep.local import LocalApi

from tests.conftest import drink_body


def test_creates_a_drink_and_lists_it_publicly(
    api: LocalApi, admin_token: str, section: dict[str, Any]
) -> None:
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


def test_seed_menu_loads_once(api: LocalApi) -> None:
    from chalicelib.seed import load_seed
    from chalicelib.wiring import menu

    # Given an empty menu, When the seed is loaded twice
    first = load_seed(menu())
    second = load_seed(menu())
    # Then the first load adds everything and the second nothing
    assert first["sections"] >= 5 and first["drinks"] >= 25
    assert second == {"sections": 0, "drinks": 0, "photos moved to this address": 0}
    drinks = api.get("/drinks").json()["drinks"]
    assert len(drinks) == first["drinks"]
    assert any("non-alcoholic" in d["tags"] for d in drinks)


def test_photos_saved_at_another_local_address_are_pointed_at_this_ones(
    api: LocalApi, admin_token: str, section: dict[str, Any]
) -> None:
    from chalicelib.seed import rehome_local_photos
    from chalicelib.wiring import menu

    service = menu()
    uploads = service.uploads
    assert uploads is not None
    bucket = uploads.bucket  # type: ignore[attr-defined]
    here = uploads.public_url("drinks/1/here.png")
    # Given photos saved under yesterday's `make dev` (another moto port), at last night's
    # party address, at this run's, in another bucket, and a link to a photo elsewhere
    urls = {
        "Dev": f"http://127.0.0.1:59999/{bucket}/drinks/1/dev.png",
        "Party": f"https://192.168.1.20:8443/aws/{bucket}/drinks/1/party.jpg",
        "Here": here,
        "Other bucket": "http://127.0.0.1:59999/someone-elses/drinks/1/x.png",
        "Elsewhere": f"https://photos.example.com/{bucket}/drinks/1/x.png",
    }
    ids = {}
    for name, url in urls.items():
        created = api.post(
            "/admin/drinks",
            token=admin_token,
            json_body=drink_body(section["id"], name=name, image_url=url),
        )
        assert created.status == 201, created.body
        ids[name] = created.json()["drink"]["id"]
    # When the stack starts again, Then the first two name this run's address and no others
    assert rehome_local_photos(service) == 2
    assert rehome_local_photos(service) == 0
    shown = {d["name"]: d["image_url"] for d in api.get("/drinks").json()["drinks"]}
    assert shown == {
        **urls,
        "Dev": uploads.public_url("drinks/1/dev.png"),
        "Party": uploads.public_url("drinks/1/party.jpg"),
    }


def test_filters_run_by_section_ingredient_tag_and_text(
    api: LocalApi, admin_token: str, section: dict[str, Any]
) -> None:
    # Given three drinks in two sections
    other = api.post(
        "/admin/sections", token=admin_token, json_body={"name": "Zero-Proof", "display_order": 20}
    ).json()["section"]
    api.post("/admin/drinks", token=admin_token, json_body=drink_body(section["id"]))
    api.post(
        "/admin/drinks",
        token=admin_token,
        json_body=drink_body(
            section["id"],
            name="Gimlet",
            description="Gin and lime cordial",
            ingredients=[
                {"name": "Gin", "amount": 6, "unit": "cl"},
                {"name": "Lime cordial", "amount": 2, "unit": "cl"},
            ],
            tags=["strong"],
        ),
    )
    api.post(
        "/admin/drinks",
        token=admin_token,
        json_body=drink_body(
            other["id"],
            name="Nojito",
            description="A minty 100% fresh_cooler",
            ingredients=[
                {"name": "Mint leaves", "amount": 8, "unit": "piece"},
                {"name": "Soda water", "amount": None, "unit": "top"},
            ],
            tags=["non-alcoholic", "fresh"],
        ),
    )

    def names(query: str) -> list[str]:
        response = api.get(f"/drinks?{query}")
        assert response.status == 200, response.body
        return [d["name"] for d in response.json()["drinks"]]

    # Then each filter narrows the menu in SQL
    assert names(f"section_id={other['id']}") == ["Nojito"]
    assert names("ingredient=lime%20JUICE") == ["Daiquiri"]
    assert names("ingredient=lime") == []  # a whole ingredient name, not a fragment
    assert names("tag=NON-ALCOHOLIC") == ["Nojito"]
    assert names("q=gin") == ["Gimlet"]
    assert names("q=100%25") == ["Nojito"]  # LIKE wildcards in the text are literal
    assert names("q=fresh_") == ["Nojito"]
    assert names("q=fresh%25cooler") == []  # would match if % were a wildcard
    assert names("tag=sour&q=rum") == ["Daiquiri"]
    assert names("q=") == ["Daiquiri", "Gimlet", "Nojito"]  # blank means no filter
    # sections come first by display_order
    assert [s["name"] for s in api.get("/sections").json()["sections"]] == ["Sours", "Zero-Proof"]


def test_inactive_drink_leaves_the_public_menu_at_once(
    api: LocalApi, admin_token: str, drink: dict[str, Any]
) -> None:
    # When the bartender takes the drink off the menu
    response = api.patch(
        f"/admin/drinks/{drink['id']}", token=admin_token, json_body={"is_active": False}
    )
    assert response.status == 200
    # Then guests no longer see it, but the bartender does
    assert api.get("/drinks").json()["drinks"] == []
    assert api.get(f"/drinks/{drink['id']}").status == 404
    admin_view = api.get("/admin/drinks", token=admin_token).json()["drinks"]
    assert [(d["id"], d["is_active"]) for d in admin_view] == [(drink["id"], False)]


def test_partial_update_changes_only_what_was_sent(
    api: LocalApi, admin_token: str, drink: dict[str, Any]
) -> None:
    response = api.patch(
        f"/admin/drinks/{drink['id']}",
        token=admin_token,
        json_body={"description": "New words", "image_url": "https://img/x.png"},
    )
    updated = response.json()["drink"]
    assert updated["description"] == "New words"
    assert updated["image_url"] == "https://img/x.png"
    assert updated["ingredients"] == drink["ingredients"]
    assert updated["updated_at"] >= drink["updated_at"]
    cleared = api.patch(
        f"/admin/drinks/{drink['id']}", token=admin_token, json_body={"image_url": None}
    ).json()["drink"]
    assert cleared["image_url"] is None


def test_duplicate_drink_name_is_a_conflict(
    api: LocalApi, admin_token: str, drink: dict[str, Any]
) -> None:
    response = api.post(
        "/admin/drinks",
        token=admin_token,
        json_body=drink_body(drink["section_id"], name="  daiquiri "),
    )
    assert response.status == 409
    assert response.json()["error"]["code"] == "duplicate_name"


def test_delete_drink_then_it_is_gone(
    api: LocalApi, admin_token: str, drink: dict[str, Any]
) -> None:
    assert api.delete(f"/admin/drinks/{drink['id']}", token=admin_token).status == 204
    assert api.get(f"/drinks/{drink['id']}").status == 404
    assert api.delete(f"/admin/drinks/{drink['id']}", token=admin_token).status == 404


def test_public_reads_carry_etag_and_answer_304(api: LocalApi, drink: dict[str, Any]) -> None:
    for path in ("/drinks", "/sections", f"/drinks/{drink['id']}"):
        first = api.get(path)
        assert first.status == 200
        assert "max-age" in first.headers["Cache-Control"]
        tag = first.headers["ETag"]
        again = api.get(path, headers={"If-None-Match": tag})
        assert again.status == 304 and again.body == b""
        assert api.get(path, headers={"If-None-Match": '"stale"'}).status == 200


def test_etag_changes_when_the_menu_changes(
    api: LocalApi, admin_token: str, drink: dict[str, Any]
) -> None:
    before = api.get("/drinks").headers["ETag"]
    api.patch(f"/admin/drinks/{drink['id']}", token=admin_token, json_body={"name": "Hemingway"})
    assert api.get("/drinks", headers={"If-None-Match": before}).status == 200


def test_every_change_is_published_to_eventbridge_and_open_menus(
    api: LocalApi, admin_token: str, section: dict[str, Any], local_aws: Any, realtime: Any
) -> None:
    # When a drink is created, updated and deleted
    drink = api.post(
        "/admin/drinks", token=admin_token, json_body=drink_body(section["id"])
    ).json()["drink"]
    api.patch(f"/admin/drinks/{drink['id']}", token=admin_token, json_body={"is_active": False})
    api.delete(f"/admin/drinks/{drink['id']}", token=admin_token)
    # Then the bus carried three events in the envelope of API.md
    events = local_aws.drain_tap(wait_seconds=1)
    events += local_aws.drain_tap()
    kinds = sorted(e["detail-type"] for e in events)
    assert kinds == ["DrinkCreated", "DrinkDeleted", "DrinkUpdated"]
    by_kind = {e["detail-type"]: e for e in events}
    assert all(e["source"] == "barkeep.menu" for e in events)
    created = by_kind["DrinkCreated"]["detail"]
    assert created["data"]["id"] == drink["id"]
    assert set(created["metadata"]) == {
        "event_id",
        "event_type",
        "version",
        "occurred_at",
        "correlation_id",
    }
    assert by_kind["DrinkUpdated"]["detail"]["data"]["is_active"] is False
    assert by_kind["DrinkDeleted"]["detail"]["data"] == {"drink_id": drink["id"]}
    # And every open menu (channel /menu/updates) was told, with the same event ids
    told = realtime.on("/menu/updates")
    assert [(e["type"], e["data"]) for e in told] == [
        ("MENU_CHANGED", {"drink_id": drink["id"], "change": change})
        for change in ("created", "updated", "deleted")
    ]
    assert {e["event_id"] for e in told} == {e["detail"]["metadata"]["event_id"] for e in events}


def test_openapi_document_describes_every_route(api: LocalApi) -> None:
    doc = api.get("/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    assert {"get"} <= set(doc["paths"]["/drinks"])
    assert set(doc["paths"]["/admin/drinks/{id}"]) == {"patch", "delete"}
    assert "DrinkCreate" in doc["components"]["schemas"]


def test_health_reports_the_database(api: LocalApi) -> None:
    assert api.get("/health").json() == {"status": "ok"}


def test_public_menu_document_matches_the_domain_json(
    api: LocalApi, admin_token: str, section: dict[str, Any]
) -> None:
    # The database builds the public list; it must be exactly what Drink.to_json says.
    api.post(
        "/admin/drinks",
        token=admin_token,
        json_body=drink_body(
            section["id"],
            description='Quotes " and \\ and üñí and\nnewlines',
            image_url="https://img.example/x.png",
            ingredients=[
                {"name": "Rum", "amount": 4.5, "unit": "cl"},
                {"name": "Soda water", "amount": None, "unit": "top"},
                {"name": "Salt", "amount": None, "unit": None},
            ],
        ),
    )
    # no photo (a NULL column), empty lists, and a name that needs escaping
    bare = api.post(
        "/admin/drinks",
        token=admin_token,
        json_body=drink_body(section["id"], name='The "Tab" O\'Neil', recipe_steps=[], tags=[]),
    )
    assert bare.status == 201, bare.body
    public = api.get("/drinks").json()["drinks"]
    from_domain = api.get("/admin/drinks", token=admin_token).json()["drinks"]
    assert len(public) == 2
    assert public == from_domain


def test_a_generated_image_becomes_the_drinks_photo_once(
    api: LocalApi, drink: dict[str, Any]
) -> None:
    from app import handle_event

    def image_generated(event_id: str, drink_id: str, url: str) -> dict[str, Any]:
        return {
            "detail-type": "ImageGenerated",
            "source": "barkeep.ai",
            "detail": {
                "metadata": {
                    "event_id": event_id,
                    "event_type": "ImageGenerated",
                    "version": 1,
                    "occurred_at": "2026-12-31T21:00:00Z",
                    "correlation_id": "c",
                },
                "data": {"drink_id": drink_id, "image_url": url, "placeholder": True},
            },
        }

    event_id = "5b0d6a39-2f57-4a57-9d0e-7d9b0e0f0a01"
    handle_event(image_generated(event_id, drink["id"], "https://img.example/1.png"))
    assert api.get(f"/drinks/{drink['id']}").json()["drink"]["image_url"] == (
        "https://img.example/1.png"
    )
    # redelivered: nothing happens again
    handle_event(image_generated(event_id, drink["id"], "https://img.example/other.png"))
    assert api.get(f"/drinks/{drink['id']}").json()["drink"]["image_url"] == (
        "https://img.example/1.png"
    )
    # a drink deleted meanwhile is simply left alone
    handle_event(
        image_generated(
            "5b0d6a39-2f57-4a57-9d0e-7d9b0e0f0a02",
            "7d3c1f0e-0000-4000-8000-000000000000",
            "https://x/y.png",
        )
    )
