"""Identity use cases: invite codes, registration, token refresh with rotation, guests."""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from barkeep.db import Database, RetryPolicy
from barkeep.errors import ServiceUnavailable
from barkeep.events import Publisher, UnitOfWork, Writer, utcnow
from barkeep.observability import get_logger

from chalicelib import schemas
from chalicelib.domain import (
    REFRESH_TOKEN_TTL,
    CodeStatus,
    Guest,
    IssuedTokens,
    RefreshOutcome,
    RegistrationCode,
    hash_token,
    new_code,
    new_refresh_token,
)
from chalicelib.errors import CodeNotFound, CodeUnusable, GuestNotFound, RefreshRejected
from chalicelib.repository import IdentityRepository
from chalicelib.tokens import AccessTokens

SOURCE = "barkeep.identity"
log = get_logger("barkeep.identity")
# Registration contends on one row per invite code (a whole party scanning at once), so it gets
# a deeper retry budget than the default.
REGISTRATION_RETRY = RetryPolicy(attempts=40, base_delay=0.005, max_delay=0.25)
# A deactivated guest stays on the revocation list this long past their access tokens' lifetime
# (the verifiers' 5 s leeway on `exp`, and clocks that disagree a little).
REVOCATION_MARGIN = timedelta(seconds=60)


