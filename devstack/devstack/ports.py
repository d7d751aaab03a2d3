"""Claiming the gateway port and the data directory before anything heavy starts."""

from __future__ import annotations

import errno
import fcntl
import os
import socket
from pathlib import Path
from typing import IO

HOST = "127.0.0.1"  # `make dev`, and where the services reach the gateway under `make party`


class PortInUse(Exception):
    def __init__(self, port: int) -> None:
        super().__init__(port)
        self.port = port


class DataDirInUse(Exception):
    def __init__(self, data_dir: Path, holder: str) -> None:
        super().__init__(data_dir)
        self.data_dir = data_dir
        self.holder = holder


def reserve_port(port: int, host: str = HOST) -> socket.socket:
    """A listening socket on host:port (0 picks a free port), handed to uvicorn later.

    Listening at once keeps the port ours while the database and moto start; connections made
    meanwhile wait in the backlog instead of failing.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # What uvicorn does too: lets a restart reuse a port whose old connections are in TIME_WAIT,
    # while a port someone is listening on still fails.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise PortInUse(port) from None
        raise
    sock.set_inheritable(False)
    return sock


def port_in_use(port: int) -> bool:
    try:
        reserve_port(port).close()
    except PortInUse:
        return True
    return False


class DataDirLock:
    """An exclusive lock on a data directory for the life of one stack.

    `flock` is released by the kernel when the process dies, so a crashed stack never leaves a
    stale lock behind.
    """

    FILE = "devstack.lock"

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._file: IO[str] | None = None

    def acquire(self, port: int | None = None, *, doing: str | None = None) -> None:
        """Take the lock for a stack on `port`, or for a command `doing` something to the
        data (a backup, a restore), or raise DataDirInUse naming who has it."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        handle = (self.data_dir / self.FILE).open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise DataDirInUse(self.data_dir, holder) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, {doing or f'port {port}'}\n")
        handle.flush()
        self._file = handle

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None

    def held_by_someone(self) -> str | None:
        """Who holds the lock (without taking it), or None when nobody does."""
        path = self.data_dir / self.FILE
        if not path.exists():
            return None
        with path.open("a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                return handle.read().strip() or "another process"
            fcntl.flock(handle, fcntl.LOCK_UN)
            return None
