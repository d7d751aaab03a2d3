"""The offline provider: no network, deterministic, and not a canned string. It scores the
live menu against the guest's words and explains what matched."""

from __future__ import annotations

import re
import struct
import zlib

from chalicelib.constraints import (
    Constraints,
    _join,
    normalise,
    nothing_fits,
    tokens,
    violates,
)
from chalicelib.languages import DEFAULT as DEFAULT_LANGUAGE
from chalicelib.providers.base import (
    ChatReply,
    ImagePrompt,
    MenuDrink,
    MenuTools,
    ModelIds,
    Recommendation,
    Turn,
)
from chalicelib.providers.prompts import NEGATIVE_PROMPT, build_image_prompt
from chalicelib.scoring import Wishes, rank, score

INJECTION = re.compile(
    r"\bignore\b.{0,40}\b(rules|instructions|prompt)|system prompt|\byou are now\b|"
    r"developer mode|admin mode|jailbreak|\b(list|show|tell)\b.{0,30}\bguests?\b|"
    r"other guests|user[_ ]?keys?|\b(reveal|print|repeat|show)\b.{0,20}\b(instructions|prompt)|"
    r"\bpretend (to be|you are)\b|\bsudo\b"
)
REFUSAL = (
    "I can't do that. I'm the bartender: I only talk about tonight's drinks, and I keep "
    "other guests and how I work to myself. What are you in the mood for?"
)
CONTENTS = re.compile(
    r"\bwhat(?:'s|s| is| does| goes)\b.{0,10}\b(in|into|inside)\b|\bingredients?\b|"
    r"\bmade (with|of|from)\b|\bwhat(?:'s| is) the .+ made\b|\bcontain"
)
AVAILABILITY = re.compile(
    r"\b(?:is|are)\s+(?:the\s+|a\s+|an\s+)?(?P<what>[a-z' -]{2,40}?)\s+"
    r"(?:available|on(?: the menu)?|still on|sold out|off)\b"
    r"|\b(?:do you|d'you|can you)\s+(?:have|serve|do|make)\s+"
    r"(?:a\s+|an\s+|the\s+|any\s+)?(?P<what2>[a-z' -]{2,40}?)\s*(?:tonight|today|here)?[?.!]*$"
    r"|\b(?:(?:can|could|may) i (?:get|have|order)|i'?d like|i would like|i'll have)\s+"
    r"(?:a\s+|an\s+|the\s+|some\s+)?"
    r"(?P<what3>[a-z' -]{2,40}?)\s*(?:please|tonight)?[?.!]*$"
)
ALCOHOL_FREE = re.compile(
    r"\bwhat(?:'s| is| are|)\b.{0,20}\b(alcohol[- ]free|non[- ]?alcoholic|mocktails?|"
    r"without alcohol|zero[- ]proof)|\b(alcohol[- ]free|non[- ]?alcoholic) (options|drinks)\b"
)
# Things a guest may ask for by kind -> what on the menu would be one.
KINDS: dict[str, tuple[str, ...]] = {
    "beer": ("spirit:beer",),
    "beers": ("spirit:beer",),
    "lager": ("spirit:beer",),
    "wine": ("spirit:wine",),
    "champagne": ("spirit:wine",),
    "prosecco": ("spirit:wine",),
    "cider": ("spirit:cider",),
    "sake": ("spirit:sake",),
    "shots": ("word:shot",),
    "shot": ("word:shot",),
    "coffee": ("caffeine",),
    "espresso": ("caffeine",),
    "tea": ("word:tea",),
    "water": ("word:water",),
    "juice": ("word:juice",),
    "whisky": ("spirit:whisky",),
    "whiskey": ("spirit:whisky",),
    "gin": ("spirit:gin",),
    "vodka": ("spirit:vodka",),
    "rum": ("spirit:rum",),
    "tequila": ("spirit:tequila",),
}
GENERIC = {"something", "anything", "drink", "cocktail", "recommendation", "suggestion", "idea"}


def _named(text: str, menu: list[MenuDrink]) -> MenuDrink | None:
    """The drink on tonight's menu the message names (the longest name wins)."""
    hits = [
        d
        for d in menu
        if d.name.strip() and re.search(rf"(?<![a-z]){re.escape(normalise(d.name))}(?![a-z])", text)
    ]
    return max(hits, key=lambda d: len(d.name)) if hits else None


