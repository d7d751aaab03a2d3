"""boto3 clients, created on first use and cached per process.

`AWS_ENDPOINT_URL` (read by botocore itself) points every client at moto in `make dev` and the
tests; nothing here special-cases local runs.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

from barkeep import settings

_clients: dict[tuple[str, str | None], Any] = {}
_lock = threading.Lock()


def client(service: str, *, signature_version: str | None = None) -> Any:
    """`signature_version` overrides botocore's choice (S3 presigns with SigV2 unless told)."""
    cached = (service, signature_version)
    if cached not in _clients:
        with _lock:
            if cached not in _clients:
                import boto3
                from botocore.config import Config

                _clients[cached] = boto3.session.Session().client(  # type: ignore[call-overload]
                    service,
                    region_name=settings.platform().region,
                    config=Config(
                        connect_timeout=2,
                        read_timeout=5,
                        retries={"max_attempts": 3, "mode": "standard"},
                        signature_version=signature_version,
                    ),
                )
    return _clients[cached]


def reset_clients() -> None:
    with _lock:
        _clients.clear()


def put_first_secret_value(
    secrets: Any, secret_id: str, first: Callable[[], str], description: str
) -> bool:
    """Give a secret its first value unless it has one; True if this call did.

    The secret may not exist yet (the local stack: it is created), or exist without a value (in
    AWS the platform stack creates it empty, so no key is ever in Pulumi's state). Safe when
    several processes start at once: every first write carries one version id, so a second one
    is refused, not stacked, and whoever loses the race keeps the winner's value.
    """
    try:
        secrets.describe_secret(SecretId=secret_id)
    except secrets.exceptions.ResourceNotFoundException:
        try:
            secrets.create_secret(Name=secret_id, SecretString=first(), Description=description)
        except secrets.exceptions.ResourceExistsException:
            return False
        return True
    try:
        secrets.get_secret_value(SecretId=secret_id)
        return False
    except secrets.exceptions.ResourceNotFoundException:
        pass  # created, never given a value
    try:
        secrets.put_secret_value(
            SecretId=secret_id,
            SecretString=first(),
            ClientRequestToken=str(uuid.uuid5(uuid.NAMESPACE_URL, f"{secret_id}#first")),
        )
    except secrets.exceptions.ResourceExistsException:
        return False
    return True
