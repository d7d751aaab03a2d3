"""The bar's settings: pause, last call, the wait colours (issue 16, ADR 0029)."""

from __future__ import annotations

from typing import Any

import pytest
from barkeep.local import LocalApi

from tests.conftest import order

DEFAULTS = {
    "ordering": "open",
    "message": "",
    "reopens_at": None,
    "wait_warn_seconds": 300,
    "wait_late_seconds": 600,
    "updated_at": None,
}


def _patch(api: LocalApi, token: str, **body: Any) -> Any:
    return api.patch("/admin/bar", token=token, json_body=body)


def test_anyone_reads_the_defaults_without_signing_in(api: LocalApi) -> None:
    response = api.get("/bar")
    assert response.status == 200
    assert response.json() == {"bar": DEFAULTS}


def test_the_bartender_pauses_ordering_and_guests_are_told_why_and_when(
    api: LocalApi, ada: dict[str, str], drink_id: str, admin_token: str
) -> None:
    # When the bartender pauses ordering with a message and a time
    response = _patch(
        api,
        admin_token,
        ordering="paused",
        message="Changing the keg",
        reopens_at="2026-12-31T22:30:00Z",
    )
    assert response.status == 200, response.body
    bar = response.json()["bar"]
    assert (bar["ordering"], bar["message"], bar["reopens_at"]) == (
        "paused",
        "Changing the keg",
        "2026-12-31T22:30:00.000000Z",
    )
    assert bar["updated_at"] is not None
    assert api.get("/bar").json() == {"bar": bar}
    # Then a guest's order is refused, saying why and when it reopens
    refused = order(api, ada, drink_id)
    assert refused.status == 409
    error = refused.json()["error"]
    assert error["code"] == "ordering_paused"
    assert "Changing the keg" in error["message"] and "2026-12-31T22:30" in error["message"]
    assert error["details"]["reopens_at"] == "2026-12-31T22:30:00.000000Z"
    assert api.get("/orders", token=ada["token"]).json()["orders"] == []
    # And opening again takes orders and forgets when it was to reopen
    opened = _patch(api, admin_token, ordering="open").json()["bar"]
    assert (opened["ordering"], opened["reopens_at"]) == ("open", None)
    assert opened["message"] == "Changing the keg"  # only what was sent changes
    assert order(api, ada, drink_id).status == 201


def test_last_call_still_takes_orders(
    api: LocalApi, ada: dict[str, str], drink_id: str, admin_token: str
) -> None:
    assert _patch(api, admin_token, ordering="last_call", message="Last call!").status == 200
    assert order(api, ada, drink_id).status == 201


def test_a_paused_bar_still_answers_an_idempotent_replay(
    api: LocalApi, ada: dict[str, str], drink_id: str, admin_token: str
) -> None:
    first = order(api, ada, drink_id, idempotency_key="tap")
    _patch(api, admin_token, ordering="paused")
    again = order(api, ada, drink_id, idempotency_key="tap")
    assert again.status == 200 and again.json()["order"]["id"] == first.json()["order"]["id"]


def test_the_wait_colours_are_shared(api: LocalApi, admin_token: str) -> None:
    changed = _patch(api, admin_token, wait_warn_seconds=120, wait_late_seconds=240)
    assert changed.status == 200, changed.body
    bar = api.get("/bar").json()["bar"]
    assert (bar["wait_warn_seconds"], bar["wait_late_seconds"]) == (120, 240)


def test_late_must_stay_after_warn_as_the_settings_end_up(api: LocalApi, admin_token: str) -> None:
    # warn alone past the stored late (600)
    response = _patch(api, admin_token, wait_warn_seconds=900)
    assert response.status == 400
    assert "wait_late_seconds" in response.json()["error"]["details"]["fields"]
    assert _patch(api, admin_token, wait_warn_seconds=600, wait_late_seconds=600).status == 400
    assert api.get("/bar").json()["bar"] == DEFAULTS  # nothing was saved


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"ordering": "closed"}, "ordering"),
        ({"ordering": None}, "ordering"),
        ({"ordering": 1}, "ordering"),
        ({"message": "x" * 201}, "message"),
        ({"message": None}, "message"),
        ({"message": "bell\x07"}, "message"),
        ({"reopens_at": "tomorrow"}, "reopens_at"),
        ({"reopens_at": "2026-12-31T22:30:00"}, "reopens_at"),
        ({"reopens_at": "0001-01-01T00:00:00+01:00"}, "reopens_at"),
        ({"reopens_at": "0002-01-01T00:01:00Z"}, "reopens_at"),
        ({"reopens_at": "9999-12-31T23:59:59-10:00"}, "reopens_at"),
        ({"wait_warn_seconds": 59}, "wait_warn_seconds"),
        ({"wait_warn_seconds": 3601}, "wait_warn_seconds"),
        ({"wait_warn_seconds": "300"}, "wait_warn_seconds"),
        ({"wait_warn_seconds": 300.5}, "wait_warn_seconds"),
        ({"wait_warn_seconds": None}, "wait_warn_seconds"),
        ({"wait_late_seconds": 7201}, "wait_late_seconds"),
        ({"wait_late_seconds": True}, "wait_late_seconds"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_settings_are_400(
    api: LocalApi, admin_token: str, body: dict[str, Any], field: str
) -> None:
    response = api.patch("/admin/bar", token=admin_token, json_body=body)
    assert response.status == 400, response.body
    fields = response.json()["error"]["details"]["fields"]
    # a wrong value names its field; a null one is named in the body's message
    assert any(field in name or field in text for name, text in fields.items()), fields


def test_an_empty_patch_is_400(api: LocalApi, admin_token: str) -> None:
    assert api.patch("/admin/bar", token=admin_token, json_body={}).status == 400


def test_clearing_reopens_at_is_allowed(api: LocalApi, admin_token: str) -> None:
    _patch(api, admin_token, ordering="paused", reopens_at="2026-12-31T22:30:00Z")
    cleared = _patch(api, admin_token, reopens_at=None).json()["bar"]
    assert (cleared["ordering"], cleared["reopens_at"]) == ("paused", None)


def test_only_the_bartender_changes_the_bar(api: LocalApi, ada: dict[str, str]) -> None:
    assert api.patch("/admin/bar", json_body={"ordering": "paused"}).status == 401
    guest = api.patch("/admin/bar", token=ada["token"], json_body={"ordering": "paused"})
    assert guest.status == 403
    assert api.get("/bar").json()["bar"]["ordering"] == "open"
