"""The rule for text people read (ADR 0027), case by case: what is kept, what becomes of it,
and what is refused and why. Invisible characters are written as escapes; the letters of
other scripts are meant (hence RUF001)."""

# ruff: noqa: RUF001

from __future__ import annotations

import unicodedata
from typing import Annotated

import pytest
from barkeep.schemas import DisplayName, DisplayText
from barkeep.text import TextRefused, clean_name, clean_text, name_key
from pydantic import BaseModel, StringConstraints, ValidationError

ENGLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"
SCOTLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"

ACCEPTED_NAMES = [
    ("Åsa", "Åsa"),
    ("A\u030asa", "Åsa"),  # NFD in, NFC out
    ("\u212bsa", "Åsa"),  # the Ångström sign is canonically Å
    ("Zoë O'Brien-Smith", "Zoë O'Brien-Smith"),
    ("  Ada   Lovelace ", "Ada Lovelace"),  # trimmed, inner spaces collapsed
    ("Ada\u00a0Lovelace", "Ada Lovelace"),  # a no-break space is a space
    ("山田\u3000太郎", "山田 太郎"),  # so is an ideographic space
    ("Nguyễn Thị Minh", "Nguyễn Thị Minh"),
    ("ngue\u0302\u0303n", "nguễn"),  # two marks compose
    ("Ελένη", "Ελένη"),
    ("Светлана", "Светлана"),
    ("محمد", "محمد"),  # Arabic
    ("سارا", "سارا"),
    ("می\u200cخواهم", "می\u200cخواهم"),  # Persian: ZWNJ between the parts of a word
    ("שָׁלוֹם", "שָׁלוֹם"),  # Hebrew with points
    ("अनुष्का", "अनुष्का"),  # Hindi
    ("क्\u200dष", "क्\u200dष"),  # Devanagari: ZWJ after the virama (a half form)
    ("क्\u200cष", "क्\u200cष"),  # ZWNJ after the virama (no conjunct)
    ("ශ්\u200dරී", "ශ්\u200dරී"),  # Sinhala: "Sri" with ZWJ (rakaransaya)
    ("ന്\u200d", "ന്\u200d"),  # Malayalam: a chillu at the end of a word
    ("さくら", "さくら"),  # Japanese
    ("葛\U000e0100城", "葛\U000e0100城"),  # an ideographic variation sequence
    ("김민준", "김민준"),  # Korean (precomposed syllables)
    ("\u1100\u1161", "\uac00"),  # Hangul jamo compose to a syllable
    ("สมชาย", "สมชาย"),  # Thai
    ("🍹 Rosa", "🍹 Rosa"),
    ("👩\u200d🍳 Sam", "👩\u200d🍳 Sam"),  # emoji ZWJ sequence
    ("👩🏽\u200d🍳", "👩🏽\u200d🍳"),  # with a skin tone
    ("🏳\ufe0f\u200d🌈", "🏳\ufe0f\u200d🌈"),  # VS16 before the ZWJ
    ("❤\ufe0f\u200d🔥", "❤\ufe0f\u200d🔥"),
    ("🧑\u200d🤝\u200d🧑", "🧑\u200d🤝\u200d🧑"),
    ("1\ufe0f\u20e3 Fan", "1\ufe0f\u20e3 Fan"),  # a keycap
    ("‼\ufe0f", "‼\ufe0f"),
    ("🇸🇪 Åsa", "🇸🇪 Åsa"),  # a flag: two regional indicators
    (ENGLAND, ENGLAND),
    (SCOTLAND + " fan", SCOTLAND + " fan"),
    ("\U0001fae9", "\U0001fae9"),  # an emoji newer than this Python's Unicode tables
    ("R2-D2 #1!", "R2-D2 #1!"),
]


@pytest.mark.parametrize(("typed", "kept"), ACCEPTED_NAMES)
def test_real_names_are_kept_in_nfc(typed: str, kept: str) -> None:
    cleaned = clean_name(typed)
    assert cleaned == kept
    assert unicodedata.is_normalized("NFC", cleaned)


