"""Aurora DSQL: one cluster per stage; each service owns a schema in it."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from barkeep_infra.components.base import Component
from barkeep_infra.naming import Naming


class Database(Component):
    def __init__(
        self, name: str, naming: Naming, region: str, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("Database", name, naming, opts)
        self.cluster = aws.dsql.Cluster(
            self.child_name("cluster"),
            deletion_protection_enabled=naming.protected,
            tags={**self.tags, "Name": naming.name("db")},
            opts=self.child(protect=naming.protected),
        )
        self.arn: pulumi.Output[str] = self.cluster.arn
        # pulumi-aws exports no endpoint: DSQL's is `<identifier>.dsql.<region>.on.aws`.
        self.endpoint: pulumi.Output[str] = pulumi.Output.concat(
            self.cluster.identifier, ".dsql.", region, ".on.aws"
        )
        self.register_outputs({"arn": self.arn, "endpoint": self.endpoint})
