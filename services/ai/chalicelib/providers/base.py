"""The one provider interface. Implementations: `offline` (no network, deterministic: real
scoring of the menu) and `bedrock` (Amazon Bedrock's Converse API). Services never trust a
provider's drink ids: every id is checked against the live menu before it leaves the service."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


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

    @property
    def orderable(self) -> bool:
        """What a guest can order now: the only drinks the AI may put forward."""
        return self.is_active and not self.sold_out

    @property
    def is_alcoholic(self) -> bool:
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


class ProviderError(Exception):
    """The provider could not answer (throttled, timed out, malformed reply); callers fall
    back to the offline provider and log it, never a 5xx."""


class Provider(Protocol):
    name: str

    def recommend(
        self, preferences: str, menu: list[MenuDrink], *, exclude_alcohol: bool, limit: int = 3
    ) -> list[Recommendation]: ...

    def chat(self, history: list[Turn], message: str, tools: MenuTools) -> ChatReply: ...

    def image_prompt(self, drink: MenuDrink) -> ImagePrompt: ...

    def image(self, prompt: ImagePrompt) -> tuple[bytes, bool]:
        """PNG bytes, and whether it is a placeholder (offline) rather than a real image."""
        ...


@dataclass(frozen=True)
class ModelIds:
    text: str = "amazon.nova-pro-v1:0"
    image: str = "amazon.nova-canvas-v1:0"
    extra: dict[str, str] = field(default_factory=dict)
