"""Building blocks for request models: text fields that cannot smuggle control characters
(a NUL byte would otherwise reach PostgreSQL and fail the request with a 5xx)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_CONTROL_OR_NEWLINE = re.compile(r"[\x00-\x1f\x7f]")


def _no_control(allow_newlines: bool) -> Any:
    pattern = _CONTROL if allow_newlines else _CONTROL_OR_NEWLINE

    def check(value: str) -> str:
        if pattern.search(value):
            raise ValueError("Control characters are not allowed")
        return value

    return AfterValidator(check)


def _strip(value: str) -> str:
    return value.strip()


def Line(min_length: int, max_length: int) -> Any:  # noqa: N802 - reads like a type
    """One line of text, trimmed, `min_length`..`max_length` characters after trimming."""
    return Annotated[str, AfterValidator(_strip), _no_control(False),
                     AfterValidator(_length(min_length, max_length))]


def Text(min_length: int, max_length: int) -> Any:  # noqa: N802
    """Free text (newlines allowed), trimmed, bounded."""
    return Annotated[str, AfterValidator(_strip), _no_control(True),
                     AfterValidator(_length(min_length, max_length))]


def OptionalLine(max_length: int) -> Any:  # noqa: N802
    """An optional one-line filter: blank means 'not given'."""
    return Annotated[Line(1, max_length) | None, BeforeValidator(_blank_to_none)]


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _length(min_length: int, max_length: int) -> Any:
    def check(value: str) -> str:
        if len(value) < min_length:
            raise ValueError(f"Must be at least {min_length} characters" if min_length > 1
                             else "Must not be empty")
        if len(value) > max_length:
            raise ValueError(f"Must be at most {max_length} characters")
        return value

    return check
