"""Pytest fixtures shared by every service: the real database, moto, and the local gateway.

Use it from a service's conftest with `pytest_plugins = ["barkeep.testing"]` and define a
`service_migrations` fixture ({schema: folder}).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from barkeep import settings
from barkeep.testing.aws import LocalAws, bootstrap, start_moto
from barkeep.testing.database import (
    admin_uri,
    apply_migrations,
    recreate_database,
    use_database,
    wipe,
)
from barkeep.testing.guests import GuestTokens, guest_tokens
from barkeep.testing.process import reset_process_state


@pytest.fixture(scope="session")
def worker_id_safe(request: pytest.FixtureRequest) -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"{worker}_{os.getpid()}"


@pytest.fixture(scope="session")
def database_url(worker_id_safe: str, service_migrations: dict[str, Path]) -> str:
    """One database per test worker on one shared server, migrated once."""
    name = f"barkeep_test_{'_'.join(service_migrations)}_{worker_id_safe}"
    url = recreate_database(admin_uri(), name)
    apply_migrations(url, service_migrations)
    use_database(url)
    return url


@pytest.fixture
def clean_database(database_url: str, service_migrations: dict[str, Path]) -> str:
    wipe(database_url, list(service_migrations))
    return database_url


@pytest.fixture(scope="session")
def local_aws() -> Iterator[LocalAws]:
    """moto in server mode with the platform's resources; env points every client at it."""
    server, endpoint = start_moto()
    aws = bootstrap(endpoint)
    saved = {k: os.environ.get(k) for k in aws.environment()}
    os.environ.update(aws.environment())
    settings.reload()
    try:
        yield aws
    finally:
        server.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="session")
def admin_token(local_aws: LocalAws) -> str:
    return local_aws.sign_in(local_aws.admin_email, local_aws.admin_password)


@pytest.fixture(scope="session")
def non_admin_token(local_aws: LocalAws) -> str:
    local_aws.create_user("guest-bartender@barkeep.local", "Not-an-admin-1")
    return local_aws.sign_in("guest-bartender@barkeep.local", "Not-an-admin-1")


__all__ = ["GuestTokens", "guest_tokens", "reset_process_state"]
