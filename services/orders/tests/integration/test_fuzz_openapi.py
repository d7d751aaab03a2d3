"""schemathesis over the orders API, as a guest and as the bartender: never a 5xx."""

from __future__ import annotations

import pytest
from barkeep.testing.fuzz import server_errors
from barkeep.testing.stack import RunningStack

from tests.integration.conftest import join

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("stack")]


def test_no_generated_request_gets_a_server_error(
    stack: RunningStack, orders_url: str, invite: str, admin_headers: dict[str, str]
) -> None:
    guest = {"Authorization": f"Bearer {join(stack, invite, 'Fuzzy')['access_token']}"}
    for headers in (guest, admin_headers):
        report = server_errors(orders_url, headers, examples=20)
        assert report["server_errors"] == []
        assert report["operations"] >= 7
