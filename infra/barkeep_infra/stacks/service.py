"""One service's stack (`<stage>-<service>`): its functions, API, queues and alarms, from its
manifest and declaration, on top of the stage's platform stack."""

from __future__ import annotations

from pathlib import Path

import pulumi
from barkeep.declarations import load

from barkeep_infra import artifacts
from barkeep_infra.components.chalice_service import ChaliceService, ServiceArgs
from barkeep_infra.config import ServiceConfig
from barkeep_infra.naming import Naming
from barkeep_infra.platform_outputs import Platform

SERVICES_DIR = Path(__file__).resolve().parents[3] / "services"


def service_program(
    dist: Path = artifacts.DIST, services_dir: Path = SERVICES_DIR
) -> ChaliceService:
    cfg = ServiceConfig.read()
    naming = Naming(cfg.stage, cfg.service)
    service = ChaliceService(
        cfg.service,
        naming,
        ServiceArgs(
            artifact=artifacts.load(cfg.service, dist),
            needs=load(services_dir / cfg.service),
            platform=Platform.of(cfg.stage, cfg.organization),
            region=cfg.region,
            log_retention_days=cfg.log_retention_days,
        ),
    )
    pulumi.export("url", service.url)
    pulumi.export("rest_api_id", service.rest_api.id)
    pulumi.export("role_arn", service.role.arn)
    pulumi.export("role_name", service.role.name)
    pulumi.export("functions", {n: f.name for n, f in service.functions.items()})
    return service
