"""Barkeep ai service: photo prompts for new drinks, recommendations, the bartender chat."""

from __future__ import annotations

import json
from typing import Any

from barkeep.auth import admin_authorizer, current_guest, guest_authorizer
from barkeep.aws import client
from barkeep.events import consume, isoformat
from barkeep.http import ServiceApp, json_response
from barkeep.observability import get_logger
from chalice.app import Rate, Response, SQSEvent
from chalicelib import schemas
from chalicelib.languages import language_of
from chalicelib.settings import WORK_QUEUE
from chalicelib.wiring import ai, publisher, queue_url

app = ServiceApp("ai", title="Barkeep ai API")
admin = admin_authorizer(app)
guest = guest_authorizer(app)
log = get_logger("barkeep.ai")


def _language() -> str:
    """The guest's language, as the web app says it (Accept-Language): the model answers in it."""
    request = app.current_request
    return language_of(request.headers.get("accept-language") if request else None)


# Guests -----------------------------------------------------------------------------------
@app.route(
    "/recommendations",
    methods=["POST"],
    authorizer=guest,
    body=schemas.RecommendRequest,
    returns=schemas.RecommendationsResponse,
)
def recommendations(body: schemas.RecommendRequest) -> dict[str, Any]:
    """1-3 drinks from tonight's menu for what the guest says they like; none, with a note
    saying why and what would fit, when the guest's constraints rule out every drink."""
    result = ai().recommend(
        body.preferences, exclude_alcohol=body.exclude_alcohol, language=_language()
    )
    return {
        "recommendations": [
            {"drink_id": d.id, "name": d.name, "reason": reason} for d, reason in result.picks
        ],
        "engine": result.engine,
        "note": result.note,
    }


@app.route(
    "/chat",
    methods=["POST"],
    authorizer=guest,
    body=schemas.ChatRequest,
    returns=schemas.ChatResponse,
)
def chat(body: schemas.ChatRequest) -> dict[str, Any]:
    """Talk to the bartender; suggested drinks are real menu drinks (the web app offers
    "Order" buttons; the chat itself never orders)."""
    cid = str(body.conversation_id) if body.conversation_id else None
    result = ai().chat(current_guest(app).user_key, body.message, cid, language=_language())
    return {
        "conversation_id": result.conversation_id,
        "reply": result.reply,
        "suggested_drinks": [{"drink_id": d.id, "name": d.name} for d in result.suggested],
        "engine": result.engine,
    }


@app.route(
    "/chat/{conversation_id}",
    methods=["GET"],
    authorizer=guest,
    returns=schemas.ConversationResponse,
)
def conversation(conversation_id: str) -> dict[str, Any]:
    """The caller's own conversation, as kept (404 conversation_not_found otherwise)."""
    messages = ai().conversation(current_guest(app).user_key, conversation_id)
    return {
        "conversation_id": conversation_id,
        "messages": [
            {
                "role": m.role,
                "text": m.text,
                "suggested_drinks": [{"drink_id": d.id, "name": d.name} for d in m.suggested],
                "created_at": isoformat(m.created_at),
            }
            for m in messages
        ],
    }


# Bartender --------------------------------------------------------------------------------
@app.route(
    "/admin/drinks/{id}/image-prompt",
    methods=["GET"],
    authorizer=admin,
    returns=schemas.ImagePromptResponse,
)
def image_prompt(id: str) -> dict[str, Any]:
    """The studio-photo prompt written for a drink (404 until it has been generated)."""
    prompt, generated_at = ai().prompt(id)
    return {
        "drink_id": id,
        "prompt": prompt.prompt,
        "negative_prompt": prompt.negative_prompt,
        "model_id": prompt.model_id,
        "generated_at": isoformat(generated_at),
    }


def _queued(task: str, drink_id: str) -> Response:
    """Hand the work to this service's queue; the consumer does it (202 Accepted)."""
    client("sqs").send_message(
        QueueUrl=queue_url(), MessageBody=json.dumps({"task": task, "drink_id": drink_id})
    )
    return json_response({"drink_id": drink_id, "status": "queued"}, 202)


@app.route("/admin/drinks/{id}/image-prompt", methods=["POST"], authorizer=admin, status=202)
def regenerate_image_prompt(id: str) -> Response:
    """Write the drink's photo prompt again, in the background."""
    return _queued("image_prompt", id)


@app.route("/admin/drinks/{id}/image", methods=["POST"], authorizer=admin, status=202)
def generate_image(id: str) -> Response:
    """Render the drink's photo from its prompt, in the background; ImageGenerated follows."""
    return _queued("image", id)


# Events -----------------------------------------------------------------------------------
@app.on_sqs_message(queue=WORK_QUEUE, batch_size=10)
def on_work(event: SQSEvent) -> dict[str, Any]:
    """Drink events from the bus (via an SQS rule target) and queued tasks.

    Each record is handled on its own; failures are reported per item
    (ReportBatchItemFailures), so one bad message never blocks or repeats the others.
    """
    return consume(event, handle_work)


def handle_work(body: dict[str, Any]) -> None:
    service = ai()
    if body.get("task") == "image_prompt":
        service.generate_prompt(str(body["drink_id"]))
        return
    if body.get("task") == "image":
        service.generate_image(str(body["drink_id"]))
        return
    detail = body.get("detail")
    if not isinstance(detail, dict) or body.get("detail-type") not in (
        "DrinkCreated",
        "DrinkUpdated",
        "DrinkDeleted",
    ):
        log.info("ai ignored a message", extra={"detail_type": body.get("detail-type")})
        return
    drink = service.apply_menu_event(detail)
    if drink is not None and drink.is_active:
        service.generate_prompt(drink.id)


@app.schedule(Rate(1, unit=Rate.MINUTES))
def sweep_outbox(event: Any) -> None:
    """Republish events whose publish after commit failed."""
    publisher().sweep()
