"""The web app in AWS, and one origin for everything the browser talks to over HTTP:

- `/*`: the SPA from a private bucket (origin access control); app routes (no file extension)
  get `index.html`; hashed assets are cached for a year, `index.html` and `/config.json` never;
- `/api/<service>/*`: that service's API Gateway stage (uncached here: API Gateway caches what
  it should), so the browser never makes a cross-origin call and phones pay no preflight;
- `/images/*`: the images CDN;
- every answer carries barkeep.web_security's headers, the same the local gateway sends.

`/config.json` is written from the stacks' outputs, in the shape `make dev` serves.
"""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi
import pulumi_aws as aws
from barkeep.web_security import HSTS_SECONDS, WebHosts, security_headers

from barkeep_infra.components.base import Component
from barkeep_infra.components.buckets import (
    ALL_VIEWER_EXCEPT_HOST_HEADER,
    CACHING_DISABLED,
    CACHING_OPTIMIZED,
    private_bucket,
    readable_by,
)
from barkeep_infra.naming import Naming

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# CloudFront Functions (cloudfront-js-2.0), viewer request.
APP_ROUTES = """function handler(event) {
  var request = event.request;
  // a file is served as it is; every app route (/admin/orders, /join …) gets the app shell
  if (request.uri.indexOf('.') === -1) { request.uri = '/index.html'; }
  return request;
}"""
STRIP_PREFIX = """function handler(event) {
  var request = event.request;
  // /api/orders/orders -> /orders on the orders stage; /images/drinks/a.png -> /drinks/a.png
  request.uri = request.uri.replace(/^\\/(api\\/[a-z]+|images)(?=\\/|$)/, '') || '/';
  return request;
}"""


@dataclass(frozen=True)
class WebArgs:
    dist: Path
    bucket_name: pulumi.Input[str]
    apis: Mapping[str, pulumi.Input[str]]  # service -> its stage's invoke URL
    config: pulumi.Input[dict[str, Any]]  # config.json without the origin-relative parts
    hosts: pulumi.Input[WebHosts]
    domain: str | None = None
    certificate_arn: str | None = None


def cloudfront_headers(headers: Mapping[str, str]) -> dict[str, Any]:
    """barkeep.web_security's headers as a response headers policy's configuration."""
    known = {
        "Content-Security-Policy",
        "Strict-Transport-Security",
        "X-Content-Type-Options",
        "X-Frame-Options",
        "Referrer-Policy",
    }
    return {
        "security_headers_config": {
            "content_security_policy": {
                "content_security_policy": headers["Content-Security-Policy"],
                "override": True,
            },
            "strict_transport_security": {
                "access_control_max_age_sec": HSTS_SECONDS,
                "include_subdomains": True,
                "override": True,
            },
            "content_type_options": {"override": True},
            "frame_options": {"frame_option": headers["X-Frame-Options"], "override": True},
            "referrer_policy": {"referrer_policy": headers["Referrer-Policy"], "override": True},
        },
        "custom_headers_config": {
            "items": [
                {"header": name, "value": value, "override": True}
                for name, value in headers.items()
                if name not in known
            ]
        },
    }


def _files(dist: Path) -> list[tuple[str, Path]]:
    if not (dist / "index.html").is_file():
        raise FileNotFoundError(f"{dist}/index.html is missing: run `make web` first")
    return sorted(
        (p.relative_to(dist).as_posix(), p)
        for p in dist.rglob("*")
        if p.is_file() and p.suffix != ".map"  # source maps stay home
    )


