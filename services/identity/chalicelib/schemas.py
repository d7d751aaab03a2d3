"""The identity API contract: request models validated at the boundary, response shapes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal
from uuid import UUID

from barkeep.schemas import DisplayName, DisplayText, SingleLine
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, model_validator

Username = Annotated[str, StringConstraints(min_length=2, max_length=50), DisplayName]
Notes = Annotated[str, StringConstraints(max_length=200), DisplayText]
OpaqueToken = Annotated[str, StringConstraints(min_length=1, max_length=200), SingleLine]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Shape(BaseModel):
    """Response shapes: documentation for OpenAPI, never on the request path."""

    model_config = ConfigDict(defer_build=True)


class CodeCreate(Strict):
    max_uses: Annotated[int, Field(ge=1, le=500)]
    valid_hours: Annotated[int, Field(ge=1, le=168)] = 12
    expires_at: AwareDatetime | None = None
    notes: Notes = ""

    @model_validator(mode="after")
    def _one_expiry(self) -> CodeCreate:
        if self.expires_at is not None:
            if "valid_hours" in self.model_fields_set:
                raise ValueError("Give either expires_at or valid_hours, not both")
            now = datetime.now(UTC)
            if self.expires_at <= now:
                raise ValueError("expires_at must be in the future")
            if (self.expires_at - now).total_seconds() > 168 * 3600 + 60:
                raise ValueError("expires_at must be within 168 hours")
        return self


class Register(Strict):
    username: Username


class RefreshRequest(Strict):
    refresh_token: OpaqueToken


# Response shapes --------------------------------------------------------------------------
class CodeOut(Shape):
    code: str
    join_url: str
    expires_at: datetime
    max_uses: int
    use_count: int
    status: Literal["active", "used_up", "expired", "revoked"]
    notes: str
    created_by: str
    created_at: datetime


class GuestOut(Shape):
    user_key: UUID
    username: str
    is_active: bool
    created_at: datetime


class CodeResponse(Shape):
    registration_code: CodeOut


class CodesResponse(Shape):
    registration_codes: list[CodeOut]


class GuestResponse(Shape):
    user: GuestOut


class GuestsResponse(Shape):
    guests: list[GuestOut]


class RegisterResponse(Shape):
    user: GuestOut
    access_token: str
    refresh_token: str
    token_type: Literal["Bearer"]
    expires_in: int


class RefreshResponse(Shape):
    access_token: str
    refresh_token: str
    expires_in: int


class JwksResponse(Shape):
    keys: list[dict[str, str]]
