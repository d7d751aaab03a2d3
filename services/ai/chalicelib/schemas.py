"""The ai API contract: request models validated at the boundary, response shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from barkeep.schemas import DisplayText
from pydantic import BaseModel, ConfigDict, StringConstraints

# Only the guest and the model read these, but the model is a reader too: invisible tag
# characters are how a pasted text hides instructions from the person (ADR 0027).
Preferences = Annotated[str, StringConstraints(min_length=1, max_length=500), DisplayText]
Message = Annotated[str, StringConstraints(min_length=1, max_length=1000), DisplayText]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Shape(BaseModel):
    model_config = ConfigDict(defer_build=True)


class RecommendRequest(Strict):
    preferences: Preferences
    exclude_alcohol: bool = False


class ChatRequest(Strict):
    message: Message
    conversation_id: UUID | None = None


class RecommendationOut(Shape):
    drink_id: UUID
    name: str
    reason: str


Engine = Literal["offline", "bedrock"]


class RecommendationsResponse(Shape):
    # 0 items only when the guest's stated constraints rule out every drink; `note` says what
    # could not be met and what would fit (ADR 0033). `engine` is the provider that answered.
    recommendations: list[RecommendationOut]
    engine: Engine
    note: str | None


class SuggestedDrink(Shape):
    drink_id: UUID
    name: str


class ChatResponse(Shape):
    conversation_id: UUID
    reply: str
    suggested_drinks: list[SuggestedDrink]
    engine: Engine


class ChatMessageOut(Shape):
    role: Literal["user", "assistant"]
    text: str
    suggested_drinks: list[SuggestedDrink]
    created_at: datetime


class ConversationResponse(Shape):
    conversation_id: UUID
    messages: list[ChatMessageOut]


class ImagePromptResponse(Shape):
    drink_id: UUID
    prompt: str
    negative_prompt: str
    model_id: str
    generated_at: datetime
