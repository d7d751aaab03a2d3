"""ServiceApp's safety net: an unexpected error is a 500 with a request id, logged as JSON,
with nothing of the internals in the response."""

from __future__ import annotations

import io
import json
import logging

import pytest
from barkeep.http import ServiceApp
from barkeep.local import LocalApi
from barkeep.observability import JsonFormatter
from barkeep.testing.hostile import nested_json, nested_objects


def test_unexpected_errors_are_500_with_a_request_id_and_no_internals() -> None:
    app = ServiceApp("probe")

    @app.route("/boom", methods=["GET"])
    def boom() -> None:
        raise RuntimeError("password=hunter2 at db.internal:5432")

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("barkeep.http")
    logger.addHandler(handler)
    try:
        response = LocalApi(app).get("/boom", headers={"X-Correlation-Id": "corr-123"})
    finally:
        logger.removeHandler(handler)
    assert response.status == 500
    error = response.json()["error"]
    assert error["code"] == "internal_error"
    assert "hunter2" not in response.body.decode()
    request_id = error["details"]["request_id"]
    assert response.headers["X-Request-Id"] == request_id
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    logged = next(line for line in lines if line["message"] == "unhandled error")
    assert logged["request_id"] == request_id
    assert logged["correlation_id"] == "corr-123"
    assert "hunter2" in logged["exception"]  # the detail goes to the log, not the client


def test_domain_errors_map_through_one_table() -> None:
    from barkeep import errors
    from barkeep.http import status_for

    class OrderGone(errors.NotFound):
        code = "order_gone"

    assert status_for(OrderGone("x")) == 404
    assert status_for(errors.ValidationFailed({"a": "b"})) == 400
    assert status_for(errors.Conflict("x")) == 409
    assert status_for(errors.RateLimited("x")) == 429
    assert status_for(errors.ServiceUnavailable("x")) == 503


def test_an_unavailable_database_is_a_503_with_retry_after() -> None:
    from barkeep import errors

    app = ServiceApp("probe")

    @app.route("/busy", methods=["GET"])
    def busy() -> None:
        raise errors.ServiceUnavailable("The database is down", retry_after=2)

    response = LocalApi(app).get("/busy")
    assert response.status == 503
    assert response.headers["Retry-After"] == "2"
    assert response.json()["error"] == {
        "code": "service_unavailable",
        "message": "The database is down",
        "details": {"retry_after": 2},
    }


def test_any_content_type_is_parsed_as_json_and_chalice_errors_get_the_envelope() -> None:
    from pydantic import BaseModel

    class Body(BaseModel):
        name: str

    app = ServiceApp("probe")

    @app.route("/things", methods=["POST"], body=Body, status=201)
    def create(body: Body) -> dict[str, str]:
        return {"name": body.name}

    api = LocalApi(app)
    form = api.post(
        "/things",
        body=b'{"name": "x"}',
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert form.status == 201
    wrong_method = api.request("PUT", "/things", json_body={"name": "x"})
    assert wrong_method.status == 405
    assert wrong_method.json()["error"]["code"] == "method_not_allowed"


def _body_app() -> LocalApi:
    from pydantic import BaseModel

    class Refresh(BaseModel):
        refresh_token: str

    app = ServiceApp("probe")

    @app.route("/refresh", methods=["POST"], body=Refresh)
    def refresh(body: Refresh) -> dict[str, str]:
        return {"token": body.refresh_token}

    return LocalApi(app)


@pytest.mark.parametrize(
    "raw",
    [
        nested_json(250),  # deeper than pydantic's JSON parser allows
        nested_json(1000),  # deeper than Python's recursion limit: json.loads raised
        nested_json(30_000),  # ~60 KB, still under the 64 KiB limit
        nested_json(1000, field=None),
        nested_objects(1000),
    ],
    ids=["250-arrays", "1000-arrays", "30000-arrays", "bare-1000-arrays", "1000-objects"],
)
def test_deeply_nested_json_is_a_400_in_the_envelope(raw: bytes) -> None:
    # When a body nests deeper than any parser's stack
    response = _body_app().post("/refresh", body=raw)
    # Then it is refused like any other malformed body, not a 500
    assert response.status == 400, response.body[:300]
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert "body" in error["details"]["fields"] or "refresh_token" in error["details"]["fields"]


def _path_app(seen: list[str]) -> LocalApi:
    app = ServiceApp("probe")

    @app.route("/codes/{code}", methods=["GET"])
    def code(code: str) -> dict[str, str]:
        seen.append(code)
        return {"code": code}

    @app.route("/things/{id}", methods=["GET"])
    def thing(id: str) -> dict[str, str]:
        seen.append(id)
        return {"id": id}

    return LocalApi(app)


# (not a tab or a newline: urllib.parse, under Chalice's local gateway, drops those from a URL)
@pytest.mark.parametrize("value", ["\x00", "a\x00b", "\x01", "\x1b[31m", "\x1f", "\x7f", "\x85"])
def test_control_characters_in_a_path_parameter_never_reach_the_view(value: str) -> None:
    # Given a path as API Gateway hands it on: percent-decoded (%00 is a NUL)
    seen: list[str] = []
    api = _path_app(seen)
    # When
    named = api.get(f"/codes/{value}")
    uuid_like = api.get(f"/things/7d3c1f0e-0000-4000-8000-00000000000{value}")
    # Then a named parameter is unknown (404) and an id is not a UUID (400), in the envelope
    assert (named.status, named.json()["error"]["code"]) == (404, "not_found")
    assert (uuid_like.status, uuid_like.json()["error"]["code"]) == (400, "validation_error")
    assert seen == []


@pytest.mark.parametrize(
    "value",
    [
        "1234urn:5678123456781234567812345678",  # uuid.UUID drops "urn:" wherever it is
        "+2345678-1234-1234-1234-1234567890ab",  # and int(…, 16) takes a sign
        "1234_678-1234-1234-1234-1234567890ab",  # and underscores
        "{1234567812345678123456781234-5678}",
        "7d3c1f0e00004000800000000000000",  # 31 digits
        "7d3c1f0e-0000-4000-8000-0000000000000",
    ],
)
def test_an_id_is_a_uuid_in_its_canonical_or_hex_form_only(value: str) -> None:
    # What uuid.UUID forgives, PostgreSQL's uuid type refuses: that was a 500 from the driver
    seen: list[str] = []
    response = _path_app(seen).get(f"/things/{value}")
    assert response.status == 400
    assert response.json()["error"]["details"]["fields"] == {"id": "Must be a UUID"}
    assert seen == []


@pytest.mark.parametrize(
    "value", ["7d3c1f0e-0000-4000-8000-000000000000", "7D3C1F0E00004000800000000000000A"]
)
def test_uuids_in_either_form_reach_the_view(value: str) -> None:
    seen: list[str] = []
    assert _path_app(seen).get(f"/things/{value}").status == 200
    assert seen == [value]
