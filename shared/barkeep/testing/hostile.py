"""Input that once got a 500 (issue 15), for tests and the fuzzers: JSON nested deeper than a
parser's stack, control characters and NUL, and lengths at the extremes.

`json_routes(app)` lists every route that takes a JSON body, so a test can send the same bad
body to all of them, including routes added after it was written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

UNKNOWN_ID = "7d3c1f0e-0000-4000-8000-000000000000"

# What a path segment, a header or a JSON string has carried to the database driver or the
# filesystem: C0 controls and NUL, DEL, C1 controls.
CONTROL_CHARACTERS = "".join(map(chr, [*range(0x20), 0x7F, *range(0x80, 0xA0)]))


def nested_json(depth: int = 1000, field: str | None = "refresh_token") -> bytes:
    """`{"<field>": [[[…]]]}` (or bare `[[[…]]]`): `depth` arrays, ~2 bytes a level, so 1,000
    levels are far below the 64 KiB body limit but deeper than Python's recursion limit."""
    arrays = "[" * depth + "]" * depth
    return (arrays if field is None else json.dumps({field: None}).replace("null", arrays)).encode()


def nested_objects(depth: int = 1000, field: str = "a") -> bytes:
    """`{"a": {"a": … {}}}`, `depth` objects deep."""
    return (f'{{"{field}": ' * depth + "{}" + "}" * depth).encode()


@dataclass(frozen=True)
class JsonRoute:
    method: str
    path: str  # a concrete path: every {param} filled in
    auth: str | None  # the authorizer's name, None for a public route


def json_routes(app: Any, *, fill: str = UNKNOWN_ID) -> list[JsonRoute]:
    """Every (method, path) of a `barkeep.http.ServiceApp` that parses a JSON body."""
    routes: list[JsonRoute] = []
    for op in app.operations:
        if op.body is None:
            continue
        path = re.sub(r"{\w+}", fill, op.path)
        routes.extend(JsonRoute(method, path, op.auth) for method in op.methods)
    return routes


def error_code(raw: bytes) -> str | None:
    """The envelope's `error.code` in a response body; None when the body is not the envelope."""
    try:
        body = json.loads(raw)
    except ValueError:
        return None
    return str(body["error"]["code"]) if is_envelope(body) else None


def is_envelope(body: Any) -> bool:
    """API.md's error envelope: {"error": {"code": str, "message": str, "details": {}}}."""
    error = body.get("error") if isinstance(body, dict) else None
    return (
        isinstance(error, dict)
        and isinstance(error.get("code"), str)
        and isinstance(error.get("message"), str)
        and isinstance(error.get("details"), dict)
    )


DEEP_BODIES = {"1000-arrays": nested_json(1000), "1000-objects": nested_objects(1000)}


def answers_on_json_routes(
    api: Any,
    body: bytes,
    *,
    admin: str | None = None,
    guest: str | None = None,
    registration_code: str | None = None,
) -> dict[str, tuple[int, str | None]]:
    """Send `body` to every JSON route of `api` (a `barkeep.local.LocalApi`), with whichever of
    the credentials gets past its authorizer; {"METHOD path": (status, error code)} for each."""
    headers_for = {
        "admin": {"Authorization": f"Bearer {admin}"},
        "guest": {"Authorization": f"Bearer {guest}"},
        "registration_code": {"X-Registration-Code": registration_code or ""},
    }
    answers: dict[str, tuple[int, str | None]] = {}
    for route in json_routes(api.app):
        headers = headers_for.get(route.auth, {}) if route.auth else {}
        response = api.request(route.method, route.path, headers=headers, body=body)
        answers[f"{route.method} {route.path}"] = (response.status, error_code(response.body))
    return answers
