"""The platform stack of a stage: everything the services share."""

from __future__ import annotations

from pathlib import Path

import pulumi
import pulumi_aws as aws
from barkeep.declarations import load_all

from barkeep_infra import artifacts
from barkeep_infra.components.admin_directory import AdminDirectory, AdminDirectoryArgs
from barkeep_infra.components.alarms import Alarms
from barkeep_infra.components.api_logging import ApiLogging
from barkeep_infra.components.artifact_store import ArtifactStore
from barkeep_infra.components.dashboard import Dashboard
from barkeep_infra.components.database import Database
from barkeep_infra.components.event_bus import EventBus
from barkeep_infra.components.guest_signing import GuestSigning
from barkeep_infra.components.images import Images
from barkeep_infra.components.push_keys import PushKeys
from barkeep_infra.components.realtime import Realtime, RealtimeArgs
from barkeep_infra.config import PlatformConfig
from barkeep_infra.naming import Naming
from barkeep_infra.platform_outputs import OUTPUTS, SECRET_OUTPUTS

REALTIME_ARTIFACT = "realtime"
SERVICES_DIR = Path(__file__).resolve().parents[3] / "services"


def platform_program(
    dist: Path = artifacts.DIST, services_dir: Path = SERVICES_DIR
) -> dict[str, pulumi.Output[object]]:
    cfg = PlatformConfig.read()
    naming = Naming(cfg.stage)
    account_id = aws.get_caller_identity_output().account_id

    database = Database("database", naming, cfg.region)
    images = Images("images", naming, web_origin=cfg.web_origin, account_id=account_id)
    signing = GuestSigning("guest-signing", naming, images_base_url=images.base_url)
    push_keys = PushKeys("push-keys", naming)
    directory = AdminDirectory(
        "admins",
        naming,
        AdminDirectoryArgs(
            region=cfg.region,
            web_origin=cfg.web_origin,
            # a Cognito prefix domain is global: the account id makes it unique
            domain_prefix=cfg.cognito_domain_prefix
            or account_id.apply(lambda account: f"barkeep-{cfg.stage}-{account}"),
        ),
    )
    bus = EventBus("events", naming)
    realtime = Realtime(
        "realtime",
        naming,
        RealtimeArgs(
            artifact=artifacts.load(REALTIME_ARTIFACT, dist),
            region=cfg.region,
            account_id=account_id,
            api_key_expires=cfg.realtime_api_key_expires,
            guest_issuer=signing.issuer,
            guest_jwks_url=signing.jwks_url,
            cognito_user_pool_id=directory.user_pool_id,
            cognito_client_id=directory.client_id,
            cognito_issuer=directory.issuer,
            cognito_jwks_url=directory.jwks_url,
            log_retention_days=cfg.log_retention_days,
        ),
    )
    alarms = Alarms("alarms", naming, email=cfg.alarm_email)
    kept = ArtifactStore("artifacts", naming, account_id)
    Dashboard("dashboard", naming, cfg.region, load_all(services_dir))
    if cfg.api_gateway_account:
        ApiLogging("api-logging", naming, cfg.region, account_id)

    exports: dict[str, pulumi.Input[object]] = {
        "region": cfg.region,
        "account_id": account_id,
        "dsql_cluster_arn": database.arn,
        "dsql_endpoint": database.endpoint,
        "user_pool_id": directory.user_pool_id,
        "user_pool_arn": directory.user_pool_arn,
        "spa_client_id": directory.client_id,
        "cognito_issuer": directory.issuer,
        "cognito_jwks_url": directory.jwks_url,
        "cognito_domain": directory.hosted_domain,
        "event_bus_name": bus.name,
        "event_bus_arn": bus.arn,
        "realtime_api_id": realtime.api.api_id,
        "realtime_api_arn": realtime.api.api_arn,
        "realtime_http_url": realtime.http_url,
        "realtime_ws_url": realtime.ws_url,
        "realtime_api_key": realtime.api_key.key,
        "images_bucket": images.bucket_name,
        "images_bucket_arn": images.bucket_arn,
        # photos are served under the web origin (/images/*, the web stack routes it); the
        # images CDN serves them too (and the guest JWKS), e.g. before the web stack exists
        "images_base_url": f"{cfg.web_origin}/images"
        if cfg.web_origin.startswith("https://")
        else images.base_url,
        "images_cdn_url": images.base_url,
        "guest_issuer": signing.issuer,
        "guest_jwks_url": signing.jwks_url,
        "signing_keys_secret_name": signing.secret_name,
        "signing_keys_secret_arn": signing.secret_arn,
        "push_keys_secret_name": push_keys.secret_name,
        "push_keys_secret_arn": push_keys.secret_arn,
        "alarm_topic_arn": alarms.topic_arn,
        "artifacts_bucket": kept.bucket_name,
        "web_origin": cfg.web_origin,
    }
    if tuple(exports) != OUTPUTS:
        raise RuntimeError("the platform must export exactly PlatformOutput, in its order")
    outputs = {}
    for name, value in exports.items():
        output = pulumi.Output.from_input(value)
        if name in SECRET_OUTPUTS:
            output = pulumi.Output.secret(output)
        pulumi.export(name, output)
        outputs[name] = output
    return outputs