REFUSED = [
    # Controls: C0, DEL, C1, and line breaks in a name
    ("Ada\x00", "control"),
    ("Ada\x07", "control"),
    ("Ada\nLovelace", "control"),
    ("Ada\tLovelace", "control"),
    ("Ada\rLovelace", "control"),
    ("Ada\x7f", "control"),
    ("Ada\x85Lovelace", "control"),  # NEL, a C1 control
    ("Ada\x9bLovelace", "control"),  # CSI, a C1 control
    ("Ada\u2028Lovelace", "control"),  # line separator
    ("Ada\u2029Lovelace", "control"),  # paragraph separator
    # Direction: bidi embeddings, overrides, isolates, marks
    ("\u202eevil", "invisible"),
    ("ab\u202a", "invisible"),
    ("ab\u202b", "invisible"),
    ("ab\u202c", "invisible"),
    ("ab\u202d", "invisible"),
    ("ab\u2066cd", "invisible"),
    ("ab\u2067cd", "invisible"),
    ("ab\u2068cd", "invisible"),
    ("ab\u2069cd", "invisible"),
    ("ab\u200ecd", "invisible"),  # LRM
    ("ab\u200fcd", "invisible"),  # RLM
    ("محمد\u061c", "invisible"),  # Arabic letter mark
    # Invisible: zero-width, word joiner, BOM, soft hyphen, invisible operators, fillers
    ("a\u200bb", "invisible"),
    ("a\u200cb", "invisible"),  # ZWNJ between Latin letters does nothing visible
    ("a\u200db", "invisible"),
    ("a\u200d\u200db", "invisible"),
    ("山\u200c田", "invisible"),  # nor between Han ideographs
    ("क्\u200d\u200dष", "invisible"),  # one joiner, not two
    ("🍺\u200d", "invisible"),  # a ZWJ must join two emoji
    ("Sam\u200d🍳", "invisible"),
    ("a\u2060b", "invisible"),
    ("\ufeffname", "invisible"),
    ("na\u00adme", "invisible"),
    ("a\u2061b", "invisible"),
    ("a\u2064b", "invisible"),
    ("a\u180eb", "invisible"),  # Mongolian vowel separator
    ("\u3164", "invisible"),  # Hangul filler: the classic invisible name
    ("Sam\u3164", "invisible"),
    ("\uffa0\uffa0", "invisible"),
    ("\u115f\u1160", "invisible"),
    ("\u2800\u2800", "invisible"),  # braille blank
    ("a\u034fb", "invisible"),  # combining grapheme joiner
    ("Sam\ufe0f", "invisible"),  # an emoji selector on a letter
    ("a\ufe00", "invisible"),
    ("Sam\U000e0041\U000e0042", "invisible"),  # tag characters ("ASCII smuggling")
    ("\U0001f3f4\U000e0061\U000e0062\U000e007f", "invisible"),  # not an RGI flag
    ("a\ufff9b\ufffbc", "invisible"),  # interlinear annotation
    # No meaning: private use, unassigned, noncharacters
    ("a\ue000", "unassigned"),
    ("a\U000f0000", "unassigned"),
    ("a\u0378", "unassigned"),
    ("a\ufdd0", "unassigned"),
    ("a\ufdef", "unassigned"),
    ("a\ufffe", "unassigned"),
    ("a\uffff", "unassigned"),
    ("a\U0001fffe", "unassigned"),
    ("a\U0010ffff", "unassigned"),
    ("a\ud800", "unassigned"),  # a lone surrogate
    # Marks with nothing to sit on, or piled up
    ("\u0301\u0301", "mark_first"),
    (" \u0301abc", "mark_first"),  # after trimming, it would sit on whatever comes before
    ("\u20e3", "mark_first"),
    ("Z" + "\u0300\u0301\u0302\u0303\u0304\u0306", "stacked_marks"),  # Zalgo
]


@pytest.mark.parametrize(("typed", "reason"), REFUSED)
def test_text_that_could_lie_is_refused(typed: str, reason: str) -> None:
    with pytest.raises(TextRefused) as refused:
        clean_name(typed)
    assert refused.value.reason == reason
    assert refused.value.message.startswith("Names can't ")


def test_the_message_says_what_is_wrong_in_plain_words() -> None:
    with pytest.raises(TextRefused) as refused:
        clean_name("\u202eevil")
    assert refused.value.message == (
        "Names can't contain invisible or direction-changing characters (U+202E)"
    )


def test_a_name_of_spaces_is_empty_for_the_length_check() -> None:
    assert clean_name(" \u00a0\u3000 ") == ""


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Line one\nLine two", "Line one\nLine two"),
        ("Step\tone", "Step\tone"),
        ("  less  ice  \n", "less  ice"),  # trimmed; inner spaces as typed
        ("cafe\u0301 au lait", "café au lait"),
        ("بدون\u200cشکر", "بدون\u200cشکر"),
        ("Extra 🍋\u200d🟩 please", "Extra 🍋\u200d🟩 please"),
    ],
)
def test_free_text_keeps_lines_and_tabs(typed: str, kept: str) -> None:
    assert clean_text(typed) == kept


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("\u202eeci\n", "invisible"),
        ("no\u200bte", "invisible"),
        ("one\u2028two", "control"),
        ("one\rtwo", "control"),
        ("one\x1btwo", "control"),
        ("a\ue000", "unassigned"),
    ],
)
def test_free_text_refuses_the_rest(typed: str, reason: str) -> None:
    with pytest.raises(TextRefused) as refused:
        clean_text(typed)
    assert refused.value.reason == reason
    assert refused.value.message.startswith("Text can't ")


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Åsa", "A\u030aSA"),
        ("Straße", "STRASSE"),
        ("Old  Fashioned", "old fashioned"),
        ("می\u200cخواهم", "میخواهم"),
        ("☺\ufe0f", "☺"),
    ],
)
def test_names_that_read_alike_have_one_key(one: str, other: str) -> None:
    assert name_key(one) == name_key(other)


class _Guest(BaseModel):
    username: Annotated[str, StringConstraints(min_length=2, max_length=5), DisplayName]
    notes: Annotated[str, StringConstraints(max_length=10), DisplayText] = ""


def test_lengths_count_the_normalised_text() -> None:
    assert _Guest.model_validate({"username": "e\u0301" * 5}).username == "é" * 5
    with pytest.raises(ValidationError, match="at least 2 characters"):
        _Guest.model_validate({"username": "  A  "})


def test_a_refusal_is_a_field_error_in_words() -> None:
    with pytest.raises(ValidationError) as error:
        _Guest.model_validate({"username": "Ada", "notes": "\u202eevil"})
    [only] = error.value.errors()
    assert only["loc"] == ("notes",)
    assert only["msg"] == "Text can't contain invisible or direction-changing characters (U+202E)"


def test_openapi_marks_which_rule_a_field_follows() -> None:
    properties = _Guest.model_json_schema()["properties"]
    assert properties["username"]["x-text"] == "name"
    assert properties["username"]["maxLength"] == 5
    assert properties["notes"]["x-text"] == "text"
