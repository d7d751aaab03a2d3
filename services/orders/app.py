"""Barkeep orders service: guests order, bartenders work the queue, every screen follows."""

from __future__ import annotations

from typing import Any

from barkeep.auth import admin_authorizer, current_guest, guest_authorizer
from barkeep.errors import ValidationFailed
from barkeep.http import ServiceApp, json_response
from chalice.app import Rate
from chalicelib import schemas
from chalicelib.domain import PushSubscription, Status
from chalicelib.wiring import orders, publisher, push
from pydantic import TypeAdapter, ValidationError

app = ServiceApp("orders", title="Barkeep orders API")
admin = admin_authorizer(app)
guest = guest_authorizer(app)


_IDEMPOTENCY_KEY: TypeAdapter[str] = TypeAdapter(schemas.IdempotencyKey)
# How long a close-out may work before it answers, checked between batches: inside API
# Gateway's 29 s and the schedule's 60 s Lambda timeout, with room for one more batch (its
# publishing, ~260 calls to AppSync and EventBridge, takes most of a batch's time).
CLOSE_OUT_SECONDS = {"request": 10.0, "schedule": 35.0}


def _idempotency_key() -> str | None:
    assert app.current_request is not None
    raw = app.current_request.headers.get("idempotency-key")
    if raw is None:
        return None
    try:
        return _IDEMPOTENCY_KEY.validate_python(raw)
    except ValidationError:
        raise ValidationFailed({"Idempotency-Key": "1-100 printable characters"}) from None


# Guests -----------------------------------------------------------------------------------
@app.route(
    "/orders",
    methods=["POST"],
    authorizer=guest,
    body=schemas.PlaceOrder,
    returns=schemas.OrderResponse,
    status=201,
)
def place_order(body: schemas.PlaceOrder) -> Any:
    """Order a drink; the same Idempotency-Key within 24 h returns the first order (200). 409
    `ordering_paused` while the bar is paused, `sold_out` for a sold-out drink."""
    me = current_guest(app)
    placed = orders().place(
        user_key=me.user_key,
        username=me.username,
        drink_id=str(body.drink_id),
        quantity=body.quantity,
        notes=body.notes,
        idempotency_key=_idempotency_key(),
    )
    return json_response({"order": placed.order.to_json()}, 201 if placed.created else 200)


@app.route(
    "/orders",
    methods=["GET"],
    authorizer=guest,
    query=schemas.MyOrdersQuery,
    returns=schemas.OrdersResponse,
)
def my_orders(query: schemas.MyOrdersQuery) -> dict[str, Any]:
    """The caller's own orders, newest first, a page at a time (`next_cursor`)."""
    return orders().mine(current_guest(app).user_key, query.page()).to_json()


@app.route("/orders/{id}", methods=["GET"], authorizer=guest, returns=schemas.OrderResponse)
def my_order(id: str) -> dict[str, Any]:
    """One of the caller's orders."""
    return {"order": orders().get_mine(current_guest(app).user_key, id).to_json()}


@app.route(
    "/orders/{id}/cancel",
    methods=["POST"],
    authorizer=guest,
    returns=schemas.OrderResponse,
)
def cancel_my_order(id: str) -> dict[str, Any]:
    """Cancel one of the caller's orders while it is still pending."""
    return {"order": orders().cancel_mine(current_guest(app).user_key, id).to_json()}


# Web Push (ADR 0036) ---------------------------------------------------------------------
@app.route("/push/key", methods=["GET"], authorizer=guest, returns=schemas.PushKeyResponse)
def push_key() -> dict[str, Any]:
    """The stage's VAPID public key, for `pushManager.subscribe({applicationServerKey})`."""
    return {"public_key": push().public_key()}


@app.route(
    "/push/subscription", methods=["PUT"], authorizer=guest, body=schemas.PushSubscribe, status=204
)
def subscribe_push(body: schemas.PushSubscribe) -> None:
    """Ping this browser when the caller's drink is ready, even with the phone locked; 400
    for an endpoint that is not a browser's push service."""
    me = current_guest(app)
    push().subscribe(PushSubscription(me.user_key, body.endpoint, body.keys.p256dh, body.keys.auth))


