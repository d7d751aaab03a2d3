from __future__ import annotations

import json
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
    from barkeep.auth import NotPublished, use_guest_jwks_fetcher
    from barkeep.events import utcnow
    from barkeep.settings import GUEST_REVOCATIONS_KEY
    from chalicelib import wiring

    reset_process_state(wiring.reset)
    wiring.key_store().ensure(utcnow())
    from app import app

    local = LocalApi(app)

    def documents(url: str) -> Any:
        """identity's documents as a verifier reads them: its JWKS, and the revocation list
        it put into the bucket."""
        if not url.endswith("guest-revocations.json"):
            return local.get("/.well-known/jwks.json").json()
        s3 = local_aws.client("s3")
        try:
            body = s3.get_object(Bucket=local_aws.images_bucket, Key=GUEST_REVOCATIONS_KEY)
        except s3.exceptions.NoSuchKey:
            raise NotPublished(url) from None
        return json.loads(body["Body"].read())

    use_guest_jwks_fetcher(documents)
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
