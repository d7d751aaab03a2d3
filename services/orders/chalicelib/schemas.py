"""The orders API contract: request models validated at the boundary, response shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from barkeep.schemas import DisplayText, SingleLine
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
)

from chalicelib.domain import Cursor, PageRequest

StatusName = Literal["pending", "preparing", "ready", "served", "cancelled"]
Notes = Annotated[str, StringConstraints(max_length=200), DisplayText]
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


def _a_cursor(text: str) -> str:
    Cursor.decode(text)  # BadCursor is a ValueError: a 400 on the field `cursor`
    return text


CursorText = Annotated[
    str,
    StringConstraints(max_length=200),
    AfterValidator(_a_cursor),
    Field(description="`next_cursor` of the previous page; absent for the first page"),
]


PageSize = Annotated[int, Field(ge=1, le=500)]


class Paged(BaseModel):
    """A page of a list (ADR 0021): at most `limit` orders after `cursor`."""

    model_config = ConfigDict(defer_build=True)

    limit: PageSize = 50
    cursor: CursorText | None = None

    def page(self) -> PageRequest:
        return PageRequest(self.limit, Cursor.decode(self.cursor) if self.cursor else None)


class MyOrdersQuery(Paged):
    pass


class AdminOrdersQuery(Paged):
    limit: PageSize = 200
    status: list[StatusName] = []
    since: AwareDatetime | None = None


class CloseOut(Strict):
    before: Annotated[
        AwareDatetime | None,
        Field(description="close out orders created before this moment (default and at most: now)"),
    ] = None


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
    closed_out: bool


class OrderResponse(Shape):
    order: OrderOut


class OrdersResponse(Shape):
    orders: list[OrderOut]
    next_cursor: Annotated[
        str | None, Field(description="the next page's `cursor`; null: this is the last page")
    ]


class ClosedOutResponse(Shape):
    closed: int
    complete: Annotated[
        bool, Field(description="false: time ran out first; close out again for the rest")
    ]


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
