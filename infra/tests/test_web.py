"""The web stack under mocks: the SPA, one origin routing to every service, its headers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from barkeep.web_security import WebHosts, security_headers
from barkeep_infra.components.buckets import CACHING_DISABLED
from barkeep_infra.components.web_hosting import APP_ROUTES, IMMUTABLE, REVALIDATE, STRIP_PREFIX
from barkeep_infra.stacks.web import web_program

from tests.harness import ACCOUNT, Run, run

SERVICES = ("menu", "identity", "orders", "ai")


@pytest.fixture(scope="module")
def web_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built web app's shape (the real one is `make web`'s)."""
    root = tmp_path_factory.mktemp("web-dist")
    (root / "assets").mkdir()
    (root / "index.html").write_text("<!doctype html><title>Barkeep</title>")
    (root / "assets" / "index-abc123.js").write_text("console.log('barkeep')")
    (root / "assets" / "index-abc123.js.map").write_text("{}")
    (root / "favicon.svg").write_text("<svg/>")
    return root


@pytest.fixture(scope="module")
def web(platform: Run, web_dist: Path) -> Run:
    references = {"organization/barkeep-platform/dev": platform.exports}
    for service in SERVICES:
        references[f"organization/barkeep-service/dev-{service}"] = {
            "url": f"https://{service}api1.execute-api.eu-west-1.amazonaws.com/dev",
        }

    def program() -> dict[str, Any]:
        hosting = web_program(web_dist)
        return {"url": hosting.url, "config_json": hosting.config_json}

    return run(program, project="barkeep-web", stack="dev-web", config={}, references=references)


def _distribution(web: Run) -> dict[str, Any]:
    [cdn] = web.of("aws:cloudfront/distribution:Distribution")
    return cdn.inputs


def test_one_origin_routes_each_service_and_the_images(web: Run) -> None:
    cdn = _distribution(web)
    origins = {o["originId"]: o for o in cdn["origins"]}
    behaviors = {b["pathPattern"]: b for b in cdn["orderedCacheBehaviors"]}
    for service in SERVICES:
        origin = origins[f"api-{service}"]
        assert origin["domainName"] == f"{service}api1.execute-api.eu-west-1.amazonaws.com"
        assert origin["originPath"] == "/dev"
        behavior = behaviors[f"/api/{service}/*"]
        assert behavior["targetOriginId"] == f"api-{service}"
        assert behavior["cachePolicyId"] == CACHING_DISABLED
        assert "POST" in behavior["allowedMethods"] and "PATCH" in behavior["allowedMethods"]
        [strip] = behavior["functionAssociations"]
        assert strip["eventType"] == "viewer-request"
    assert origins["images"]["domainName"] == "d111111abcdef8.cloudfront.net"
    assert behaviors["/images/*"]["targetOriginId"] == "images"
    assert "originAccessControlId" in origins["web"]  # the SPA's bucket, read through OAC


def test_the_functions_rewrite_paths_as_cloudfront_would(web: Run) -> None:
    import re

    # the same regular expression, in Python: what the origin sees for what the browser asked
    pattern = re.search(r"replace\(/(.+)/, ''\)", STRIP_PREFIX)
    assert pattern is not None
    strip = re.compile(pattern.group(1).replace("\\/", "/"))
    assert strip.sub("", "/api/orders/orders", count=1) == "/orders"
    assert strip.sub("", "/api/menu/drinks/1", count=1) == "/drinks/1"
    assert strip.sub("", "/images/drinks/a.png", count=1) == "/drinks/a.png"
    assert strip.sub("", "/api/menu", count=1) == ""  # then '/', as the function says
    assert "indexOf('.') === -1" in APP_ROUTES and "'/index.html'" in APP_ROUTES
    codes = {f.inputs["name"]: f.inputs["code"] for f in web.of("aws:cloudfront/function:Function")}
    assert set(codes.values()) == {APP_ROUTES, STRIP_PREFIX}


def test_assets_are_cached_a_year_and_the_shell_and_config_never(web: Run) -> None:
    objects = {o.inputs["key"]: o.inputs for o in web.of("aws:s3/bucketObjectv2:BucketObjectv2")}
    assert set(objects) == {"index.html", "favicon.svg", "assets/index-abc123.js", "config.json"}
    assert objects["assets/index-abc123.js"]["cacheControl"] == IMMUTABLE
    assert objects["assets/index-abc123.js"]["contentType"] == "text/javascript"
    assert objects["index.html"]["cacheControl"] == REVALIDATE
    assert objects["config.json"]["cacheControl"] == REVALIDATE


def test_config_json_is_the_local_shape_from_the_stacks_outputs(web: Run, platform: Run) -> None:
    config = json.loads(web.exports["config_json"])
    origin = web.exports["url"]
    assert origin == "https://dweb.cloudfront.net"
    assert config["api"] == {s: f"{origin}/api/{s}" for s in SERVICES}
    assert config["realtime"] == {
        "http": platform.exports["realtime_http_url"],
        "ws": platform.exports["realtime_ws_url"],
        "api_key": platform.exports["realtime_api_key"],
    }
    assert config["auth"] == {
        "mode": "hosted",
        "region": "eu-west-1",
        "user_pool_id": platform.exports["user_pool_id"],
        "client_id": platform.exports["spa_client_id"],
        "cognito_endpoint": None,
        "hosted_ui_domain": platform.exports["cognito_domain"],
    }
    assert config["images"] == f"{origin}/images"


def test_every_answer_carries_the_headers_the_local_gateway_sends(web: Run, platform: Run) -> None:
    [policy] = web.of("aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy")
    security = policy.inputs["securityHeadersConfig"]
    bucket = platform.exports["images_bucket"]
    expected = security_headers(
        WebHosts(
            realtime=[platform.exports["realtime_ws_url"]],
            auth=[f"https://{platform.exports['cognito_domain']}"],
            images=[platform.exports["images_cdn_url"]],
            uploads=[
                f"https://{bucket}.s3.amazonaws.com",
                f"https://{bucket}.s3.eu-west-1.amazonaws.com",
            ],
        ),
        https=True,
    )
    assert (
        security["contentSecurityPolicy"]["contentSecurityPolicy"]
        == expected["Content-Security-Policy"]
    )
    assert security["frameOptions"]["frameOption"] == expected["X-Frame-Options"] == "DENY"
    assert security["referrerPolicy"]["referrerPolicy"] == expected["Referrer-Policy"]
    assert security["strictTransportSecurity"]["accessControlMaxAgeSec"] == 63072000
    assert security["contentTypeOptions"]["override"] is True
    custom = {h["header"]: h["value"] for h in policy.inputs["customHeadersConfig"]["items"]}
    assert custom == {"Permissions-Policy": expected["Permissions-Policy"]}
    cdn = _distribution(web)
    attached = [cdn["defaultCacheBehavior"], *cdn["orderedCacheBehaviors"]]
    assert {b["responseHeadersPolicyId"] for b in attached} == {"barkeep-dev-web-headers-id"}


def test_the_web_bucket_is_private_and_keeps_every_rule(web: Run) -> None:
    from barkeep_infra.policies import check

    report = check([(r.typ, r.name, r.outputs) for r in web.resources], "dev")
    assert report.violations == []
    assert report.checked["buckets-private"] == 1
    [bucket] = web.of("aws:s3/bucket:Bucket")
    assert bucket.inputs["bucket"] == f"barkeep-dev-web-app-{ACCOUNT}"
