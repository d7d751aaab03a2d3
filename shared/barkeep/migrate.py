"""The migration runner.

Each service owns one schema and a folder of `NNNN_name.sql` files. A file holds exactly one DDL
statement, optionally followed by the GRANTs it needs (DSQL has no ALTER DEFAULT PRIVILEGES).
Every statement runs in a transaction of its own (DSQL allows one DDL per transaction and no
mixing of DDL and DML). Statements must be re-runnable (`IF NOT EXISTS`, `OR REPLACE`, GRANT;
`load` refuses any other), so a run that died half-way is simply run again, and several
processes may migrate the same database, or create the same server-wide roles, at once.

The files are written in the DSQL dialect; for plain PostgreSQL the runner rewrites
`CREATE INDEX ASYNC` to `CREATE INDEX` and skips `AWS IAM GRANT` (there is no IAM locally).
Shared migrations (the outbox) live in `barkeep/migrations` and are applied to every schema.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from barkeep.observability import get_logger

if TYPE_CHECKING:
    from barkeep.db import Database

log = get_logger("barkeep.migrate")

Dialect = Literal["postgres", "dsql"]
SHARED_DIR = Path(__file__).parent / "migrations"
SERVICES = ("menu", "identity", "orders", "ai")
_FILE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
_GRANT = re.compile(r"^\s*GRANT\s", re.IGNORECASE)
# A statement that can run twice: what lets a runner that raced another one simply run it again.
_RERUNNABLE = re.compile(r"\b(IF\s+(NOT\s+)?EXISTS|OR\s+REPLACE)\b", re.IGNORECASE)


class MigrationError(Exception):
    pass


@dataclass(frozen=True)
class Migration:
    version: str
    name: str
    statements: tuple[str, ...]
    checksum: str


def split_statements(sql: str) -> list[str]:
    """Split SQL on top-level semicolons, respecting quotes, dollar quotes and comments."""
    out: list[str] = []
    buf: list[str] = []
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if sql.startswith("--", i):
            end = sql.find("\n", i)
            i = n if end < 0 else end + 1
            buf.append("\n")
            continue
        if sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            if end < 0:
                raise MigrationError("unterminated block comment")
            i = end + 2
            continue
        if ch in ("'", '"'):
            end = i + 1
            while True:
                end = sql.find(ch, end)
                if end < 0:
                    raise MigrationError("unterminated quoted string")
                if sql.startswith(ch * 2, end):
                    end += 2
                    continue
                break
            buf.append(sql[i : end + 1])
            i = end + 1
            continue
        dollar = re.match(r"\$[A-Za-z_]*\$", sql[i:])
        if dollar:
            tag = dollar.group(0)
            end = sql.find(tag, i + len(tag))
            if end < 0:
                raise MigrationError("unterminated dollar-quoted string")
            buf.append(sql[i : end + len(tag)])
            i = end + len(tag)
            continue
        if ch == ";":
            stmt = "".join(buf).strip()
            if stmt:
                out.append(stmt)
            buf = []
        else:
            buf.append(ch)
        i += 1
    tail = "".join(buf).strip()
    if tail:
        out.append(tail)
    return out


def load(directory: Path, schema: str) -> list[Migration]:
    """Read a folder of migrations, filling in `{schema}` and checking the one-DDL rule."""
    migrations = []
    for path in sorted(directory.glob("*.sql")):
        match = _FILE.match(path.name)
        if not match:
            raise MigrationError(f"{path.name}: expected NNNN_name.sql")
        text = path.read_text(encoding="utf-8").replace("{schema}", schema)
        statements = tuple(split_statements(text))
        ddl = [s for s in statements if not _GRANT.match(s)]
        if len(ddl) != 1:
            raise MigrationError(f"{path.name}: needs exactly one DDL statement, found {len(ddl)}")
        if not _RERUNNABLE.search(ddl[0]):
            raise MigrationError(
                f"{path.name}: write the statement so it can run twice "
                "(IF NOT EXISTS, IF EXISTS or OR REPLACE)"
            )
        migrations.append(
            Migration(
                version=match.group(1),
                name=match.group(2),
                statements=statements,
                checksum=hashlib.sha256(text.encode()).hexdigest(),
            )
        )
    versions = [m.version for m in migrations]
    if len(set(versions)) != len(versions):
        raise MigrationError(f"{directory}: duplicate migration numbers")
    return migrations


def adapt(statement: str, dialect: Dialect) -> str | None:
    """Rewrite one DSQL statement for the target; None means 'skip it here'."""
    if dialect == "dsql":
        return statement
    if re.match(r"^\s*AWS\s+IAM\s+GRANT\b", statement, re.IGNORECASE):
        return None
    return re.sub(
        r"\bCREATE\s+(UNIQUE\s+)?INDEX\s+ASYNC\b", r"CREATE \1INDEX", statement, flags=re.IGNORECASE
    ).replace("CREATE  INDEX", "CREATE INDEX")


def role_names(schema: str) -> tuple[str, str]:
    return f"{schema}_reader", f"{schema}_writer"


def is_concurrent_catalog_change(exc: BaseException) -> bool:
    """Did another process create or change the same catalog object at the same moment?

    PostgreSQL checks `IF NOT EXISTS` before it writes the catalog, so two processes running
    `CREATE SCHEMA/TABLE/INDEX IF NOT EXISTS` at once can both pass the check; the loser then
    fails with a unique violation on a system catalog's index or "type … already exists". Two
    GRANTs or `CREATE OR REPLACE` on one object give "tuple concurrently updated", and two DDL
    statements may deadlock. DSQL reports such races as OCC conflicts (40001), which
    `Database.transaction` retries already. Running the statement again is the answer in every
    case: migrations are re-runnable (a test holds every file to that), so the second run sees
    what the other process committed and does nothing.
    """
    import psycopg

    errors = psycopg.errors
    if isinstance(exc, errors.UniqueViolation):
        return (exc.diag.constraint_name or "").startswith("pg_")
    if isinstance(exc, errors.InternalError_):
        return "concurrently" in str(exc)
    return isinstance(
        exc,
        errors.DuplicateObject
        | errors.DuplicateTable
        | errors.DuplicateSchema
        | errors.DeadlockDetected,
    )


def _execute(
    db: Database,
    statement: str,
    params: tuple[Any, ...] | None = None,
    *,
    exists: tuple[type[Exception], ...] = (),
) -> None:
    """One statement in a transaction of its own (DSQL: one DDL per transaction).

    Safe when other processes run the same statement at the same moment: a catalog race is
    retried (every statement is re-runnable), and `exists` names the errors that mean "another
    process already did it" for statements that have no `IF NOT EXISTS` (CREATE ROLE).
    """
    import psycopg

    def run(conn: Any) -> None:
        conn.execute(statement, params)

    attempt = 0
    while True:
        try:
            db.transaction(run, name="migration")
            return
        except exists:
            return
        except psycopg.Error as exc:
            attempt += 1
            if not is_concurrent_catalog_change(exc) or attempt >= db.retry.attempts:
                raise
            log.info(
                "concurrent catalog change: retrying",
                extra={"attempt": attempt, "sqlstate": exc.sqlstate},
            )
            time.sleep(db.retry.delay(attempt))


def _fetch(db: Database, query: str, params: tuple[Any, ...] | None = None) -> list[Any]:
    def run(conn: Any) -> list[Any]:
        return list(conn.execute(query, params).fetchall())

    return db.transaction(run, name="migration")


def ensure_roles(
    db: Database,
    schemas: tuple[str, ...] = SERVICES,
    *,
    dialect: Dialect = "postgres",
    iam_role_arns: dict[str, str] | None = None,
) -> None:
    """Create every service's reader and writer roles (idempotent); in DSQL, map IAM roles.

    All services' roles are created up front because a schema may grant to another service's
    role (menu grants its `orderable_drinks` view to orders).
    """
    import psycopg

    # Roles are global to the server and every test worker or deployer creates the same ones:
    # whoever loses the race finds the role there, which is all it wanted.
    already = (psycopg.errors.DuplicateObject, psycopg.errors.UniqueViolation)
    for schema in schemas:
        for role in role_names(schema):
            if not _fetch(db, "SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)):
                _execute(db, f"CREATE ROLE {role} WITH LOGIN", exists=already)
            arn = (iam_role_arns or {}).get(role)
            if arn:
                statement = adapt(f"AWS IAM GRANT {role} TO '{arn}'", dialect)
                if statement:
                    _execute(db, statement, exists=already)


def applied_versions(db: Database, schema: str) -> dict[str, str]:
    rows = _fetch(db, f"SELECT version, checksum FROM {schema}.schema_migrations")
    return {version: checksum for version, checksum in rows}


def migrate(
    db: Database,
    schema: str,
    directory: Path,
    *,
    dialect: Dialect = "postgres",
) -> list[str]:
    """Apply the shared and the service's migrations to `schema`; returns what was applied."""
    reader, writer = role_names(schema)
    for statement in (
        f"CREATE SCHEMA IF NOT EXISTS {schema}",
        f"GRANT USAGE ON SCHEMA {schema} TO {reader}, {writer}",
        f"CREATE TABLE IF NOT EXISTS {schema}.schema_migrations (version varchar(40) PRIMARY KEY,"
        " name varchar(200) NOT NULL, checksum varchar(64) NOT NULL,"
        " applied_at timestamptz NOT NULL DEFAULT now())",
    ):
        _execute(db, statement)
    done = applied_versions(db, schema)
    applied = []
    plan = [(f"shared-{m.version}", m) for m in load(SHARED_DIR, schema)]
    plan += [(m.version, m) for m in load(directory, schema)]
    for version, migration in plan:
        if version in done:
            if done[version] != migration.checksum:
                raise MigrationError(
                    f"{schema} {version}_{migration.name}: changed after it was applied; "
                    "write a new migration instead"
                )
            continue
        for statement in migration.statements:
            adapted = adapt(statement, dialect)
            if adapted is not None:
                _execute(db, adapted)
        _execute(
            db,
            f"INSERT INTO {schema}.schema_migrations (version, name, checksum)"
            " VALUES (%s, %s, %s) ON CONFLICT (version) DO NOTHING",
            (version, migration.name, migration.checksum),
        )
        log.info(
            "migration applied",
            extra={"schema": schema, "version": version, "migration": migration.name},
        )
        applied.append(f"{version}_{migration.name}")
    return applied
