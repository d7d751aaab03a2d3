"""What each service stack exports, read by the web stack through one typed accessor per
service (`ServiceStack.of(stage, "orders").require("rest_api_id")`)."""

from __future__ import annotations

from typing import Any, Literal, get_args

import pulumi

SERVICE_PROJECT = "barkeep-service"

ServiceOutput = Literal["url", "rest_api_id", "role_arn", "role_name", "functions"]
OUTPUTS: tuple[str, ...] = get_args(ServiceOutput)


def service_stack_name(stage: str, service: str, organization: str = "organization") -> str:
    return f"{organization}/{SERVICE_PROJECT}/{stage}-{service}"


class ServiceStack:
    _cache: dict[str, ServiceStack] = {}

    def __init__(self, reference: pulumi.StackReference) -> None:
        self._reference = reference

    @classmethod
    def of(cls, stage: str, service: str, organization: str = "organization") -> ServiceStack:
        name = service_stack_name(stage, service, organization)
        if name not in cls._cache:
            cls._cache[name] = cls(
                pulumi.StackReference(f"service-{stage}-{service}", stack_name=name)
            )
        return cls._cache[name]

    @classmethod
    def forget(cls) -> None:
        cls._cache.clear()

    def require(self, name: ServiceOutput) -> pulumi.Output[Any]:
        if name not in OUTPUTS:
            raise KeyError(f"a service stack exports no {name!r}")
        return self._reference.require_output(name)
