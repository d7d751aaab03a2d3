"""What the platform stack exports, and the one way a service stack reads it.

    platform = Platform.of(stage)
    endpoint = platform.require("dsql_endpoint")

`PlatformOutput` is the closed list of names: a typo is a type error (mypy) and a run-time
error, never a silent `None`; the platform program exports exactly these (a test holds both
to the list). One `StackReference` per stage, created on first use and shared (stack_reference.py).
"""

from __future__ import annotations

from typing import Any, Literal, get_args

import pulumi

from barkeep_infra.stack_reference import TypedReference

PLATFORM_PROJECT = "barkeep-platform"

PlatformOutput = Literal[
    "region",
    "account_id",
    "dsql_cluster_arn",
    "dsql_endpoint",
    "user_pool_id",
    "user_pool_arn",
    "spa_client_id",
    "cognito_issuer",
    "cognito_jwks_url",
    "cognito_domain",
    "event_bus_name",
    "event_bus_arn",
    "realtime_api_id",
    "realtime_api_arn",
    "realtime_http_url",
    "realtime_ws_url",
    "realtime_api_key",
    "images_bucket",
    "images_bucket_arn",
    "images_base_url",
    "images_cdn_url",
    "guest_issuer",
    "guest_jwks_url",
    "signing_keys_secret_name",
    "signing_keys_secret_arn",
    "push_keys_secret_name",
    "push_keys_secret_arn",
    "alarm_topic_arn",
    "artifacts_bucket",
    "web_origin",
]
OUTPUTS: tuple[str, ...] = get_args(PlatformOutput)
SECRET_OUTPUTS = frozenset({"realtime_api_key"})


def platform_stack_name(stage: str, organization: str = "organization") -> str:
    """`organization/<project>/<stage>` (a self-managed backend's fixed organization, or the
    Pulumi Cloud organization from config `barkeep:organization`)."""
    return f"{organization}/{PLATFORM_PROJECT}/{stage}"


class Platform(TypedReference):
    OUTPUTS = OUTPUTS
    WHAT = "platform stack"

    @classmethod
    def of(cls, stage: str, organization: str = "organization") -> Platform:
        return cls(f"platform-{stage}", platform_stack_name(stage, organization))

    def require(self, name: PlatformOutput) -> pulumi.Output[Any]:
        return self._require(name)
