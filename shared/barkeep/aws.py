"""boto3 clients, created on first use and cached per process.

`AWS_ENDPOINT_URL` (read by botocore itself) points every client at moto in `make dev` and the
tests; nothing here special-cases local runs.
"""

from __future__ import annotations

import threading
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
