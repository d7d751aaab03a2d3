"""Where every alarm of the stage goes: one SNS topic (and an email, when configured)."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from barkeep_infra.components.base import Component
from barkeep_infra.naming import Naming


class Alarms(Component):
    def __init__(
        self,
        name: str,
        naming: Naming,
        email: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("Alarms", name, naming, opts)
        self.topic = aws.sns.Topic(
            self.child_name("topic"),
            # unencrypted on purpose: CloudWatch alarms cannot publish to a topic under the
            # AWS-managed SNS key, and alarm texts carry no personal data
            name=naming.name("alarms"),
            tags=self.tags,
            opts=self.child(),
        )
        if email:
            aws.sns.TopicSubscription(
                self.child_name("email"),
                topic=self.topic.arn,
                protocol="email",
                endpoint=email,
                opts=self.child(),
            )
        self.topic_arn: pulumi.Output[str] = self.topic.arn
        self.register_outputs({"topic_arn": self.topic_arn})
