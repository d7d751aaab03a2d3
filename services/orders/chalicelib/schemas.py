"""The orders API contract: request models validated at the boundary, response shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from barkeep.schemas import MultiLine, SingleLine
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

StatusName = Literal["pending", "preparing", "ready", "served", "cancelled"]
Notes = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), MultiLine]
IdempotencyKey = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), SingleLine
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Shape(BaseModel):
    """Response shapes: documentation for OpenAPI, never on the request path."""

    model_config = ConfigDict(defer_build=True)


class PlaceOrder(Strict):
    drink_id: UUID
    quantity: Annotated[int, Field(ge=1, le=3)] = 1
    notes: Notes = ""


class ChangeStatus(Strict):
    status: StatusName


class AdminOrdersQuery(BaseModel):
    model_config = ConfigDict(defer_build=True)

    status: list[StatusName] = []
    since: AwareDatetime | None = None


class OrderOut(Shape):
    id: UUID
    user_key: UUID
    username: str
    drink_id: UUID
    drink_name: str
    quantity: int
    notes: str
    status: StatusName
    created_at: datetime
    updated_at: datetime
    ready_at: datetime | None
    completed_at: datetime | None


class OrderResponse(Shape):
    order: OrderOut


class OrdersResponse(Shape):
    orders: list[OrderOut]


class DrinkCount(Shape):
    drink_id: UUID
    drink_name: str
    count: int


class HourCount(Shape):
    hour: datetime
    count: int


class StatsResponse(Shape):
    total: int
    today: int
    by_status: dict[StatusName, int]
    by_drink: list[DrinkCount]
    avg_seconds_to_ready: float | None
    per_hour: list[HourCount]
    recent: list[OrderOut]
