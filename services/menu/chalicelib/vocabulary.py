"""The ingredient vocabulary and the facts a drink's ingredients imply (ADR 0032). Pure: no SQL,
no boto3, no Chalice.

Each known ingredient maps to the fact tags guests ask about (alcohol, dairy, egg, nuts, the
spirit families…); a neutral one (ice, lime juice) maps to none and is still known. A drink's
`facts` are derived from its ingredient names and never typed by hand, and a drink with an
ingredient the vocabulary does not know is claimed suitable for nothing.

Changing what an entry means, or adding one, changes `VERSION`: stored facts of another version
are derived again (`MenuService.refresh_facts`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

VERSION = 1

ALCOHOL = "alcohol"
DAIRY = "dairy"
EGG = "egg"
HONEY = "honey"
MEAT = "meat"  # fish, meat, gelatin
ANIMAL = "animal"
NUTS = "nuts"
GLUTEN = "gluten"
CAFFEINE = "caffeine"
SUGAR = "sugar"
SPIRITS = (
    "spirit:gin",
    "spirit:vodka",
    "spirit:rum",
    "spirit:whisky",
    "spirit:tequila",
    "spirit:mezcal",
    "spirit:brandy",
    "spirit:pisco",
    "spirit:cachaca",
    "spirit:liqueur",
    "spirit:vermouth",
    "spirit:wine",
    "spirit:beer",
    "spirit:cider",
    "spirit:sake",
    "spirit:bitters",  # aromatic bitters: alcohol, in dashes
)
TAGS = (ALCOHOL, DAIRY, EGG, HONEY, MEAT, ANIMAL, NUTS, GLUTEN, CAFFEINE, SUGAR, *SPIRITS)
_ANIMAL_SOURCES = frozenset({DAIRY, EGG, HONEY, MEAT})

# What a guest can ask for (`GET /drinks?suitable_for=`), each the absence of one tag.
SUITABLE_FOR = {
    "alcohol-free": ALCOHOL,
    "vegan": ANIMAL,
    "vegetarian": MEAT,
    "dairy-free": DAIRY,
    "egg-free": EGG,
    "nut-free": NUTS,
    "gluten-free": GLUTEN,
    "caffeine-free": CAFFEINE,
}

# name → its tags, before the implications (`_implied`). Choices someone might question are in
# ADR 0032: distilled spirits are gluten-free, wine and beer are not counted as animal (fining),
# coconut is not a nut, fruit juices carry no `sugar` (that tag is added sugar), oat milk has
# gluten unless it says gluten-free, amaretto counts as nuts.
_ENTRIES: dict[str, str] = {
    # gin
    "gin": "spirit:gin",
    "london dry gin": "spirit:gin",
    "plymouth gin": "spirit:gin",
    "old tom gin": "spirit:gin sugar",
    "navy strength gin": "spirit:gin",
    "genever": "spirit:gin",
    "sloe gin": "spirit:gin spirit:liqueur sugar",
    # vodka
    "vodka": "spirit:vodka",
    "citrus vodka": "spirit:vodka",
    "vanilla vodka": "spirit:vodka",
    # rum
    "rum": "spirit:rum",
    "white rum": "spirit:rum",
    "light rum": "spirit:rum",
    "gold rum": "spirit:rum",
    "aged rum": "spirit:rum",
    "dark rum": "spirit:rum",
    "spiced rum": "spirit:rum",
    "overproof rum": "spirit:rum",
    "jamaican rum": "spirit:rum",
    "demerara rum": "spirit:rum",
    "navy rum": "spirit:rum",
    "rhum agricole": "spirit:rum",
    # whisky
    "whisky": "spirit:whisky",
    "whiskey": "spirit:whisky",
    "bourbon": "spirit:whisky",
    "rye whiskey": "spirit:whisky",
    "scotch": "spirit:whisky",
    "blended scotch": "spirit:whisky",
    "islay scotch": "spirit:whisky",
    "single malt scotch": "spirit:whisky",
    "irish whiskey": "spirit:whisky",
    "japanese whisky": "spirit:whisky",
    "canadian whisky": "spirit:whisky",
    "tennessee whiskey": "spirit:whisky",
    # agave
    "tequila": "spirit:tequila",
    "tequila blanco": "spirit:tequila",
    "tequila reposado": "spirit:tequila",
    "tequila añejo": "spirit:tequila",
    "mezcal": "spirit:mezcal",
    # brandy and its cousins
    "brandy": "spirit:brandy",
    "cognac": "spirit:brandy",
    "armagnac": "spirit:brandy",
    "calvados": "spirit:brandy",
    "apple brandy": "spirit:brandy",
    "applejack": "spirit:brandy",
    "grappa": "spirit:brandy",
    "pisco": "spirit:pisco",
    "cachaça": "spirit:cachaca",
    # other spirits
    "absinthe": "alcohol",
    "aquavit": "alcohol",
    "soju": "alcohol",
    "baijiu": "alcohol",
    # liqueurs and amari (sweetened, by definition)
    "triple sec": "spirit:liqueur sugar",
    "cointreau": "spirit:liqueur sugar",
    "orange curaçao": "spirit:liqueur sugar",
    "blue curaçao": "spirit:liqueur sugar",
    "grand marnier": "spirit:liqueur spirit:brandy sugar",
    "maraschino liqueur": "spirit:liqueur sugar",
    "elderflower liqueur": "spirit:liqueur sugar",
    "crème de cassis": "spirit:liqueur sugar",
    "crème de mûre": "spirit:liqueur sugar",
    "crème de violette": "spirit:liqueur sugar",
    "crème de menthe": "spirit:liqueur sugar",
    "crème de cacao": "spirit:liqueur sugar caffeine",
    "coffee liqueur": "spirit:liqueur sugar caffeine",
    "irish cream liqueur": "spirit:liqueur spirit:whisky dairy sugar",
    "cream liqueur": "spirit:liqueur dairy sugar",
    "rumchata": "spirit:liqueur spirit:rum dairy sugar",
    "advocaat": "spirit:liqueur egg sugar",
    "amaretto": "spirit:liqueur nuts sugar",
    "frangelico": "spirit:liqueur nuts sugar",
    "nocino": "spirit:liqueur nuts sugar",
    "drambuie": "spirit:liqueur spirit:whisky honey sugar",
    "honey liqueur": "spirit:liqueur honey sugar",
    "bénédictine": "spirit:liqueur honey sugar",
    "green chartreuse": "spirit:liqueur sugar",
    "yellow chartreuse": "spirit:liqueur sugar",
    "galliano": "spirit:liqueur sugar",
    "limoncello": "spirit:liqueur sugar",
    "sambuca": "spirit:liqueur sugar",
    "pastis": "spirit:liqueur sugar",
    "ouzo": "spirit:liqueur sugar",
    "falernum": "spirit:liqueur sugar",
    "peach schnapps": "spirit:liqueur sugar",
    "midori": "spirit:liqueur sugar",
    "aperol": "spirit:liqueur sugar",
    "campari": "spirit:liqueur sugar",
    "cynar": "spirit:liqueur sugar",
    "suze": "spirit:liqueur sugar",
    "amaro": "spirit:liqueur sugar",
    "fernet-branca": "spirit:liqueur sugar",
    "jägermeister": "spirit:liqueur sugar",
    # bitters
    "angostura bitters": "spirit:bitters",
    "orange bitters": "spirit:bitters",
    "peychaud's bitters": "spirit:bitters",
    "chocolate bitters": "spirit:bitters",
    "aromatic bitters": "spirit:bitters",
    # vermouth and aromatised wine
    "sweet vermouth": "spirit:vermouth sugar",
    "dry vermouth": "spirit:vermouth",
    "blanc vermouth": "spirit:vermouth sugar",
    "lillet blanc": "spirit:wine",
    "cocchi americano": "spirit:wine",
    # wine, beer, cider, sake
    "prosecco": "spirit:wine",
    "champagne": "spirit:wine",
    "cava": "spirit:wine",
    "sparkling wine": "spirit:wine",
    "red wine": "spirit:wine",
    "white wine": "spirit:wine",
    "rosé wine": "spirit:wine",
    "dry sherry": "spirit:wine",
    "fino sherry": "spirit:wine",
    "port": "spirit:wine",
    "madeira": "spirit:wine",
    "mead": "spirit:wine honey",
    "beer": "spirit:beer gluten",
    "lager": "spirit:beer gluten",
    "pale ale": "spirit:beer gluten",
    "ipa": "spirit:beer gluten",
    "stout": "spirit:beer gluten",
    "cider": "spirit:cider",
    "sake": "spirit:sake",
    # dairy, egg and their stand-ins
    "milk": "dairy",
    "whole milk": "dairy",
    "cream": "dairy",
    "heavy cream": "dairy",
    "double cream": "dairy",
    "single cream": "dairy",
    "half and half": "dairy",
    "whipped cream": "dairy sugar",
    "condensed milk": "dairy sugar",
    "butter": "dairy",
    "vanilla ice cream": "dairy egg sugar",
    "yogurt": "dairy",
    "eggnog": "dairy egg sugar",
    "egg white": "egg",
    "egg yolk": "egg",
    "whole egg": "egg",
    "aquafaba": "",
    "coconut cream": "",
    "coconut milk": "",
    "coconut water": "",
    "oat milk": "gluten",
    "gluten-free oat milk": "",
    "soy milk": "",
    "almond milk": "nuts",
    # honey, meat and fish
    "honey": "honey",
    "honey syrup": "honey",
    "worcestershire sauce": "meat",
    "clam juice": "meat",
    "beef bouillon": "meat",
    "gelatin": "meat",
    # coffee, tea, cocoa
    "espresso": "caffeine",
    "coffee": "caffeine",
    "cold brew": "caffeine",
    "coffee beans": "caffeine",
    "black tea": "caffeine",
    "green tea": "caffeine",
    "earl grey tea": "caffeine",
    "matcha": "caffeine",
    "chamomile tea": "",
    "rooibos tea": "",
    "cocoa powder": "caffeine",
    "chocolate": "caffeine dairy sugar",
    "cola": "caffeine sugar",
    "energy drink": "caffeine sugar",
    # syrups and sweeteners
    "sugar": "sugar",
    "sugar cube": "sugar",
    "simple syrup": "sugar",
    "rich simple syrup": "sugar",
    "demerara syrup": "sugar",
    "agave syrup": "sugar",
    "maple syrup": "sugar",
    "grenadine": "sugar",
    "ginger syrup": "sugar",
    "cinnamon syrup": "sugar",
    "vanilla syrup": "sugar",
    "caramel syrup": "sugar",
    "raspberry syrup": "sugar",
    "passion fruit syrup": "sugar",
    "elderflower cordial": "sugar",
    "lime cordial": "sugar",
    "orgeat syrup": "nuts sugar",
    "almond syrup": "nuts sugar",
    "hazelnut syrup": "nuts sugar",
    "peanut butter": "nuts",
    "cocktail cherry": "sugar",
    # mixers
    "soda water": "",
    "sparkling water": "",
    "water": "",
    "tonic water": "sugar",
    "ginger ale": "sugar",
    "ginger beer": "sugar",
    "grapefruit soda": "sugar",
    "lemonade": "sugar",
    "lemon-lime soda": "sugar",
    # juices and fruit
    "lime juice": "",
    "lemon juice": "",
    "orange juice": "",
    "grapefruit juice": "",
    "pink grapefruit juice": "",
    "pineapple juice": "",
    "cranberry juice": "sugar",
    "apple juice": "",
    "tomato juice": "",
    "passion fruit purée": "",
    "mango purée": "",
    "peach purée": "",
    "lime": "",
    "lemon": "",
    "orange": "",
    "lime wedge": "",
    "lime wheel": "",
    "lemon wedge": "",
    "lemon peel": "",
    "orange peel": "",
    "orange slice": "",
    "grapefruit peel": "",
    "pineapple wedge": "",
    "raspberries": "",
    "strawberries": "",
    "blackberries": "",
    "blueberries": "",
    "cucumber slices": "",
    "olive": "",
    "olive brine": "",
    # herbs, spices, the rest
    "ice": "",
    "crushed ice": "",
    "mint leaves": "",
    "basil leaves": "",
    "rosemary": "",
    "thyme": "",
    "celery": "",
    "ginger": "",
    "salt": "",
    "black pepper": "",
    "hot sauce": "",
    "nutmeg": "",
    "cinnamon": "",
    "cinnamon stick": "",
    "star anise": "",
    "vanilla": "",
    "chili": "",
}

# Other names for an entry: brands by their generic name, spellings without accents are
# handled by folding, plurals and "fresh …" by `_candidates`.
ALIASES: dict[str, str] = {
    "baileys": "irish cream liqueur",
    "kahlua": "coffee liqueur",
    "kahlúa": "coffee liqueur",
    "st-germain": "elderflower liqueur",
    "st germain": "elderflower liqueur",
    "angostura": "angostura bitters",
    "peychaud's": "peychaud's bitters",
    "bitters": "aromatic bitters",
    "curaçao": "orange curaçao",
    "orgeat": "orgeat syrup",
    "agave nectar": "agave syrup",
    "sugar syrup": "simple syrup",
    "gomme syrup": "simple syrup",
    "club soda": "soda water",
    "seltzer": "soda water",
    "tonic": "tonic water",
    "coke": "cola",
    "egg": "whole egg",
    "eggs": "whole egg",
    "egg whites": "egg white",
    "cream sherry": "dry sherry",
    "sherry": "dry sherry",
    "mint": "mint leaves",
    "basil": "basil leaves",
    "cucumber": "cucumber slices",
    "tabasco": "hot sauce",
    "maraschino cherry": "cocktail cherry",
    "luxardo cherry": "cocktail cherry",
    "blanco tequila": "tequila blanco",
    "reposado tequila": "tequila reposado",
    "rye": "rye whiskey",
    "rye whisky": "rye whiskey",
    "bourbon whiskey": "bourbon",
    "scotch whisky": "scotch",
    "cold brew coffee": "cold brew",
    "espresso shot": "espresso",
    "cassis": "crème de cassis",
    "chartreuse": "green chartreuse",
    "fernet": "fernet-branca",
    "lillet": "lillet blanc",
    "ginger bug": "ginger beer",
}

# Words in front of a name that change nothing about what it contains.
FILLER = ("freshly squeezed ", "fresh-squeezed ", "fresh ", "chilled ", "homemade ", "house ")
_SPACES = re.compile(r"\s+")


def normalise(name: str) -> str:
    """NFC, lower-case, trimmed, whitespace collapsed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", name).lower()).strip()


