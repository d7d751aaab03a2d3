"""The policy pack, offline, over what the mocks captured, and against resources built to
break each rule (so a policy that cannot fail would show)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from barkeep_infra.policies import check, policies

from tests.conftest import UNDER_TEST
from tests.harness import Run


def _triples(run: Run) -> list[tuple[str, str, dict[str, Any]]]:
    return [(r.typ, r.name, r.outputs) for r in run.resources]


def test_the_platform_keeps_every_rule(platform: Run) -> None:
    report = check(_triples(platform), "dev")
    assert report.violations == []
    # every policy examined something of the platform, except the queue rule (it has none)
    assert {name for name, n in report.checked.items() if n == 0} == {"queues-dead-letters"}


def test_every_service_keeps_every_rule(services: dict[str, Run]) -> None:
    everything = [t for run in services.values() for t in _triples(run)]
    report = check(everything, "dev")
    assert report.violations == []
    unexamined = {name for name, n in report.checked.items() if n == 0}
    # services own no bucket and no realtime API; one alone may own no queue either
    assert unexamined - {"queues-dead-letters"} == {"realtime-publish-iam-only", "buckets-private"}
    if not UNDER_TEST:
        assert "queues-dead-letters" not in unexamined
    assert set(report.checked) == {p.name for p in policies("dev")}


def _policy_doc(action: str, resource: str) -> str:
    return json.dumps(
        {"Statement": [{"Effect": "Allow", "Action": [action], "Resource": [resource]}]}
    )


@pytest.mark.parametrize(
    ("resources", "expected"),
    [
        (
            [
                (
                    "aws:iam/rolePolicy:RolePolicy",
                    "p",
                    {"policy": _policy_doc("s3:*", "arn:aws:s3:::b/*")},
                )
            ],
            "iam-no-wildcards",
        ),
        (
            [
                (
                    "aws:iam/rolePolicy:RolePolicy",
                    "p",
                    {"policy": _policy_doc("sqs:SendMessage", "*")},
                )
            ],
            "iam-no-wildcards",
        ),
        ([("aws:s3/bucket:Bucket", "b", {"bucket": "barkeep-dev-x"})], "buckets-private"),
        (
            [
                ("aws:s3/bucket:Bucket", "b", {"bucket": "barkeep-dev-x"}),
                (
                    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                    "pab",
                    {
                        "bucket": "barkeep-dev-x",
                        "blockPublicAcls": True,
                        "blockPublicPolicy": False,
                        "ignorePublicAcls": True,
                        "restrictPublicBuckets": True,
                    },
                ),
            ],
            "buckets-private",
        ),
        (
            [("aws:sqs/queue:Queue", "q", {"name": "barkeep-dev-ai-work", "arn": "arn:q"})],
            "queues-dead-letters",
        ),
        (
            [
                (
                    "aws:lambda/function:Function",
                    "f",
                    {
                        "name": "barkeep-dev-ai-api",
                        "loggingConfig": {"logGroup": "/aws/lambda/barkeep-dev-ai-api"},
                    },
                )
            ],
            "functions-log-retention",
        ),
        (
            [
                (
                    "aws:lambda/function:Function",
                    "f",
                    {
                        "name": "barkeep-dev-ai-api",
                        "loggingConfig": {"logGroup": "/aws/lambda/barkeep-dev-ai-api"},
                    },
                ),
                (
                    "aws:cloudwatch/logGroup:LogGroup",
                    "l",
                    {"name": "/aws/lambda/barkeep-dev-ai-api"},
                ),
            ],
            "functions-log-retention",
        ),
        (
            [
                (
                    "aws:appsync/channelNamespace:ChannelNamespace",
                    "n",
                    {"name": "orders", "publishAuthModes": [{"authType": "API_KEY"}]},
                )
            ],
            "realtime-publish-iam-only",
        ),
        (
            [("aws:sqs/queue:Queue", "q", {"name": "orders-work", "redrivePolicy": "{}"})],
            "names-per-stage",
        ),
        (
            [
                ("aws:sns/topic:Topic", "a", {"name": "barkeep-dev-alarms"}),
                ("aws:sns/topic:Topic", "b", {"name": "barkeep-dev-alarms"}),
            ],
            "names-per-stage",
        ),
    ],
)
def test_each_rule_catches_what_breaks_it(
    resources: list[tuple[str, str, dict[str, Any]]], expected: str
) -> None:
    violations = check(resources, "dev").violations
    assert violations and all(v.startswith(f"[{expected}]") for v in violations), violations


def test_the_x_ray_exception_is_the_only_unscoped_resource() -> None:
    allowed = _policy_doc("xray:PutTraceSegments", "*")
    assert (
        check([("aws:iam/rolePolicy:RolePolicy", "p", {"policy": allowed})], "dev").violations == []
    )
