"""Where each environment variable a service reads gets its value in AWS: a platform output,
the stack itself, or the service's own declaration. Nothing else sets a variable."""

from __future__ import annotations

from collections.abc import Mapping

import pulumi
from barkeep.declarations import ServiceNeeds
from barkeep.settings import Env

from barkeep_infra.platform_outputs import Platform, PlatformOutput

FROM_PLATFORM: dict[str, PlatformOutput] = {
    Env.DSQL_ENDPOINT: "dsql_endpoint",
    Env.EVENT_BUS_NAME: "event_bus_name",
    Env.COGNITO_USER_POOL_ID: "user_pool_id",
    Env.COGNITO_CLIENT_ID: "spa_client_id",
    Env.COGNITO_ISSUER: "cognito_issuer",
    Env.COGNITO_JWKS_URL: "cognito_jwks_url",
    Env.IMAGES_BUCKET: "images_bucket",
    Env.IMAGES_BASE_URL: "images_base_url",
    Env.GUEST_ISSUER: "guest_issuer",
    Env.GUEST_JWKS_URL: "guest_jwks_url",
    Env.WEB_ORIGIN: "web_origin",
    Env.REALTIME_HTTP_URL: "realtime_http_url",
    Env.REALTIME_API_KEY: "realtime_api_key",
    Env.SIGNING_KEYS_SECRET: "signing_keys_secret_name",
    Env.PUSH_KEYS_SECRET: "push_keys_secret_name",
}
# Read by a service, but deliberately left unset in AWS (the code's default is right there).
OPTIONAL = frozenset({Env.API_CACHE, Env.PUSH_ENDPOINT_HOSTS})


class UnsetVariable(KeyError):
    pass


def service_environment(
    names: list[str],
    *,
    platform: Platform,
    needs: ServiceNeeds,
    stage: str,
    api_cache: pulumi.Input[str] | None,
) -> dict[str, pulumi.Input[str]]:
    """A value for every name in the manifest's `environment`, each traced to its source."""
    own: Mapping[str, pulumi.Input[str] | None] = {
        Env.STAGE: stage,
        Env.SERVICE: needs.service,
        # each service connects as its own writer role, mapped to its Lambda role (IAM GRANT)
        Env.DSQL_USER: f"{needs.service}_writer",
        Env.LOG_LEVEL: "INFO",
        Env.TRACING: "active",
        Env.API_CACHE: api_cache,
    }
    values: dict[str, pulumi.Input[str]] = {}
    for name in names:
        if name in needs.environment:
            values[name] = needs.environment[name]
        elif name in FROM_PLATFORM:
            values[name] = platform.require(FROM_PLATFORM[name])
        elif own.get(name) is not None:
            value = own[name]
            assert value is not None
            values[name] = value
        elif name not in OPTIONAL and name not in own:
            raise UnsetVariable(f"{needs.service} reads {name}, and nothing in infra sets it")
    return values
