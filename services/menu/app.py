"""Barkeep menu service: sections and drinks, public reads and the bartender's editor."""

from __future__ import annotations

from typing import Any

from barkeep.auth import admin_authorizer
from barkeep.events import consume
from barkeep.http import ServiceApp, cached_json
from chalice.app import Rate, SQSEvent
from chalicelib import schemas
from chalicelib.domain import DrinkFilter
from chalicelib.settings import EVENTS_QUEUE, menu_settings
from chalicelib.vocabulary import entries
from chalicelib.wiring import menu, publisher

app = ServiceApp("menu", title="Barkeep menu API")
admin = admin_authorizer(app)


def _public(payload: dict[str, Any] | str) -> Any:
    assert app.current_request is not None
    return cached_json(app.current_request, payload, max_age=menu_settings().public_max_age_seconds)


# Public reads -----------------------------------------------------------------------------
@app.route("/sections", methods=["GET"], returns=schemas.SectionsResponse)
def list_sections() -> Any:
    """Sections, in display order."""
    return _public({"sections": [s.to_json() for s in menu().sections()]})


@app.route("/drinks", methods=["GET"], query=schemas.DrinkQuery, returns=schemas.DrinksResponse)
def list_drinks(query: schemas.DrinkQuery) -> Any:
    """Active drinks, filtered by section, ingredient, tag, text or the diets they suit."""
    f = DrinkFilter(
        section_id=str(query.section_id) if query.section_id else None,
        ingredient=query.ingredient,
        tag=query.tag,
        text=query.q,
        suitable_for=tuple(query.suitable_for),
    )
    return _public(menu().drinks_document(f))


@app.route("/ingredients", methods=["GET"], returns=schemas.IngredientsResponse)
def list_ingredients() -> Any:
    """The ingredient vocabulary: every known ingredient and the fact tags it carries."""
    return _public({"ingredients": entries()})


@app.route("/drinks/{id}", methods=["GET"], returns=schemas.DrinkResponse)
def get_drink(id: str) -> Any:
    """One active drink."""
    return _public({"drink": menu().drink(id).to_json()})


# Bartender --------------------------------------------------------------------------------
@app.route("/admin/drinks", methods=["GET"], authorizer=admin, returns=schemas.DrinksResponse)
def admin_list_drinks() -> dict[str, Any]:
    """Every drink, including those off the menu."""
    drinks = menu().drinks(DrinkFilter(include_inactive=True))
    return {"drinks": [d.to_json() for d in drinks]}


@app.route(
    "/admin/drinks",
    methods=["POST"],
    authorizer=admin,
    body=schemas.DrinkCreate,
    returns=schemas.DrinkResponse,
    status=201,
)
def create_drink(body: schemas.DrinkCreate) -> dict[str, Any]:
    """Add a drink."""
    return {"drink": menu().create_drink(body).to_json()}


@app.route(
    "/admin/drinks/{id}",
    methods=["PATCH"],
    authorizer=admin,
    body=schemas.DrinkPatch,
    returns=schemas.DrinkResponse,
)
def update_drink(id: str, body: schemas.DrinkPatch) -> dict[str, Any]:
    """Change some fields of a drink; `is_active: false` takes it off the menu at once,
    `sold_out: true` keeps it there, marked, and orders refuses it."""
    return {"drink": menu().update_drink(id, body).to_json()}


@app.route("/admin/drinks/{id}", methods=["DELETE"], authorizer=admin, status=204)
def delete_drink(id: str) -> None:
    """Delete a drink; orders keep the name they were placed with."""
    menu().delete_drink(id)


@app.route(
    "/admin/drinks/{id}/image-upload",
    methods=["POST"],
    authorizer=admin,
    body=schemas.ImageUploadRequest,
    body_optional=True,
    returns=schemas.ImageUploadResponse,
)
def image_upload(id: str, body: schemas.ImageUploadRequest) -> dict[str, Any]:
    """A presigned S3 POST for the drink's photo (jpeg, png or webp; at most 5 MiB)."""
    return menu().image_upload(id, body)


@app.route(
    "/admin/sections",
    methods=["POST"],
    authorizer=admin,
    body=schemas.SectionCreate,
    returns=schemas.SectionResponse,
    status=201,
)
def create_section(body: schemas.SectionCreate) -> dict[str, Any]:
    """Add a section."""
    return {"section": menu().create_section(body).to_json()}


@app.route(
    "/admin/sections/{id}",
    methods=["PATCH"],
    authorizer=admin,
    body=schemas.SectionPatch,
    returns=schemas.SectionResponse,
)
def update_section(id: str, body: schemas.SectionPatch) -> dict[str, Any]:
    """Rename, describe or reorder a section."""
    return {"section": menu().update_section(id, body).to_json()}


@app.route("/admin/sections/{id}", methods=["DELETE"], authorizer=admin, status=204)
def delete_section(id: str) -> None:
    """Delete an empty section."""
    menu().delete_section(id)


# Events -----------------------------------------------------------------------------------
@app.on_sqs_message(queue=EVENTS_QUEUE, batch_size=10)
def on_events(event: SQSEvent) -> dict[str, Any]:
    """ai's ImageGenerated (via an EventBridge rule into this queue) sets the drink's photo."""
    return consume(event, handle_event)


def handle_event(body: dict[str, Any]) -> None:
    if body.get("detail-type") != "ImageGenerated":
        return
    detail = body["detail"]
    data = detail["data"]
    menu().apply_generated_image(
        detail["metadata"]["event_id"], str(data["drink_id"]), str(data["image_url"])
    )


# Background -------------------------------------------------------------------------------
@app.schedule(Rate(1, unit=Rate.MINUTES))
def sweep_outbox(event: Any) -> None:
    """Republish events whose publish after commit failed."""
    publisher().sweep()


@app.schedule(Rate(10, unit=Rate.MINUTES))
def refresh_facts(event: Any) -> None:
    """Derive again the drinks' stored facts that are missing or of another vocabulary version
    (ADR 0032): after a deploy that changes the vocabulary, within minutes."""
    menu().refresh_facts()
