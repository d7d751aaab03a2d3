"""The rule for text one person types and another reads (ADR 0027).

A guest's name on the kitchen display, a drink's name on every phone, an order's note: text
like this must show what it is. Unicode can make text lie — a right-to-left override turns
the rest of a line around, a zero-width space or a Hangul filler makes an empty-looking name,
a private-use character shows as whatever a font put there. So text people read is:

1. normalised to NFC (so "Åsa" typed as A + ring and as Å is one and the same name);
2. trimmed at both ends; in a name, every run of spaces inside becomes one space;
3. refused when it holds a character that is invisible, changes direction, has no meaning
   (unassigned, private use, surrogate), is a control (a name: any; a text: all but newline
   and tab) or a line/paragraph separator, when it starts with a combining mark, or stacks
   more than `MAX_MARKS` nonspacing marks on one character.

Joiners and variation selectors are refused unless they stand where a script or emoji needs
them: ZWJ between two emoji (woman + ZWJ + cooking is a cook), ZWJ/ZWNJ after a virama or
between two letters of a script that joins or builds conjuncts (the parts of a Persian word,
a Hindi half form, Sinhala's "Sri"), VS15/VS16 after a symbol, punctuation or digit (a red
heart, a keycap), the other variation selectors after a letter of an uncased script (a Han
ideograph's variant in a Japanese name), tag characters only in the subdivision flags of
England, Scotland and Wales.

Pure: no pydantic, no I/O. `barkeep.schemas` turns `TextRefused` into a field error.
"""

from __future__ import annotations

import re
import unicodedata

MAX_MARKS = 5
"""Nonspacing marks on one character: Hebrew with points and a cantillation mark needs four or
five; "Zalgo" text piles dozens onto a letter and spills over the lines around it."""

ZWNJ, ZWJ = "\u200c", "\u200d"
VS15, VS16 = "\ufe0e", "\ufe0f"

# Scripts whose letters join or form conjuncts, where ZWJ/ZWNJ change how a word is drawn:
# Arabic (and its extensions and presentation forms), Syriac, N'Ko, Mandaic, the Brahmic
# scripts of India and Sri Lanka (Devanagari … Sinhala, Vedic, Devanagari Extended),
# Myanmar, Khmer, Mongolian.
_JOINING_SCRIPTS = (
    (0x0600, 0x06FF),
    (0x0700, 0x074F),
    (0x0750, 0x077F),
    (0x07C0, 0x07FF),
    (0x0840, 0x085F),
    (0x0860, 0x08FF),
    (0x0900, 0x0DFF),
    (0x1000, 0x109F),
    (0x1780, 0x17FF),
    (0x1800, 0x18AF),
    (0x1CD0, 0x1CFF),
    (0xA8E0, 0xA8FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFC),
    (0x10EC0, 0x10EFF),
)

# Code points Unicode keeps for pictographs (Extended_Pictographic covers them even while
# unassigned): an emoji newer than this Python's Unicode tables is not refused as unassigned.
_PICTOGRAPH_BLOCKS = ((0x1F000, 0x1FAFF), (0x1FC00, 0x1FFFD))

# Letters and marks that draw nothing: Hangul fillers (the classic "invisible name"), the
# combining grapheme joiner, Khmer's inherent vowels, the braille blank.
_BLANK = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0")

# Variation selectors other than VS15/VS16: VS1-14, Mongolian free variation selectors, VS17-256.
_OTHER_SELECTORS = re.compile("[\ufe00-\ufe0d\u180b-\u180d\u180f\U000e0100-\U000e01ef]")

# The only tag sequences allowed: the RGI subdivision flags (England, Scotland, Wales).
_TAG = re.compile("[\U000e0020-\U000e007f]")
_FLAG_TAGS = re.compile(
    "\U0001f3f4(?:\U000e0067\U000e0062(?:\U000e0065\U000e006e\U000e0067"
    "|\U000e0073\U000e0063\U000e0074|\U000e0077\U000e006c\U000e0073))\U000e007f"
)

# Space characters (Zs) that a name collapses into one ordinary space.
_SPACES = re.compile("[ \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")

# Dropped when two names are compared: they change how a name is drawn, not which name it is.
_IGNORED_IN_KEY = re.compile("[\u200c\u200d\ufe00-\ufe0f\u180b-\u180d\u180f\U000e0100-\U000e01ef]")


