from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from barkeep.local import LocalApi
from barkeep.testing import reset_process_state

pytest_plugins = ["barkeep.testing"]

SERVICE_DIR = Path(__file__).resolve().parents[1]
ISSUER = "barkeep-test"


@pytest.fixture(scope="session")
def service_migrations() -> dict[str, Path]:
    return {"identity": SERVICE_DIR / "migrations"}


@pytest.fixture(scope="session")
def identity_env(local_aws: Any) -> Iterator[None]:
    values = {
        "GUEST_ISSUER": ISSUER,
        "GUEST_JWKS_URL": "http://identity.test/.well-known/jwks.json",
        "WEB_ORIGIN": "https://party.example",
        "SIGNING_KEYS_SECRET": "barkeep-test-keys",
    }
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture
def api(clean_database: str, local_aws: Any, identity_env: None) -> Iterator[LocalApi]:
    """The identity app behind Chalice's local API Gateway; guest tokens are verified against
    its own JWKS, served in-process instead of over HTTP."""
    from barkeep.auth import use_guest_jwks_fetcher
    from barkeep.events import utcnow
    from chalicelib import wiring

    reset_process_state(wiring.reset)
    wiring.key_store().ensure(utcnow())
    from app import app

    local = LocalApi(app)
    use_guest_jwks_fetcher(lambda _url: local.get("/.well-known/jwks.json").json())
    local_aws.drain_tap()
    yield local
    use_guest_jwks_fetcher(None)


@pytest.fixture
def invite(api: LocalApi, admin_token: str) -> dict[str, Any]:
    response = api.post(
        "/admin/registration-codes",
        token=admin_token,
        json_body={"max_uses": 5, "notes": "Table 4"},
    )
    assert response.status == 201, response.body
    code: dict[str, Any] = response.json()["registration_code"]
    return code


def register(api: LocalApi, code: str, username: str = "Ada") -> Any:
    return api.post(
        "/register", headers={"X-Registration-Code": code}, json_body={"username": username}
    )


@pytest.fixture
def session(api: LocalApi, invite: dict[str, Any]) -> dict[str, Any]:
    response = register(api, invite["code"])
    assert response.status == 201, response.body
    result: dict[str, Any] = response.json()
    return result
