"""What the local stack keeps of moto: the rules alone, then against moto in server mode."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from barkeep.testing.aws import LocalAws, bootstrap, start_moto
from devstack.keep import IMAGES, SECRETS, KeptState, blob_name, changed_part, plan_images

BUCKET = "barkeep-local-images"


@pytest.mark.parametrize(
    ("method", "path", "target", "part"),
    [
        ("POST", f"/{BUCKET}", "", IMAGES),  # a presigned POST from the browser
        ("PUT", f"/{BUCKET}/drinks/1/a.png", "", IMAGES),
        ("DELETE", f"/{BUCKET}/drinks/1/a.png", "", IMAGES),
        ("GET", f"/{BUCKET}/drinks/1/a.png", "", None),
        ("PUT", f"/{BUCKET}-other/x", "", None),
        ("POST", "/", "secretsmanager.PutSecretValue", SECRETS),
        ("POST", "/", "secretsmanager.CreateSecret", SECRETS),
        ("POST", "/", "secretsmanager.GetSecretValue", None),
        ("POST", "/", "secretsmanager.ListSecrets", None),
        ("POST", "/", "AWSEvents.PutEvents", None),
        ("POST", "/", "", None),  # SQS's query protocol
    ],
)
def test_tells_which_kept_part_a_request_changes(
    method: str, path: str, target: str, part: str | None
) -> None:
    assert changed_part(method, path, target, BUCKET) == part


def test_plans_to_copy_new_and_changed_objects_and_forget_deleted_ones() -> None:
    kept = {"a": {"etag": "1"}, "b": {"etag": "2"}, "gone": {"etag": "3"}}
    plan = plan_images(kept, {"a": "1", "b": "changed", "new": "4"})
    assert plan.fetch == ["b", "new"]
    assert plan.drop == ["gone"]


def test_blob_names_cannot_leave_the_folder() -> None:
    name = blob_name("../../etc/passwd")
    assert "/" not in name and ".." not in name


class Motos:
    """Fresh motos one after another (moto's state is per process), each bootstrapped and
    wrapped by one KeptState: a stack restarting on the same data directory."""

    def __init__(self, folder: Path) -> None:
        self.kept = KeptState(folder)
        self._running: tuple[Any, str] | None = None

    def start(self) -> LocalAws:
        self.stop()
        server, endpoint = start_moto(wrap=self.kept.wrap)
        self._running = server, endpoint
        aws = bootstrap(endpoint, declarations=[], tap=False)
        self.kept.restore(aws)
        return aws

    def stop(self) -> None:
        if self._running:
            server, endpoint = self._running
            self._running = None
            httpx.post(f"{endpoint}/moto-api/reset")
            server.stop()


@pytest.fixture
def motos(tmp_path: Path) -> Iterator[Motos]:
    motos = Motos(tmp_path / "moto")
    yield motos
    motos.stop()


def test_a_change_is_on_disk_before_moto_answers_and_comes_back_in_a_new_moto(
    motos: Motos,
) -> None:
    kept = motos.kept
    # Given a moto whose writes are kept
    aws = motos.start()
    s3, secrets = aws.client("s3"), aws.client("secretsmanager")
    # When a photo is put and a secret created and changed
    s3.put_object(
        Bucket=aws.images_bucket, Key="drinks/1/a.png", Body=b"png", ContentType="image/png"
    )
    secrets.create_secret(Name="keys", SecretString="v1", Description="signing keys")
    secrets.put_secret_value(SecretId="keys", SecretString="v2")
    # Then both are on disk as soon as moto answered (no shutdown needed)
    index = json.loads((kept.images / "index.json").read_text())
    assert (kept.images / index["drinks/1/a.png"]["blob"]).read_bytes() == b"png"
    assert json.loads(kept.secrets.read_text()) == [
        {"name": "keys", "description": "signing keys", "value": "v2"}
    ]
    assert kept.secrets.stat().st_mode & 0o077 == 0  # private keys: this user only

    # When the photo is deleted, and a fresh moto is started on the same folder
    s3.put_object(Bucket=aws.images_bucket, Key="drinks/2/b.png", Body=b"b")
    s3.delete_object(Bucket=aws.images_bucket, Key="drinks/2/b.png")
    fresh = motos.start()
    # Then it holds what the old one held, and only that
    s3 = fresh.client("s3")
    photo = s3.get_object(Bucket=fresh.images_bucket, Key="drinks/1/a.png")
    assert (photo["Body"].read(), photo["ContentType"]) == (b"png", "image/png")
    listed = s3.list_objects_v2(Bucket=fresh.images_bucket)["Contents"]
    assert [o["Key"] for o in listed] == ["drinks/1/a.png"]
    value = fresh.client("secretsmanager").get_secret_value(SecretId="keys")["SecretString"]
    assert value == "v2"
