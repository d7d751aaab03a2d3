"""Identity entities and pure rules: invite-code status, refresh-token outcomes. No I/O."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from urllib.parse import quote

from barkeep.events import isoformat

REFRESH_TOKEN_TTL = timedelta(hours=48)
# Unambiguous when read aloud or typed from a printout: no 0/o, 1/l/i.
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
CODE_LENGTH = 12


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_refresh_token() -> str:
    """32 random bytes, URL-safe. Only its hash is ever stored."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CodeStatus(StrEnum):
    ACTIVE = "active"
    USED_UP = "used_up"
    EXPIRED = "expired"
    REVOKED = "revoked"


@dataclass(frozen=True)
class RegistrationCode:
    code: str
    expires_at: datetime
    max_uses: int
    use_count: int
    notes: str
    created_by: str
    created_at: datetime
    revoked_at: datetime | None = None

    def status(self, now: datetime) -> CodeStatus:
        # Revoked wins: it is the bartender's explicit word.
        if self.revoked_at is not None:
            return CodeStatus.REVOKED
        if self.use_count >= self.max_uses:
            return CodeStatus.USED_UP
        if self.expires_at <= now:
            return CodeStatus.EXPIRED
        return CodeStatus.ACTIVE

    def join_url(self, web_origin: str) -> str:
        return f"{web_origin.rstrip('/')}/join?code={quote(self.code)}"

    def to_json(self, now: datetime, web_origin: str) -> dict[str, Any]:
        return {
            "code": self.code,
            "join_url": self.join_url(web_origin),
            "expires_at": isoformat(self.expires_at),
            "max_uses": self.max_uses,
            "use_count": self.use_count,
            "status": self.status(now).value,
            "notes": self.notes,
            "created_by": self.created_by,
            "created_at": isoformat(self.created_at),
        }


@dataclass(frozen=True)
class Guest:
    user_key: str
    username: str
    is_active: bool
    created_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "user_key": self.user_key,
            "username": self.username,
            "is_active": self.is_active,
            "created_at": isoformat(self.created_at),
        }


@dataclass(frozen=True)
class IssuedTokens:
    guest: Guest
    access_token: str
    refresh_token: str
    expires_in: int


class RefreshOutcome(StrEnum):
    """What presenting a refresh token means."""

    ROTATE = "rotate"  # live and unused: issue a new pair
    REUSED = "reused"  # already rotated or revoked: possible theft, revoke the family
    EXPIRED = "expired"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class StoredRefreshToken:
    family_id: str
    user_key: str
    expires_at: datetime
    rotated_at: datetime | None
    revoked_at: datetime | None

    def outcome(self, now: datetime) -> RefreshOutcome:
        if self.rotated_at is not None or self.revoked_at is not None:
            return RefreshOutcome.REUSED
        if self.expires_at <= now:
            return RefreshOutcome.EXPIRED
        return RefreshOutcome.ROTATE
