"""schemathesis generates requests from the menu's own OpenAPI document and sends them to the
running stack (signed in as the bartender, so admin routes are reached too): whatever it
sends, the answer is never a 5xx."""

from __future__ import annotations

import pytest
from barkeep.testing.fuzz import server_errors

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("stack")]


def test_no_generated_request_gets_a_server_error(
    menu_url: str, admin_headers: dict[str, str]
) -> None:
    report = server_errors(menu_url, admin_headers)
    assert report["server_errors"] == []
    assert report["operations"] >= 12
    assert len(report["statuses"]) >= 10 * report["operations"]  # every operation exercised
    assert {200, 400} <= set(report["statuses"])
