"""schemathesis over the orders API, as a guest and as the bartender, and hostile input over
every operation (control characters, NUL, deep nesting, extreme lengths): never a 5xx."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from barkeep.testing.fuzz import hostile_errors, server_errors
from barkeep.testing.stack import RunningStack

from tests.integration.conftest import join

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("stack")]


@pytest.fixture(autouse=True)
def _bar_open_again(orders_url: str, admin_headers: dict[str, str]) -> Iterator[None]:
    # The fuzzer may pause ordering (PATCH /admin/bar); the tests after it on this stack order.
    yield
    reopened = requests.patch(
        f"{orders_url}/admin/bar", headers=admin_headers, json={"ordering": "open"}, timeout=5
    )
    assert reopened.status_code == 200, reopened.text


def test_no_generated_request_gets_a_server_error(
    stack: RunningStack, orders_url: str, invite: str, admin_headers: dict[str, str]
) -> None:
    guest = {"Authorization": f"Bearer {join(stack, invite, 'Fuzzy')['access_token']}"}
    for headers in (guest, admin_headers):
        report = server_errors(orders_url, headers, examples=20)
        assert report["server_errors"] == []
        assert report["operations"] >= 7


def test_hostile_requests_get_no_5xx_and_every_error_in_the_envelope(
    stack: RunningStack, orders_url: str, invite: str, admin_headers: dict[str, str]
) -> None:
    guest = {"Authorization": f"Bearer {join(stack, invite, 'Hostile')['access_token']}"}
    report = hostile_errors(orders_url, {"guest": guest, "admin": admin_headers})
    assert report["server_errors"] == []
    assert report["not_enveloped"] == []
    assert len(report["statuses"]) >= 10 * report["operations"]  # every operation exercised
    assert report["operations"] >= 7
    assert {400, 401} <= set(report["statuses"])  # ids are never UUIDs here: no 404
