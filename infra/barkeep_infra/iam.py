"""IAM documents from statements whose ARNs are still Outputs."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi

# Actions AWS grants on no resource narrower than "*" (each listed with why it is safe).
UNSCOPED_ACTIONS = {
    # X-Ray takes no resource: a function may only send its own segments.
    "xray:PutTraceSegments": "X-Ray has no resource-level permissions",
    "xray:PutTelemetryRecords": "X-Ray has no resource-level permissions",
}


@dataclass(frozen=True)
class Statement:
    sid: str
    actions: Sequence[str]
    resources: Sequence[pulumi.Input[str]]
    conditions: dict[str, Any] = field(default_factory=dict)


def function_basics(log_groups: pulumi.Input[str]) -> list[Statement]:
    """What every function of ours does: write its own logs and its X-Ray segments."""
    return [
        Statement("OwnLogs", ["logs:CreateLogStream", "logs:PutLogEvents"], [log_groups]),
        Statement("Tracing", ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], ["*"]),
    ]


def assume_role_policy(service: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": service},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    )


def document(statements: Sequence[Statement]) -> pulumi.Output[str]:
    """A policy document, once every resource ARN is known."""

    def render(resolved: list[list[str]]) -> str:
        rendered = []
        for statement, resources in zip(statements, resolved, strict=True):
            entry: dict[str, Any] = {
                "Sid": statement.sid,
                "Effect": "Allow",
                "Action": sorted(statement.actions),
                "Resource": sorted(resources),
            }
            if statement.conditions:
                entry["Condition"] = statement.conditions
            rendered.append(entry)
        return json.dumps({"Version": "2012-10-17", "Statement": rendered}, sort_keys=True)

    return pulumi.Output.all(*[pulumi.Output.all(*s.resources) for s in statements]).apply(render)