class TextRefused(ValueError):
    """The text breaks the rule; `message` says how, in words for the person who typed it."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


def clean_name(value: str) -> str:
    """A name: one line, NFC, trimmed, inner spaces collapsed; refused if it could lie."""
    name = _SPACES.sub(" ", unicodedata.normalize("NFC", value).strip())
    _check(name, subject="Names", multiline=False)
    return name


def clean_text(value: str) -> str:
    """Free text (a note, a description): NFC, trimmed; newlines and tabs allowed inside."""
    text = unicodedata.normalize("NFC", value).strip()
    _check(text, subject="Text", multiline=True)
    return text


def name_key(name: str) -> str:
    """What makes two names the same name: canonically equal ignoring case (Unicode's
    canonical caseless match), joiners and variation selectors, and runs of whitespace."""
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFD", name).casefold())
    return " ".join(_IGNORED_IN_KEY.sub("", folded).split())


def _check(text: str, *, subject: str, multiline: bool) -> None:
    flags = {i for match in _FLAG_TAGS.finditer(text) for i in range(*match.span())}
    marks = 0
    for i, ch in enumerate(text):
        category = unicodedata.category(ch)
        if multiline and ch in "\n\t":
            marks = 0
        elif category == "Cc" or category in ("Zl", "Zp"):
            allowed = " other than newline and tab" if multiline else " or line breaks"
            raise TextRefused(
                "control", f"{subject} can't contain control characters{allowed}{_at(ch)}"
            )
        elif category in ("Co", "Cs") or (category == "Cn" and not _reserved_pictograph(ch)):
            raise TextRefused(
                "unassigned",
                f"{subject} can't contain private-use or unassigned characters{_at(ch)}",
            )
        elif (
            ch in _BLANK
            or (category == "Cf" and not _format_allowed(text, i, flags))
            or (ch in (VS15, VS16) and not _emoji_selector_allowed(text, i))
            or (_OTHER_SELECTORS.match(ch) and not _letter_selector_allowed(text, i))
        ):
            raise TextRefused(
                "invisible",
                f"{subject} can't contain invisible or direction-changing characters{_at(ch)}",
            )
        elif category[0] == "M":
            if i == 0:
                raise TextRefused(
                    "mark_first",
                    f"{subject} can't start with a combining mark (an accent with no letter)",
                )
            if category in ("Mn", "Me"):
                marks += 1
                if marks > MAX_MARKS:
                    raise TextRefused(
                        "stacked_marks",
                        f"{subject} can't stack more than {MAX_MARKS} marks on one character",
                    )
        else:
            marks = 0


def _at(ch: str) -> str:
    return f" (U+{ord(ch):04X})"


def _format_allowed(text: str, i: int, flags: set[int]) -> bool:
    """A format character (Cf) is allowed only as a joiner where one belongs, or as part of
    a subdivision flag."""
    ch = text[i]
    if _TAG.match(ch):
        return i in flags
    if ch == ZWJ and _between_emoji(text, i):
        return True
    return ch in (ZWJ, ZWNJ) and _in_joining_script(text, i)


def _between_emoji(text: str, i: int) -> bool:
    j = i - 1
    while j >= 0 and (text[j] == VS16 or 0x1F3FB <= ord(text[j]) <= 0x1F3FF):  # skin tones
        j -= 1
    return j >= 0 and i + 1 < len(text) and _pictograph(text[j]) and _pictograph(text[i + 1])


def _in_joining_script(text: str, i: int) -> bool:
    """After a virama (a conjunct, a Malayalam chillu, Sinhala's yansaya), or between two
    letters of a joining script (a Persian word's parts)."""
    if i == 0:
        return False
    before = text[i - 1]
    if unicodedata.combining(before) == 9 and _joining_script(before):
        return True
    j = i - 1
    while j > 0 and unicodedata.category(text[j])[0] == "M":
        j -= 1
    return i + 1 < len(text) and _joining_letter(text[j]) and _joining_letter(text[i + 1])


def _emoji_selector_allowed(text: str, i: int) -> bool:
    """VS15/VS16 choose text or emoji style for a symbol, punctuation or digit (a heart, a
    double exclamation mark, a keycap's digit)."""
    if i == 0:
        return False
    before = text[i - 1]
    return (
        unicodedata.category(before)[0] in "SPN"
        or before == "\u2139"  # INFORMATION SOURCE, the one letter with an emoji style
        or _reserved_pictograph(before)
    )


def _letter_selector_allowed(text: str, i: int) -> bool:
    """The other variation selectors choose a glyph of a letter of an uncased script: a Han
    ideograph's variant in a Japanese name, a Mongolian letter's form."""
    return i > 0 and unicodedata.category(text[i - 1]) == "Lo"


def _joining_script(ch: str) -> bool:
    code = ord(ch)
    return any(low <= code <= high for low, high in _JOINING_SCRIPTS)


def _joining_letter(ch: str) -> bool:
    return unicodedata.category(ch)[0] == "L" and _joining_script(ch)


def _pictograph(ch: str) -> bool:
    return unicodedata.category(ch) == "So" or _reserved_pictograph(ch)


def _reserved_pictograph(ch: str) -> bool:
    code = ord(ch)
    return (
        unicodedata.category(ch) == "Cn"
        and (code & 0xFFFE) != 0xFFFE  # U+1FFFE and U+1FFFF are noncharacters
        and any(low <= code <= high for low, high in _PICTOGRAPH_BLOCKS)
    )
