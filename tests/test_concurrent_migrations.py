"""Roles, schemas and migrations are safe when several processes create them at once.

Roles are global to a server, so every test worker (and every deployer racing another one)
creates the same roles at the same moment; two deployers also run the same migrations against
the same database. Each round starts a brand-new embedded server, so nothing exists yet.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from barkeep.migrate import SERVICES, SHARED_DIR, load, role_names
from barkeep.testing.database import (
    embedded_server,
    stop_embedded_server,
    traversable_tempdir,
    with_database,
)

WORKER = Path(__file__).with_name("migrate_worker.py")
SERVICES_DIR = Path(__file__).resolve().parents[1] / "services"
ROUNDS = 3
PROCESSES = 6


def _run_at_once(pgdata: Path, databases: list[str]) -> list[tuple[int, str]]:
    """Start one worker per database name, release them together: [(exit code, output)]."""
    workers = [
        subprocess.Popen(
            [sys.executable, str(WORKER), str(pgdata), dbname],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for dbname in databases
    ]
    try:
        for worker in workers:
            assert worker.stdout is not None
            line = worker.stdout.readline()
            assert line.strip() == "ready", line + worker.stdout.read()
        for worker in workers:
            assert worker.stdin is not None
            worker.stdin.write("go\n")
            worker.stdin.flush()
        return [(w.wait(timeout=120), w.communicate()[0]) for w in workers]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()


def _migration_count(schema: str) -> int:
    return len(load(SHARED_DIR, schema)) + len(load(SERVICES_DIR / schema / "migrations", schema))


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_many_deployers_at_once_on_a_brand_new_server(round_: int) -> None:
    # Given a data directory no server has run in yet: no role, schema or database of ours
    data_dir = traversable_tempdir("barkeep-race-")
    pgdata = data_dir / "pgdata"
    try:
        # half the workers share one database (deployers racing), half have their own
        # (test workers), and every one of them creates the same server-wide roles
        own = [f"barkeep_own_{i}" for i in range(PROCESSES // 2)]
        shared = ["barkeep_shared"] * (PROCESSES - len(own))

        # When they all start the server, create their database, the roles and every
        # service's schema at the same moment
        results = _run_at_once(pgdata, shared + own)

        # Then every one of them succeeds, and each database holds every service's schema
        failures = [output for code, output in results if code != 0]
        assert not failures, "\n---\n".join(failures)
        expected_roles = {role for schema in SERVICES for role in role_names(schema)}
        admin = embedded_server(pgdata)
        for dbname in sorted({*shared, *own}):
            with psycopg.connect(with_database(admin, dbname)) as conn:
                roles = {r for (r,) in conn.execute("SELECT rolname FROM pg_roles")}
                assert expected_roles <= roles
                for schema in SERVICES:
                    applied = conn.execute(
                        f"SELECT version FROM {schema}.schema_migrations"
                    ).fetchall()
                    assert len(applied) == _migration_count(schema), (dbname, schema, applied)
    finally:
        stop_embedded_server(pgdata)
        shutil.rmtree(data_dir, ignore_errors=True)
