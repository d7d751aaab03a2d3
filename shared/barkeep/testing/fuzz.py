"""Fuzz a running service from its own OpenAPI document: no 5xx, whatever comes, and every error
in the envelope.

Two fuzzers, both derandomized (the same examples on every run, so CI cannot flake) and bounded:

- `server_errors`: schemathesis generates requests that follow the schema (schemathesis' pytest
  plugin does not work with pytest 9, so its Hypothesis strategies are driven directly).
- `hostile_errors`: Hypothesis sends what schemas never describe (issue 15): path parameters,
  query parameters, headers and bodies with control characters and NUL, JSON nested deeper than
  a parser's stack, and lengths at the extremes (`barkeep.testing.hostile`).
- `gateway_errors`: the same kind of paths against the local gateway's own routes (the web
  app's files, `/config.json`, `/event`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, cast
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from barkeep.testing.hostile import (
    CONTROL_CHARACTERS,
    is_envelope,
    nested_json,
    nested_objects,
)

MAX_BODY_BYTES = 64 * 1024


def _settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )


def server_errors(base_url: str, headers: dict[str, str], *, examples: int = 30) -> dict[str, Any]:
    """Send schema-conforming generated requests to every operation; report what came back."""
    import schemathesis

    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    # .ok() raises on an operation the schema cannot describe: that is a failure too
    operations = [cast(Any, result).ok() for result in schema.get_all_operations()]
    errors: list[str] = []
    statuses: list[int] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @_settings(examples)
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


# --- hostile input ----------------------------------------------------------------------------

_NASTY = [
    "",
    "\x00",
    "a\x00b",
    "%00",
    "\x1b[2J",
    "\x7f",
    "\x85",
    "\u202eevil",
    "\ufeff",
    "\uffff",
    "..",
    "../../etc/passwd",
    "a/b",
    "?x=1",
    "#top",
    "%",
    "%zz",
    "{id}",
    "null",
    "' OR 1=1 --",
    "😀",
    "7d3c1f0e-0000-4000-8000-00000000000\x00",
    "+d3c1f0e-0000-4000-8000-000000000000",
    "1234urn:5678123456781234567812345678",
]
_LENGTHS = [1, 255, 256, 1024, 4096, 5000, 8000, 9000]


def hostile_text() -> st.SearchStrategy[str]:
    """Path or query values: the nasty ones above, control characters, any Unicode (no lone
    surrogates: a URL cannot carry them), and lengths up to past CloudFront's URL limit."""
    return st.one_of(
        st.sampled_from(_NASTY),
        st.text(st.sampled_from(CONTROL_CHARACTERS + "ab-_."), min_size=1, max_size=12),
        st.text(st.characters(codec="utf-8"), min_size=1, max_size=40),
        st.sampled_from(_LENGTHS).map(lambda n: "x" * n),
    )


def _header_value() -> st.SearchStrategy[str]:
    # What HTTP/1.1 carries in a header (tab, visible ASCII, obs-text): anything else the HTTP
    # server refuses itself, as CloudFront would, before our code runs.
    carried = st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f")
    deep_jwt = quote(nested_json(1000, None).decode(), safe="")
    return st.one_of(
        st.text(carried | st.just("\t"), max_size=60),
        st.sampled_from(["Bearer", "Bearer e30.e30.e30", f"Bearer {deep_jwt}.e30.x", "Basic eDp5"]),
        st.sampled_from([1024, 4000]).map(lambda n: "Bearer " + "a" * n),
    ).map(str.lstrip)


_HEADERS = [
    "Authorization",
    "X-Registration-Code",
    "Idempotency-Key",
    "X-Correlation-Id",
    "If-None-Match",
    "Content-Type",
]


def hostile_headers(base: dict[str, str]) -> st.SearchStrategy[dict[str, str]]:
    """`base` (the credentials that get past the authorizer), with up to three headers a
    service reads replaced by hostile values."""
    extra = st.dictionaries(st.sampled_from(_HEADERS), _header_value(), max_size=3)
    return extra.map(lambda e: {**base, **e})


_FIXED_BODIES = [
    nested_json(1000),
    nested_json(30_000, field=None),
    nested_objects(1000),
    b"",
    b"{",
    b"\xff\xfe{}",
    b"\xef\xbb\xbf{}",
    b"null",
    b"[]",
    b'"x"',
    b"1" * 5000,  # more digits than int() converts
    b'{"a": NaN, "b": Infinity}',
    b" " * 1000,
    b'{"name": "' + b"x" * (MAX_BODY_BYTES - 12) + b'"}',  # exactly at the limit
    b"x" * (MAX_BODY_BYTES + 1),
]


def _json_value() -> st.SearchStrategy[Any]:
    scalar = st.one_of(
        hostile_text(),
        st.integers(min_value=-(10**40), max_value=10**40),
        st.floats(allow_nan=True, allow_infinity=True),
        st.booleans(),
        st.none(),
    )
    return st.recursive(scalar, lambda inner: st.lists(inner, max_size=3), max_leaves=6)


