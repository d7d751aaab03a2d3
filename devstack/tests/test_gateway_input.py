"""The gateway's front door under hostile requests (issue 15): static paths with NUL or absurd
lengths, and bodies that are too large, announced or not, are answered in the envelope and
never read past the limit."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from barkeep.http import MAX_BODY_BYTES
from barkeep.testing.fuzz import gateway_errors
from barkeep.testing.hostile import body_stream, raw_request
from devstack.gateway import MAX_URL_BYTES, build_app
from starlette.testclient import TestClient

from .test_gateway import FakeService, make_site
from .test_realtime import serve


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    built = tmp_path / "dist"
    (built / "assets").mkdir(parents=True)
    (built / "index.html").write_text("<html>app</html>")
    (built / "assets" / "app.js").write_text("run()")
    return built


@pytest.fixture
def service() -> FakeService:
    return FakeService()


@pytest.fixture
def app(tmp_path: Path, dist: Path, service: FakeService) -> Any:
    return build_app(make_site(tmp_path, web_dist=dist, services={"menu": service}))


@pytest.fixture
def host(app: Any) -> Iterator[str]:
    with serve(app) as address:
        yield address


def _envelope(response: Any) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    return body["error"]


@pytest.mark.parametrize(
    "path",
    [
        "/%00",
        "/config.json%00",
        "/assets/%00",
        "/assets/app.js%00",
        "/admin/%01orders",
        "/%7F",
        "/" + "a" * 5000,  # longer than a file name may be
        "/assets/" + "b" * 300 + ".js",
        "/x" * 2100,  # longer than a path may be
    ],
    ids=lambda p: p[:24],
)
def test_static_paths_no_file_can_have_are_404(app: Any, path: str) -> None:
    # When
    response = TestClient(app).get(path)
    # Then (a NUL used to be a 500 from the filesystem, a long name a 500 or a reset)
    assert response.status_code == 404
    assert _envelope(response)["code"] == "not_found"


def test_a_missing_asset_is_a_404_in_the_envelope(app: Any) -> None:
    response = TestClient(app).get("/assets/missing.js")
    assert response.status_code == 404
    assert _envelope(response)["code"] == "not_found"


@pytest.mark.parametrize("path", ["/" + "a" * MAX_URL_BYTES, "/api/menu/drinks/" + "1" * 9000])
def test_a_url_longer_than_cloudfront_takes_is_414_over_a_real_socket(host: str, path: str) -> None:
    # When the request line is longer than CloudFront accepts (8,192 bytes)
    status, _, body, _ = raw_request(host, f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    # Then the gateway says so, in the envelope, as CloudFront would in AWS (414)
    assert status == 414
    assert json.loads(body)["error"]["code"] == "uri_too_long"


def test_a_5000_character_path_is_404_over_a_real_socket(host: str) -> None:
    status, _, body, _ = raw_request(host, b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status == 404
    assert json.loads(body)["error"]["code"] == "not_found"


# --- bodies -----------------------------------------------------------------------------------


POST = "POST /api/menu/admin/drinks HTTP/1.1\r\nHost: x\r\n"


def test_an_announced_100_mb_body_is_413_before_it_is_read(host: str, service: FakeService) -> None:
    # When a client announces 100 MB and starts sending
    head = f"{POST}Content-Length: {100 * 1024 * 1024}\r\n\r\n".encode()
    status, _, body, sent = raw_request(host, head, body_stream(100 * 1024 * 1024))
    # Then the answer comes at once, in the envelope, and the service never sees the request
    assert status == 413
    assert json.loads(body)["error"]["code"] == "payload_too_large"
    assert sent < 20 * 1024 * 1024  # the server stopped reading long before the end
    assert service.calls == []


def test_a_chunked_body_is_cut_off_at_the_limit(host: str, service: FakeService) -> None:
    # When a body without Content-Length (chunked) goes on and on
    head = f"{POST}Transfer-Encoding: chunked\r\n\r\n".encode()
    status, _, body, sent = raw_request(host, head, body_stream(100 * 1024 * 1024, chunked=True))
    # Then it is refused once it passes 64 KiB, long before its end
    assert status == 413
    assert json.loads(body)["error"]["code"] == "payload_too_large"
    assert sent < 20 * 1024 * 1024
    assert service.calls == []


def test_a_content_length_that_lies_is_not_believed(host: str, service: FakeService) -> None:
    # When a client announces 10 bytes and sends 1 MB
    head = f"{POST}Content-Length: 10\r\n\r\n".encode()
    status, _, _, _ = raw_request(host, head, body_stream(1024 * 1024))
    # Then what follows the 10 bytes is not read as body: it is a malformed next request, which
    # the HTTP server itself refuses (400, as CloudFront would), and no service sees more than 10
    assert status == 400
    assert all(len(call[3]) <= 10 for call in service.calls)


@pytest.mark.parametrize(("size", "status"), [(MAX_BODY_BYTES, 201), (MAX_BODY_BYTES + 1, 413)])
def test_the_limit_is_64_kib_exactly(
    app: Any, service: FakeService, size: int, status: int
) -> None:
    # When (in-process: the same limit, whichever way the body arrives)
    announced = TestClient(app).post("/api/menu/admin/drinks", content=b"x" * size)
    streamed = TestClient(app).post(
        "/api/menu/admin/drinks", content=iter([b"x" * (size // 2), b"x" * (size - size // 2)])
    )
    # Then
    assert announced.status_code == status
    assert streamed.status_code == status
    if status == 413:
        assert _envelope(announced)["code"] == "payload_too_large"
        assert service.calls == []


def test_a_publish_body_larger_than_appsync_takes_is_413_in_its_shape(host: str) -> None:
    # When a body to /event is larger than AppSync Events accepts (5 events of 240 KB)
    head = f"POST /event HTTP/1.1\r\nHost: x\r\nContent-Length: {100 * 1024 * 1024}\r\n\r\n"
    status, _, body, _ = raw_request(host, head.encode(), body_stream(100 * 1024 * 1024))
    # Then it is refused before it is read, as AppSync refuses it
    assert status == 413
    assert json.loads(body)["errors"][0]["errorType"] == "BadRequestException"


def test_a_method_a_route_does_not_take_is_405_in_the_envelope(app: Any) -> None:
    response = TestClient(app).post("/assets/app.js")
    assert response.status_code == 405
    assert _envelope(response)["code"] == "method_not_allowed"
    assert "GET" in response.headers["allow"]


def test_fuzzed_paths_get_no_5xx_and_every_error_in_the_envelope(host: str) -> None:
    # When hostile paths, methods and bodies hit the gateway's own routes (a real socket)
    report = gateway_errors(f"http://{host}", examples=80)
    # Then
    assert report["server_errors"] == []
    assert report["not_enveloped"] == []
    assert {200, 404} <= set(report["statuses"])


def test_a_client_that_sends_the_whole_body_before_reading_gets_the_413(
    host: str, service: FakeService, tmp_path: Path
) -> None:
    import requests
    from devstack.front import Front, PlainPage
    from devstack.ports import reserve_port
    from devstack.tls import ensure_certificates

    # Given the gateway, straight and behind make party's TLS front door
    certs = ensure_certificates(tmp_path, "127.0.0.2")
    public = reserve_port(0, "127.0.0.2")
    port = public.getsockname()[1]
    page = PlainPage(f"https://127.0.0.2:{port}", certs.ca_der(), certs.ca_cert.read_bytes())
    gateway = host.rsplit(":", 1)
    front = Front(public, (gateway[0], int(gateway[1])), certs.server_context(), page)
    front.start()
    try:
        for base in (f"http://{host}", f"https://127.0.0.2:{port}"):
            # When a client sends a body over the limit in full before it reads the answer
            # (Python's requests, a browser's fetch), with and without Content-Length
            size = 1024 * 1024
            for body in (b"x" * size, iter([b"x" * (size // 2), b"x" * (size - size // 2)])):
                answer = requests.post(
                    f"{base}/api/menu/admin/drinks",
                    data=body,
                    timeout=10,
                    verify=str(certs.ca_cert),
                )
                # Then it reads a 413 rather than a reset connection
                assert answer.status_code == 413, base
                assert _envelope(answer)["code"] == "payload_too_large"
    finally:
        front.stop()
        public.close()
    assert service.calls == []
