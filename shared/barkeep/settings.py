"""Typed settings, read from the environment once and lazily.

Environment variable *names* are defined here, once; infra, `.chalice/config.json` and the local
stack all use these names. No other module reads `os.environ`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache


class Env:
    """Every environment variable the platform sets. Infra imports these names too."""

    STAGE = "BARKEEP_STAGE"
    SERVICE = "BARKEEP_SERVICE"
    DATABASE_URL = "DATABASE_URL"
    DSQL_ENDPOINT = "DSQL_ENDPOINT"
    DSQL_USER = "DSQL_USER"
    AWS_REGION = "AWS_REGION"
    EVENT_BUS_NAME = "EVENT_BUS_NAME"
    COGNITO_USER_POOL_ID = "COGNITO_USER_POOL_ID"
    COGNITO_CLIENT_ID = "COGNITO_CLIENT_ID"
    COGNITO_ISSUER = "COGNITO_ISSUER"
    COGNITO_JWKS_URL = "COGNITO_JWKS_URL"
    IMAGES_BUCKET = "IMAGES_BUCKET"
    IMAGES_BASE_URL = "IMAGES_BASE_URL"
    GUEST_ISSUER = "GUEST_ISSUER"
    GUEST_JWKS_URL = "GUEST_JWKS_URL"
    SIGNING_KEYS_SECRET = "SIGNING_KEYS_SECRET"  # noqa: S105 - a variable name
    ACCESS_TOKEN_TTL_SECONDS = "ACCESS_TOKEN_TTL_SECONDS"  # noqa: S105
    WEB_ORIGIN = "WEB_ORIGIN"
    REALTIME_HTTP_URL = "REALTIME_HTTP_URL"
    REALTIME_API_KEY = "REALTIME_API_KEY"
    LOG_LEVEL = "LOG_LEVEL"
    TRACING = "BARKEEP_TRACING"
    # Connections per service process (Lambda runs one request at a time: one is used there)
    DB_POOL_SIZE = "DB_POOL_SIZE"
    # Read by one service only; each service's settings module lists the ones it reads.
    MAX_ACTIVE_ORDERS_PER_GUEST = "MAX_ACTIVE_ORDERS_PER_GUEST"
    OPEN_ORDER_MAX_AGE_HOURS = "OPEN_ORDER_MAX_AGE_HOURS"
    RECALL_WINDOW_SECONDS = "RECALL_WINDOW_SECONDS"
    # the secret holding the stage's VAPID key pair (orders' Web Push, ADR 0036)
    PUSH_KEYS_SECRET = "PUSH_KEYS_SECRET"  # noqa: S105 - a variable name
    # hosts a push endpoint may name beyond the browsers' push services (tests and the local
    # stack only; unset in AWS)
    PUSH_ENDPOINT_HOSTS = "PUSH_ENDPOINT_HOSTS"
    AI_PROVIDER = "AI_PROVIDER"
    AI_TEXT_MODEL_ID = "AI_TEXT_MODEL_ID"
    AI_IMAGE_MODEL_ID = "AI_IMAGE_MODEL_ID"
    # `<rest api id>/<stage>` of a stage whose cache the service flushes when its data changes
    API_CACHE = "BARKEEP_API_CACHE"

    # What `PlatformSettings` reads in every service, as infra must set it in AWS: without
    # DATABASE_URL (local only: DSQL_ENDPOINT in AWS) and AWS_REGION (Lambda sets it itself).
    PLATFORM = (
        STAGE,
        SERVICE,
        DSQL_ENDPOINT,
        DSQL_USER,
        EVENT_BUS_NAME,
        COGNITO_USER_POOL_ID,
        COGNITO_CLIENT_ID,
        COGNITO_ISSUER,
        COGNITO_JWKS_URL,
        IMAGES_BUCKET,
        IMAGES_BASE_URL,
        GUEST_ISSUER,
        GUEST_JWKS_URL,
        WEB_ORIGIN,
        REALTIME_HTTP_URL,
        REALTIME_API_KEY,
        LOG_LEVEL,
        TRACING,
    )


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


@dataclass(frozen=True)
class PlatformSettings:
    """What every service needs from the platform."""

    stage: str = "local"
    service: str = "barkeep"
    region: str = "eu-west-1"
    database_url: str | None = None
    dsql_endpoint: str | None = None
    dsql_user: str = "admin"
    event_bus_name: str = "barkeep-local"
    cognito_user_pool_id: str | None = None
    cognito_client_id: str | None = None
    cognito_issuer: str | None = None
    cognito_jwks_url: str | None = None
    images_bucket: str | None = None
    images_base_url: str | None = None
    guest_issuer: str = "barkeep-local"
    guest_jwks_url: str | None = None
    web_origin: str = "http://localhost:8080"
    realtime_http_url: str | None = None
    realtime_api_key: str = "da2-localbarkeepdevstack"
    log_level: str = "INFO"
    tracing: bool = False
    db_pool_size: int = 10
    in_lambda: bool = False  # metrics go out as CloudWatch's embedded metric format there
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> PlatformSettings:
        region = _env(Env.AWS_REGION, "eu-west-1") or "eu-west-1"
        pool = _env(Env.COGNITO_USER_POOL_ID)
        issuer = _env(Env.COGNITO_ISSUER)
        if issuer is None and pool:
            issuer = f"https://cognito-idp.{region}.amazonaws.com/{pool}"
        jwks = _env(Env.COGNITO_JWKS_URL)
        if jwks is None and issuer:
            jwks = f"{issuer}/.well-known/jwks.json"
        return cls(
            stage=_env(Env.STAGE, "local") or "local",
            service=_env(Env.SERVICE, "barkeep") or "barkeep",
            region=region,
            database_url=_env(Env.DATABASE_URL),
            dsql_endpoint=_env(Env.DSQL_ENDPOINT),
            dsql_user=_env(Env.DSQL_USER, "admin") or "admin",
            event_bus_name=_env(Env.EVENT_BUS_NAME, "barkeep-local") or "barkeep-local",
            cognito_user_pool_id=pool,
            cognito_client_id=_env(Env.COGNITO_CLIENT_ID),
            cognito_issuer=issuer,
            cognito_jwks_url=jwks,
            images_bucket=_env(Env.IMAGES_BUCKET),
            images_base_url=_env(Env.IMAGES_BASE_URL),
            guest_issuer=_env(Env.GUEST_ISSUER, "barkeep-local") or "barkeep-local",
            guest_jwks_url=_env(Env.GUEST_JWKS_URL),
            web_origin=_env(Env.WEB_ORIGIN, "http://localhost:8080") or "http://localhost:8080",
            realtime_http_url=_env(Env.REALTIME_HTTP_URL),
            realtime_api_key=_env(Env.REALTIME_API_KEY, "da2-localbarkeepdevstack")
            or "da2-localbarkeepdevstack",
            log_level=_env(Env.LOG_LEVEL, "INFO") or "INFO",
            # X-Ray only inside Lambda, and only when infra switched tracing on.
            tracing=(_env(Env.TRACING, "") or "").lower() in ("1", "true", "active")
            and _env("AWS_LAMBDA_FUNCTION_NAME") is not None,
            in_lambda=_env("AWS_LAMBDA_FUNCTION_NAME") is not None,
            db_pool_size=max(1, int(_env(Env.DB_POOL_SIZE, "10") or "10")),
        )


# Where identity publishes the guest-token JWKS in the images bucket (and so under its CDN):
# every verifier reads it there, in AWS and in the local stack alike (ADR 0019).
GUEST_JWKS_KEY = ".well-known/guest-jwks.json"
# Beside it, the guests identity deactivated whose tokens have not expired yet (ADR 0028).
GUEST_REVOCATIONS_KEY = ".well-known/guest-revocations.json"


def guest_revocations_url(jwks_url: str) -> str:
    """Where verifiers read identity's revocation list: beside the JWKS they read."""
    return f"{jwks_url.rsplit('/', 1)[0]}/{GUEST_REVOCATIONS_KEY.rsplit('/', 1)[1]}"


def resource_name(service: str, thing: str, *, stage: str | None = None) -> str:
    """`barkeep-<stage>-<service>-<thing>`: the one way a service's AWS resources are named
    (queues, functions, rules), by infra and the local stack alike, so stages never collide."""
    return f"barkeep-{stage or platform().stage}-{service}-{thing}"


def platform_resource_name(thing: str, *, stage: str) -> str:
    """`barkeep-<stage>-<thing>`: what the platform stack names its shared resources (the
    images bucket, the signing-keys and push-keys secrets), so tools can find them from the
    stage alone."""
    return f"barkeep-{stage}-{thing}"


def images_bucket_name(stage: str, account_id: str) -> str:
    """The platform's images bucket: S3 names are global across every AWS account, so the
    account is part of it (a second deployment anywhere must not collide, or be squatted)."""
    return platform_resource_name(f"images-{account_id}", stage=stage)


@cache
def platform() -> PlatformSettings:
    return PlatformSettings.from_env()


def reload() -> None:
    """Forget cached settings (tests and the local stack change the environment)."""
    platform.cache_clear()
