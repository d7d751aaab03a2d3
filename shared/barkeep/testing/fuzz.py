"""Fuzz a running service from its own OpenAPI document (schemathesis): no 5xx, whatever comes.

schemathesis' pytest plugin does not work with pytest 9, so its Hypothesis strategies are
driven directly, one operation at a time.
"""

from __future__ import annotations

from typing import Any, cast


def server_errors(base_url: str, headers: dict[str, str], *, examples: int = 30) -> dict[str, Any]:
    """Send generated requests to every operation; report what came back."""
    import schemathesis
    from hypothesis import HealthCheck, given, settings

    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    # .ok() raises on an operation the schema cannot describe: that is a failure too
    operations = [cast(Any, result).ok() for result in schema.get_all_operations()]
    errors: list[str] = []
    statuses: list[int] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def probe(case: Any) -> None:
            response = case.call(base_url=base_url, headers=headers, timeout=10)
            statuses.append(response.status_code)
            if response.status_code >= 500:
                errors.append(
                    f"{case.method} {case.formatted_path} {case.body!r} -> "
                    f"{response.status_code} {response.text[:200]}"
                )

        probe()
    return {"operations": len(operations), "statuses": statuses, "server_errors": errors}