@app.route(
    "/push/subscription",
    methods=["DELETE"],
    authorizer=guest,
    body=schemas.PushUnsubscribe,
    status=204,
)
def unsubscribe_push(body: schemas.PushUnsubscribe) -> None:
    """Stop pinging this browser (signing out); 204 whether or not it was subscribed."""
    push().unsubscribe(current_guest(app).user_key, body.endpoint)


# Bartender --------------------------------------------------------------------------------
@app.route(
    "/admin/orders",
    methods=["GET"],
    authorizer=admin,
    query=schemas.AdminOrdersQuery,
    returns=schemas.OrdersResponse,
)
def queue(query: schemas.AdminOrdersQuery) -> dict[str, Any]:
    """The queue: tonight's open orders, oldest first, a page at a time (or filter by status
    and since)."""
    return orders().queue(list(query.status), query.since, query.page()).to_json()


@app.route(
    "/admin/orders/close-out",
    methods=["POST"],
    authorizer=admin,
    body=schemas.CloseOut,
    body_optional=True,
    returns=schemas.ClosedOutResponse,
)
def close_out(body: schemas.CloseOut) -> dict[str, Any]:
    """End of night: every open order created before `before` is cancelled (served if ready)."""
    return orders().close_out(body.before, budget_seconds=CLOSE_OUT_SECONDS["request"]).to_json()


@app.route(
    "/admin/orders/batch",
    methods=["POST"],
    authorizer=admin,
    body=schemas.BatchChangeStatus,
    returns=schemas.BatchResponse,
)
def change_statuses(body: schemas.BatchChangeStatus) -> dict[str, Any]:
    """Move several orders to one status, each on its own (its own event and notification);
    those that cannot move are listed in `failed` and stop none of the others."""
    ids = [str(i) for i in body.order_ids]
    return orders().set_statuses(ids, Status(body.status)).to_json()


@app.route(
    "/admin/orders/{id}",
    methods=["PATCH"],
    authorizer=admin,
    body=schemas.ChangeStatus,
    returns=schemas.OrderResponse,
)
def change_status(id: str, body: schemas.ChangeStatus) -> dict[str, Any]:
    """Move an order along: pending → preparing → ready → served, or cancel it; or take it
    back: ready → preparing, served → ready within RECALL_WINDOW_SECONDS."""
    return {"order": orders().set_status(id, Status(body.status)).to_json()}


@app.route("/admin/stats", methods=["GET"], authorizer=admin, returns=schemas.StatsResponse)
def stats() -> dict[str, Any]:
    """The night's numbers for the dashboard."""
    return orders().stats()


# The bar's settings -----------------------------------------------------------------------
@app.route("/bar", methods=["GET"], returns=schemas.BarResponse)
def bar() -> dict[str, Any]:
    """Whether the bar takes orders, its message and the wait colours (public: every guest and
    display reads it)."""
    return {"bar": orders().bar().to_json()}


@app.route(
    "/admin/bar",
    methods=["PATCH"],
    authorizer=admin,
    body=schemas.BarPatch,
    returns=schemas.BarResponse,
)
def update_bar(body: schemas.BarPatch) -> dict[str, Any]:
    """Pause ordering, call last orders or open again; change the message and wait colours."""
    return {"bar": orders().update_bar(body.changes()).to_json()}


# Background -------------------------------------------------------------------------------
@app.schedule(Rate(1, unit=Rate.MINUTES))
def sweep_outbox(event: Any) -> None:
    """Republish events and notifications whose publish after commit failed."""
    publisher().sweep()


@app.schedule(Rate(15, unit=Rate.MINUTES))
def close_out_stale(event: Any) -> None:
    """Close out open orders older than OPEN_ORDER_MAX_AGE_HOURS (last nights' leftovers)."""
    orders().close_out_stale(budget_seconds=CLOSE_OUT_SECONDS["schedule"])
