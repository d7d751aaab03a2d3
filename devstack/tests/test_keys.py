"""`make rotate-keys STAGE=…` against AWS, here moto in its place."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from barkeep.settings import GUEST_JWKS_KEY
from barkeep.testing.aws import FAKE_CREDENTIALS, REGION, start_moto
from devstack.keys import rotate_stage_keys

BUCKET = "barkeep-party-images-123456789012"  # moto's account


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    import boto3

    server, endpoint = start_moto()
    for name, value in {
        **FAKE_CREDENTIALS,
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_REGION": REGION,
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("BARKEEP_STAGE", "IMAGES_BUCKET", "SIGNING_KEYS_SECRET", "GUEST_JWKS_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BARKEEP_STAGE", "local")  # restored after rotate_stage_keys sets it
    monkeypatch.setenv("IMAGES_BUCKET", "")
    try:
        yield lambda service: boto3.client(service, region_name=REGION, endpoint_url=endpoint)
    finally:
        httpx.post(f"{endpoint}/moto-api/reset")  # moto's state is per process, not per server
        server.stop()


def test_rotates_a_deployed_stages_keys_and_republishes_its_jwks(aws: Any) -> None:
    # Given stage "party" as the platform stack leaves it: an empty secret and the bucket
    aws("secretsmanager").create_secret(Name="barkeep-party-signing-keys")
    aws("s3").create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    # When the keys are rotated twice
    assert rotate_stage_keys("party")[0]
    ok, message = rotate_stage_keys("party")
    # Then the secret holds the live and the retired keys, and verifiers see them all
    assert ok, message
    keys = json.loads(
        aws("secretsmanager").get_secret_value(SecretId="barkeep-party-signing-keys")[
            "SecretString"
        ]
    )["keys"]
    assert len([k for k in keys if k["retired_at"] is None]) == 1
    assert len(keys) == 3
    jwks = json.loads(aws("s3").get_object(Bucket=BUCKET, Key=GUEST_JWKS_KEY)["Body"].read())
    assert {k["kid"] for k in jwks["keys"]} == {k["kid"] for k in keys}
    assert "New signing key" in message


def test_says_what_is_wrong_when_the_stage_is_not_there(aws: Any) -> None:
    ok, message = rotate_stage_keys("nowhere")
    assert not ok
    assert "make deploy-platform STAGE=nowhere" in message
    # and it created nothing there
    assert aws("secretsmanager").list_secrets()["SecretList"] == []
