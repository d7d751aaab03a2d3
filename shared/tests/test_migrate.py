from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest
from barkeep.db import Database
from barkeep.migrate import MigrationError, adapt, applied_versions, load, migrate, split_statements


def test_split_respects_quotes_comments_and_dollar_quotes() -> None:
    sql = """
    -- a comment; with a semicolon
    CREATE TABLE a (note text DEFAULT 'x;y');  /* block; comment */
    GRANT SELECT ON a TO r;
    SELECT $$ body; with ; $$;
    SELECT 'it''s; fine'
    """
    assert split_statements(sql) == [
        "CREATE TABLE a (note text DEFAULT 'x;y')",
        "GRANT SELECT ON a TO r",
        "SELECT $$ body; with ; $$",
        "SELECT 'it''s; fine'",
    ]


def test_adapts_the_dsql_dialect_for_postgres() -> None:
    stmt = "CREATE INDEX ASYNC IF NOT EXISTS i ON s.t (c)"
    assert adapt(stmt, "postgres") == "CREATE INDEX IF NOT EXISTS i ON s.t (c)"
    assert (
        adapt("CREATE UNIQUE INDEX ASYNC i ON s.t (c)", "postgres")
        == "CREATE UNIQUE INDEX i ON s.t (c)"
    )
    assert adapt("AWS IAM GRANT r TO 'arn:aws:iam::1:role/x'", "postgres") is None
    assert adapt(stmt, "dsql") == stmt


def test_a_file_holds_exactly_one_ddl_statement(tmp_path: Path) -> None:
    (tmp_path / "0001_two.sql").write_text(
        "CREATE TABLE {schema}.a (id int);\nCREATE TABLE {schema}.b (id int);"
    )
    with pytest.raises(MigrationError, match="exactly one DDL"):
        load(tmp_path, "svc")


def test_refuses_a_statement_that_cannot_run_twice(tmp_path: Path) -> None:
    # Racing runners and half-finished runs both simply run a statement again
    (tmp_path / "0001_plain.sql").write_text("CREATE TABLE {schema}.a (id int);")
    with pytest.raises(MigrationError, match="can run twice"):
        load(tmp_path, "svc")
    (tmp_path / "0001_plain.sql").write_text("CREATE TABLE IF NOT EXISTS {schema}.a (id int);")
    assert [m.name for m in load(tmp_path, "svc")] == ["plain"]


def test_rejects_badly_named_files(tmp_path: Path) -> None:
    (tmp_path / "create.sql").write_text("CREATE TABLE x (id int)")
    with pytest.raises(MigrationError, match="NNNN_name"):
        load(tmp_path, "svc")


def test_migrate_is_idempotent_and_guards_applied_files(
    clean_database: str, tmp_path: Path
) -> None:
    db = Database(lambda: psycopg.connect(clean_database))
    migrations = Path(__file__).parent / "migrations"
    # Already applied by the session fixture: a re-run applies nothing
    assert migrate(db, "svc", migrations) == []
    assert set(applied_versions(db, "svc")) == {"shared-0001", "shared-0002", "0001", "0002"}
    # An applied file that changed is refused rather than silently skipped
    for f in migrations.glob("*.sql"):
        (tmp_path / f.name).write_text(f.read_text())
    (tmp_path / "0002_index_things_note.sql").write_text(
        "CREATE INDEX ASYNC IF NOT EXISTS other_idx ON svc.things (counter);"
    )
    with pytest.raises(MigrationError, match="changed after it was applied"):
        migrate(db, "svc", tmp_path)
    db.close()


def _as_role(url: str, role: str, sql: str) -> Any:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"SET ROLE {role}")
        return conn.execute(sql).fetchall()


def test_roles_get_exactly_their_grants(clean_database: str) -> None:
    assert _as_role(clean_database, "svc_reader", "SELECT count(*) FROM svc.things") == [(0,)]
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        _as_role(clean_database, "svc_reader", "DELETE FROM svc.things")
    assert _as_role(clean_database, "svc_writer", "DELETE FROM svc.things RETURNING id") == []
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        _as_role(clean_database, "orders_writer", "SELECT * FROM svc.things")
