"""The menu API contract: request models (validated at the boundary) and response shapes.

OpenAPI (`GET /openapi.json`) is generated from these models.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from barkeep.schemas import Line, OptionalLine, Text

Unit = Literal["cl", "ml", "dash", "piece", "barspoon", "top"]
ImageType = Literal["image/jpeg", "image/png", "image/webp"]
Tag = Annotated[Line(1, 30), AfterValidator(str.lower)]
ImageUrl = Annotated[str, Field(max_length=2048, pattern=r"^https?://[^\s\x00-\x1f]+$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class IngredientIn(Strict):
    name: Line(1, 100)
    amount: Annotated[float, Field(ge=0, le=10_000, allow_inf_nan=False)] | None = None
    unit: Unit | None = None


class SectionCreate(Strict):
    name: Line(1, 100)
    description: Text(0, 500) = ""
    display_order: Annotated[int, Field(ge=-1_000_000, le=1_000_000)] = 0


class SectionPatch(Strict):
    name: Line(1, 100) | None = None
    description: Text(0, 500) | None = None
    display_order: Annotated[int, Field(ge=-1_000_000, le=1_000_000)] | None = None

    @model_validator(mode="after")
    def _no_nulls(self) -> SectionPatch:
        return _reject_nulls(self, nullable=set())


class DrinkCreate(Strict):
    section_id: UUID
    name: Line(1, 100)
    description: Text(0, 1000) = ""
    ingredients: Annotated[list[IngredientIn], Field(min_length=1, max_length=20)]
    recipe_steps: Annotated[list[Text(1, 500)], Field(max_length=20)] = []
    tags: Annotated[list[Tag], Field(max_length=10)] = []
    image_url: ImageUrl | None = None
    is_active: bool = True


class DrinkPatch(Strict):
    section_id: UUID | None = None
    name: Line(1, 100) | None = None
    description: Text(0, 1000) | None = None
    ingredients: Annotated[list[IngredientIn], Field(min_length=1, max_length=20)] | None = None
    recipe_steps: Annotated[list[Text(1, 500)], Field(max_length=20)] | None = None
    tags: Annotated[list[Tag], Field(max_length=10)] | None = None
    image_url: ImageUrl | None = None
    is_active: bool | None = None

    @model_validator(mode="after")
    def _no_nulls(self) -> DrinkPatch:
        return _reject_nulls(self, nullable={"image_url"})


class ImageUploadRequest(Strict):
    content_type: ImageType = "image/jpeg"


class DrinkQuery(BaseModel):
    section_id: UUID | None = None
    ingredient: OptionalLine(100) = None
    tag: OptionalLine(30) = None
    q: OptionalLine(100) = None


def _reject_nulls(model: Any, *, nullable: set[str]) -> Any:
    sent = model.model_fields_set
    if not sent:
        raise ValueError("Send at least one field to change")
    nulls = [f for f in sent if getattr(model, f) is None and f not in nullable]
    if nulls:
        raise ValueError(f"These fields may not be null: {', '.join(sorted(nulls))}")
    return model


# Response shapes (documentation of what the routes return).
class IngredientOut(BaseModel):
    name: str
    amount: float | None
    unit: Unit | None


class SectionOut(BaseModel):
    id: UUID
    name: str
    description: str
    display_order: int


class DrinkOut(BaseModel):
    id: UUID
    section_id: UUID
    name: str
    description: str
    ingredients: list[IngredientOut]
    recipe_steps: list[str]
    tags: list[str]
    image_url: str | None
    is_active: bool
    created_at: datetime
    updated_at: datetime


class SectionResponse(BaseModel):
    section: SectionOut


class SectionsResponse(BaseModel):
    sections: list[SectionOut]


class DrinkResponse(BaseModel):
    drink: DrinkOut


class DrinksResponse(BaseModel):
    drinks: list[DrinkOut]


class PresignedPost(BaseModel):
    url: str
    fields: dict[str, str]


class ImageUploadResponse(BaseModel):
    upload: PresignedPost
    image_url: str
    expires_in: int
