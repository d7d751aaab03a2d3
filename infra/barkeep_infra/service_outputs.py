"""What each service stack exports, read by the web stack through one typed accessor per
service (`ServiceStack.of(stage, "orders").require("rest_api_id")`)."""

from __future__ import annotations

from typing import Any, Literal, get_args

import pulumi

from barkeep_infra.stack_reference import TypedReference

SERVICE_PROJECT = "barkeep-service"

ServiceOutput = Literal["url", "rest_api_id", "role_arn", "role_name", "functions"]
OUTPUTS: tuple[str, ...] = get_args(ServiceOutput)


def service_stack_name(stage: str, service: str, organization: str = "organization") -> str:
    return f"{organization}/{SERVICE_PROJECT}/{stage}-{service}"


class ServiceStack(TypedReference):
    OUTPUTS = OUTPUTS
    WHAT = "service stack"

    @classmethod
    def of(cls, stage: str, service: str, organization: str = "organization") -> ServiceStack:
        return cls(f"service-{stage}-{service}", service_stack_name(stage, service, organization))

    def require(self, name: ServiceOutput) -> pulumi.Output[Any]:
        return self._require(name)
