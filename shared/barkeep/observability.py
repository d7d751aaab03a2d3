"""Structured JSON logs carrying request and correlation ids; X-Ray only when it is switched on."""

from __future__ import annotations

import contextvars
import json
import logging
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
correlation_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "correlation_id", default=None
)

_RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


# One encoder for every line: json.dumps(..., default=str) builds a new one per call.
_encode = json.JSONEncoder(default=str).encode


class JsonFormatter(logging.Formatter):
    # (second, "YYYY-MM-DDTHH:MM:SS") of the last line: strftime once a second, not per line.
    # One tuple, read and replaced whole, so threads never see half of it.
    _second: tuple[int, str] = (-1, "")

    def _timestamp(self, created: float, msecs: float) -> str:
        second, text = self._second
        if int(created) != second:
            second = int(created)
            text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
            self._second = (second, text)
        return f"{text}.{int(msecs):03d}Z"

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": self._timestamp(record.created, record.msecs),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if (rid := request_id.get()) is not None:
            entry["request_id"] = rid
        if (cid := correlation_id.get()) is not None:
            entry["correlation_id"] = cid
        for key, value in vars(record).items():
            if key not in _RESERVED and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return _encode(entry)


_configured = False


class _StdoutHandler(logging.StreamHandler):  # type: ignore[type-arg,unused-ignore]
    """Writes to whatever sys.stdout is now (Lambda's, or a test's capture), not to the one
    that was current when logging was configured."""

    @property  # type: ignore[override,unused-ignore]
    def stream(self) -> Any:
        return sys.stdout

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


def configure_logging(level: str = "INFO") -> None:
    """Route the `barkeep` loggers through one JSON handler (idempotent)."""
    global _configured
    if _configured:
        return
    handler = _StdoutHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger("barkeep")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
    _configured = True


def get_logger(name: str) -> logging.Logger:
    return logging.getLogger(name if name.startswith("barkeep") else f"barkeep.{name}")


def current_correlation_id() -> str:
    """The correlation id of the work in progress; a new one when there is none."""
    cid = correlation_id.get()
    if cid is None:
        cid = str(uuid.uuid4())
        correlation_id.set(cid)
    return cid


@contextmanager
def request_context(rid: str | None, cid: str | None) -> Iterator[None]:
    rid_token = request_id.set(rid or str(uuid.uuid4()))
    cid_token = correlation_id.set(cid or request_id.get())
    try:
        yield
    finally:
        request_id.reset(rid_token)
        correlation_id.reset(cid_token)


METRICS_NAMESPACE = "Barkeep"


def metric(name: str, value: float, *, unit: str = "Count", **dimensions: str) -> None:
    """One CloudWatch metric, as an embedded-metric-format line on stdout: Lambda's log
    pipeline turns it into a metric (no API call, no latency). Only inside Lambda; the local
    stack's console stays readable. Stage and Service are always dimensions."""
    from barkeep import settings

    cfg = settings.platform()
    if not cfg.in_lambda:
        return
    dims = {"Stage": cfg.stage, "Service": cfg.service, **dimensions}
    document = {
        "_aws": {
            "Timestamp": int(time.time() * 1000),
            "CloudWatchMetrics": [
                {
                    "Namespace": METRICS_NAMESPACE,
                    "Dimensions": [sorted(dims)],
                    "Metrics": [{"Name": name, "Unit": unit}],
                }
            ],
        },
        name: value,
        **dims,
    }
    sys.stdout.write(json.dumps(document, separators=(",", ":")) + "\n")


_xray_patched = False


def enable_tracing_if_configured(tracing: bool) -> None:
    """Patch boto3/psycopg for X-Ray, but only inside Lambda with tracing on.

    `aws_xray_sdk` costs about a second to import, so it is never imported otherwise.
    """
    global _xray_patched
    if not tracing or _xray_patched:
        return
    from aws_xray_sdk.core import patch

    patch(["boto3", "botocore", "psycopg"])
    _xray_patched = True
