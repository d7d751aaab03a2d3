"""Building blocks for request models.

Text fields must not smuggle control characters: a NUL byte would otherwise reach PostgreSQL
and fail the request with a 5xx. Services declare their field types from these, e.g.

    Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                            max_length=100), SingleLine]
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import AfterValidator, BeforeValidator

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_CONTROL_OR_NEWLINE = re.compile(r"[\x00-\x1f\x7f]")


def _reject(pattern: re.Pattern[str]) -> Any:
    def check(value: str) -> str:
        if pattern.search(value):
            raise ValueError("Control characters are not allowed")
        return value

    return check


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


SingleLine = AfterValidator(_reject(_CONTROL_OR_NEWLINE))
"""One line of text: no control characters, no newlines."""

MultiLine = AfterValidator(_reject(_CONTROL))
"""Free text: newlines and tabs allowed, other control characters not."""

BlankIsNone = BeforeValidator(_blank_to_none)
"""For optional filters: an empty query parameter means 'not given'."""
