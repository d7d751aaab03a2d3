"""Concurrent writes on the real database: no 5xx, no lost or torn rows."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from barkeep.local import LocalApi

from tests.conftest import drink_body


def test_twenty_concurrent_patches_leave_one_consistent_row(
    api: LocalApi, admin_token: str, drink: dict[str, Any]
) -> None:
    # Given 20 bartenders each rewriting the same drink at once
    def patch(i: int) -> Any:
        return api.patch(
            f"/admin/drinks/{drink['id']}",
            token=admin_token,
            json_body={
                "description": f"version {i}",
                "tags": [f"v{i}"],
                "ingredients": [{"name": f"Ingredient {i}", "amount": i, "unit": "cl"}],
            },
        )

    with ThreadPoolExecutor(max_workers=20) as pool:
        responses = list(pool.map(patch, range(20)))
    # Then no request failed on the server: conflicts were retried, and one that outlasted
    # the retry budget is a 409 the client may repeat
    statuses = [r.status for r in responses]
    assert set(statuses) <= {200, 409}, statuses
    assert statuses.count(200) >= 15
    assert all(
        r.json()["error"]["code"] == "concurrent_update" for r in responses if r.status == 409
    )
    # And the row is one successful writer's whole version, never a mix of two
    final = api.get(f"/drinks/{drink['id']}").json()["drink"]
    i = int(final["description"].split()[-1])
    assert responses[i].status == 200
    assert final["tags"] == [f"v{i}"]
    assert final["ingredients"] == [{"name": f"Ingredient {i}", "amount": i, "unit": "cl"}]
    # And each write published its own event, in full
    from chalicelib.wiring import menu

    rows = menu().db.transaction(
        lambda c: c.execute("SELECT count(*), count(published_at) FROM menu.outbox").fetchone()
    )
    # each write: one EventBridge event and one MENU_CHANGED notification
    assert rows == (2 * (1 + statuses.count(200)),) * 2


def test_concurrent_creates_with_one_name_make_one_drink(
    api: LocalApi, admin_token: str, section: dict[str, Any]
) -> None:
    def create(i: int) -> Any:
        return api.post(
            "/admin/drinks",
            token=admin_token,
            json_body=drink_body(section["id"], name="Twin Peaks"),
        )

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = sorted(r.status for r in pool.map(create, range(10)))
    assert statuses == [201] + [409] * 9
    assert len(api.get("/drinks").json()["drinks"]) == 1


def test_deleting_a_section_while_drinks_are_added_never_orphans_one(
    api: LocalApi, admin_token: str
) -> None:
    # Repeat the race a few times: a drink is created while its section is deleted.
    for round_ in range(5):
        section = api.post(
            "/admin/sections", token=admin_token, json_body={"name": f"Race {round_}"}
        ).json()["section"]

        body = drink_body(section["id"], name=f"Racer {round_}")
        path = f"/admin/sections/{section['id']}"
        with ThreadPoolExecutor(max_workers=2) as pool:
            created = pool.submit(api.post, "/admin/drinks", token=admin_token, json_body=body)
            deleted = pool.submit(api.delete, path, token=admin_token)
            results = (created.result().status, deleted.result().status)
        assert results in {(201, 409), (404, 204)}, results
        sections = {s["id"] for s in api.get("/sections").json()["sections"]}
        for d in api.get("/admin/drinks", token=admin_token).json()["drinks"]:
            assert d["section_id"] in sections
