"""Identity SQL. Every rule that must hold under concurrency is one conditional statement."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING, Any

from chalicelib.domain import Guest, RegistrationCode, StoredRefreshToken

if TYPE_CHECKING:
    from psycopg import Connection

CODE_COLUMNS = "code, expires_at, max_uses, use_count, notes, created_by, created_at, revoked_at"
# What a client sees as use_count: the uses counted before registration_code_uses existed, and
# one row there per use since.
CODE_READ = CODE_COLUMNS.replace(
    "use_count",
    "use_count + (SELECT count(*) FROM identity.registration_code_uses u WHERE u.code = c.code)",
)


def _code(row: tuple[Any, ...]) -> RegistrationCode:
    return RegistrationCode(
        code=row[0],
        expires_at=row[1],
        max_uses=row[2],
        use_count=row[3],
        notes=row[4],
        created_by=row[5],
        created_at=row[6],
        revoked_at=row[7],
    )


def _guest(row: tuple[Any, ...]) -> Guest:
    return Guest(user_key=str(row[0]), username=row[1], is_active=row[2], created_at=row[3])


class IdentityRepository:
    # Invite codes -----------------------------------------------------------------------
    def insert_code(self, conn: Connection[Any], code: RegistrationCode) -> None:
        conn.execute(
            f"INSERT INTO identity.registration_codes ({CODE_COLUMNS})"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            (
                code.code,
                code.expires_at,
                code.max_uses,
                code.use_count,
                code.notes,
                code.created_by,
                code.created_at,
                code.revoked_at,
            ),
        )

    def codes(self, conn: Connection[Any]) -> list[RegistrationCode]:
        rows = conn.execute(
            f"SELECT {CODE_READ} FROM identity.registration_codes c ORDER BY created_at DESC"
        ).fetchall()
        return [_code(r) for r in rows]

    def code(self, conn: Connection[Any], code: str) -> RegistrationCode | None:
        row = conn.execute(
            f"SELECT {CODE_READ} FROM identity.registration_codes c WHERE code = %s", (code,)
        ).fetchone()
        return _code(row) if row else None

    def revoke_code(self, conn: Connection[Any], code: str) -> bool:
        row = conn.execute(
            "UPDATE identity.registration_codes SET revoked_at = coalesce(revoked_at, now())"
            " WHERE code = %s RETURNING code",
            (code,),
        ).fetchone()
        return row is not None

    def consume_code(self, conn: Connection[Any], code: str, user_key: str) -> bool:
        """Take one use of the code, only if it is still usable. Each use claims a free slot
        below max_uses, chosen at random, so concurrent registrations write different rows;
        two that pick the same slot conflict on its key (40001, retried with a fresh choice),
        which is what keeps max_uses exact under any concurrency."""
        row = conn.execute(
            "SELECT max_uses, use_count FROM identity.registration_codes"
            " WHERE code = %s AND expires_at > now() AND revoked_at IS NULL",
            (code,),
        ).fetchone()
        if row is None:
            return False
        max_uses, counted_before = row
        taken = {
            slot
            for (slot,) in conn.execute(
                "SELECT slot FROM identity.registration_code_uses WHERE code = %s", (code,)
            ).fetchall()
        }
        free = [s for s in range(counted_before, max_uses) if s not in taken]
        while free:
            slot = free.pop(secrets.randbelow(len(free)))
            claimed = conn.execute(
                "INSERT INTO identity.registration_code_uses (code, slot, user_key)"
                " VALUES (%s, %s, %s) ON CONFLICT DO NOTHING RETURNING slot",
                (code, slot, user_key),
            ).fetchone()
            if claimed is not None:
                return True
        return False

    # Guests -----------------------------------------------------------------------------
    def insert_guest(self, conn: Connection[Any], guest: Guest, code: str) -> None:
        conn.execute(
            "INSERT INTO identity.guests (user_key, username, is_active, registration_code,"
            " created_at) VALUES (%s, %s, %s, %s, %s)",
            (guest.user_key, guest.username, guest.is_active, code, guest.created_at),
        )

    def guest(self, conn: Connection[Any], user_key: str) -> Guest | None:
        row = conn.execute(
            "SELECT user_key, username, is_active, created_at FROM identity.guests"
            " WHERE user_key = %s",
            (user_key,),
        ).fetchone()
        return _guest(row) if row else None

    def guests(self, conn: Connection[Any]) -> list[Guest]:
        rows = conn.execute(
            "SELECT user_key, username, is_active, created_at FROM identity.guests"
            " ORDER BY created_at DESC"
        ).fetchall()
        return [_guest(r) for r in rows]

    def deactivated_since(self, conn: Connection[Any], since: datetime) -> list[str]:
        rows = conn.execute(
            "SELECT user_key FROM identity.guests WHERE deactivated_at > %s ORDER BY user_key",
            (since,),
        ).fetchall()
        return [str(r[0]) for r in rows]

    def deactivate_guest(self, conn: Connection[Any], user_key: str) -> Guest | None:
        row = conn.execute(
            "UPDATE identity.guests SET is_active = false,"
            " deactivated_at = coalesce(deactivated_at, now()) WHERE user_key = %s"
            " RETURNING user_key, username, is_active, created_at",
            (user_key,),
        ).fetchone()
        return _guest(row) if row else None

    # Refresh tokens ---------------------------------------------------------------------
    def insert_refresh_token(
        self,
        conn: Connection[Any],
        token_hash: str,
        family_id: str,
        user_key: str,
        expires_at: datetime,
    ) -> None:
        conn.execute(
            "INSERT INTO identity.refresh_tokens (token_hash, family_id, user_key, expires_at)"
            " VALUES (%s, %s, %s, %s)",
            (token_hash, family_id, user_key, expires_at),
        )

    def refresh_token(self, conn: Connection[Any], token_hash: str) -> StoredRefreshToken | None:
        row = conn.execute(
            "SELECT family_id, user_key, expires_at, rotated_at, revoked_at"
            " FROM identity.refresh_tokens WHERE token_hash = %s",
            (token_hash,),
        ).fetchone()
        if row is None:
            return None
        return StoredRefreshToken(
            family_id=str(row[0]),
            user_key=str(row[1]),
            expires_at=row[2],
            rotated_at=row[3],
            revoked_at=row[4],
        )

    def mark_rotated(self, conn: Connection[Any], token_hash: str) -> bool:
        """Use the token once: of two concurrent refreshes, only one can flip it."""
        row = conn.execute(
            "UPDATE identity.refresh_tokens SET rotated_at = now() WHERE token_hash = %s"
            " AND rotated_at IS NULL AND revoked_at IS NULL RETURNING token_hash",
            (token_hash,),
        ).fetchone()
        return row is not None

    def revoke_family(self, conn: Connection[Any], family_id: str) -> int:
        cursor = conn.execute(
            "UPDATE identity.refresh_tokens SET revoked_at = now()"
            " WHERE family_id = %s AND revoked_at IS NULL",
            (family_id,),
        )
        return cursor.rowcount

    def revoke_guest(self, conn: Connection[Any], user_key: str) -> int:
        cursor = conn.execute(
            "UPDATE identity.refresh_tokens SET revoked_at = now()"
            " WHERE user_key = %s AND revoked_at IS NULL",
            (user_key,),
        )
        return cursor.rowcount