class WebHosting(Component):
    KIND = "web"

    def __init__(
        self, name: str, naming: Naming, args: WebArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("WebHosting", name, naming, opts)
        self.private = private_bucket(self, "web", args.bucket_name, protect=False)
        app_routes = aws.cloudfront.Function(
            self.child_name("app-routes"),
            name=naming.name("app-routes"),
            runtime="cloudfront-js-2.0",
            code=APP_ROUTES,
            publish=True,
            opts=self.child(),
        )
        strip_prefix = aws.cloudfront.Function(
            self.child_name("strip-prefix"),
            name=naming.name("strip-prefix"),
            runtime="cloudfront-js-2.0",
            code=STRIP_PREFIX,
            publish=True,
            opts=self.child(),
        )
        rendered = pulumi.Output.from_input(args.hosts).apply(
            lambda hosts: cloudfront_headers(security_headers(hosts, https=True))
        )
        headers = aws.cloudfront.ResponseHeadersPolicy(
            self.child_name("headers"),
            name=naming.name("headers"),
            comment="barkeep.web_security: the same headers the local gateway sends",
            security_headers_config=rendered.apply(lambda c: c["security_headers_config"]),
            custom_headers_config=rendered.apply(lambda c: c["custom_headers_config"]),
            opts=self.child(),
        )
        # the app's own files: honour each object's Cache-Control (immutable or revalidate)
        web_cache = aws.cloudfront.CachePolicy(
            self.child_name("cache"),
            name=naming.name("web-cache"),
            min_ttl=0,
            default_ttl=0,
            max_ttl=31536000,
            parameters_in_cache_key_and_forwarded_to_origin={
                "enable_accept_encoding_gzip": True,
                "enable_accept_encoding_brotli": True,
                "cookies_config": {"cookie_behavior": "none"},
                "headers_config": {"header_behavior": "none"},
                "query_strings_config": {"query_string_behavior": "none"},
            },
            opts=self.child(),
        )
        origins: list[Any] = [self.private.origin("web")]
        behaviors: list[Any] = []
        for service, url in sorted(args.apis.items()):
            parsed = pulumi.Output.from_input(url).apply(_split_invoke_url)
            origins.append(
                _https_origin(
                    f"api-{service}",
                    parsed.apply(lambda p: p[0]),
                    path=parsed.apply(lambda p: p[1]),
                )
            )
            behaviors.append(
                {
                    "path_pattern": f"/api/{service}/*",
                    "target_origin_id": f"api-{service}",
                    "viewer_protocol_policy": "https-only",
                    "allowed_methods": [
                        "GET",
                        "HEAD",
                        "OPTIONS",
                        "PUT",
                        "POST",
                        "PATCH",
                        "DELETE",
                    ],
                    "cached_methods": ["GET", "HEAD"],
                    "cache_policy_id": CACHING_DISABLED,
                    "origin_request_policy_id": ALL_VIEWER_EXCEPT_HOST_HEADER,
                    "response_headers_policy_id": headers.id,
                    "compress": True,
                    "function_associations": [
                        {"event_type": "viewer-request", "function_arn": strip_prefix.arn}
                    ],
                }
            )
        self.images_origin = pulumi.Output.from_input(args.config).apply(
            lambda config: config["images_cdn_host"]
        )
        origins.append(_https_origin("images", self.images_origin))
        behaviors.append(
            {
                "path_pattern": "/images/*",
                "target_origin_id": "images",
                "viewer_protocol_policy": "redirect-to-https",
                "allowed_methods": ["GET", "HEAD"],
                "cached_methods": ["GET", "HEAD"],
                "cache_policy_id": CACHING_OPTIMIZED,
                "response_headers_policy_id": headers.id,
                "compress": True,
                "function_associations": [
                    {"event_type": "viewer-request", "function_arn": strip_prefix.arn}
                ],
            }
        )
        self.distribution = aws.cloudfront.Distribution(
            self.child_name("cdn"),
            enabled=True,
            comment=f"{naming.prefix} web app",
            price_class="PriceClass_100",
            http_version="http2and3",
            is_ipv6_enabled=True,
            default_root_object="index.html",
            aliases=[args.domain] if args.domain else None,
            origins=origins,
            default_cache_behavior={
                "target_origin_id": "web",
                "viewer_protocol_policy": "redirect-to-https",
                "allowed_methods": ["GET", "HEAD"],
                "cached_methods": ["GET", "HEAD"],
                "cache_policy_id": web_cache.id,
                "response_headers_policy_id": headers.id,
                "compress": True,
                "function_associations": [
                    {"event_type": "viewer-request", "function_arn": app_routes.arn}
                ],
            },
            ordered_cache_behaviors=behaviors,
            restrictions={"geo_restriction": {"restriction_type": "none"}},
            viewer_certificate=(
                {
                    "acm_certificate_arn": args.certificate_arn,
                    "ssl_support_method": "sni-only",
                    "minimum_protocol_version": "TLSv1.2_2021",
                }
                if args.certificate_arn
                else {"cloudfront_default_certificate": True}
            ),
            tags=self.tags,
            opts=self.child(),
        )
        readable_by(self, self.private, self.distribution)
        self.url: pulumi.Output[str] = (
            pulumi.Output.from_input(f"https://{args.domain}")
            if args.domain
            else pulumi.Output.concat("https://", self.distribution.domain_name)
        )
        for key, path in _files(args.dist):
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            aws.s3.BucketObjectv2(
                self.child_name(f"file-{key}"),
                bucket=self.private.bucket.id,
                key=key,
                source=pulumi.FileAsset(str(path)),
                content_type=content_type,
                cache_control=IMMUTABLE if key.startswith("assets/") else REVALIDATE,
                opts=self.child(),
            )
        self.config_json = pulumi.Output.all(self.url, args.config).apply(
            lambda pair: json.dumps(_config_json(pair[0], pair[1]), indent=2, sort_keys=True)
        )
        aws.s3.BucketObjectv2(
            self.child_name("config-json"),
            bucket=self.private.bucket.id,
            key="config.json",
            content=self.config_json,
            content_type="application/json",
            cache_control=REVALIDATE,
            opts=self.child(),
        )
        self.register_outputs({"url": self.url, "distribution_id": self.distribution.id})


def _https_origin(
    origin_id: str, domain: pulumi.Input[str], *, path: pulumi.Input[str] | None = None
) -> dict[str, Any]:
    """An origin CloudFront reaches over HTTPS only (API Gateway, the images CDN)."""
    origin: dict[str, Any] = {
        "origin_id": origin_id,
        "domain_name": domain,
        "custom_origin_config": {
            "http_port": 80,
            "https_port": 443,
            "origin_protocol_policy": "https-only",
            "origin_ssl_protocols": ["TLSv1.2"],
        },
    }
    if path is not None:
        origin["origin_path"] = path
    return origin


def _split_invoke_url(url: str) -> tuple[str, str]:
    """`https://<id>.execute-api.<region>.amazonaws.com/<stage>` → (host, "/<stage>")."""
    rest = url.removeprefix("https://")
    host, _, stage = rest.partition("/")
    return host, f"/{stage.strip('/')}" if stage.strip("/") else ""


def _config_json(origin: str, config: Mapping[str, Any]) -> dict[str, Any]:
    """API.md's discovery document for this origin (the same shape `make dev` serves)."""
    return {
        "stage": config["stage"],
        "api": {service: f"{origin}/api/{service}" for service in config["services"]},
        "realtime": config["realtime"],
        "auth": config["auth"],
        "images": f"{origin}/images",
    }
