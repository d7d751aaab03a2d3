"""A packaged service as infra sees it: `dist/<name>/manifest.json` and its zip (`make
package`), never the service's code."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DIST = Path(__file__).resolve().parents[2] / "dist"
MANIFEST_VERSION = 1


class MissingArtifact(FileNotFoundError):
    pass


@dataclass(frozen=True)
class Function:
    name: str
    kind: str  # api | authorizer | sqs | schedule | appsync_authorizer
    handler: str
    identity_header: str | None = None
    ttl_seconds: int | None = None
    queue: str | None = None
    batch_size: int | None = None
    maximum_batching_window_seconds: int = 0
    schedule: str | None = None


@dataclass(frozen=True)
class Artifact:
    directory: Path
    manifest: dict[str, Any]

    @property
    def service(self) -> str:
        name: str = self.manifest["service"]
        return name

    @property
    def zip_path(self) -> Path:
        name: str = self.manifest["artifact"]["file"]
        return self.directory / name

    @property
    def source_code_hash(self) -> str:
        """What Lambda compares to decide the code changed: base64 of the zip's SHA-256."""
        return base64.b64encode(bytes.fromhex(self.manifest["artifact"]["sha256"])).decode()

    @property
    def architecture(self) -> str:
        arch: str = self.manifest["architecture"]
        return arch

    @property
    def runtime(self) -> str:
        runtime: str = self.manifest["runtime"]
        return runtime

    @property
    def functions(self) -> list[Function]:
        return [Function(**entry) for entry in self.manifest["functions"]]

    def function(self, kind: str) -> list[Function]:
        return [f for f in self.functions if f.kind == kind]

    @property
    def environment(self) -> list[str]:
        names: list[str] = self.manifest.get("environment", [])
        return names

    @property
    def swagger(self) -> dict[str, Any]:
        document: dict[str, Any] = self.manifest["swagger"]
        return document

    @property
    def placeholders(self) -> dict[str, str]:
        found: dict[str, str] = self.manifest.get("placeholders", {})
        return found


def load(name: str, dist: Path = DIST) -> Artifact:
    directory = dist / name
    manifest_path = directory / "manifest.json"
    if not manifest_path.exists():
        raise MissingArtifact(
            f"{manifest_path} is missing: run `make package SERVICE={name}` first"
        )
    manifest = json.loads(manifest_path.read_text())
    if manifest.get("manifest_version") != MANIFEST_VERSION:
        raise MissingArtifact(f"{manifest_path}: rebuild it with this commit's `make package`")
    artifact = Artifact(directory, manifest)
    if not artifact.zip_path.exists():
        raise MissingArtifact(f"{artifact.zip_path} is missing: run `make package` again")
    return artifact
