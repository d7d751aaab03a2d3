from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from barkeep.local import LocalResponse
from devstack.gateway import Site, build_app
from starlette.testclient import TestClient


class FakeService:
    """Stands in for a MountedService: echoes what the gateway passed on."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, dict[str, str], bytes]] = []
        self.executor = ThreadPoolExecutor(max_workers=2)

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> LocalResponse:
        self.calls.append((method, path, headers, body))
        return LocalResponse(
            201, {"Content-Type": "application/json", "X-Echo": "yes"}, b'{"ok":true}'
        )


def make_site(tmp_path: Path, **overrides: Any) -> Site:
    values: dict[str, Any] = {
        "port": 8080,
        "services": {"menu": FakeService()},
        "region": "eu-west-1",
        "user_pool_id": "eu-west-1_pool",
        "client_id": "client",
        "cognito_endpoint": "http://127.0.0.1:5000",
        "web_dist": tmp_path / "dist",
        "admin_email": "admin@barkeep.local",
        "admin_password": "Barkeep-admin-1",
    }
    values.update(overrides)
    return Site(**values)


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return make_site(tmp_path)


def test_config_json_has_the_shape_api_md_documents(site: Site) -> None:
    # When
    body = TestClient(build_app(site)).get("/config.json").json()
    # Then
    assert body["stage"] == "local"
    assert body["api"] == {
        n: f"http://localhost:8080/api/{n}" for n in ("menu", "identity", "orders", "ai")
    }
    assert body["realtime"]["http"] == "http://localhost:8080/event"
    assert body["realtime"]["ws"] == "ws://localhost:8080/event/realtime"
    assert body["realtime"]["api_key"].startswith("da2-")
    assert body["auth"] == {
        "mode": "local",
        "region": "eu-west-1",
        "user_pool_id": "eu-west-1_pool",
        "client_id": "client",
        "cognito_endpoint": "http://127.0.0.1:5000/",
        "hosted_ui_domain": None,
    }
    assert body["images"] is None  # this site was given no images bucket
    assert "Barkeep-admin-1" not in str(body)


def test_passes_requests_through_to_the_service(site: Site) -> None:
    # When
    response = TestClient(build_app(site)).post(
        "/api/menu/admin/drinks?x=1&y=2", content=b'{"a":1}', headers={"Authorization": "Bearer t"}
    )
    # Then
    assert response.status_code == 201
    assert response.headers["x-echo"] == "yes"
    assert response.json() == {"ok": True}
    method, path, headers, body = site.services["menu"].calls[-1]  # type: ignore[attr-defined]
    assert (method, path, body) == ("POST", "/admin/drinks?x=1&y=2", b'{"a":1}')
    assert headers["authorization"] == "Bearer t"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/api/orders/orders", "The orders service is not built yet"),
        ("/api/nope/x", "There is no service called 'nope'"),
    ],
)
def test_unknown_services_answer_in_the_error_envelope(site: Site, path: str, message: str) -> None:
    # When
    response = TestClient(build_app(site)).get(path)
    # Then
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": message, "details": {}}}


def test_without_a_built_web_app_every_page_says_so(site: Site) -> None:
    # When
    response = TestClient(build_app(site)).get("/admin/orders")
    # Then
    assert response.status_code == 200
    assert "not built yet" in response.text
    assert "http://localhost:8080/api/menu" in response.text


def test_serves_the_built_web_app_with_client_side_routes(tmp_path: Path) -> None:
    # Given
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<html>app</html>")
    (dist / "assets" / "app.js").write_text("run()")
    client = TestClient(build_app(make_site(tmp_path, web_dist=dist)))
    # When / Then
    assert client.get("/").text == "<html>app</html>"
    assert client.get("/admin/orders").text == "<html>app</html>"
    asset = client.get("/assets/app.js")
    assert asset.text == "run()"
    assert "immutable" in asset.headers["cache-control"]  # content-hashed by Vite
    assert client.get("/admin").headers["cache-control"] == "no-cache"  # the shell revalidates
    assert client.get("/assets/missing.js").status_code == 404


def test_the_app_is_served_with_the_security_headers_aws_sends(tmp_path: Path) -> None:

    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>Barkeep</title>")
    (dist / "assets" / "app-1.js").write_text("console.log(1)")
    site = make_site(tmp_path, images_base_url="http://127.0.0.1:5000/barkeep-local-images")
    client = TestClient(build_app(site))
    assert client.get("/config.json").json()["images"] == site.images_base_url
    for path in ("/", "/admin/orders", "/assets/app-1.js", "/config.json"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self';" in csp and "unsafe" not in csp, path
        assert "frame-ancestors 'none'" in csp
        assert "ws://localhost:8080" in csp  # the realtime WebSocket
        assert "http://127.0.0.1:5000" in csp  # Cognito (moto) and the images bucket
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert "strict-transport-security" not in headers  # plain HTTP on localhost