def _closest(tools: MenuTools, text: str, like: MenuDrink | None = None) -> MenuDrink | None:
    """The nearest drink the guest may have: the most alike to `like`, else to their words."""
    allowed = [d for d in tools.search(limit=30) if like is None or d.id != like.id]
    if not allowed:
        return None
    if like is not None:
        wishes = Wishes(frozenset(like.tags), terms=frozenset(tokens(" ".join(like.ingredients))))
    else:
        wishes = Wishes.from_text(text)
    best = sorted((score(d, wishes) for d in allowed), key=lambda m: (-m.score, m.drink.name))
    return best[0].drink


def _facts_line(drink: MenuDrink) -> str:
    if drink.facts is None or drink.unknown_ingredients:
        return " I can't vouch for it for any diet or allergy."
    line = " It has alcohol." if "alcohol" in drink.contains else ""
    good = sorted(drink.suitable_for)
    return line + (f" It is {_join(good)}." if good else "")


def _contents(drink: MenuDrink, constraints: Constraints, tools: MenuTools) -> ChatReply:
    parts = list(drink.ingredients) or ["nothing listed"]  # as the menu writes them: "Campari"
    reply = f"The {drink.name} has {_join(parts)}." + _facts_line(drink)
    why = violates(drink, constraints)
    if drink.sold_out:
        reply += " It is sold out tonight, though."
    elif why:
        reply += f" Not one for you tonight: {why}."
    ok = drink.orderable and not why
    return ChatReply(reply, (drink.id,) if ok else ())


def _availability(drink: MenuDrink, constraints: Constraints, tools: MenuTools) -> ChatReply:
    why = violates(drink, constraints)
    if drink.orderable and not why:
        return ChatReply(f"Yes, the {drink.name} is on tonight's menu.", (drink.id,))
    close = _closest(tools, "", like=drink)
    if drink.sold_out:
        reply = f"The {drink.name} is sold out tonight"
    else:
        reply = f"The {drink.name} is on the menu, but not what you asked for: {why}"
    reply += f"; the {close.name} is close." if close else "."
    return ChatReply(reply, (close.id,) if close else ())


def _serves(drink: MenuDrink, marks: tuple[str, ...]) -> bool:
    words = set(tokens(normalise(" ".join((drink.name, *drink.ingredients, *drink.tags)))))
    for mark in marks:
        if mark.startswith("word:"):
            w = mark[5:]
            if w in words or w + "s" in words:
                return True
        elif mark in drink.contains:
            return True
    return False


def not_served(text: str, menu: list[MenuDrink], constraints: Constraints) -> str | None:
    """A kind of drink the guest asks for that nothing on tonight's menu is ("a beer")."""
    for word in tokens(text):
        marks = KINDS.get(word)
        if marks is None or any(m in constraints.excludes for m in ("fact:" + m for m in marks)):
            continue
        if f"word:{word}" in constraints.excludes:
            continue
        if not any(_serves(d, marks) for d in menu if d.is_active):
            return word
    return None


def _looks_like_a_name(what: str) -> bool:
    words = tokens(what)
    flavours = Wishes.from_text(what)
    return bool(words) and not (set(words) & GENERIC) and not flavours.wanted_tags


def _follow_up(text: str) -> bool:
    return bool(re.match(r"^(and|what about|how about|also|actually|ok|okay|then)\b", text)) or (
        len(tokens(text)) <= 4
    )


