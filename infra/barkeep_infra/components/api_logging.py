"""API Gateway's account-wide permission to write logs (per region): without it no stage may
have access logs or execution logs. One per account and region, so the platform owns it."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from barkeep_infra import iam
from barkeep_infra.components.base import Component
from barkeep_infra.naming import Naming

LOG_ACTIONS = [
    "logs:CreateLogGroup",
    "logs:CreateLogStream",
    "logs:DescribeLogGroups",
    "logs:DescribeLogStreams",
    "logs:PutLogEvents",
    "logs:GetLogEvents",
    "logs:FilterLogEvents",
]


class ApiLogging(Component):
    def __init__(
        self,
        name: str,
        naming: Naming,
        region: str,
        account_id: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("ApiLogging", name, naming, opts)
        role = aws.iam.Role(
            self.child_name("role"),
            name=naming.name("apigateway-logs"),
            assume_role_policy=iam.assume_role_policy("apigateway.amazonaws.com"),
            tags=self.tags,
            opts=self.child(),
        )
        policy = aws.iam.RolePolicy(
            self.child_name("policy"),
            role=role.id,
            policy=iam.document(
                [
                    iam.Statement(
                        "ApiGatewayLogs",
                        LOG_ACTIONS,
                        [pulumi.Output.concat("arn:aws:logs:", region, ":", account_id, ":*")],
                    )
                ]
            ),
            opts=self.child(),
        )
        aws.apigateway.Account(
            self.child_name("account"),
            cloudwatch_role_arn=role.arn,
            opts=self.child(depends_on=[policy]),
        )
        self.register_outputs({"role_arn": role.arn})
