"""Menu settings, read once on first use (no os.environ anywhere else in the service)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache

from barkeep import settings
from barkeep.settings import Env

# Read here beyond what every service reads (Env.PLATFORM); `make package` lists them for infra.
ENVIRONMENT = (Env.API_CACHE,)
# The service's own queue, by its name within the service: infra and the local stack create it
# as barkeep-<stage>-menu-events (settings.resource_name) and feed it ai's ImageGenerated.
EVENTS_QUEUE = "events"


@dataclass(frozen=True)
class MenuSettings:
    images_bucket: str | None
    images_base_url: str | None
    event_bus_name: str
    api_cache: str | None = None  # <rest api id>/<stage> whose cache a menu change flushes
    upload_expires_seconds: int = 300
    public_max_age_seconds: int = 15


@cache
def menu_settings() -> MenuSettings:
    platform = settings.platform()
    return MenuSettings(
        images_bucket=platform.images_bucket,
        images_base_url=platform.images_base_url,
        event_bus_name=platform.event_bus_name,
        api_cache=os.environ.get(Env.API_CACHE) or None,
    )
