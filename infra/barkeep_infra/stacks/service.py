"""One service's stack (`<stage>-<service>`): its functions, API, queues and alarms, from its
manifest and declaration, on top of the stage's platform stack."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pulumi
from barkeep.declarations import load

from barkeep_infra import artifacts
from barkeep_infra.components.chalice_service import ChaliceService, ServiceArgs
from barkeep_infra.config import ServiceConfig
from barkeep_infra.naming import Naming
from barkeep_infra.platform_outputs import Platform
from barkeep_infra.service_outputs import OUTPUTS

SERVICES_DIR = Path(__file__).resolve().parents[3] / "services"
# a directory holding <service>/manifest.json and its zip, instead of dist/
ARTIFACT_DIR = "BARKEEP_ARTIFACT_DIR"


def _artifacts_dir(dist: Path) -> Path:
    chosen = os.environ.get(ARTIFACT_DIR)
    return Path(chosen) if chosen else dist


def service_program(
    dist: Path = artifacts.DIST, services_dir: Path = SERVICES_DIR
) -> ChaliceService:
    cfg = ServiceConfig.read()
    naming = Naming(cfg.stage, cfg.service)
    service = ChaliceService(
        cfg.service,
        naming,
        ServiceArgs(
            # `make rollback` points at an earlier commit's artifact, fetched from the stage's
            # artifacts bucket; otherwise what `make package` just built
            artifact=artifacts.load(cfg.service, _artifacts_dir(dist)),
            needs=load(services_dir / cfg.service),
            platform=Platform.of(cfg.stage, cfg.organization),
            region=cfg.region,
            log_retention_days=cfg.log_retention_days,
        ),
    )
    exports: dict[str, pulumi.Input[Any]] = {
        "url": service.url,
        "rest_api_id": service.rest_api.id,
        "role_arn": service.role.arn,
        "role_name": service.role.name,
        "functions": {n: f.name for n, f in service.functions.items()},
    }
    if tuple(exports) != OUTPUTS:
        raise RuntimeError("a service stack must export exactly ServiceOutput, in its order")
    for name, value in exports.items():
        pulumi.export(name, value)
    return service
