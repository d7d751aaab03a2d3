"""Third-party dependencies, exactly as `uv.lock` pins them, installed for the Lambda target.

uv installs wheels for another platform and Python version without that interpreter
(`--python-platform`, `--python-version`); `--only-binary :all:` turns a missing wheel into an
error, never a silent skip or a build from source for the wrong machine.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from packager.targets import PYTHON_VERSION, Target

# The Lambda runtime ships boto3 and botocore (and with them s3transfer, jmespath, urllib3,
# python-dateutil and six): pruned from the zip, with whatever only they need.
PROVIDED_BY_LAMBDA = ("boto3", "botocore")
# Chalice contributes only its runtime module (chalice/app.py), not its CLI and dependencies.
CHALICE = "chalice"


class DependencyError(RuntimeError):
    pass


def uv_command() -> list[str]:
    """The uv that runs us (`uv run` sets UV), else the workspace's own (a dev dependency),
    else whatever uv is on PATH."""
    beside = Path(sys.executable).with_name("uv")
    found = os.environ.get("UV") or (str(beside) if beside.exists() else shutil.which("uv"))
    if not found:
        raise DependencyError("uv is needed to package a service: run `make install` first")
    return [found]


def _run(args: list[str], *, cwd: Path | None = None) -> str:
    result = subprocess.run(
        [*uv_command(), *args], cwd=cwd, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise DependencyError(f"uv {' '.join(args[:2])} failed:\n{result.stderr.strip()}")
    return result.stdout


@dataclass(frozen=True)
class Requirements:
    """A pinned, hashed requirements file: one block per requirement, its hashes included."""

    text: str

    @property
    def blocks(self) -> dict[str, str]:
        found: dict[str, str] = {}
        name = ""
        for line in self.text.splitlines(keepends=True):
            if line.startswith((" ", "\t")) and name:
                found[name] += line
            elif line.strip() and not line.lstrip().startswith("#"):
                name = re.split(r"[=<>;\s\[]", line, maxsplit=1)[0].lower()
                found[name] = line
        return found

    @property
    def pins(self) -> dict[str, str]:
        return {
            m.group(1).lower(): m.group(2)
            for m in re.finditer(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", self.text, re.MULTILINE)
        }

    def only(self, names: set[str]) -> Requirements:
        return Requirements("".join(b for n, b in self.blocks.items() if n in names))

    def without(self, names: set[str]) -> Requirements:
        return Requirements("".join(b for n, b in self.blocks.items() if n not in names))


def export(workspace: Path, package: str, *, prune: tuple[str, ...]) -> Requirements:
    """The locked runtime dependencies of a workspace member (no dev groups, no members)."""
    args = ["export", "--frozen", "--package", package, "--no-dev", "--no-emit-workspace"]
    args += ["--no-header", "--no-annotate", "--format", "requirements-txt"]
    for name in prune:
        args += ["--prune", name]
    return Requirements(_run(args, cwd=workspace))


def lambda_requirements(workspace: Path, package: str) -> Requirements:
    """What goes into the zip: the service's locked closure minus Chalice and the runtime's own."""
    return export(workspace, package, prune=(CHALICE, *PROVIDED_BY_LAMBDA))


def runtime_requirements(workspace: Path, package: str) -> Requirements:
    """What the Lambda runtime provides (boto3, botocore and what they need), as locked here:
    installed beside an unzipped artifact to run it the way Lambda does."""
    shipped = set(lambda_requirements(workspace, package).pins)
    return export(workspace, package, prune=(CHALICE,)).without(shipped)


def chalice_requirement(workspace: Path, package: str) -> Requirements:
    found = export(workspace, package, prune=PROVIDED_BY_LAMBDA).only({CHALICE})
    if not found.pins:
        raise DependencyError(f"{package} does not depend on chalice")
    return found


def install(requirements: Requirements, into: Path, target: Target, *, scratch: Path) -> None:
    """Install exactly these pins for the target into `into` (a flat, site-packages-like dir)."""
    if not requirements.pins:
        return
    listing = scratch / f"requirements-{into.name}.txt"
    listing.write_text(requirements.text)
    _run(
        [
            "pip",
            "install",
            "--quiet",
            "--target",
            str(into),
            "--no-deps",
            "--require-hashes",
            "--only-binary",
            ":all:",
            "--python-version",
            PYTHON_VERSION,
            "--python-platform",
            target.uv_platform,
            "--no-compile",
            "--no-config",
            "-r",
            str(listing),
        ]
    )


def install_chalice_runtime(
    requirement: Requirements, into: Path, target: Target, *, scratch: Path
) -> None:
    """Chalice's runtime module only (what `chalice package` ships too): chalice/app.py."""
    unpacked = scratch / "chalice-wheel"
    install(requirement, unpacked, target, scratch=scratch)
    (into / CHALICE).mkdir(parents=True, exist_ok=True)
    for name in ("__init__.py", "app.py"):
        shutil.copyfile(unpacked / CHALICE / name, into / CHALICE / name)
