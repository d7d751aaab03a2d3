"""Building one service's artifact: `build("orders", "arm64")` → dist/orders/{deployment.zip,
manifest.json, requirements.txt}."""

from __future__ import annotations

import fnmatch
import json
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packager import archive, dependencies, native
from packager.targets import RUNTIME, Target

WORKSPACE = Path(__file__).resolve().parents[2]
SERVICES_DIR = WORKSPACE / "services"
SHARED_LIBRARY = WORKSPACE / "shared" / "barkeep"
DIST = WORKSPACE / "dist"
# Parts of `barkeep` no function imports: pytest fixtures, moto and the embedded database
# (testing), Chalice's local gateway (local), the migration runner with the shared migrations
# (`make deploy` runs them from the repository, not a Lambda) and the platform declarations'
# reader (infra's and the local stack's).
SHARED_NOT_IN_LAMBDA = ("testing/*", "local.py", "migrate.py", "migrations/*", "declarations.py")
MANIFEST_VERSION = 1


# Functions of the platform's own, built from the shared library alone: the AppSync Events
# channel authorizer (the same decision the local emulator calls).
PLATFORM_FUNCTIONS: dict[str, list[dict[str, str]]] = {
    "realtime": [
        {
            "name": "channel_authorizer",
            "kind": "appsync_authorizer",
            "handler": "barkeep.realtime.lambda_handler",
        }
    ],
}


class UnknownService(ValueError):
    pass


class PackagingError(RuntimeError):
    pass


def services() -> list[str]:
    return sorted(p.parent.name for p in SERVICES_DIR.glob("*/app.py"))


def packageable() -> list[str]:
    """Every artifact `make package SERVICE=…` builds: the services and the platform's."""
    return [*services(), *sorted(PLATFORM_FUNCTIONS)]


def service_dir(service: str) -> Path:
    if service not in services():
        raise UnknownService(f"unknown SERVICE {service!r}: use one of {', '.join(packageable())}")
    return SERVICES_DIR / service


def project_name(name: str) -> str:
    """The workspace member whose locked dependencies are the Lambda's."""
    if name in PLATFORM_FUNCTIONS:
        return "barkeep"
    pyproject = tomllib.loads((service_dir(name) / "pyproject.toml").read_text())
    project: str = pyproject["project"]["name"]
    return project


@dataclass(frozen=True)
class Built:
    service: str
    directory: Path
    manifest: dict[str, Any]

    @property
    def zip_path(self) -> Path:
        return self.directory / "deployment.zip"

    @property
    def manifest_path(self) -> Path:
        return self.directory / "manifest.json"


def _copy_tree(source: Path, destination: Path, *, skip: tuple[str, ...] = ()) -> None:
    for relative, path in archive.files_under(source):
        if not any(fnmatch.fnmatchcase(relative, pattern) for pattern in skip):
            target = destination / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


def stage_code(service: str, into: Path) -> None:
    """The service's own code and the shared library, as Lambda will import them.

    Not the service's `migrations/` (deploy runs them) or `seed/` (only the local stack seeds).
    """
    source = service_dir(service)
    shutil.copyfile(source / "app.py", into / "app.py")
    _copy_tree(source / "chalicelib", into / "chalicelib")
    _copy_tree(SHARED_LIBRARY, into / "barkeep", skip=SHARED_NOT_IN_LAMBDA)


def describe(service: str, scratch: Path) -> dict[str, Any]:
    """The app's functions, routes, environment and Swagger, from a process of its own."""
    out = scratch / "described.json"
    result = subprocess.run(
        [sys.executable, "-m", "packager.describe", str(out)],
        cwd=service_dir(service),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise PackagingError(f"could not describe {service}'s app:\n{result.stderr.strip()}")
    described: dict[str, Any] = json.loads(out.read_text())
    return described


def _platform_function(name: str) -> dict[str, Any]:
    from barkeep.settings import Env

    return {
        "service": name,
        "functions": PLATFORM_FUNCTIONS[name],
        "routes": [],
        "environment": sorted(Env.PLATFORM),
        "placeholders": {},
    }


def build(service: str, target: Target, *, out: Path = DIST) -> Built:
    package = project_name(service)
    directory = out / service
    with tempfile.TemporaryDirectory(prefix=f"barkeep-package-{service}-") as tmp:
        scratch = Path(tmp)
        task = scratch / "task"
        task.mkdir()
        if service in PLATFORM_FUNCTIONS:
            _copy_tree(SHARED_LIBRARY, task / "barkeep", skip=SHARED_NOT_IN_LAMBDA)
        else:
            stage_code(service, task)
        pinned = dependencies.lambda_requirements(WORKSPACE, package)
        dependencies.install(pinned, task, target, scratch=scratch)
        dependencies.install_chalice_runtime(
            dependencies.chalice_requirement(WORKSPACE, package), task, target, scratch=scratch
        )
        described = (
            _platform_function(service)
            if service in PLATFORM_FUNCTIONS
            else describe(service, scratch)
        )
        directory.mkdir(parents=True, exist_ok=True)
        written = archive.write_zip(directory / "deployment.zip", archive.files_under(task))
    with zipfile.ZipFile(written.path) as artifact:
        wrong = native.problems(artifact, target)
    if wrong:
        raise PackagingError(
            f"{service}: native code that would not load on {target.architecture}:\n  "
            + "\n  ".join(wrong)
        )
    (directory / "requirements.txt").write_text(pinned.text)
    manifest = {
        "manifest_version": MANIFEST_VERSION,
        "service": service,
        "runtime": RUNTIME,
        "architecture": target.architecture,
        "artifact": {
            "file": written.path.name,
            "sha256": written.sha256,
            "size": written.size,
            "unpacked_size": written.unpacked_size,
            "files": written.files,
        },
        "dependencies": dict(sorted(pinned.pins.items())),
        **described,
    }
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return Built(service, directory, manifest)


def unpack(built: Built, into: Path) -> Path:
    """The artifact unzipped, as Lambda lays it out in /var/task."""
    into.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(built.zip_path) as artifact:
        artifact.extractall(into)
    return into


def lambda_runtime(service: str, target: Target, into: Path) -> Path:
    """What the Lambda runtime provides beside /var/task (boto3, botocore), as locked here."""
    marker = into / ".complete"
    if not marker.exists():
        shutil.rmtree(into, ignore_errors=True)
        into.mkdir(parents=True)
        with tempfile.TemporaryDirectory(prefix="barkeep-runtime-") as tmp:
            provided = dependencies.runtime_requirements(WORKSPACE, project_name(service))
            dependencies.install(provided, into, target, scratch=Path(tmp))
        marker.write_text("")
    return into