def hostile_body(fields: list[str]) -> st.SearchStrategy[bytes]:
    """Bodies that are not JSON, JSON nested too deeply, at and past the size limit, and objects
    with the operation's own field names holding hostile values (so field validation is hit)."""
    names = st.sampled_from(fields) if fields else st.text(max_size=10)
    objects = st.dictionaries(names, _json_value(), max_size=max(len(fields), 2))
    return st.one_of(st.sampled_from(_FIXED_BODIES), objects.map(lambda o: json.dumps(o).encode()))


def _operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    components = document.get("components", {}).get("schemas", {})
    found = []
    for path, methods in document["paths"].items():
        for method, op in methods.items():
            params = op.get("parameters", [])
            body = (op.get("requestBody") or {}).get("content", {}).get("application/json", {})
            ref = (body.get("schema") or {}).get("$ref", "")
            fields = list(components.get(ref.rsplit("/", 1)[-1], {}).get("properties", {}))
            security = [name for scheme in op.get("security", []) for name in scheme]
            found.append(
                {
                    "auth": security[0] if security else None,
                    "method": method.upper(),
                    "path": path,
                    "path_params": [p["name"] for p in params if p["in"] == "path"],
                    "query_params": [p["name"] for p in params if p["in"] == "query"],
                    "body": bool(body),
                    "fields": fields,
                }
            )
    return found


def _check(
    report: dict[str, Any], method: str, url: str, response: Any, body: bytes | None
) -> None:
    report["statuses"].append(response.status_code)
    what = f"{method} {url[:160]} {body[:80] if body else b''!r} -> {response.status_code}"
    if response.status_code >= 500:
        report["server_errors"].append(f"{what} {response.text[:200]}")
    elif response.status_code >= 400 and method != "HEAD":  # a HEAD answer has no body
        try:
            enveloped = is_envelope(response.json())
        except ValueError:
            enveloped = False
        if not enveloped:
            report["not_enveloped"].append(f"{what} {response.text[:120]!r}")


def _new_report() -> dict[str, Any]:
    return {"operations": 0, "statuses": [], "server_errors": [], "not_enveloped": []}


def hostile_errors(
    base_url: str, credentials: Mapping[str, dict[str, str]], *, examples: int = 15
) -> dict[str, Any]:
    """Send hostile requests to every operation of the service at `base_url` (path and query
    parameters, headers, bodies); report 5xx answers and errors outside the envelope.

    `credentials` maps an authorizer's name (the operation's OpenAPI security scheme: "admin",
    "guest", "registration_code") to headers that get past it, so that hostile input reaches
    the parsers behind it too."""
    import requests

    document = requests.get(f"{base_url}/openapi.json", timeout=10).json()
    report = _new_report()
    session = requests.Session()
    for op in _operations(document):
        report["operations"] += 1
        base = credentials.get(op["auth"], {}) if op["auth"] else {}
        _fuzz_operation(session, base_url, op, base, report, examples)
    return report


def _fuzz_operation(
    session: Any,
    base_url: str,
    op: dict[str, Any],
    base_headers: dict[str, str],
    report: dict[str, Any],
    examples: int,
) -> None:
    names = op["path_params"] + op["query_params"]
    values = st.fixed_dictionaries({name: hostile_text() for name in names})
    body = hostile_body(op["fields"]) if op["body"] else st.none()

    @given(values=values, sent_headers=hostile_headers(base_headers), payload=body)
    @_settings(examples)
    def probe(values: dict[str, str], sent_headers: dict[str, str], payload: Any) -> None:
        path = re.sub(r"{(\w+)}", lambda m: quote(values[m.group(1)], safe=""), op["path"])
        response = session.request(
            op["method"],
            f"{base_url}{path}",
            params={name: values[name] for name in op["query_params"]},
            data=payload,
            headers={"Content-Type": "application/json", **sent_headers},
            timeout=20,
        )
        _check(report, op["method"], response.url, response, payload)

    probe()


def gateway_errors(base_url: str, *, examples: int = 60) -> dict[str, Any]:
    """Hostile paths and methods against the gateway's own routes (outside /api)."""
    import requests

    session = requests.Session()
    report = _new_report()
    report["operations"] = 1
    prefix = st.sampled_from(["/", "/assets/", "/admin/", "/config.json", "/event/", "/api/"])
    suffix = st.sampled_from(["", ".js", ".html", ".json", "%00", "/"])

    @given(
        prefix=prefix,
        segment=hostile_text(),
        suffix=suffix,
        method=st.sampled_from(["GET", "HEAD", "POST", "DELETE"]),
        payload=st.sampled_from([b"", nested_json(1000), b"x" * (MAX_BODY_BYTES + 1)]),
    )
    @_settings(examples)
    def probe(prefix: str, segment: str, suffix: str, method: str, payload: bytes) -> None:
        url = f"{base_url}{prefix}{quote(segment, safe='')}{suffix}"
        response = session.request(method, url, data=payload or None, timeout=20)
        _check(report, method, url, response, payload)

    probe()
    return report
