"""Identity settings, read once on first use (no os.environ anywhere else in the service)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache

from barkeep import settings
from barkeep.settings import Env

# Read here beyond what every service reads (Env.PLATFORM); `make package` lists them for infra.
ENVIRONMENT = (Env.SIGNING_KEYS_SECRET, Env.ACCESS_TOKEN_TTL_SECONDS)


@dataclass(frozen=True)
class IdentitySettings:
    issuer: str
    web_origin: str
    signing_keys_secret: str
    access_token_ttl_seconds: int = 900
    # Other instances may sign with a key for this long after it was retired.
    key_cache_seconds: int = 300


@cache
def identity_settings() -> IdentitySettings:
    platform = settings.platform()
    ttl = os.environ.get(Env.ACCESS_TOKEN_TTL_SECONDS) or "900"
    return IdentitySettings(
        issuer=platform.guest_issuer,
        web_origin=platform.web_origin,
        signing_keys_secret=os.environ.get(Env.SIGNING_KEYS_SECRET)
        or settings.platform_resource_name("signing-keys", stage=platform.stage),
        access_token_ttl_seconds=int(ttl),
    )
