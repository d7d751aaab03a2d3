"""The language a guest reads the bartender's words in: the web app says it in
`Accept-Language` (the language chosen in the app, ADR 0037). Pure, no I/O."""

from __future__ import annotations

DEFAULT = "en"
# What the model is told to answer in, by the language's primary tag.
NAMES = {"en": "English", "sv": "Swedish (svenska)"}


def language_of(accept_language: str | None) -> str:
    """The first language of `Accept-Language` (by q-value, then order) we answer in; English
    when none is, or the header is missing or malformed."""
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate((accept_language or "")[:500].split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        primary = tag.strip().split("-")[0].lower()
        if primary in NAMES and quality > 0:
            ranked.append((-quality, i, primary))
    return min(ranked)[2] if ranked else DEFAULT
