"""What the local stack keeps of moto across restarts (ADR 0022).

moto holds everything in memory, so a restart of `make dev` would lose what a user made there:
the photos in the images bucket (and the guest JWKS beside them) and identity's signing keys
in Secrets Manager. The stack keeps a copy of those two in its data directory:

    <data dir>/moto/images/index.json   key -> blob file, ETag, Content-Type, Cache-Control
    <data dir>/moto/images/<sha256>     each object's bytes
    <data dir>/moto/secrets.json        every secret's name, description and current value
    <data dir>/moto/port                moto's port, reused: image URLs in the database name it

It is written at the moment of change: a middleware in front of moto sees each request moto
answered, and after a successful write to the bucket or a secret it brings the copy up to
date *before* the answer leaves, so whatever a client was told is stored survives even a
SIGKILL. At start, `restore` puts the copy back into the fresh moto. (Cognito needs no copy:
stable pool and client ids, and the dev admin recreated from its settings with the same sub.)
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from barkeep.observability import get_logger
from barkeep.testing.aws import LocalAws, WsgiApp

log = get_logger("barkeep.devstack.keep")

IMAGES = "images"
SECRETS = "secrets"
_READ_ONLY = ("Get", "List", "Describe", "BatchGet", "Validate")


def changed_part(method: str, path: str, target: str, bucket: str) -> str | None:
    """Which kept part a request to moto may change: IMAGES, SECRETS or None.

    JSON-protocol services name the action in `X-Amz-Target` (`secretsmanager.PutSecretValue`);
    S3 is path-style on loopback (`/<bucket>/<key>`, and presigned POSTs to `/<bucket>`).
    """
    if target:
        service, _, action = target.partition(".")
        if service == "secretsmanager" and not action.startswith(_READ_ONLY):
            return SECRETS
        return None
    in_bucket = path == f"/{bucket}" or path.startswith(f"/{bucket}/")
    if method in ("PUT", "POST", "DELETE") and in_bucket:
        return IMAGES
    return None


@dataclass(frozen=True)
class Plan:
    fetch: list[str]
    drop: list[str]


def plan_images(kept: Mapping[str, Mapping[str, Any]], listed: Mapping[str, str]) -> Plan:
    """What to copy (new or changed ETag) and what to forget (gone from the bucket)."""
    return Plan(
        fetch=sorted(k for k, etag in listed.items() if kept.get(k, {}).get("etag") != etag),
        drop=sorted(set(kept) - set(listed)),
    )


def blob_name(key: str) -> str:
    """A file name for an object key (keys hold `/` and could hold `..`)."""
    return hashlib.sha256(key.encode()).hexdigest()


def _write(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Replace `path` in one step: a crash leaves the old file or the new, never half."""
    tmp = path.with_name(f".{path.name}.{threading.get_ident()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


class KeptState:
    """The copy in `folder`; `wrap` is the middleware for `start_moto(wrap=...)`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.images = folder / IMAGES
        self.secrets = folder / "secrets.json"
        self._aws: LocalAws | None = None  # set by restore(): until then nothing is watched
        self._locks = {IMAGES: threading.Lock(), SECRETS: threading.Lock()}

    # --- moto's port: the images' origin, so part of every image URL the database holds ---

    def last_port(self) -> int | None:
        try:
            return int((self.folder / "port").read_text())
        except (FileNotFoundError, ValueError):
            return None

    def remember_port(self, port: int) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        _write(self.folder / "port", str(port).encode())

    # --- the middleware ---------------------------------------------------------------------

    def wrap(self, app: WsgiApp) -> WsgiApp:
        def keeping(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            status: list[str] = []

            def capture(code: str, headers: Any, exc_info: Any = None) -> Any:
                status.append(code)
                return start_response(code, headers, exc_info)

            body = app(environ, capture)
            aws = self._aws
            part = aws and changed_part(
                environ.get("REQUEST_METHOD", ""),
                environ.get("PATH_INFO", ""),
                environ.get("HTTP_X_AMZ_TARGET", ""),
                aws.images_bucket,
            )
            if not part:
                return body
            chunks = list(body)  # the answer is complete (and its status known) before saving
            close = getattr(body, "close", None)
            if close:
                close()
            if status and status[-1].startswith("2"):
                try:
                    self.save(part)
                except Exception:
                    log.exception("could not keep moto's state", extra={"part": part})
            return chunks

        return keeping

    # --- saving -----------------------------------------------------------------------------

    def save(self, part: str) -> None:
        with self._locks[part]:
            self._save_images() if part == IMAGES else self._save_secrets()

    def save_all(self) -> None:
        """Belt and braces at a clean stop (every change was already saved when it happened)."""
        if self._aws is None:
            return
        for part in (IMAGES, SECRETS):
            try:
                self.save(part)
            except Exception:
                log.exception("could not keep moto's state", extra={"part": part})

    def _client(self, service: str) -> Any:
        assert self._aws is not None
        return self._aws.client(service)

    def _save_images(self) -> None:
        assert self._aws is not None
        bucket = self._aws.images_bucket
        s3 = self._client("s3")
        listed = {
            obj["Key"]: obj["ETag"]
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
            for obj in page.get("Contents", [])
        }
        kept = self._image_index()
        plan = plan_images(kept, listed)
        if not plan.fetch and not plan.drop:
            return
        self.images.mkdir(parents=True, exist_ok=True)
        for key in plan.fetch:
            obj = s3.get_object(Bucket=bucket, Key=key)
            blob = blob_name(key)
            _write(self.images / blob, obj["Body"].read())
            kept[key] = {
                "blob": blob,
                "etag": listed[key],
                "content_type": obj.get("ContentType"),
                "cache_control": obj.get("CacheControl"),
            }
        for key in plan.drop:
            (self.images / kept.pop(key)["blob"]).unlink(missing_ok=True)
        _write(self.images / "index.json", json.dumps(kept, indent=1).encode())

    def _image_index(self) -> dict[str, dict[str, Any]]:
        try:
            index: dict[str, dict[str, Any]] = json.loads((self.images / "index.json").read_text())
        except FileNotFoundError:
            return {}
        return index

    def _save_secrets(self) -> None:
        sm = self._client("secretsmanager")
        kept = []
        for page in sm.get_paginator("list_secrets").paginate():
            for secret in page["SecretList"]:
                try:
                    value = sm.get_secret_value(SecretId=secret["ARN"]).get("SecretString")
                except sm.exceptions.ResourceNotFoundException:
                    value = None  # created without a value (yet), or deleted meanwhile
                kept.append(
                    {
                        "name": secret["Name"],
                        "description": secret.get("Description", ""),
                        "value": value,
                    }
                )
        self.folder.mkdir(parents=True, exist_ok=True)
        # private signing keys: readable by this user only
        _write(self.secrets, json.dumps(kept, indent=1).encode(), mode=0o600)

    # --- restoring --------------------------------------------------------------------------

    def restore(self, aws: LocalAws) -> dict[str, int]:
        """Put the copy into a freshly bootstrapped moto, then watch for changes."""
        self._aws = None
        restored = {IMAGES: self._restore_images(aws), SECRETS: self._restore_secrets(aws)}
        self._aws = aws
        return restored

    def _restore_images(self, aws: LocalAws) -> int:
        s3 = aws.client("s3")
        count = 0
        for key, kept in self._image_index().items():
            try:
                data = (self.images / kept["blob"]).read_bytes()
            except FileNotFoundError:
                log.warning("a kept image is missing its bytes", extra={"key": key})
                continue
            headers = {
                "ContentType": kept.get("content_type"),
                "CacheControl": kept.get("cache_control"),
            }
            s3.put_object(
                Bucket=aws.images_bucket,
                Key=key,
                Body=data,
                **{name: value for name, value in headers.items() if value},
            )
            count += 1
        return count

    def _restore_secrets(self, aws: LocalAws) -> int:
        try:
            kept = json.loads(self.secrets.read_text())
        except FileNotFoundError:
            return 0
        sm = aws.client("secretsmanager")
        for secret in kept:
            value = {"SecretString": secret["value"]} if secret["value"] is not None else {}
            sm.create_secret(Name=secret["name"], Description=secret["description"], **value)
        return len(kept)
