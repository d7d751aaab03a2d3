"""Building blocks for request models.

Text a person types and another person reads — a name, a note, a description — is declared
`DisplayName` or `DisplayText` (the rule is `barkeep.text`, ADR 0027), with its lengths
counted after normalising, e.g.

    Username = Annotated[str, StringConstraints(min_length=2, max_length=50), DisplayName]

Machine text nobody reads (tokens, keys) is `SingleLine`: it must not smuggle control
characters, since a NUL byte would otherwise reach PostgreSQL and fail the request with a 5xx.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import AfterValidator, BeforeValidator, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from barkeep import text

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
"""One line of machine text (a token, a key): no control characters, no newlines."""

BlankIsNone = BeforeValidator(_blank_to_none)
"""For optional filters: an empty query parameter means 'not given'."""


@dataclass(frozen=True)
class _TextRule:
    """A field's text rule, as `Annotated` metadata after the field's `StringConstraints`: it
    cleans the text before the constraints run, so lengths count the normalised text, and it
    marks the field `x-text` in OpenAPI so clients can tell which rule applies."""

    rule: Callable[[str], str]
    kind: str

    def _validate(self, value: Any) -> Any:
        if not isinstance(value, str):
            return value  # the string schema refuses it, in its own words
        try:
            return self.rule(value)
        except text.TextRefused as refused:
            raise PydanticCustomError(f"text_{refused.reason}", refused.message) from None

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_before_validator_function(self._validate, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["x-text"] = self.kind
        return json_schema


DisplayName = _TextRule(text.clean_name, "name")
"""A name people read on someone else's screen: one line, NFC, trimmed, inner spaces
collapsed, nothing invisible or direction-changing (`barkeep.text`)."""

DisplayText = _TextRule(text.clean_text, "text")
"""Free text people read (a note, a description): as `DisplayName`, but newlines and tabs are
kept and inner spaces are left as typed."""
