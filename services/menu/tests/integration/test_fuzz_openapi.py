"""schemathesis generates requests from the menu's own OpenAPI document and sends them to the
running stack (signed in as the bartender, so admin routes are exercised too): whatever it
sends, the answer is never a 5xx."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("stack")]


def test_no_generated_request_gets_a_server_error(
    menu_url: str, admin_headers: dict[str, str]
) -> None:
    schema = schemathesis.openapi.from_url(f"{menu_url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    server_errors: list[str] = []
    calls: list[int] = []

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def probe(case: Any) -> None:
            response = case.call(base_url=menu_url, headers=admin_headers, timeout=10)
            calls.append(response.status_code)
            if response.status_code >= 500:
                server_errors.append(
                    f"{case.method} {case.formatted_path} {case.body!r} -> "
                    f"{response.status_code} {response.text[:200]}"
                )

        probe()

    assert server_errors == []
    assert len(calls) >= 10 * len(operations)  # it really exercised every operation
    assert {200, 400} <= set(calls)
