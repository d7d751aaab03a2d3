"""The stage's EventBridge bus, with an archive so events can be replayed."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from barkeep_infra.components.base import Component
from barkeep_infra.naming import Naming


class EventBus(Component):
    def __init__(
        self, name: str, naming: Naming, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("EventBus", name, naming, opts)
        self.bus = aws.cloudwatch.EventBus(
            self.child_name("bus"), name=naming.prefix, tags=self.tags, opts=self.child()
        )
        self.archive = aws.cloudwatch.EventArchive(
            self.child_name("archive"),
            name=naming.name("events"),
            event_source_arn=self.bus.arn,
            retention_days=7 if naming.stage == "dev" else 90,
            description="Every Barkeep event of the stage, for replay",
            opts=self.child(),
        )
        self.name: pulumi.Output[str] = self.bus.name
        self.arn: pulumi.Output[str] = self.bus.arn
        self.register_outputs({"name": self.name, "arn": self.arn})
