from __future__ import annotations

import pytest
from barkeep.web_security import WebHosts, content_security_policy, origin, security_headers


def test_the_policy_names_exactly_the_hosts_the_app_talks_to() -> None:
    hosts = WebHosts(
        realtime=["wss://abc.appsync-realtime-api.eu-west-1.amazonaws.com/event/realtime"],
        auth=["https://barkeep-dev.auth.eu-west-1.amazoncognito.com/oauth2/token"],
        images=["https://bar.example/images"],
        uploads=["https://barkeep-dev-images-1.s3.eu-west-1.amazonaws.com/"],
    )
    directives = dict(d.split(" ", 1) for d in content_security_policy(hosts).split("; "))
    assert directives["script-src"] == "'self'"
    assert directives["connect-src"] == (
        "'self' wss://abc.appsync-realtime-api.eu-west-1.amazonaws.com "
        "https://barkeep-dev.auth.eu-west-1.amazoncognito.com "
        "https://barkeep-dev-images-1.s3.eu-west-1.amazonaws.com https://bar.example"
    )
    assert directives["img-src"] == "'self' https://bar.example data: blob:"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"


def test_hsts_only_over_https() -> None:
    assert "Strict-Transport-Security" not in security_headers(WebHosts(), https=False)
    assert security_headers(WebHosts(), https=True)["Strict-Transport-Security"].startswith(
        "max-age=63072000"
    )


def test_a_host_must_be_an_absolute_url() -> None:
    with pytest.raises(ValueError, match="absolute"):
        origin("bar.example")