def _fold(key: str) -> str:
    """Without accents, so "creme de cacao" finds "crème de cacao"."""
    decomposed = unicodedata.normalize("NFKD", key)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _implied(tags: frozenset[str]) -> frozenset[str]:
    implied = set(tags)
    if any(t.startswith("spirit:") for t in tags):
        implied.add(ALCOHOL)
    if tags & _ANIMAL_SOURCES:
        implied.add(ANIMAL)
    return frozenset(implied)


VOCABULARY: dict[str, frozenset[str]] = {
    normalise(name): _implied(frozenset(tags.split())) for name, tags in _ENTRIES.items()
}
_FOLDED = {_fold(name): name for name in VOCABULARY}
_FOLDED_ALIASES = {_fold(normalise(a)): normalise(target) for a, target in ALIASES.items()}


def _singulars(key: str) -> list[str]:
    head, _, last = key.rpartition(" ")
    prefix = head + " " if head else ""
    forms = []
    if last.endswith("ies"):
        forms.append(last[:-3] + "y")
    if last.endswith("es"):
        forms.append(last[:-2])
    if last.endswith("s"):
        forms.append(last[:-1])
    elif last.endswith("y"):
        forms.append(last[:-1] + "ies")  # "raspberry" finds "raspberries"
    else:
        forms.append(last + "s")
    return [prefix + f for f in forms]


