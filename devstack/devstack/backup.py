"""`make backup` / `make restore FILE=…`: the night's data in one file, and back (ADR 0035).

Everything the stack keeps lives in its data directory (the embedded PostgreSQL's files, what
it keeps of moto, the party's certificates), so a backup is that directory as a .tar.gz, taken
while the stack is stopped: PostgreSQL's files are only consistent then. A restore puts the
previous directory aside (never deletes it) and unpacks the backup in its place.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tarfile
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from .config import PARTY_LOG, DevConfig, DevEnv
from .ports import DataDirInUse, DataDirLock
from .reset import _stop_orphaned_postgres

ROOT = "barkeep-data"  # every member of a backup is under this name
_SKIP = {DataDirLock.FILE, "aws.json", "postmaster.pid", "stack.log"}


@contextlib.contextmanager
def _kept_still(data_dir: Path, doing: str) -> Iterator[str | None]:
    """Hold the data directory's lock while `doing` (a stack started meanwhile is refused);
    yields why not when a stack runs on it. A directory that is not there is not locked."""
    lock = DataDirLock(data_dir)
    if data_dir.is_dir():
        try:
            lock.acquire(doing=doing)
        except DataDirInUse as exc:
            yield (
                f"A stack is running on {data_dir} ({exc.holder}): stop it (Ctrl-C) first. Its "
                "files are only consistent while it is stopped, and everything is kept when it "
                "stops."
            )
            return
    try:
        yield None
    finally:
        lock.release()


def default_backup_name(now: float | None = None) -> str:
    return time.strftime("barkeep-backup-%Y%m%d-%H%M%S.tar.gz", time.localtime(now))


def backup(data_dir: Path, target: Path) -> tuple[bool, str]:
    """Write `data_dir` to `target` (.tar.gz); returns (done, what to tell the user)."""
    with _kept_still(data_dir, "make backup") as refusal:
        if refusal:
            return False, refusal
        return _backup(data_dir, target)


def _backup(data_dir: Path, target: Path) -> tuple[bool, str]:
    if not (data_dir / "pgdata").is_dir():
        return False, (
            f"Nothing to back up: {data_dir} holds no database yet. If the stack ran with "
            f"{DevEnv.DEV_DIR} set, set it here too (make party's banner prints the command)."
        )
    _stop_orphaned_postgres(data_dir / "pgdata")  # a stack killed with SIGKILL can leave one
    target = target.expanduser().resolve()
    if target.is_relative_to(data_dir):
        return False, f"Write the backup outside {data_dir} (it would contain itself)."
    if target.exists():
        return (
            False,
            f"{target} already exists; give another FILE= (no backup is overwritten).",
        )
    if not target.parent.is_dir():
        return False, f"There is no folder {target.parent}; make it first, or give another FILE=."
    partial = target.with_name(target.name + ".partial")

    def keep(info: tarfile.TarInfo) -> tarfile.TarInfo | None:
        name = Path(info.name).name
        if (
            name in _SKIP
            or name.startswith(PARTY_LOG)  # and its rotated party.log.1, .2
            or not (info.isfile() or info.isdir() or info.issym())
        ):
            return None  # locks, runtime files and sockets are not data
        return info

    # the night's data holds guests' names, the signing keys and the party CA's key: for the
    # owner's eyes only
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
        archive.add(data_dir, arcname=ROOT, filter=keep)
    partial.replace(target)
    size = target.stat().st_size / 1e6
    return True, f"Backed up {data_dir} to {target} ({size:.1f} MB)."


def restore(data_dir: Path, source: Path) -> tuple[bool, str]:
    """Replace `data_dir` with the backup at `source`; the old directory is moved aside."""
    with _kept_still(data_dir, "make restore") as refusal:
        if refusal:
            return False, refusal
        return _restore(data_dir, source)


def _restore(data_dir: Path, source: Path) -> tuple[bool, str]:
    source = source.expanduser().resolve()
    if not source.is_file():
        return False, f"No backup at {source}."
    try:
        with tarfile.open(source, "r:*") as archive:
            members = archive.getmembers()
            if not members or any(
                m.name != ROOT and not m.name.startswith(ROOT + "/") for m in members
            ):
                return False, f"{source} is not a Barkeep backup (made by `make backup`)."
            data_dir.parent.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=data_dir.parent))
            try:
                # "tar": no absolute paths, nothing outside, but owners kept (a root user's
                # embedded PostgreSQL runs as a user of its own, who must own its files)
                archive.extractall(staging, filter="tar")
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
    except (tarfile.TarError, OSError, EOFError) as exc:
        return False, f"Cannot read {source} as a backup: {exc}"
    restored = staging / ROOT
    if not (restored / "pgdata").is_dir():
        shutil.rmtree(staging, ignore_errors=True)
        return False, f"{source} holds no database: not a Barkeep backup."
    (restored / "pgdata").chmod(0o700)  # PostgreSQL refuses a data directory others can read
    # locked before it moves into place: a stack starting the moment it is there waits its turn
    arrived = DataDirLock(restored)
    arrived.acquire(doing="make restore")
    aside = None
    try:
        if data_dir.exists():
            _stop_orphaned_postgres(data_dir / "pgdata")
            aside = data_dir.with_name(
                f"{data_dir.name}.before-restore-{time.strftime('%Y%m%d-%H%M%S')}"
            )
            data_dir.rename(aside)
        restored.rename(data_dir)
    finally:
        arrived.release()
    shutil.rmtree(staging, ignore_errors=True)
    kept = f" The data it replaced is in {aside}." if aside else ""
    return True, f"Restored {source} into {data_dir}.{kept} Start the stack again to use it."


def run_backup(config: DevConfig, file: str | None) -> tuple[bool, str]:
    return backup(config.data_dir, Path(file or default_backup_name()))


def run_restore(config: DevConfig, file: str) -> tuple[bool, str]:
    return restore(config.data_dir, Path(file))
