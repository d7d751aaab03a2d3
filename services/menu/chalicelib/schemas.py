"""The menu API contract: request models (validated at the boundary) and response shapes.

OpenAPI (`GET /openapi.json`) is generated from these models.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, TypeVar
from uuid import UUID

from barkeep.schemas import BlankIsNone, DisplayName, DisplayText
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

# Everything here is read by guests on their phones (ADR 0027). Filters follow the rule of
# the text they match, so a search typed in NFD finds the name stored in NFC.
Name = Annotated[str, StringConstraints(min_length=1, max_length=100), DisplayName]
Step = Annotated[str, StringConstraints(min_length=1, max_length=500), DisplayText]
TagFilter = Annotated[str, StringConstraints(min_length=1, max_length=30), DisplayName]
Tag = Annotated[TagFilter, AfterValidator(str.lower)]
SectionDescription = Annotated[str, StringConstraints(max_length=500), DisplayText]
DrinkDescription = Annotated[str, StringConstraints(max_length=1000), DisplayText]
DisplayOrder = Annotated[int, Field(ge=-1_000_000, le=1_000_000)]
Amount = Annotated[float, Field(ge=0, le=10_000, allow_inf_nan=False)]
Unit = Literal["cl", "ml", "dash", "piece", "barspoon", "top"]
ImageType = Literal["image/jpeg", "image/png", "image/webp"]
ImageUrl = Annotated[str, Field(max_length=2048, pattern=r"^https?://[^\s\x00-\x1f]+$")]
PatchT = TypeVar("PatchT", bound=BaseModel)
# chalicelib.vocabulary.SUITABLE_FOR's keys (a test keeps them equal)
Diet = Literal[
    "alcohol-free",
    "vegan",
    "vegetarian",
    "dairy-free",
    "egg-free",
    "nut-free",
    "gluten-free",
    "caffeine-free",
]


class Strict(BaseModel):
    # defer_build: validators are built on first use, not at import (cold start).
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Shape(BaseModel):
    """Response shapes: documentation for OpenAPI, never on the request path."""

    model_config = ConfigDict(defer_build=True)


class IngredientIn(Strict):
    name: Name
    amount: Amount | None = None
    unit: Unit | None = None


class SectionCreate(Strict):
    name: Name
    description: SectionDescription = ""
    display_order: DisplayOrder = 0


class SectionPatch(Strict):
    name: Name | None = None
    description: SectionDescription | None = None
    display_order: DisplayOrder | None = None

    @model_validator(mode="after")
    def _no_nulls(self) -> SectionPatch:
        return _reject_nulls(self, nullable=set())


class DrinkCreate(Strict):
    section_id: UUID
    name: Name
    description: DrinkDescription = ""
    ingredients: Annotated[list[IngredientIn], Field(min_length=1, max_length=20)]
    recipe_steps: Annotated[list[Step], Field(max_length=20)] = []
    tags: Annotated[list[Tag], Field(max_length=10)] = []
    image_url: ImageUrl | None = None
    is_active: bool = True
    sold_out: bool = False


class DrinkPatch(Strict):
    section_id: UUID | None = None
    name: Name | None = None
    description: DrinkDescription | None = None
    ingredients: Annotated[list[IngredientIn], Field(min_length=1, max_length=20)] | None = None
    recipe_steps: Annotated[list[Step], Field(max_length=20)] | None = None
    tags: Annotated[list[Tag], Field(max_length=10)] | None = None
    image_url: ImageUrl | None = None
    is_active: bool | None = None
    sold_out: bool | None = None

    @model_validator(mode="after")
    def _no_nulls(self) -> DrinkPatch:
        return _reject_nulls(self, nullable={"image_url"})


class ImageUploadRequest(Strict):
    content_type: ImageType = "image/jpeg"


def _comma_separated(value: Any) -> Any:
    """`?suitable_for=vegan&suitable_for=nut-free` and `?suitable_for=vegan,nut-free` alike."""
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        return value
    split = [part.strip().lower() for v in values for part in v.split(",")]
    return list(dict.fromkeys(part for part in split if part))


class DrinkQuery(BaseModel):
    model_config = ConfigDict(defer_build=True)

    section_id: UUID | None = None
    ingredient: Annotated[Name | None, BlankIsNone] = None
    tag: Annotated[TagFilter | None, BlankIsNone] = None
    q: Annotated[Name | None, BlankIsNone] = None
    suitable_for: Annotated[
        list[Diet],
        BeforeValidator(_comma_separated),
        Field(
            max_length=8,
            description="diets every drink listed must suit (repeatable or comma-separated)",
        ),
    ] = []


def _reject_nulls(model: PatchT, *, nullable: set[str]) -> PatchT:
    sent = model.model_fields_set
    if not sent:
        raise ValueError("Send at least one field to change")
    nulls = [f for f in sent if getattr(model, f) is None and f not in nullable]
    if nulls:
        raise ValueError(f"These fields may not be null: {', '.join(sorted(nulls))}")
    return model


# Response shapes (documentation of what the routes return).
class IngredientOut(Shape):
    name: str
    amount: float | None
    unit: Unit | None


class FactsOut(Shape):
    """Derived from the ingredients by the vocabulary (GET /ingredients), never typed."""

    contains: Annotated[list[str], Field(description="fact tags, sorted (alcohol, egg, …)")]
    unknown_ingredients: Annotated[
        list[str], Field(description="ingredients the vocabulary does not know, as written")
    ]
    suitable_for: Annotated[
        list[Diet], Field(description="sorted; empty whenever an ingredient is unknown")
    ]


class VocabularyEntryOut(Shape):
    name: str
    contains: list[str]


class IngredientsResponse(Shape):
    ingredients: list[VocabularyEntryOut]


class SectionOut(Shape):
    id: UUID
    name: str
    description: str
    display_order: int


class DrinkOut(Shape):
    id: UUID
    section_id: UUID
    name: str
    description: str
    ingredients: list[IngredientOut]
    recipe_steps: list[str]
    tags: list[str]
    image_url: str | None
    is_active: bool
    sold_out: Annotated[
        bool, Field(description="still on the menu, marked; orders refuses it (409 sold_out)")
    ]
    facts: FactsOut
    created_at: datetime
    updated_at: datetime


class SectionResponse(Shape):
    section: SectionOut


class SectionsResponse(Shape):
    sections: list[SectionOut]


class DrinkResponse(Shape):
    drink: DrinkOut


class DrinksResponse(Shape):
    drinks: list[DrinkOut]


class PresignedPost(Shape):
    url: str
    fields: dict[str, str]


class ImageUploadResponse(Shape):
    upload: PresignedPost
    image_url: str
    expires_in: int
