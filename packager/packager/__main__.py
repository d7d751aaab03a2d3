"""`python -m packager build SERVICE [--arch arm64|x86_64] [--no-check]` (`make package`)."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from packager import build as builder
from packager.check import smoke
from packager.dependencies import DependencyError
from packager.python313 import NoPython313
from packager.targets import DEFAULT_ARCHITECTURE, TARGETS, UnknownArchitecture, target


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make package", description=__doc__)
    parser.add_argument("command", choices=["build"])
    parser.add_argument("service")
    parser.add_argument("--arch", default=DEFAULT_ARCHITECTURE, help=" | ".join(TARGETS))
    parser.add_argument("--out", type=Path, default=builder.DIST)
    parser.add_argument(
        "--no-check", action="store_true", help="skip running the artifact in Python 3.13"
    )
    args = parser.parse_args(argv)
    try:
        chosen = target(args.arch)
        built = builder.build(args.service, chosen, out=args.out)
    except (UnknownArchitecture, builder.UnknownService) as exc:
        print(f"make package: {exc}", file=sys.stderr)
        return 2
    except (builder.PackagingError, DependencyError) as exc:
        print(f"make package: {exc}", file=sys.stderr)
        return 1
    artifact = built.manifest["artifact"]
    print(
        f"{built.zip_path}: {_mb(artifact['size'])} zipped, "
        f"{_mb(artifact['unpacked_size'])} unpacked, {artifact['files']} files "
        f"(python3.13, {chosen.architecture}, sha256 {artifact['sha256'][:12]})"
    )
    print(f"  native code checked for {chosen.machine} and the CPython 3.13 ABI")
    if args.no_check:
        return 0
    if not chosen.runs_here():
        print(f"  not started: this machine cannot run {chosen.architecture} code")
        return 0
    try:
        with tempfile.TemporaryDirectory(prefix="barkeep-smoke-") as tmp:
            seconds, proves = smoke(built, chosen, Path(tmp))
    except NoPython313 as exc:
        print(f"make package: {exc} (CHECK=0 skips running it)", file=sys.stderr)
        return 1
    except AssertionError as exc:
        print(f"make package: the artifact does not run: {exc}", file=sys.stderr)
        return 1
    print(f"  ran in Python 3.13: {proves} ({seconds * 1000:.0f} ms cold)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
