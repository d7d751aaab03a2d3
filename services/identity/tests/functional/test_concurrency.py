"""max_uses holds under any concurrency (the issue's test, on the real database)."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from barkeep.local import LocalApi

from tests.conftest import register


def test_fifty_guests_racing_for_ten_places(api: LocalApi, admin_token: str) -> None:
    # Given a code with max_uses = 10
    code = api.post(
        "/admin/registration-codes", token=admin_token, json_body={"max_uses": 10}
    ).json()["registration_code"]["code"]
    # When 50 guests register at once
    with ThreadPoolExecutor(max_workers=50) as pool:
        responses = list(pool.map(lambda i: register(api, code, f"Guest {i}"), range(50)))
    # Then exactly 10 get in, 40 are turned away, and the count says 10
    statuses = sorted(r.status for r in responses)
    assert statuses == [201] * 10 + [403] * 40, statuses
    assert all(r.json()["error"]["code"] == "code_unusable" for r in responses if r.status == 403)
    listed = api.get("/admin/registration-codes", token=admin_token).json()["registration_codes"]
    assert (listed[0]["use_count"], listed[0]["status"]) == (10, "used_up")
    guests = api.get("/admin/guests", token=admin_token).json()["guests"]
    assert len(guests) == 10


def test_concurrent_deactivate_and_refresh_leave_no_live_token(
    api: LocalApi, admin_token: str, session: dict[str, Any]
) -> None:
    user_key = session["user"]["user_key"]
    with ThreadPoolExecutor(max_workers=2) as pool:
        refreshed = pool.submit(
            api.post, "/token/refresh", json_body={"refresh_token": session["refresh_token"]}
        )
        deactivated = pool.submit(
            api.post, f"/admin/guests/{user_key}/deactivate", token=admin_token
        )
        refreshed_response, _ = refreshed.result(), deactivated.result()
    if refreshed_response.status == 200:
        new = refreshed_response.json()["refresh_token"]
        assert api.post("/token/refresh", json_body={"refresh_token": new}).status == 401


def test_stacks_starting_at_once_agree_on_one_signing_key_set(local_aws: Any) -> None:
    import threading
    import uuid

    from barkeep.events import utcnow
    from chalicelib.keys import SecretsManagerKeyStore

    # Given a signing-key secret nobody has created yet, and eight processes starting at once
    secret_id = f"barkeep-test-keys-{uuid.uuid4()}"
    clients = [local_aws.client("secretsmanager") for _ in range(8)]
    stores = [SecretsManagerKeyStore(secret_id, lambda c=c: c) for c in clients]
    start = threading.Barrier(len(stores))

    def ensure(store: SecretsManagerKeyStore) -> bool:
        start.wait()
        return store.ensure(utcnow())

    # When each of them makes sure the secret exists
    with ThreadPoolExecutor(max_workers=len(stores)) as pool:
        created = list(pool.map(ensure, stores))

    # Then exactly one created it, nobody failed, and everyone reads that one key set
    assert created.count(True) == 1, created
    assert len({store.load() for store in stores}) == 1
    assert len(stores[0].load().keys) == 1


def test_a_secret_created_empty_gets_one_key_set_and_its_jwks_is_published(
    local_aws: Any,
) -> None:
    import threading
    import uuid

    from barkeep.settings import GUEST_JWKS_KEY
    from chalicelib.keys import DocumentPublisher, SecretsManagerKeyStore, SigningKeys

    # Given the secret as the platform stack creates it: there, but with no value
    secret_id = f"barkeep-test-keys-{uuid.uuid4()}"
    local_aws.client("secretsmanager").create_secret(Name=secret_id)
    bucket = local_aws.images_bucket
    published = DocumentPublisher(bucket, GUEST_JWKS_KEY, lambda: local_aws.client("s3"))

    def store() -> SecretsManagerKeyStore:
        secrets = local_aws.client("secretsmanager")
        return SecretsManagerKeyStore(secret_id, lambda: secrets)

    instances = [
        SigningKeys(
            store(),
            keep_for=timedelta(minutes=20),
            cache_seconds=300,
            on_created=lambda i=i: published.publish(instances[i].jwks()),
        )
        for i in range(6)
    ]
    start = threading.Barrier(len(instances))

    def first_token(keys: SigningKeys) -> str:
        start.wait()
        return keys.signing_key()[0]

    # When six cold instances sign their first token at the same moment
    with ThreadPoolExecutor(max_workers=len(instances)) as pool:
        kids = set(pool.map(first_token, instances))

    # Then they all sign with one key, and the JWKS verifiers read lists exactly that key
    assert len(kids) == 1
    document = local_aws.client("s3").get_object(Bucket=bucket, Key=GUEST_JWKS_KEY)
    assert [k["kid"] for k in json.loads(document["Body"].read())["keys"]] == list(kids)
    assert document["CacheControl"] == "no-cache"
