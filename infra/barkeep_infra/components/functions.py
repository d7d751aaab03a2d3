"""One Lambda function of a packaged artifact, with its own log group (and retention)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from barkeep_infra.artifacts import Artifact, Function
from barkeep_infra.components.base import Component


@dataclass(frozen=True)
class Sizing:
    memory_mb: int
    timeout_seconds: int


# What each kind of function gets. The API's 29 s is API Gateway's own integration limit.
SIZING = {
    "api": Sizing(memory_mb=1024, timeout_seconds=29),
    "authorizer": Sizing(memory_mb=512, timeout_seconds=10),
    "appsync_authorizer": Sizing(memory_mb=512, timeout_seconds=10),
    # a batch of ten AI tasks (a prompt and an image each) must fit, or it is all redelivered
    "sqs": Sizing(memory_mb=1024, timeout_seconds=300),
    "schedule": Sizing(memory_mb=512, timeout_seconds=60),
}


def function_name(component: Component, function: Function) -> str:
    """`barkeep-<stage>-<service>-<function>`: known before the function exists, so the API's
    integration ARNs need not wait for it (and the function may read the API's id)."""
    return component.naming.name(function.name.replace("_", "-"))


def lambda_function(
    component: Component,
    artifact: Artifact,
    function: Function,
    *,
    role_arn: pulumi.Input[str],
    environment: Mapping[str, pulumi.Input[str]],
    log_retention_days: int,
    after: Sequence[pulumi.Resource] = (),
) -> aws.lambda_.Function:
    name = function_name(component, function)
    logs = aws.cloudwatch.LogGroup(
        component.child_name(f"{function.name}-logs"),
        name=f"/aws/lambda/{name}",
        retention_in_days=log_retention_days,
        tags=component.tags,
        opts=component.child(),
    )
    sizing = SIZING[function.kind]
    return aws.lambda_.Function(
        component.child_name(function.name),
        name=name,
        role=role_arn,
        runtime=artifact.runtime,
        architectures=[artifact.architecture],
        handler=function.handler,
        code=pulumi.FileArchive(str(artifact.zip_path)),
        source_code_hash=artifact.source_code_hash,
        memory_size=sizing.memory_mb,
        timeout=sizing.timeout_seconds,
        environment={"variables": dict(environment)},
        tracing_config={"mode": "Active"},
        logging_config={"log_format": "Text", "log_group": logs.name},
        tags=component.tags,
        opts=component.child(depends_on=[logs, *after]),
    )
