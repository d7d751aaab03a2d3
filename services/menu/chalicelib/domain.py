"""Menu entities and their pure rules. No SQL, no boto3, no Chalice."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from barkeep.events import isoformat

from chalicelib.vocabulary import Facts, derive_facts

UNITS = ("cl", "ml", "dash", "piece", "barspoon", "top")


@dataclass(frozen=True)
class Ingredient:
    name: str
    amount: float | None = None
    unit: str | None = None

    def to_json(self) -> dict[str, Any]:
        amount: float | int | None = self.amount
        if amount is not None and float(amount).is_integer():
            amount = int(amount)
        return {"name": self.name, "amount": amount, "unit": self.unit}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Ingredient:
        return cls(name=data["name"], amount=data.get("amount"), unit=data.get("unit"))


@dataclass(frozen=True)
class Section:
    id: str
    name: str
    description: str = ""
    display_order: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "display_order": self.display_order,
        }


@dataclass(frozen=True)
class Drink:
    id: str
    section_id: str
    name: str
    created_at: datetime
    updated_at: datetime
    description: str = ""
    ingredients: tuple[Ingredient, ...] = ()
    recipe_steps: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    image_url: str | None = None
    is_active: bool = True
    sold_out: bool = False  # on the menu, marked, and orders refuses it (ADR 0029)

    @property
    def facts(self) -> Facts:
        """Derived from the ingredients, never stored by hand (ADR 0032)."""
        return derive_facts(i.name for i in self.ingredients)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "section_id": self.section_id,
            "name": self.name,
            "description": self.description,
            "ingredients": [i.to_json() for i in self.ingredients],
            "recipe_steps": list(self.recipe_steps),
            "tags": list(self.tags),
            "image_url": self.image_url,
            "is_active": self.is_active,
            "sold_out": self.sold_out,
            "facts": self.facts.to_json(),
            "created_at": isoformat(self.created_at),
            "updated_at": isoformat(self.updated_at),
        }

    def with_changes(self, changes: dict[str, Any], now: datetime) -> Drink:
        """The drink after a partial update; `changes` holds only the fields sent."""
        converted = dict(changes)
        if "ingredients" in converted:
            converted["ingredients"] = tuple(converted["ingredients"])
        for key in ("recipe_steps", "tags"):
            if key in converted:
                converted[key] = tuple(converted[key])
        return replace(self, **converted, updated_at=now)


def normalise_tags(tags: list[str]) -> list[str]:
    """Tags are lower-case and unique, in the order first given."""
    seen: dict[str, None] = {}
    for tag in tags:
        seen.setdefault(tag.strip().lower(), None)
    return list(seen)


@dataclass(frozen=True)
class DrinkFilter:
    section_id: str | None = None
    ingredient: str | None = None
    tag: str | None = None
    text: str | None = None
    suitable_for: tuple[str, ...] = ()  # every one must hold (values of SUITABLE_FOR)
    include_inactive: bool = False


IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
MAX_IMAGE_BYTES = 5 * 1024 * 1024