class IdentityService:
    def __init__(
        self,
        db: Database,
        repo: IdentityRepository,
        publisher: Publisher,
        tokens: AccessTokens,
        *,
        web_origin: str,
        publish_revocations: Callable[[dict[str, Any]], object] = lambda _document: None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.db = db
        self.repo = repo
        self.tokens = tokens
        self.web_origin = web_origin
        self._publish_revocations = publish_revocations
        self.clock = clock
        self.write = Writer(db, "identity", SOURCE, publisher)

    # Invite codes -----------------------------------------------------------------------
    def create_code(self, body: schemas.CodeCreate, created_by: str) -> RegistrationCode:
        now = self.clock()
        expires_at = body.expires_at or now + timedelta(hours=body.valid_hours)
        code = RegistrationCode(
            code=new_code(),
            expires_at=expires_at,
            max_uses=body.max_uses,
            use_count=0,
            notes=body.notes,
            created_by=created_by,
            created_at=now,
        )
        self.db.transaction(lambda c: self.repo.insert_code(c, code), name="create-code")
        return code

    def codes(self) -> list[RegistrationCode]:
        return self.db.transaction(self.repo.codes, name="codes")

    def code(self, code: str) -> RegistrationCode:
        found = self.db.transaction(lambda c: self.repo.code(c, code), name="code")
        if found is None:
            raise CodeNotFound()
        return found

    def revoke_code(self, code: str) -> None:
        if not self.db.transaction(lambda c: self.repo.revoke_code(c, code), name="revoke-code"):
            raise CodeNotFound()

    def code_is_usable(self, code: str) -> bool:
        found = self.db.transaction(lambda c: self.repo.code(c, code), name="check-code")
        return found is not None and found.status(self.clock()) is CodeStatus.ACTIVE

    def qr_svg(self, code: str) -> str:
        import segno

        url = self.code(code).join_url(self.web_origin)
        out = io.BytesIO()
        segno.make(url, error="m").save(
            out, kind="svg", scale=8, border=2, title="Barkeep invite", svgclass="barkeep-qr"
        )
        return out.getvalue().decode()

    # Registration and tokens --------------------------------------------------------------
    def register(self, code: str, username: str) -> IssuedTokens:
        now = self.clock()
        guest = Guest(user_key=str(uuid.uuid4()), username=username, is_active=True, created_at=now)
        refresh = new_refresh_token()

        def work(u: UnitOfWork) -> None:
            if not self.repo.consume_code(u.conn, code, guest.user_key):
                raise CodeUnusable()
            self.repo.insert_guest(u.conn, guest, code)
            self.repo.insert_refresh_token(
                u.conn,
                hash_token(refresh),
                str(uuid.uuid4()),
                guest.user_key,
                now + REFRESH_TOKEN_TTL,
            )
            u.emit("GuestRegistered", {"user_key": guest.user_key, "username": guest.username})

        self.write(work, name="register", retry=REGISTRATION_RETRY)
        return self._issue(guest, refresh, now)

    def refresh(self, token: str) -> IssuedTokens:
        now = self.clock()
        presented = hash_token(token)
        replacement = new_refresh_token()

        def work(conn: Any) -> Guest | RefreshOutcome:
            stored = self.repo.refresh_token(conn, presented)
            if stored is None:
                return RefreshOutcome.UNKNOWN
            outcome = stored.outcome(now)
            if outcome is RefreshOutcome.ROTATE and not self.repo.mark_rotated(conn, presented):
                outcome = RefreshOutcome.REUSED  # lost a race with a concurrent refresh
            if outcome is RefreshOutcome.REUSED:
                # Someone presents a token that was already used: it may have been stolen.
                self.repo.revoke_family(conn, stored.family_id)
                return outcome
            if outcome is not RefreshOutcome.ROTATE:
                return outcome
            guest = self.repo.guest(conn, stored.user_key)
            if guest is None or not guest.is_active:
                self.repo.revoke_family(conn, stored.family_id)
                return RefreshOutcome.UNKNOWN
            self.repo.insert_refresh_token(
                conn,
                hash_token(replacement),
                stored.family_id,
                guest.user_key,
                now + REFRESH_TOKEN_TTL,
            )
            return guest

        result = self.db.transaction(work, name="refresh")
        if not isinstance(result, Guest):
            log.info("refresh refused", extra={"outcome": result.value})
            raise RefreshRejected()
        return self._issue(result, replacement, now)

    def logout(self, token: str) -> None:
        def work(conn: Any) -> None:
            stored = self.repo.refresh_token(conn, hash_token(token))
            if stored is not None:
                self.repo.revoke_family(conn, stored.family_id)

        self.db.transaction(work, name="logout")

    def _issue(self, guest: Guest, refresh: str, now: datetime) -> IssuedTokens:
        return IssuedTokens(
            guest=guest,
            access_token=self.tokens.issue(guest, now),
            refresh_token=refresh,
            expires_in=self.tokens.ttl_seconds,
        )

    # Guests -----------------------------------------------------------------------------
    def guest(self, user_key: str) -> Guest:
        found = self.db.transaction(lambda c: self.repo.guest(c, user_key), name="guest")
        if found is None:
            raise GuestNotFound()
        return found

    def guests(self) -> list[Guest]:
        return self.db.transaction(self.repo.guests, name="guests")

    def deactivate(self, user_key: str) -> Guest:
        def work(conn: Any) -> Guest | None:
            guest = self.repo.deactivate_guest(conn, user_key)
            if guest is not None:
                self.repo.revoke_guest(conn, user_key)
            return guest

        guest = self.db.transaction(work, name="deactivate")
        if guest is None:
            raise GuestNotFound()
        try:
            self.publish_revocations()
        except Exception as exc:
            # Deactivated, but the verifiers cannot know yet: say so (deactivating again is
            # harmless and puts the list again; the minute's schedule puts it too).
            log.exception("revocation list not published", extra={"user_key": user_key})
            raise ServiceUnavailable(
                "The guest is deactivated, but not every screen knows yet: try again",
                retry_after=2,
            ) from exc
        return guest

    def revoked_guests(self) -> list[str]:
        """Guests deactivated recently enough that an access token of theirs may not have
        expired yet: the revocation list every verifier reads (ADR 0028)."""
        since = self.clock() - timedelta(seconds=self.tokens.ttl_seconds) - REVOCATION_MARGIN
        return self.db.transaction(
            lambda c: self.repo.deactivated_since(c, since), name="revoked-guests"
        )

    def publish_revocations(self) -> None:
        """Put the revocation list where every verifier reads it (skipped when unchanged)."""
        self._publish_revocations({"revoked": self.revoked_guests()})
