"""The guest's language from Accept-Language, and what the model is told for it."""

from __future__ import annotations

import pytest
from chalicelib.languages import language_of
from chalicelib.providers.prompts import language_rule


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("sv", "sv"),
        ("sv-SE,sv;q=0.9,en;q=0.8", "sv"),
        ("en-GB,en;q=0.9", "en"),
        ("de-DE,sv;q=0.5,en;q=0.7", "en"),  # by q-value, German not spoken here
        ("de, fr;q=0.9", "en"),  # none we answer in
        ("sv;q=0", "en"),  # "not Swedish"
        ("sv;q=abc, en", "en"),  # a malformed q is not believed
        ("", "en"),
        (None, "en"),
        ("*", "en"),
        ("SV-fi", "sv"),
    ],
)
def test_the_guests_language_is_the_first_we_answer_in(header: str | None, language: str) -> None:
    assert language_of(header) == language


def test_the_model_is_told_to_answer_in_swedish_and_nothing_extra_in_english() -> None:
    assert language_rule("en") == []
    assert language_rule("xx") == []
    [rule] = language_rule("sv")
    assert "Swedish" in rule["text"] and "drink's name exactly as the menu" in rule["text"]
