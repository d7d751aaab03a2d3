"""What a guest's words rule out: pure, deterministic, and the one judge of whether a drink may
be put forward (ADR 0033). A model never decides this; the service checks every drink any
provider names against these constraints and the drink's facts from the menu.

A constraint is one of:
- a fact tag the drink must not contain (`alcohol`, `animal` for vegan, `meat` for vegetarian,
  `dairy`, `egg`, `honey`, `nuts`, `gluten`, `caffeine`, `sugar`, `spirit:gin`…). A drink with an
  ingredient the menu's vocabulary does not know breaks every fact-tag exclusion: it is never
  claimed safe;
- a flavour tag (`sweet` for "not too sweet", `strong` for "nothing strong" or "light");
- a word the drink's ingredients or name must not have ("no lime", "not the negroni").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from chalicelib.providers.base import MenuDrink

# Words a guest uses for what the menu's facts know.
FACT_WORDS: dict[str, str] = {
    "alcohol": "alcohol",
    "alcoholic": "alcohol",
    "booze": "alcohol",
    "boozy": "alcohol",
    "liquor": "alcohol",
    "spirits": "alcohol",
    "dairy": "dairy",
    "milk": "dairy",
    "cream": "dairy",
    "lactose": "dairy",
    "butter": "dairy",
    "cheese": "dairy",
    "egg": "egg",
    "eggs": "egg",
    "honey": "honey",
    "nut": "nuts",
    "nuts": "nuts",
    "peanut": "nuts",
    "peanuts": "nuts",
    "almond": "nuts",
    "almonds": "nuts",
    "hazelnut": "nuts",
    "hazelnuts": "nuts",
    "walnut": "nuts",
    "walnuts": "nuts",
    "pistachio": "nuts",
    "cashew": "nuts",
    "cashews": "nuts",
    "pecan": "nuts",
    "orgeat": "nuts",
    "amaretto": "nuts",
    "gluten": "gluten",
    "wheat": "gluten",
    "barley": "gluten",
    "caffeine": "caffeine",
    "caffeinated": "caffeine",
    "coffee": "caffeine",
    "espresso": "caffeine",
    "decaf": "caffeine",
    "meat": "meat",
    "fish": "meat",
    "gelatin": "meat",
    "gelatine": "meat",
    "sugar": "sugar",
    "sugary": "sugar",
    "animal": "animal",
    "gin": "spirit:gin",
    "vodka": "spirit:vodka",
    "rum": "spirit:rum",
    "whisky": "spirit:whisky",
    "whiskey": "spirit:whisky",
    "bourbon": "spirit:whisky",
    "scotch": "spirit:whisky",
    "rye": "spirit:whisky",
    "tequila": "spirit:tequila",
    "mezcal": "spirit:mezcal",
    "brandy": "spirit:brandy",
    "cognac": "spirit:brandy",
    "pisco": "spirit:pisco",
    "cachaca": "spirit:cachaca",
    "cachaça": "spirit:cachaca",
    "liqueur": "spirit:liqueur",
    "liqueurs": "spirit:liqueur",
    "vermouth": "spirit:vermouth",
    "wine": "spirit:wine",
    "prosecco": "spirit:wine",
    "champagne": "spirit:wine",
    "beer": "spirit:beer",
    "lager": "spirit:beer",
    "cider": "spirit:cider",
    "sake": "spirit:sake",
    "bitters": "spirit:bitters",
}
# Flavour words a guest may rule out -> the menu's tag.
FLAVOUR_WORDS: dict[str, str] = {
    "sweet": "sweet",
    "strong": "strong",
    "stiff": "strong",
    "bitter": "bitter",
    "sour": "sour",
    "tart": "sour",
    "spicy": "spicy",
    "smoky": "smoky",
    "creamy": "creamy",
    "fizzy": "sparkling",
    "bubbly": "sparkling",
    "sparkling": "sparkling",
    "fruity": "fruity",
    "citrus": "citrus",
    "citrusy": "citrus",
    "tropical": "tropical",
    "herbal": "herbal",
    "floral": "floral",
}
# A word on its own that states a diet: the fact it excludes.
DIET_WORDS: dict[str, str] = {
    "vegan": "animal",
    "plant-based": "animal",
    "vegetarian": "meat",
    "veggie": "meat",
    "coeliac": "gluten",
    "celiac": "gluten",
    "sober": "alcohol",
    "driving": "alcohol",
    "driver": "alcohol",
    "pregnant": "alcohol",
    "teetotal": "alcohol",
    "teetotaller": "alcohol",
    "teetotaler": "alcohol",
    "halal": "alcohol",
    "mocktail": "alcohol",
    "mocktails": "alcohol",
    "non-alcoholic": "alcohol",
    "nonalcoholic": "alcohol",
    "virgin": "alcohol",
    "zero-proof": "alcohol",
}
NEGATIONS = {
    "no",
    "not",
    "without",
    "avoid",
    "hate",
    "hates",
    "dislike",
    "never",
    "nothing",
    "none",
    "skip",
    "minus",
    "except",
    "allergic",
    "allergy",
    "allergies",
    "intolerant",
    "intolerance",
    "dont",
    "cant",
    "wont",
    "cannot",
    "nor",
}
# After one of these a fact word is ruled out: "nut allergy", "lactose intolerant".
AFTER = {"allergy", "allergies", "allergic", "intolerant", "intolerance", "free", "sensitivity"}
# Words between a negation and what it rules out ("I don't want anything with gin").
FILLER = {
    "a",
    "an",
    "the",
    "any",
    "anything",
    "something",
    "some",
    "with",
    "containing",
    "contains",
    "contain",
    "of",
    "to",
    "too",
    "very",
    "so",
    "overly",
    "that",
    "which",
    "much",
    "more",
    "really",
    "want",
    "like",
    "love",
    "have",
    "has",
    "having",
    "get",
    "drink",
    "drinks",
    "drinking",
    "cocktail",
    "cocktails",
    "fan",
    "big",
    "keen",
    "fond",
    "into",
    "do",
    "does",
    "made",
    "use",
    "using",
    "in",
    "it",
    "please",
    "thing",
    "things",
    "longer",
    "at",
    "all",
    "be",
    "am",
    "i",
    "im",
    "i'm",
    "me",
    "mine",
    "my",
    "for",
    "is",
    "are",
}
CONJUNCTIONS = {"or", "and", "nor"}
ARTICLES = {"a", "an", "the", "any"}
# Words that ask for nothing strong.
LIGHT_WORDS = {"light", "weak", "low-alcohol", "low-abv", "low-proof", "lighter"}
# Objects of a negation that rule nothing out ("no thanks", "not sure").
NOTHING = {
    "tonight",
    "today",
    "now",
    "anymore",
    "thanks",
    "thank",
    "problem",
    "worries",
    "idea",
    "way",
    "one",
    "sure",
    "matter",
    "more",
}
_LIFT = re.compile(
    r"\b([a-zà-ÿ-]+)(?:\s+is|'s|\s+are)\s+(?:fine|ok|okay|alright|good|allowed)\b|"
    r"\b(?:fine|ok|okay)\s+with\s+([a-zà-ÿ-]+)\b|\bi\s+can\s+(?:have|drink)\s+([a-zà-ÿ-]+)\b"
)
# "I'm not drinking tonight", "I don't drink": alcohol, not a word; "I don't drink gin" is gin.
_NOT_DRINKING = re.compile(
    r"\b(?:not|don't|dont|do not|won't|can't|cannot|never)\s+(?:be\s+)?drink(?:ing)?"
    r"(?:\s+alcohol)?(?=\s*(?:$|[,.;:!?]|and\b|but\b|so\b|tonight|today|any ?more|now|at\b|these))"
    r"|\bzero[- ]proof\b|\bon the wagon\b|\boff the (?:booze|sauce)\b"
)
_CLAUSES = re.compile(r"[,.;:!?()\n]|\bbut\b|\bthough\b|\bhowever\b")
_TOKEN = re.compile(r"[a-z0-9à-ÿ]+(?:['-][a-zà-ÿ]+)*")
_LABELS = {
    "alcohol": "alcohol-free",
    "animal": "vegan",
    "meat": "vegetarian",
    "dairy": "dairy-free",
    "egg": "egg-free",
    "nuts": "nut-free",
    "gluten": "gluten-free",
    "caffeine": "caffeine-free",
    "honey": "honey-free",
    "sugar": "free of added sugar",
}
_HAS = {
    "alcohol": "alcohol",
    "animal": "animal products",
    "meat": "meat or fish",
    "dairy": "dairy",
    "egg": "egg",
    "nuts": "nuts",
    "gluten": "gluten",
    "caffeine": "caffeine",
    "honey": "honey",
    "sugar": "sugar",
}
_ANIMAL = {"dairy", "egg", "honey", "meat", "animal"}


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower().replace("\u2019", "'").replace("\u2018", "'")
    return text


def tokens(text: str) -> list[str]:
    out = []
    for token in _TOKEN.findall(text):
        if token.endswith("n't"):
            token = token[:-3].replace("'", "") + "nt"  # don't -> dont, can't -> cant
            token = {"wo": "wont", "ca": "cant"}.get(token[:-2], token)
        out.append(token)
    return out


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("es") and word[:-2].endswith(("ch", "sh", "ss")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _key_of(word: str) -> str | None:
    """The constraint a ruled-out word stands for, or None for a word that rules out nothing."""
    word = word.strip("'-")
    if word.endswith("-free"):
        word = word[: -len("-free")]
    if word in FACT_WORDS:
        return "fact:" + FACT_WORDS[word]
    if word in FLAVOUR_WORDS:
        return "flavour:" + FLAVOUR_WORDS[word]
    if word in DIET_WORDS:
        return "fact:" + DIET_WORDS[word]
    if word in NOTHING or len(word) < 3 or word.isdigit():
        return None
    return "word:" + _singular(word)


@dataclass(frozen=True)
class Constraints:
    """What the guest ruled out, as keys `fact:<tag>`, `flavour:<tag>`, `word:<word>`; and
    what a later message allowed again (`lifts`, applied by `merge`)."""

    excludes: frozenset[str] = frozenset()
    lifts: frozenset[str] = frozenset()

    @classmethod
    def from_text(cls, text: str) -> Constraints:
        text = normalise(text)
        text = re.sub(r"\b(?:anything|everything|any)\s+but\b", " except ", text)
        text = re.sub(r"\blow (alcohol|abv|proof)\b", r"low-\1", text)
        text = re.sub(r"\bno-", "no ", text)
        text = re.sub(r"\b(?:alcohol|booze)[- ]free\b", " sober ", text)
        text = re.sub(r"\bdesignated driver\b", " driver ", text)
        text = _NOT_DRINKING.sub(" sober ", text)
        text = re.sub(r"\bplant based\b", " plant-based ", text)
        excludes: set[str] = set()
        lifts: set[str] = set()
        for match in _LIFT.finditer(text):
            word = next(g for g in match.groups() if g)
            key = _key_of(word)
            if key:
                lifts.add(key)
        for clause in _CLAUSES.split(text):
            cls._clause(tokens(clause), excludes, lifts)
        return cls(frozenset(excludes - lifts), frozenset(lifts))

    @staticmethod
    def _clause(words: list[str], excludes: set[str], lifts: set[str]) -> None:
        i, n = 0, len(words)
        while i < n:
            word = words[i]
            if word in AFTER and i > 0 and words[i - 1] in FACT_WORDS:  # "nut allergy"
                excludes.add("fact:" + FACT_WORDS[words[i - 1]])
                i += 1
                continue
            if word in NEGATIONS:
                objects, i = _objects(words, i + 1)
                for obj in objects:
                    if obj in DIET_WORDS:  # "I'm not vegan (any more)"
                        lifts.add("fact:" + DIET_WORDS[obj])
                    elif obj in LIGHT_WORDS:
                        continue
                    elif key := _key_of(obj):
                        excludes.add(key)
                continue
            if word in LIGHT_WORDS:
                excludes.add("flavour:strong")
            elif (word in DIET_WORDS or word.endswith("-free")) and (key := _key_of(word)):
                excludes.add(key)
            i += 1

    @classmethod
    def of(cls, *keys: str) -> Constraints:
        return cls(frozenset(keys))

    def merge(self, later: Constraints) -> Constraints:
        """This, then a later message: what it allows again is lifted, what it rules out added."""
        return Constraints((self.excludes - later.lifts) | later.excludes, later.lifts)

    def __bool__(self) -> bool:
        return bool(self.excludes)

    def __or__(self, other: Constraints) -> Constraints:
        return Constraints(self.excludes | other.excludes, self.lifts | other.lifts)

    @property
    def facts(self) -> frozenset[str]:
        return frozenset(k[5:] for k in self.excludes if k.startswith("fact:"))

    @property
    def flavours(self) -> frozenset[str]:
        return frozenset(k[8:] for k in self.excludes if k.startswith("flavour:"))

    @property
    def words(self) -> frozenset[str]:
        return frozenset(k[5:] for k in self.excludes if k.startswith("word:"))

    @property
    def no_alcohol(self) -> bool:
        return "alcohol" in self.facts

    def describe(self) -> list[str]:
        """Each constraint as a guest would say it, in a stable order."""
        out = [_LABELS.get(f) or f"without {f.split(':', 1)[-1]}" for f in sorted(self.facts)]
        out += [f"not {'too sweet' if t == 'sweet' else t}" for t in sorted(self.flavours)]
        out += [f"without {w}" for w in sorted(self.words)]
        return out

    def to_json(self) -> list[str]:
        return sorted(self.excludes)


def from_conversation(user_turns: Iterable[str]) -> Constraints:
    """Everything the guest ruled out over the conversation, oldest first (later wins)."""
    result = Constraints()
    for text in user_turns:
        result = result.merge(Constraints.from_text(text))
    return result


def _objects(words: list[str], j: int) -> tuple[list[str], int]:
    """What a negation at j-1 rules out: one word after any filler, then more joined by
    and/or ("no gin or vodka"); and where scanning stopped."""
    objects: list[str] = []
    n = len(words)
    while j < n and (words[j] in FILLER or words[j] in NEGATIONS):
        j += 1
    while j < n:
        objects.append(words[j])
        j += 1
        if j < n and words[j] in CONJUNCTIONS:
            k = j + 1
            while k < n and words[k] in ARTICLES:
                k += 1
            if k < n and words[k] not in FILLER and words[k] not in NEGATIONS:
                j = k
                continue
        break
    return objects, j


def _words_of(text: str) -> set[str]:
    found = set(tokens(normalise(text)))
    return found | {_singular(w) for w in found}


def _naming(drink: MenuDrink, fact: str) -> str | None:
    """An ingredient of the drink that the guest would recognise as `fact`, if any."""
    wanted = {fact} if fact != "animal" else _ANIMAL
    for ingredient in drink.ingredients:
        if any(FACT_WORDS.get(w) in wanted for w in _words_of(ingredient)):
            return ingredient.lower()
    return None


def violates(drink: MenuDrink, constraints: Constraints) -> str | None:
    """Why the drink breaks the constraints ("it has honey syrup"), or None when it does not."""
    for fact in sorted(constraints.facts):
        hit = fact in drink.contains or (fact == "animal" and drink.contains & _ANIMAL)
        if hit:
            named = _naming(drink, fact)
            what = named or _HAS.get(fact) or fact.split(":", 1)[-1]
            return f"it has {what}"
    if constraints.facts and drink.unknown_ingredients:
        unknown = ", ".join(i.lower() for i in drink.unknown_ingredients[:2])
        return f"it has {unknown}, which we can't vouch for"
    for flavour in sorted(constraints.flavours):
        if flavour in drink.tags:
            return f"it is {flavour}"
    if constraints.words:
        name_words = _words_of(drink.name)
        for word in sorted(constraints.words):
            if word in name_words:
                return f"it is the {drink.name}"
            for ingredient in drink.ingredients:
                if word in _words_of(ingredient):
                    return f"it has {ingredient.lower()}"
    return None


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def nothing_fits(menu: list[MenuDrink], constraints: Constraints) -> str:
    """Why nothing was put forward, and what would fit: "Nothing on tonight's menu is vegan and
    nut-free; the X is vegan but it has almonds."""
    drinks = [d for d in menu if d.orderable]
    if not drinks:
        return "Nothing can be ordered right now; ask the bartender what is coming back."
    keys = sorted(constraints.excludes)
    singles = {k: Constraints.of(k) for k in keys}
    # only what actually rules something out is worth telling the guest about
    binding = [k for k in keys if any(violates(d, singles[k]) for d in drinks)] or keys
    said = [singles[k].describe()[0] for k in binding]
    note = f"Nothing on tonight's menu is {_join(said)}."

    def broken(d: MenuDrink) -> list[str]:
        return [k for k in binding if violates(d, singles[k])]

    closest = min(drinks, key=lambda d: (len(broken(d)), d.name.lower()))
    kept = [singles[k].describe()[0] for k in binding if k not in broken(closest)]
    why = violates(closest, Constraints(frozenset(broken(closest)))) or ""
    if kept:
        note += f" The {closest.name} is {_join(kept)}, but {why}."
    else:
        note += f" The {closest.name} comes closest, but {why}."
    return note
