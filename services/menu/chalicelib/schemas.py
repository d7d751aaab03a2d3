"""The menu API contract: request models (validated at the boundary) and response shapes.

OpenAPI (`GET /openapi.json`) is generated from these models.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, TypeVar
from uuid import UUID

from barkeep.schemas import BlankIsNone, DisplayName, DisplayText
from pydantic import (
    AfterValidator,
    BaseModel,
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


class DrinkQuery(BaseModel):
    model_config = ConfigDict(defer_build=True)

    section_id: UUID | None = None
    ingredient: Annotated[Name | None, BlankIsNone] = None
    tag: Annotated[TagFilter | None, BlankIsNone] = None
    q: Annotated[Name | None, BlankIsNone] = None


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
