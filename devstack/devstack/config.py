"""What the local stack is configured with, read from the environment in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_DATA_DIR = REPO / ".dev"
PARTY_LOG = "party.log"  # under the data directory: make party's line per request
SERVICES_DIR = REPO / "services"
WEB_DIST = REPO / "web" / "dist"

# The services config.json names, mounted or not (API.md's discovery document lists all four).
ALL_SERVICES = ("menu", "identity", "orders", "ai")

DEFAULT_PORT = 8080
DEFAULT_ADMIN_EMAIL = "admin@barkeep.local"
DEFAULT_ADMIN_PASSWORD = "Barkeep-admin-1"  # noqa: S105 - a local-only, printed default


class DevEnv:
    """Environment variables the local stack reads (the platform's own are in barkeep.settings)."""

    PORT = "BARKEEP_PORT"
    DEV_DIR = "BARKEEP_DEV_DIR"
    MOTO_PORT = "BARKEEP_MOTO_PORT"
    ADMIN_EMAIL = "BARKEEP_ADMIN_EMAIL"
    ADMIN_PASSWORD = "BARKEEP_ADMIN_PASSWORD"  # noqa: S105 - a variable name, not a secret
    DATABASE_URL = "DATABASE_URL"
    # `make party` only (ADR 0035): the address phones open (default: this machine's LAN
    # address), and BARKEEP_HTTPS=0 for plain HTTP (no service worker, no notifications)
    HOST = "BARKEEP_HOST"
    HTTPS = "BARKEEP_HTTPS"


class ConfigError(Exception):
    """A setting that cannot work; the message says which variable to fix."""


def _port(name: str, default: int | None, *, any_free: bool = False) -> int | None:
    """A port from the environment; with `any_free`, 0 means "pick a free one"."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        port = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a port number") from None
    lowest = 0 if any_free else 1
    if not lowest <= port < 65536:
        raise ConfigError(f"{name}={raw} is not a port number ({lowest}-65535)")
    return port


@dataclass(frozen=True)
class DevConfig:
    port: int
    data_dir: Path
    database_url: str | None
    moto_port: int | None
    admin_email: str
    admin_password: str
    # `make party`: the public address (None: localhost, `make dev`) and whether it is HTTPS
    host: str | None = None
    https: bool = False

    @classmethod
    def from_env(cls, *, party: bool = False) -> DevConfig:
        """`make dev`'s settings; with `party`, also the public address and the HTTPS switch
        (ConfigError when no address is found or the admin password cannot guard a network)."""
        config = cls._from_env()
        if not party:
            return config
        from dataclasses import replace

        from .party import check_admin_password, party_host

        check_admin_password(
            config.admin_password, given=bool(os.environ.get(DevEnv.ADMIN_PASSWORD))
        )
        https = os.environ.get(DevEnv.HTTPS, "1").strip().lower()
        if https not in ("", "0", "1", "true", "false", "yes", "no"):
            raise ConfigError(f"{DevEnv.HTTPS}={https!r}: use 1 (HTTPS, the default) or 0")
        return replace(
            config,
            host=party_host(os.environ.get(DevEnv.HOST, "").strip() or None),
            https=https not in ("0", "false", "no"),
        )

    @classmethod
    def _from_env(cls) -> DevConfig:
        data_dir = os.environ.get(DevEnv.DEV_DIR, "").strip()
        return cls(
            # 0: a free port, chosen when the stack binds it (tests use that: no race for it)
            port=_port(DevEnv.PORT, DEFAULT_PORT, any_free=True) or 0,
            data_dir=Path(data_dir).expanduser().resolve() if data_dir else DEFAULT_DATA_DIR,
            database_url=os.environ.get(DevEnv.DATABASE_URL) or None,
            moto_port=_port(DevEnv.MOTO_PORT, None),
            admin_email=os.environ.get(DevEnv.ADMIN_EMAIL) or DEFAULT_ADMIN_EMAIL,
            admin_password=os.environ.get(DevEnv.ADMIN_PASSWORD) or DEFAULT_ADMIN_PASSWORD,
        )
