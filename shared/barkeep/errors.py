"""Domain errors. Services subclass these; `barkeep.http` owns the one error -> status table.

Nothing here knows about HTTP or Chalice, so domain code and its unit tests stay free of I/O.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A failure a client can act on. `code` is the stable, machine-readable part."""

    code = "error"

    def __init__(
        self, message: str, *, code: str | None = None, details: dict[str, Any] | None = None
    ):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details: dict[str, Any] = details or {}


class ValidationFailed(DomainError):
    code = "validation_error"

    def __init__(self, fields: dict[str, str], message: str = "The request is not valid"):
        super().__init__(message, details={"fields": fields})
        self.fields = fields


class NotAuthenticated(DomainError):
    code = "unauthorized"


class Forbidden(DomainError):
    code = "forbidden"


class NotFound(DomainError):
    code = "not_found"


class Conflict(DomainError):
    code = "conflict"


class PayloadTooLarge(DomainError):
    code = "payload_too_large"


class RateLimited(DomainError):
    code = "rate_limited"


class ServiceUnavailable(DomainError):
    """The service cannot answer right now (its database is down or every connection is busy).

    Nothing was done; the client may send the same request again after `retry_after` seconds.
    """

    code = "service_unavailable"

    def __init__(self, message: str, *, retry_after: int = 1) -> None:
        super().__init__(message, details={"retry_after": retry_after})
        self.retry_after = retry_after
