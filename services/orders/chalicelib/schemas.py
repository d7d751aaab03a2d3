"""The orders API contract: request models validated at the boundary, response shapes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from barkeep.schemas import DisplayText, SingleLine
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from chalicelib.domain import Cursor, Ordering, PageRequest
from chalicelib.webpush import browser_key, unb64url

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


class BatchChangeStatus(Strict):
    order_ids: Annotated[list[UUID], Field(min_length=1, max_length=50)]
    status: StatusName

    @field_validator("order_ids")
    @classmethod
    def _unique(cls, ids: list[UUID]) -> list[UUID]:
        if len(set(ids)) != len(ids):
            raise ValueError("each order may be named once")
        return ids


def _a_plausible_moment(moment: datetime) -> datetime:
    # Every screen shows it as a time tonight: a moment datetime cannot hold in UTC (year 1 at
    # +01:00) or one from another era is a typo, and stored it would break every read.
    if not EARLIEST <= moment <= LATEST:
        raise ValueError("must be a time between the years 2000 and 2999")
    return moment


EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2999, 12, 31, tzinfo=UTC)
OrderingName = Literal["open", "last_call", "paused"]
BarMessage = Annotated[str, StringConstraints(max_length=200), DisplayText]
WaitWarn = Annotated[int, Field(ge=60, le=3600)]
WaitLate = Annotated[int, Field(ge=61, le=7200)]


class BarPatch(Strict):
    ordering: OrderingName | None = None
    message: BarMessage | None = None
    reopens_at: Annotated[AwareDatetime, AfterValidator(_a_plausible_moment)] | None = None
    wait_warn_seconds: WaitWarn | None = None
    wait_late_seconds: Annotated[
        WaitLate | None, Field(description="more than wait_warn_seconds, at most 7200")
    ] = None

    @model_validator(mode="after")
    def _no_nulls(self) -> BarPatch:
        sent = self.model_fields_set
        if not sent:
            raise ValueError("Send at least one field to change")
        nulls = [f for f in sent if getattr(self, f) is None and f != "reopens_at"]
        if nulls:
            raise ValueError(f"These fields may not be null: {', '.join(sorted(nulls))}")
        return self

    def changes(self) -> dict[str, Any]:
        out: dict[str, Any] = {f: getattr(self, f) for f in self.model_fields_set}
        if "ordering" in out:
            out["ordering"] = Ordering(out["ordering"])
        return out


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


def _point(value: str) -> str:
    try:
        browser_key(unb64url(value))
    except ValueError:
        raise ValueError("an uncompressed P-256 public key, base64url (65 bytes)") from None
    return value


def _secret(value: str) -> str:
    try:
        if len(unb64url(value)) == 16:
            return value
    except ValueError:
        pass
    raise ValueError("16 bytes, base64url")


Endpoint = Annotated[str, StringConstraints(min_length=1, max_length=2000), SingleLine]


class PushKeys(Strict):
    p256dh: Annotated[
        str,
        StringConstraints(max_length=100),
        AfterValidator(_point),
        Field(description="the browser's P-256 public key, base64url"),
    ]
    auth: Annotated[
        str,
        StringConstraints(max_length=30),
        AfterValidator(_secret),
        Field(description="the browser's 16-byte authentication secret, base64url"),
    ]


class PushSubscribe(Strict):
    """`PushSubscription.toJSON()`'s `endpoint` and `keys`."""

    endpoint: Annotated[Endpoint, Field(description="an https URL of a browser's push service")]
    keys: PushKeys


class PushUnsubscribe(Strict):
    endpoint: Endpoint


class PushKeyResponse(Shape):
    public_key: Annotated[
        str,
        Field(description="the stage's VAPID public key, base64url: `applicationServerKey`"),
    ]


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
    number: Annotated[
        int | None, Field(description="1-999, the night's short number; null: placed before them")
    ]
    started_at: Annotated[datetime | None, Field(description="when it last went to preparing")]


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


class BatchError(Shape):
    code: str
    message: str


class BatchFailure(Shape):
    id: UUID
    error: BatchError


class BatchResponse(Shape):
    orders: Annotated[list[OrderOut], Field(description="the orders that moved")]
    failed: Annotated[list[BatchFailure], Field(description="the ones that did not, and why")]


class BarOut(Shape):
    ordering: OrderingName
    message: str
    reopens_at: datetime | None
    wait_warn_seconds: int
    wait_late_seconds: int
    updated_at: Annotated[datetime | None, Field(description="null: never changed")]


class BarResponse(Shape):
    bar: BarOut


class DrinkCount(Shape):
    drink_id: UUID
    drink_name: str
    count: Annotated[int, Field(description="orders")]
    drinks: Annotated[int, Field(description="drinks: the orders' quantities summed")]


class HourCount(Shape):
    hour: datetime
    count: int


class StatsResponse(Shape):
    total: int
    today: int
    drinks_total: int
    drinks_today: int
    by_status: dict[StatusName, int]
    by_drink: list[DrinkCount]
    avg_seconds_to_ready: float | None
    per_hour: list[HourCount]
    recent: list[OrderOut]
