"""AppSync Events: the channels guests, displays and the menu follow.

Publishing is AWS_IAM only (the services' SigV4); subscribing goes through the Lambda channel
authorizer (`barkeep.realtime.lambda_handler`, the same decision the local emulator calls),
and, for `/menu/updates` only, the public API key. The key expires on the date the stack's
config says (`barkeep:realtimeApiKeyExpires`, at most 365 days ahead): pulumi-aws's default of
7 days would take a party app's menu updates dark after a week. Rotate it by moving the date
and running `make deploy-platform` (the key is updated in place; clients keep it).
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
from barkeep.realtime import AUTHORIZER_CACHE_SECONDS
from barkeep.settings import Env

from barkeep_infra import iam
from barkeep_infra.artifacts import Artifact
from barkeep_infra.components.base import Component
from barkeep_infra.components.functions import lambda_function
from barkeep_infra.naming import Naming

# API.md's channels, one namespace each: /orders/{user_key}, /admin/orders, /menu/updates
NAMESPACES = {
    "orders": ("AWS_LAMBDA",),
    "admin": ("AWS_LAMBDA",),
    "menu": ("API_KEY", "AWS_LAMBDA"),
}
# What the channel authorizer reads to verify guest and admin tokens.
AUTHORIZER_ENVIRONMENT = (
    Env.STAGE,
    Env.GUEST_ISSUER,
    Env.GUEST_JWKS_URL,
    Env.COGNITO_USER_POOL_ID,
    Env.COGNITO_CLIENT_ID,
    Env.COGNITO_ISSUER,
    Env.COGNITO_JWKS_URL,
    Env.REALTIME_API_KEY,
    Env.LOG_LEVEL,
)


@dataclass(frozen=True)
class RealtimeArgs:
    artifact: Artifact
    region: str
    account_id: pulumi.Input[str]
    api_key_expires: str
    guest_issuer: pulumi.Input[str]
    guest_jwks_url: pulumi.Input[str]
    cognito_user_pool_id: pulumi.Input[str]
    cognito_client_id: pulumi.Input[str]
    cognito_issuer: pulumi.Input[str]
    cognito_jwks_url: pulumi.Input[str]
    log_retention_days: int


class Realtime(Component):
    def __init__(
        self,
        name: str,
        naming: Naming,
        args: RealtimeArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("Realtime", name, naming, opts)
        [entry] = args.artifact.function("appsync_authorizer")
        function_name = naming.name(entry.name.replace("_", "-"))
        log_groups = pulumi.Output.concat(
            "arn:aws:logs:",
            args.region,
            ":",
            args.account_id,
            ":log-group:/aws/lambda/",
            function_name,
            ":*",
        )
        role, role_policy = self.iam_role(
            "realtime-authorizer", "lambda.amazonaws.com", iam.function_basics(log_groups)
        )
        self.api = aws.appsync.Api(
            self.child_name("api"),
            name=naming.prefix,
            event_config={
                "auth_providers": [
                    {"auth_type": "AWS_IAM"},
                    {"auth_type": "API_KEY"},
                    {
                        "auth_type": "AWS_LAMBDA",
                        "lambda_authorizer_config": {
                            "authorizer_uri": pulumi.Output.concat(
                                "arn:aws:lambda:",
                                args.region,
                                ":",
                                args.account_id,
                                ":function:",
                                function_name,
                            ),
                            # never cached, like the authorizer's own ttlOverride: a decision
                            # is per channel, AWS's cache may be per token (ADR 0026)
                            "authorizer_result_ttl_in_seconds": AUTHORIZER_CACHE_SECONDS,
                        },
                    },
                ],
                # one socket per app, opened with the API key; each subscribe brings its token
                "connection_auth_modes": [{"auth_type": "API_KEY"}, {"auth_type": "AWS_LAMBDA"}],
                "default_publish_auth_modes": [{"auth_type": "AWS_IAM"}],
                "default_subscribe_auth_modes": [{"auth_type": "AWS_LAMBDA"}],
            },
            tags=self.tags,
            opts=self.child(),
        )
        self.api_key = aws.appsync.ApiKey(
            self.child_name("key"),
            api_id=self.api.api_id,
            description="Public key for /menu/updates (and the app's one WebSocket)",
            expires=args.api_key_expires,
            opts=self.child(),
        )
        self.http_url: pulumi.Output[str] = self.api.dns.apply(
            lambda dns: f"https://{dns['HTTP']}/event"
        )
        self.ws_url: pulumi.Output[str] = self.api.dns.apply(
            lambda dns: f"wss://{dns['REALTIME']}/event/realtime"
        )
        environment: dict[str, pulumi.Input[str]] = {
            Env.STAGE: naming.stage,
            Env.GUEST_ISSUER: args.guest_issuer,
            Env.GUEST_JWKS_URL: args.guest_jwks_url,
            Env.COGNITO_USER_POOL_ID: args.cognito_user_pool_id,
            Env.COGNITO_CLIENT_ID: args.cognito_client_id,
            Env.COGNITO_ISSUER: args.cognito_issuer,
            Env.COGNITO_JWKS_URL: args.cognito_jwks_url,
            Env.REALTIME_API_KEY: self.api_key.key,
            Env.LOG_LEVEL: "INFO",
        }
        self.authorizer = lambda_function(
            self,
            args.artifact,
            entry,
            role_arn=role.arn,
            environment=environment,
            log_retention_days=args.log_retention_days,
            after=[role_policy],
        )
        aws.lambda_.Permission(
            self.child_name("authorizer-invoke"),
            function=self.authorizer.name,
            action="lambda:InvokeFunction",
            principal="appsync.amazonaws.com",
            source_arn=self.api.api_arn,
            opts=self.child(),
        )
        self.namespaces = {
            namespace: aws.appsync.ChannelNamespace(
                self.child_name(f"ns-{namespace}"),
                api_id=self.api.api_id,
                name=namespace,
                publish_auth_modes=[{"auth_type": "AWS_IAM"}],
                subscribe_auth_modes=[{"auth_type": mode} for mode in subscribe],
                tags=self.tags,
                opts=self.child(),
            )
            for namespace, subscribe in NAMESPACES.items()
        }
        self.register_outputs(
            {
                "api_id": self.api.api_id,
                "api_arn": self.api.api_arn,
                "http_url": self.http_url,
                "ws_url": self.ws_url,
            }
        )
