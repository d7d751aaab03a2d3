from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalicelib.domain import (
    CODE_ALPHABET,
    CodeStatus,
    RefreshOutcome,
    RegistrationCode,
    StoredRefreshToken,
    hash_token,
    new_code,
    new_refresh_token,
)

NOW = datetime(2026, 12, 31, 21, 0, tzinfo=UTC)


def _code(**changes: object) -> RegistrationCode:
    base: dict[str, object] = {
        "code": "abc",
        "expires_at": NOW + timedelta(hours=1),
        "max_uses": 2,
        "use_count": 0,
        "notes": "",
        "created_by": "x",
        "created_at": NOW,
    }
    return RegistrationCode(**{**base, **changes})  # type: ignore[arg-type]


def test_code_status_rules() -> None:
    assert _code().status(NOW) is CodeStatus.ACTIVE
    assert _code(use_count=2).status(NOW) is CodeStatus.USED_UP
    assert _code(expires_at=NOW).status(NOW) is CodeStatus.EXPIRED
    assert _code(use_count=2, revoked_at=NOW).status(NOW) is CodeStatus.REVOKED


def test_codes_are_unambiguous_and_tokens_random() -> None:
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200 and all(set(c) <= set(CODE_ALPHABET) for c in codes)
    token = new_refresh_token()
    assert len(token) >= 43 and hash_token(token) != token and len(hash_token(token)) == 64


def test_refresh_outcomes() -> None:
    live = StoredRefreshToken("f", "u", NOW + timedelta(hours=1), None, None)
    assert live.outcome(NOW) is RefreshOutcome.ROTATE
    assert StoredRefreshToken("f", "u", NOW, None, None).outcome(NOW) is RefreshOutcome.EXPIRED
    rotated = StoredRefreshToken("f", "u", NOW + timedelta(hours=1), NOW, None)
    assert rotated.outcome(NOW) is RefreshOutcome.REUSED


def test_join_url_escapes_the_code() -> None:
    assert _code(code="a b").join_url("https://x/") == "https://x/join?code=a%20b"
