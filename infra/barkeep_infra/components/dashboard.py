"""The stage's CloudWatch dashboard: is the party going well?

Per service: requests, p99 latency and 5xx of its API. Then orders placed and made ready per
minute, realtime publishes and failures, what each outbox left for its sweeper, and every
dead-letter queue. Names are derived (barkeep-<stage>-<service>-…), so the platform draws the
services' metrics without depending on their stacks; the services come from their
declarations, the custom metrics from barkeep.observability.metric (embedded metric format).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pulumi
import pulumi_aws as aws
from barkeep.declarations import ServiceNeeds
from barkeep.observability import METRICS_NAMESPACE
from barkeep.settings import resource_name

from barkeep_infra.components.base import Component
from barkeep_infra.naming import Naming

WIDTH = 8
HEIGHT = 6


def _widget(
    title: str, metrics: list[list[Any]], region: str, *, stat: str = "Sum"
) -> dict[str, Any]:
    return {
        "type": "metric",
        "width": WIDTH,
        "height": HEIGHT,
        "properties": {
            "title": title,
            "region": region,
            "stat": stat,
            "period": 60,
            "view": "timeSeries",
            "metrics": metrics,
        },
    }


def dashboard_body(stage: str, region: str, needs: Mapping[str, ServiceNeeds]) -> dict[str, Any]:
    widgets: list[dict[str, Any]] = []
    for service in sorted(needs):
        api = ["ApiName", f"barkeep-{stage}-{service}", "Stage", stage]
        widgets.append(_widget(f"{service}: requests", [["AWS/ApiGateway", "Count", *api]], region))
        widgets.append(
            _widget(
                f"{service}: latency p99", [["AWS/ApiGateway", "Latency", *api]], region, stat="p99"
            )
        )
        widgets.append(_widget(f"{service}: 5xx", [["AWS/ApiGateway", "5XXError", *api]], region))
    ours = ["Stage", stage]
    widgets.append(
        _widget(
            "orders per minute: placed, ready",
            [
                [METRICS_NAMESPACE, "OrdersPlaced", *ours, "Service", "orders"],
                [METRICS_NAMESPACE, "OrdersReady", *ours, "Service", "orders"],
            ],
            region,
        )
    )
    publishers = sorted(s for s, n in needs.items() if n.publishes)
    widgets.append(
        _widget(
            "realtime: published, failed",
            [
                [METRICS_NAMESPACE, name, *ours, "Service", s, "Target", "realtime"]
                for s in publishers
                for name in ("Published", "PublishFailed")
            ],
            region,
        )
    )
    widgets.append(
        _widget(
            "outbox backlog (left for the sweeper)",
            [[METRICS_NAMESPACE, "OutboxPending", *ours, "Service", s] for s in sorted(needs)],
            region,
            stat="Maximum",
        )
    )
    widgets.append(
        _widget(
            "dead letters",
            [
                [
                    "AWS/SQS",
                    "ApproximateNumberOfMessagesVisible",
                    "QueueName",
                    resource_name(s, sub.dead_letters, stage=stage),
                ]
                for s in sorted(needs)
                for sub in needs[s].subscriptions
            ],
            region,
            stat="Maximum",
        )
    )
    for index, widget in enumerate(widgets):
        widget["x"] = (index % 3) * WIDTH
        widget["y"] = (index // 3) * HEIGHT
    return {"widgets": widgets}


class Dashboard(Component):
    def __init__(
        self,
        name: str,
        naming: Naming,
        region: str,
        needs: Mapping[str, ServiceNeeds],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("Dashboard", name, naming, opts)
        self.dashboard = aws.cloudwatch.Dashboard(
            self.child_name("dashboard"),
            dashboard_name=naming.name("party"),
            dashboard_body=json.dumps(dashboard_body(naming.stage, region, needs)),
            opts=self.child(),
        )
        self.register_outputs({"name": self.dashboard.dashboard_name})