class OfflineProvider:
    name = "offline"

    def __init__(self, models: ModelIds | None = None) -> None:
        self.models = models or ModelIds()

    def recommend(
        self,
        preferences: str,
        menu: list[MenuDrink],
        *,
        exclude_alcohol: bool,
        limit: int = 3,
        constraints: Constraints | None = None,
        language: str = DEFAULT_LANGUAGE,  # its sentences are English all the same (ADR 0037)
    ) -> list[Recommendation]:
        matches = rank(
            menu,
            Wishes.from_text(preferences),
            exclude_alcohol=exclude_alcohol,
            limit=limit,
            constraints=constraints or Constraints.from_text(preferences),
        )
        return [Recommendation(m.drink.id, m.reason()) for m in matches]

    def chat(
        self,
        history: list[Turn],
        message: str,
        tools: MenuTools,
        *,
        language: str = DEFAULT_LANGUAGE,
    ) -> ChatReply:
        """Menu questions are answered from the menu; anything else is a recommendation over
        the drinks the guest's constraints allow (the tool already leaves the others out)."""
        text = normalise(message)
        if INJECTION.search(text):
            return ChatReply(REFUSAL)
        constraints = tools.constraints
        on_menu = tools.drinks_on_menu()
        named = _named(text, on_menu)
        if named is not None and CONTENTS.search(text):
            return _contents(named, constraints, tools)
        if named is not None and (AVAILABILITY.search(text) or len(tokens(text)) <= 4):
            return _availability(named, constraints, tools)
        if ALCOHOL_FREE.search(text):
            free = [d for d in tools.search(exclude_alcohol=True, limit=30) if not d.is_alcoholic]
            if not free:
                return ChatReply("Nothing on tonight's menu is alcohol-free, I'm sorry.")
            names = [d.name for d in free[:5]]
            return ChatReply(
                f"Alcohol-free tonight: {_join(names)}.", tuple(d.id for d in free[:3])
            )
        unserved = not_served(text, on_menu, constraints)
        if unserved is not None:
            thing, close = unserved, _closest(tools, text)
            reply = f"We don't serve {thing} tonight."
            if close:
                reply += (
                    f" Nothing here is {thing}, but if you'd like, the {close.name} is on the menu."
                )
            return ChatReply(reply, (close.id,) if close else ())
        asked = AVAILABILITY.search(text)
        what = next((g for g in asked.groups() if g), "") if asked else ""
        kinds = [KINDS[w] for w in tokens(what) if w in KINDS] if named is None else []
        if kinds:  # "do you have wine?": wine is served, in drinks, not by the glass
            with_it = [d for d in tools.search(limit=30) if _serves(d, kinds[0])]
            if with_it:
                names = [f"the {d.name}" for d in with_it[:4]]
                return ChatReply(
                    f"Not on its own, but {_join(names)} {'is' if len(names) == 1 else 'are'}"
                    f" made with {what.strip().lower()} tonight.",
                    tuple(d.id for d in with_it[:3]),
                )
        if named is None and what and _looks_like_a_name(what):
            what = what.strip().title()
            close = _closest(tools, text)
            reply = f"The {what} isn't on tonight's menu."
            if close:
                reply += f" The {close.name} is, if you'd like something else."
            return ChatReply(reply, (close.id,) if close else ())
        # a follow-up ("what about vegan?") keeps the flavours asked for earlier
        earlier = " ".join(t.text for t in history if t.role == "user")
        wishes = Wishes.from_text(f"{earlier} {message}" if _follow_up(text) else message)
        found = tools.search(
            text=" ".join(sorted(wishes.terms)),
            tag=next(iter(sorted(wishes.wanted_tags)), ""),
            exclude_alcohol=wishes.no_alcohol,
            limit=10,
        )
        menu = found or tools.search(exclude_alcohol=wishes.no_alcohol, limit=30)
        matches = rank(
            menu, wishes, exclude_alcohol=wishes.no_alcohol, limit=2, constraints=constraints
        )
        if not matches:
            if constraints:
                return ChatReply(nothing_fits(on_menu, constraints))
            return ChatReply(
                "I couldn't find anything on tonight's menu for that. "
                "Tell me a flavour you like (sour, fruity, bitter, fresh…)?"
            )
        first = matches[0]
        text = f"Try the {first.drink.name}: {first.reason()[0].lower()}{first.reason()[1:]}"
        if len(matches) > 1:
            text += f" Or, for something different, the {matches[1].drink.name}."
        if constraints:
            text = text.rstrip(".") + f" ({_join(constraints.describe())}, as you asked)."
        elif wishes.no_alcohol:
            text += " Both are alcohol-free." if len(matches) > 1 else " It is alcohol-free."
        return ChatReply(text, tuple(m.drink.id for m in matches))

    def image_prompt(self, drink: MenuDrink) -> ImagePrompt:
        return ImagePrompt(build_image_prompt(drink), NEGATIVE_PROMPT, self.models.image)

    def image(self, prompt: ImagePrompt) -> tuple[bytes, bool]:
        """A generated placeholder (a soft gradient PNG), honestly labelled as one."""
        return placeholder_png(prompt.prompt), True


def placeholder_png(seed: str, size: int = 256) -> bytes:
    """A small PNG whose colours derive from `seed`: clearly a placeholder, never a photo."""
    h = zlib.crc32(seed.encode())
    top = ((h >> 16) & 0xFF, (h >> 8) & 0xFF, h & 0xFF)
    bottom = tuple(min(255, c + 90) for c in top)
    rows = bytearray()
    for y in range(size):
        t = y / (size - 1)
        pixel = bytes(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        rows += b"\x00" + pixel * size

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )
