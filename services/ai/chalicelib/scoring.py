"""Matching a guest's words against the menu: pure and deterministic (the offline provider
and the chat's menu tool both use it)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chalicelib.constraints import Constraints, violates
from chalicelib.providers.base import MenuDrink

# Flavour words a guest uses -> the menu's tags.
FLAVOURS: dict[str, tuple[str, ...]] = {
    "sour": ("sour",),
    "tart": ("sour",),
    "tangy": ("sour", "citrus"),
    "bitter": ("bitter",),
    "sweet": ("sweet",),
    "fruity": ("fruity",),
    "fruit": ("fruity",),
    "strong": ("strong",),
    "boozy": ("strong",),
    "stiff": ("strong",),
    "fresh": ("fresh",),
    "refreshing": ("fresh", "light"),
    "crisp": ("fresh",),
    "creamy": ("creamy",),
    "rich": ("creamy",),
    "herbal": ("herbal",),
    "minty": ("herbal",),
    "mint": ("herbal",),
    "spicy": ("spicy",),
    "ginger": ("spicy",),
    "smoky": ("smoky",),
    "citrus": ("citrus",),
    "citrusy": ("citrus",),
    "zesty": ("citrus",),
    "tropical": ("tropical",),
    "fizzy": ("sparkling",),
    "bubbly": ("sparkling",),
    "sparkling": ("sparkling",),
    "light": ("light",),
    "coffee": ("coffee",),
    "floral": ("floral",),
    "classic": ("classic",),
    "dessert": ("creamy", "sweet"),
}
NO_ALCOHOL = re.compile(
    r"\b(no|without|zero|free of)\s+(alcohol|booze|liquor)\b|\balcohol[- ]free\b|"
    r"\bnon[- ]?alcoholic\b|\bmocktails?\b|\bvirgin\b|\bsober\b|\bdriving\b|\bpregnant\b"
)
NEGATION = {"no", "not", "without", "hate", "dislike", "avoid", "never", "nothing", "less"}
STOPWORDS = {
    "a",
    "an",
    "and",
    "the",
    "i",
    "me",
    "my",
    "like",
    "love",
    "want",
    "something",
    "drink",
    "drinks",
    "please",
    "with",
    "some",
    "but",
    "or",
    "of",
    "to",
    "for",
    "is",
    "it",
    "that",
    "very",
    "really",
    "bit",
    "little",
    "more",
    "what",
    "can",
    "you",
    "recommend",
    "have",
    "would",
    "today",
    "tonight",
    "any",
    "in",
    "on",
    "are",
}


def words(text: str) -> list[str]:
    return re.findall(r"[a-zà-ÿ]+(?:-[a-zà-ÿ]+)*", text.lower())


@dataclass(frozen=True)
class Wishes:
    """What a guest's words ask for."""

    wanted_tags: frozenset[str] = frozenset()
    unwanted_tags: frozenset[str] = frozenset()
    terms: frozenset[str] = frozenset()  # other meaningful words (ingredients, names)
    no_alcohol: bool = False

    @classmethod
    def from_text(cls, text: str) -> Wishes:
        tokens = words(text)
        wanted: set[str] = set()
        unwanted: set[str] = set()
        terms: set[str] = set()
        for i, token in enumerate(tokens):
            negated = any(t in NEGATION or t.endswith("n't") for t in tokens[max(0, i - 2) : i])
            if token in FLAVOURS:
                (unwanted if negated else wanted).update(FLAVOURS[token])
            elif (
                token not in STOPWORDS and token not in NEGATION and len(token) >= 3 and not negated
            ):
                terms.add(token)
        return cls(
            frozenset(wanted - unwanted),
            frozenset(unwanted),
            frozenset(terms),
            bool(NO_ALCOHOL.search(text.lower())),
        )


@dataclass(frozen=True)
class Match:
    drink: MenuDrink
    score: float
    tags: tuple[str, ...] = ()
    ingredients: tuple[str, ...] = ()
    words: tuple[str, ...] = field(default=())

    def reason(self) -> str:
        parts = []
        if self.tags:
            parts.append(" and ".join(self.tags[:3]) + " as you asked")
        if self.ingredients:
            parts.append("made with " + ", ".join(i.lower() for i in self.ingredients[:3]))
        if self.words and not parts:
            parts.append("it matches “" + ", ".join(self.words[:3]) + "”")
        if not parts:
            return "A house favourite while you decide."
        text = "; ".join(parts)
        return text[0].upper() + text[1:] + "."


def score(drink: MenuDrink, wishes: Wishes) -> Match:
    tags = [t for t in drink.tags if t in wishes.wanted_tags]
    penalty = sum(1 for t in drink.tags if t in wishes.unwanted_tags)
    ingredients = [
        i for i in drink.ingredients if wishes.terms & set(words(i))
    ]  # whole words: "gin" is not "ginger"
    name_words = set(words(drink.name)) | set(words(drink.description))
    hits = sorted(wishes.terms & name_words)
    value = 2.0 * len(tags) + 3.0 * len(ingredients) + 1.0 * len(hits) - 3.0 * penalty
    if "house-special" in drink.tags:
        value += 0.1  # a gentle nudge towards the house's own drinks on a tie
    return Match(drink, value, tuple(tags), tuple(ingredients), tuple(hits))


def rank(
    menu: list[MenuDrink],
    wishes: Wishes,
    *,
    exclude_alcohol: bool = False,
    limit: int = 3,
    constraints: Constraints | None = None,
) -> list[Match]:
    """The best matches among the drinks the constraints allow, best first; deterministic
    (ties by name)."""
    candidates = [
        d
        for d in menu
        if d.orderable
        and not ((exclude_alcohol or wishes.no_alcohol) and d.is_alcoholic)
        and not (constraints and violates(d, constraints))
    ]
    matches = sorted(
        (score(d, wishes) for d in candidates), key=lambda m: (-m.score, m.drink.name.lower())
    )
    good = [m for m in matches if m.score > 0.5]
    return (good or [m for m in matches if m.score >= 0])[:limit]
