"""Hostile input over every ai operation, through the running stack (control characters, NUL,
deep nesting, extreme lengths in paths, headers and bodies): never a 5xx, and every error in
the envelope. (schemathesis' run is in test_ai_over_http.py.)"""

from __future__ import annotations

import pytest
from barkeep.testing.fuzz import hostile_errors
from barkeep.testing.stack import RunningStack

from tests.integration.test_ai_over_http import _guest

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("stack")]


def test_hostile_requests_get_no_5xx_and_every_error_in_the_envelope(
    stack: RunningStack, ai_url: str, admin_headers: dict[str, str]
) -> None:
    credentials = {"guest": _guest(stack, admin_headers), "admin": admin_headers}
    report = hostile_errors(ai_url, credentials)
    assert report["server_errors"] == []
    assert report["not_enveloped"] == []
    assert len(report["statuses"]) >= 10 * report["operations"]  # every operation exercised
    assert report["operations"] >= 5
    assert 400 in report["statuses"]
