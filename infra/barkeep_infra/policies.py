"""Policies as code (`pulumi-policy`): the rules every stack must keep.

They run offline in the tests over what Pulumi's mocks captured (`check`), and the same policy
objects make the pack in `infra/policy/` (`pulumi preview --policy-pack infra/policy`).

- no IAM statement grants `*` or `service:*` actions, and `"Resource": "*"` only for the actions
  in `iam.UNSCOPED_ACTIONS` (each with its reason);
- every bucket is private: all four public-access blocks on, no policy for `Principal: *`;
- every queue has a dead-letter queue (or is one);
- every function writes to a log group of its own with a retention;
- realtime publishing is IAM only, on the API and on every namespace;
- names carry the stage and are unique per resource type.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyResource,
    PolicyResourceOptions,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from barkeep_infra.iam import UNSCOPED_ACTIONS

IAM_POLICIES = ("aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy")
BUCKET = "aws:s3/bucket:Bucket"
QUEUE = "aws:sqs/queue:Queue"
FUNCTION = "aws:lambda/function:Function"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
# Resources whose `name` is not ours to choose per stage (a group named "admin" lives inside
# the stage's own pool; a namespace lives inside the stage's own API).
NAMED_INSIDE_A_STAGE_RESOURCE = {
    "aws:cognito/userGroup:UserGroup",
    "aws:appsync/channelNamespace:ChannelNamespace",
    "aws:cloudwatch/eventArchive:EventArchive",
}


# What each policy actually looked at in this run (a policy that examined nothing proves
# nothing: the tests require every count to be positive).
EXAMINED: Counter[str] = Counter()


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _document(value: Any) -> dict[str, Any] | None:
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            return None
        return parsed if isinstance(parsed, dict) else None
    return value if isinstance(value, dict) else None


def _no_wildcards(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type not in IAM_POLICIES:
        return
    document = _document(args.props.get("policy"))
    if document is None:
        return  # unknown during a preview
    for statement in _as_list(document.get("Statement", [])):
        EXAMINED["iam-no-wildcards"] += 1
        actions = _as_list(statement.get("Action", []))
        for action in actions:
            if action == "*" or action.endswith(":*"):
                report(f"{args.name}: grants every action of {action!r}", None)
        if "*" in _as_list(statement.get("Resource", [])):
            unscoped = [a for a in actions if a not in UNSCOPED_ACTIONS]
            if unscoped:
                report(f"{args.name}: {unscoped} on Resource '*' (scope them to ARNs)", None)


def _realtime_publish_is_iam(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type == "aws:appsync/api:Api":
        modes = (args.props.get("eventConfig") or {}).get("defaultPublishAuthModes")
    elif args.resource_type == "aws:appsync/channelNamespace:ChannelNamespace":
        modes = args.props.get("publishAuthModes")
    else:
        return
    EXAMINED["realtime-publish-iam-only"] += 1
    if modes != [{"authType": "AWS_IAM"}]:
        report(f"{args.name}: realtime publishing must be AWS_IAM only, not {modes}", None)


def _by_type(resources: list[PolicyResource], typ: str) -> list[PolicyResource]:
    return [r for r in resources if r.resource_type == typ]


def _private_buckets(args: StackValidationArgs, report: ReportViolation) -> None:
    blocks = _by_type(args.resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
    keys = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
    for bucket in _by_type(args.resources, BUCKET):
        EXAMINED["buckets-private"] += 1
        name = bucket.props.get("bucket")
        blocked = [b for b in blocks if b.props.get("bucket") in (name, bucket.props.get("id"))]
        if not any(all(b.props.get(k) is True for k in keys) for b in blocked):
            report(f"bucket {name}: no public access block with all four blocks on", bucket.urn)
    for policy in _by_type(args.resources, "aws:s3/bucketPolicy:BucketPolicy"):
        document = _document(policy.props.get("policy")) or {}
        for statement in _as_list(document.get("Statement", [])):
            if statement.get("Principal") in ("*", {"AWS": "*"}):
                report(f"{policy.name}: a bucket policy for everyone", policy.urn)


def _dead_letters(args: StackValidationArgs, report: ReportViolation) -> None:
    queues = _by_type(args.resources, QUEUE)
    dead = set()
    for queue in queues:
        redrive = _document(queue.props.get("redrivePolicy"))
        if redrive:
            dead.add(redrive.get("deadLetterTargetArn"))
    for queue in queues:
        EXAMINED["queues-dead-letters"] += 1
        if not queue.props.get("redrivePolicy") and queue.props.get("arn") not in dead:
            report(f"queue {queue.props.get('name')}: no dead-letter queue", queue.urn)


def _log_retention(args: StackValidationArgs, report: ReportViolation) -> None:
    groups = {g.props.get("name"): g for g in _by_type(args.resources, LOG_GROUP)}
    for function in _by_type(args.resources, FUNCTION):
        EXAMINED["functions-log-retention"] += 1
        group_name = (function.props.get("loggingConfig") or {}).get("logGroup")
        group = groups.get(group_name)
        if group is None:
            report(f"function {function.props.get('name')}: no log group of its own", function.urn)
        elif not group.props.get("retentionInDays"):
            report(f"log group {group_name}: keeps logs forever (set a retention)", group.urn)


def _names(stage: str) -> Callable[[StackValidationArgs, ReportViolation], None]:
    def validate(args: StackValidationArgs, report: ReportViolation) -> None:
        seen: dict[tuple[str, str], str] = {}
        for resource in args.resources:
            name = resource.props.get("name")
            if not isinstance(name, str) or resource.resource_type in NAMED_INSIDE_A_STAGE_RESOURCE:
                continue
            if not resource.resource_type.startswith("aws:"):
                continue
            EXAMINED["names-per-stage"] += 1
            if f"barkeep-{stage}" not in name:
                report(
                    f"{resource.resource_type} {name}: the name lacks barkeep-{stage}", resource.urn
                )
            key = (resource.resource_type, name)
            if key in seen:
                report(f"{resource.resource_type} {name}: named twice", resource.urn)
            seen[key] = resource.urn

    return validate


def policies(stage: str) -> list[ResourceValidationPolicy | StackValidationPolicy]:
    mandatory = EnforcementLevel.MANDATORY
    return [
        ResourceValidationPolicy(
            "iam-no-wildcards",
            "No IAM statement grants every action; Resource '*' only where AWS allows nothing else",
            _no_wildcards,
            mandatory,
        ),
        ResourceValidationPolicy(
            "realtime-publish-iam-only",
            "Only the services (SigV4) publish to AppSync Events",
            _realtime_publish_is_iam,
            mandatory,
        ),
        StackValidationPolicy(
            "buckets-private", "Every bucket blocks public access", _private_buckets, mandatory
        ),
        StackValidationPolicy(
            "queues-dead-letters", "Every queue has a dead-letter queue", _dead_letters, mandatory
        ),
        StackValidationPolicy(
            "functions-log-retention",
            "Every function logs to its own log group with a retention",
            _log_retention,
            mandatory,
        ),
        StackValidationPolicy(
            "names-per-stage",
            "Every name carries the stage and is unique per resource type",
            _names(stage),
            mandatory,
        ),
    ]


@dataclass
class Report:
    violations: list[str] = field(default_factory=list)
    # how many resources (or stacks) each policy looked at: a policy that checked nothing
    # proves nothing
    checked: dict[str, int] = field(default_factory=dict)


def check(resources: Iterable[tuple[str, str, dict[str, Any]]], stage: str) -> Report:
    """Run every policy offline over (type, name, props) triples, as the policy pack would."""
    report = Report()
    EXAMINED.clear()
    captured = [
        PolicyResource(
            resource_type=typ,
            props=props,
            urn=f"urn:pulumi:{stage}::barkeep::{typ}::{name}",
            name=name,
            opts=PolicyResourceOptions(
                protect=False,
                ignore_changes=[],
                delete_before_replace=None,
                aliases=[],
                additional_secret_outputs=[],
                custom_timeouts=None,  # type: ignore[arg-type]  # none of ours
            ),
            provider=None,
            parent=None,
            dependencies=[],
            property_dependencies={},
        )
        for typ, name, props in resources
    ]

    for policy in policies(stage):

        def violation(message: str, urn: str | None = None, policy: Any = policy) -> None:
            report.violations.append(f"[{policy.name}] {message}")

        if isinstance(policy, ResourceValidationPolicy):
            for resource in captured:
                policy.validate(
                    ResourceValidationArgs(
                        resource.resource_type,
                        resource.props,
                        resource.urn,
                        resource.name,
                        resource.opts,
                        None,
                    ),
                    violation,
                )
        else:
            policy.validate(StackValidationArgs(captured), violation)
        report.checked[policy.name] = EXAMINED[policy.name]
    return report
