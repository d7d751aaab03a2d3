"""Barkeep identity service: invite codes, guest registration, tokens and JWKS, guests."""

from __future__ import annotations

import re
from typing import Any

from barkeep.auth import (
    admin_authorizer,
    allow_all,
    current_admin,
    current_guest,
    deny,
    guest_authorizer,
)
from barkeep.http import ServiceApp, json_response
from chalice.app import AuthRequest, Rate, Response
from chalicelib import schemas
from chalicelib.wiring import identity, publish_jwks, publisher, signing_keys

app = ServiceApp("identity", title="Barkeep identity API")
admin = admin_authorizer(app)
guest = guest_authorizer(app)
_CODE = re.compile(r"^[a-z0-9]{4,32}$")


@app.authorizer(name="registration_code", header="X-Registration-Code", ttl_seconds=0)
def registration_code(auth_request: AuthRequest) -> dict[str, Any]:
    """Turn away unknown, expired, revoked and used-up codes before the handler runs.

    Not cached (ttl 0): a code's remaining uses change with every registration. The handler
    still consumes the use with one conditional UPDATE, which is what holds under concurrency.
    """
    code = (auth_request.token or "").strip()
    if not _CODE.match(code) or not identity().code_is_usable(code):
        return deny(
            auth_request,
            "anonymous",
            code="code_unusable",
            message="This invite code is unknown, expired, revoked or used up",
        )
    return allow_all(auth_request, "registration", {"role": "registration"})


def _code_header() -> str:
    assert app.current_request is not None
    return str(app.current_request.headers.get("x-registration-code", "")).strip()


def _user(guest_json: dict[str, Any]) -> dict[str, Any]:
    return {"user": guest_json}


# Bartender: invite codes ------------------------------------------------------------------
@app.route(
    "/admin/registration-codes",
    methods=["POST"],
    authorizer=admin,
    body=schemas.CodeCreate,
    returns=schemas.CodeResponse,
    status=201,
)
def create_code(body: schemas.CodeCreate) -> dict[str, Any]:
    """Create an invite code."""
    svc = identity()
    code = svc.create_code(body, created_by=current_admin(app).username)
    return {"registration_code": code.to_json(svc.clock(), svc.web_origin)}


@app.route(
    "/admin/registration-codes", methods=["GET"], authorizer=admin, returns=schemas.CodesResponse
)
def list_codes() -> dict[str, Any]:
    """Every invite code, newest first, with its status."""
    svc = identity()
    now = svc.clock()
    return {"registration_codes": [c.to_json(now, svc.web_origin) for c in svc.codes()]}


@app.route("/admin/registration-codes/{code}", methods=["DELETE"], authorizer=admin, status=204)
def revoke_code(code: str) -> None:
    """Revoke a code (it is kept for the record)."""
    identity().revoke_code(code)


@app.route("/admin/registration-codes/{code}/qr.svg", methods=["GET"], authorizer=admin)
def code_qr(code: str) -> Response:
    """The code's join link as a QR code (SVG), generated here."""
    return Response(
        body=identity().qr_svg(code),
        status_code=200,
        headers={"Content-Type": "image/svg+xml", "Cache-Control": "no-store"},
    )


# Guests -----------------------------------------------------------------------------------
@app.route(
    "/register",
    methods=["POST"],
    authorizer=registration_code,
    body=schemas.Register,
    returns=schemas.RegisterResponse,
    status=201,
)
def register(body: schemas.Register) -> dict[str, Any]:
    """Join the party with an invite code and a name."""
    issued = identity().register(_code_header(), body.username)
    return {
        "user": issued.guest.to_json(),
        "access_token": issued.access_token,
        "refresh_token": issued.refresh_token,
        "token_type": "Bearer",
        "expires_in": issued.expires_in,
    }


@app.route(
    "/token/refresh", methods=["POST"], body=schemas.RefreshRequest, returns=schemas.RefreshResponse
)
def refresh(body: schemas.RefreshRequest) -> dict[str, Any]:
    """Exchange a refresh token for a new pair; the old one stops working."""
    issued = identity().refresh(body.refresh_token)
    return {
        "access_token": issued.access_token,
        "refresh_token": issued.refresh_token,
        "expires_in": issued.expires_in,
    }


@app.route("/logout", methods=["POST"], body=schemas.RefreshRequest, status=204)
def logout(body: schemas.RefreshRequest) -> None:
    """Sign out: the refresh token's whole family is revoked."""
    identity().logout(body.refresh_token)


@app.route("/me", methods=["GET"], authorizer=guest, returns=schemas.GuestResponse)
def me() -> dict[str, Any]:
    """The signed-in guest."""
    return _user(identity().guest(current_guest(app).user_key).to_json())


@app.route("/.well-known/jwks.json", methods=["GET"], returns=schemas.JwksResponse)
def jwks() -> Response:
    """Every public key that may still verify a live guest token."""
    return json_response(signing_keys().jwks(), headers={"Cache-Control": "public, max-age=300"})


# Bartender: guests ------------------------------------------------------------------------
@app.route("/admin/guests", methods=["GET"], authorizer=admin, returns=schemas.GuestsResponse)
def list_guests() -> dict[str, Any]:
    """Every guest, newest first."""
    return {"guests": [g.to_json() for g in identity().guests()]}


@app.route(
    "/admin/guests/{user_key}/deactivate",
    methods=["POST"],
    authorizer=admin,
    returns=schemas.GuestResponse,
)
def deactivate_guest(user_key: str) -> dict[str, Any]:
    """Deactivate a guest: their refresh tokens stop at once, their access tokens everywhere
    within seconds (503 if that could not be published yet: deactivate again)."""
    return _user(identity().deactivate(user_key).to_json())


# Background -------------------------------------------------------------------------------
@app.schedule(Rate(1, unit=Rate.MINUTES))
def sweep_outbox(event: Any) -> None:
    """Republish events whose publish after commit failed; put the JWKS and the revocation
    list if a put of them failed, the list changed (entries age out) or this is a fresh
    instance (one put per cold start, none after)."""
    publisher().sweep()
    publish_jwks()
    identity().publish_revocations()
