"""The one provider interface. Implementations: `offline` (no network, deterministic: real
scoring of the menu) and `bedrock` (Amazon Bedrock's Converse API). Services never trust a
provider's drink ids: every id is checked against the live menu before it leaves the service."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from chalicelib.languages import DEFAULT as DEFAULT_LANGUAGE

if TYPE_CHECKING:
    from chalicelib.constraints import Constraints


def _strings(value: object) -> list[str] | None:
    if isinstance(value, list) and all(isinstance(x, str) for x in value):
        return value
    return None


@dataclass(frozen=True)
class DrinkFacts:
    """What the menu derived from a drink's ingredients (its vocabulary; ADR 0033): fact tags
    such as "alcohol", "egg", "spirit:gin", the ingredients it could not place, and the diets
    the drink is safe for. Never typed by hand, so the AI reads them as given."""

    contains: frozenset[str] = frozenset()
    unknown_ingredients: tuple[str, ...] = ()
    suitable_for: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, raw: object) -> DrinkFacts | None:
        """The `facts` of a Drink event, or None when absent or malformed (older events)."""
        if not isinstance(raw, dict):
            return None
        parts = [_strings(raw.get(k)) for k in ("contains", "unknown_ingredients", "suitable_for")]
        contains, unknown, suitable = parts
        if contains is None or unknown is None or suitable is None:
            return None
        return cls(frozenset(contains), tuple(unknown), frozenset(suitable))

    def to_json(self) -> dict[str, list[str]]:
        return {
            "contains": sorted(self.contains),
            "unknown_ingredients": list(self.unknown_ingredients),
            "suitable_for": sorted(self.suitable_for),
        }


@dataclass(frozen=True)
class MenuDrink:
    """The ai service's read model of one drink (built from menu's Drink events)."""

    id: str
    name: str
    description: str = ""
    ingredients: tuple[str, ...] = ()  # ingredient names
    tags: tuple[str, ...] = ()
    is_active: bool = True
    sold_out: bool = False  # on the menu tonight but not to be ordered (ADR 0029)
    facts: DrinkFacts | None = None  # None: an event from before facts (all ingredients unknown)

    @property
    def orderable(self) -> bool:
        """What a guest can order now: the only drinks the AI may put forward."""
        return self.is_active and not self.sold_out

    @property
    def contains(self) -> frozenset[str]:
        return self.facts.contains if self.facts else frozenset()

    @property
    def unknown_ingredients(self) -> tuple[str, ...]:
        """Ingredients nobody could check; without facts, every one of them."""
        return self.facts.unknown_ingredients if self.facts else self.ingredients

    @property
    def suitable_for(self) -> frozenset[str]:
        return self.facts.suitable_for if self.facts else frozenset()

    @property
    def is_alcoholic(self) -> bool:
        """From the facts (an unknown ingredient may be alcohol); the tags when there are none.
        A guest's "no alcohol" is held by constraints.violates, which never guesses."""
        if self.facts is not None:
            return "alcohol" in self.facts.contains or bool(self.facts.unknown_ingredients)
        return "non-alcoholic" not in self.tags


@dataclass(frozen=True)
class Recommendation:
    drink_id: str
    reason: str


@dataclass(frozen=True)
class Turn:
    role: str  # "user" | "assistant"
    text: str


@dataclass(frozen=True)
class ChatReply:
    text: str
    suggested_drink_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImagePrompt:
    prompt: str  # at most 300 tokens (Nova Canvas's limit); keep it under ~1,000 characters
    negative_prompt: str
    model_id: str


class MenuTools(Protocol):
    """What a model may do with the menu during a chat (a tool, not a prompt dump)."""

    def search(
        self,
        *,
        text: str = "",
        ingredient: str = "",
        tag: str = "",
        exclude_alcohol: bool = False,
        limit: int = 5,
    ) -> list[MenuDrink]: ...

    @property
    def constraints(self) -> Constraints:
        """What the guest ruled out over the conversation (search already honours it)."""
        ...

    def drinks_on_menu(self) -> list[MenuDrink]:
        """Every drink on tonight's menu, sold out ones too: for questions about the menu."""
        ...


class ProviderError(Exception):
    """The provider could not answer (throttled, timed out, malformed reply); callers fall
    back to the offline provider and log it, never a 5xx."""


class Provider(Protocol):
    name: str

    def recommend(
        self,
        preferences: str,
        menu: list[MenuDrink],
        *,
        exclude_alcohol: bool,
        limit: int = 3,
        constraints: Constraints | None = None,
        language: str = DEFAULT_LANGUAGE,
    ) -> list[Recommendation]: ...

    def chat(
        self,
        history: list[Turn],
        message: str,
        tools: MenuTools,
        *,
        language: str = DEFAULT_LANGUAGE,
    ) -> ChatReply: ...

    def image_prompt(self, drink: MenuDrink) -> ImagePrompt: ...

    def image(self, prompt: ImagePrompt) -> tuple[bytes, bool]:
        """PNG bytes, and whether it is a placeholder (offline) rather than a real image."""
        ...


@dataclass(frozen=True)
class ModelIds:
    text: str = "amazon.nova-pro-v1:0"
    image: str = "amazon.nova-canvas-v1:0"
    extra: dict[str, str] = field(default_factory=dict)
