"""schemathesis generates requests from the menu's own OpenAPI document and sends them to the
running stack (signed in as the bartender, so admin routes are reached too), and hostile input
goes to every operation (control characters, NUL, deep nesting, extreme lengths): whatever is
sent, the answer is never a 5xx, and every error is in the envelope."""

from __future__ import annotations

import pytest
from barkeep.testing.fuzz import hostile_errors, server_errors

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("stack")]


def test_no_generated_request_gets_a_server_error(
    menu_url: str, admin_headers: dict[str, str]
) -> None:
    report = server_errors(menu_url, admin_headers)
    assert report["server_errors"] == []
    assert report["operations"] >= 12
    assert len(report["statuses"]) >= 10 * report["operations"]  # every operation exercised
    assert {200, 400} <= set(report["statuses"])


def test_hostile_requests_get_no_5xx_and_every_error_in_the_envelope(
    menu_url: str, admin_headers: dict[str, str]
) -> None:
    report = hostile_errors(menu_url, {"admin": admin_headers})
    assert report["server_errors"] == []
    assert report["not_enveloped"] == []
    assert len(report["statuses"]) >= 10 * report["operations"]  # every operation exercised
    assert report["operations"] >= 12
    assert {400, 404} <= set(report["statuses"])
