"""The web stack of a stage (`<stage>-web`): the SPA and the one origin in front of the
services, after the platform and every service are deployed."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pulumi
from barkeep.web_security import WebHosts

from barkeep_infra.components.web_hosting import WebArgs, WebHosting
from barkeep_infra.config import WebConfig
from barkeep_infra.naming import Naming
from barkeep_infra.platform_outputs import Platform
from barkeep_infra.service_outputs import ServiceStack

WEB_DIST = Path(__file__).resolve().parents[3] / "web" / "dist"
SERVICES = ("menu", "identity", "orders", "ai")


def _config(outputs: dict[str, Any]) -> dict[str, Any]:
    return {
        "stage": outputs["stage"],
        "services": list(SERVICES),
        "realtime": {
            "http": outputs["realtime_http_url"],
            "ws": outputs["realtime_ws_url"],
            "api_key": outputs["realtime_api_key"],
        },
        "auth": {
            "mode": "hosted",
            "region": outputs["region"],
            "user_pool_id": outputs["user_pool_id"],
            "client_id": outputs["spa_client_id"],
            "cognito_endpoint": None,
            "hosted_ui_domain": outputs["cognito_domain"],
        },
        "images_cdn_host": urlsplit(outputs["images_cdn_url"]).netloc,
    }


def _hosts(outputs: dict[str, Any]) -> WebHosts:
    bucket, region = outputs["images_bucket"], outputs["region"]
    return WebHosts(
        realtime=[outputs["realtime_ws_url"]],
        auth=[f"https://{outputs['cognito_domain']}"],
        images=[outputs["images_cdn_url"]],
        # menu's presigned POST goes straight to the bucket (either of S3's names for it)
        uploads=[
            f"https://{bucket}.s3.amazonaws.com",
            f"https://{bucket}.s3.{region}.amazonaws.com",
        ],
    )


def _service(cfg: WebConfig, service: str) -> ServiceStack:
    return ServiceStack.of(cfg.stage, service, cfg.organization)


def web_program(dist: Path = WEB_DIST) -> WebHosting:
    cfg = WebConfig.read()
    naming = Naming(cfg.stage, "web")
    platform = Platform.of(cfg.stage, cfg.organization)
    names = (
        "region",
        "realtime_http_url",
        "realtime_ws_url",
        "realtime_api_key",
        "user_pool_id",
        "spa_client_id",
        "cognito_domain",
        "images_cdn_url",
        "images_bucket",
    )
    outputs = pulumi.Output.all(**{n: platform.require(n) for n in names}).apply(  # type: ignore[arg-type]
        lambda values: {**values, "stage": cfg.stage}
    )
    web = WebHosting(
        "web",
        naming,
        WebArgs(
            dist=dist,
            # bucket names are global: the account keeps a second deployment from colliding
            bucket_name=platform.require("account_id").apply(
                lambda account: naming.name(f"app-{account}")
            ),
            apis={s: _service(cfg, s).require("url") for s in SERVICES},
            config=outputs.apply(_config),
            hosts=outputs.apply(_hosts),
            domain=cfg.domain,
            certificate_arn=cfg.certificate_arn,
        ),
    )
    pulumi.export("url", web.url)
    pulumi.export("distribution_id", web.distribution.id)
    pulumi.export("config_json", web.config_json)
    return web
