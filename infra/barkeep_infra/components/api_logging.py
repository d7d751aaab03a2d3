"""API Gateway's account-wide permission to write logs (per region): without it no stage may
have access logs or execution logs.

It is one setting per account and region, however many stages share them: the first stage's
platform creates it, and it is kept when that stage is destroyed (`retain_on_delete`), so
another stage's logs never stop. A further stage in the same account and region may leave it
alone: `barkeep:apiGatewayAccount false`.
"""

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
        role, policy = self.iam_role(
            "apigateway-logs",
            "apigateway.amazonaws.com",
            [
                iam.Statement(
                    "ApiGatewayLogs",
                    LOG_ACTIONS,
                    [pulumi.Output.concat("arn:aws:logs:", region, ":", account_id, ":*")],
                )
            ],
            opts=self.child(retain_on_delete=True),
        )
        aws.apigateway.Account(
            self.child_name("account"),
            cloudwatch_role_arn=role.arn,
            opts=self.child(depends_on=[policy], retain_on_delete=True),
        )
        self.register_outputs({"role_arn": role.arn})