def _candidates(key: str) -> list[str]:
    stripped = key
    for filler in FILLER:
        stripped = stripped.removeprefix(filler)
    found = [key, stripped] if stripped != key else [key]
    return found + [s for k in found for s in _singulars(k)]


@lru_cache(maxsize=4096)
def canonical(name: str) -> str | None:
    """The vocabulary entry `name` means, or None if it is unknown."""
    for candidate in _candidates(_fold(normalise(name))):
        if candidate in _FOLDED:
            return _FOLDED[candidate]
        if candidate in _FOLDED_ALIASES:
            return _FOLDED_ALIASES[candidate]
    return None


def lookup(name: str) -> frozenset[str] | None:
    """The fact tags of an ingredient, or None if the vocabulary does not know it."""
    entry = canonical(name)
    return VOCABULARY[entry] if entry is not None else None


@dataclass(frozen=True)
class Facts:
    contains: tuple[str, ...] = ()
    unknown_ingredients: tuple[str, ...] = ()
    suitable_for: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "contains": list(self.contains),
            "unknown_ingredients": list(self.unknown_ingredients),
            "suitable_for": list(self.suitable_for),
        }


def derive_facts(ingredient_names: Iterable[str]) -> Facts:
    """What a drink made of these ingredients contains, which of them the vocabulary does not
    know (as written), and which diets it suits: none at all if any ingredient is unknown."""
    contains: set[str] = set()
    unknown: dict[str, None] = {}
    for name in ingredient_names:
        tags = lookup(name)
        if tags is None:
            unknown.setdefault(name, None)
        else:
            contains |= tags
    suitable = (
        ()
        if unknown
        else tuple(sorted(diet for diet, tag in SUITABLE_FOR.items() if tag not in contains))
    )
    return Facts(tuple(sorted(contains)), tuple(unknown), suitable)


def entries() -> list[dict[str, Any]]:
    """The vocabulary as `GET /ingredients` serves it: by name, each with its tags sorted."""
    return [{"name": name, "contains": sorted(VOCABULARY[name])} for name in sorted(VOCABULARY)]
