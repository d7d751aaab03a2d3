"""Hostile input over every identity operation, through the running stack (control characters,
NUL, deep nesting, extreme lengths in paths, queries, headers and bodies): never a 5xx, and
every error in the envelope. (schemathesis' run is in test_identity_over_http.py.)"""

from __future__ import annotations

import pytest
from barkeep.testing.fuzz import hostile_errors
from barkeep.testing.stack import RunningStack

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("stack")]


def test_hostile_requests_get_no_5xx_and_every_error_in_the_envelope(
    stack: RunningStack, identity_url: str, admin_headers: dict[str, str]
) -> None:
    code = stack.invite_code(admin_headers, max_uses=500)
    credentials = {"admin": admin_headers, "registration_code": {"X-Registration-Code": code}}
    report = hostile_errors(identity_url, credentials)
    assert report["server_errors"] == []
    assert report["not_enveloped"] == []
    assert len(report["statuses"]) >= 10 * report["operations"]  # every operation exercised
    assert report["operations"] >= 10
    assert {400, 404} <= set(report["statuses"])
