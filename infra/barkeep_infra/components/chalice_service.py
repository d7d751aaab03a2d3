"""One Chalice service as native AWS resources, from `make package`'s manifest and zip and the
service's own platform declaration: nothing of the service is imported.

- one Lambda function per manifest entry (its own log group, X-Ray on), all under one role
  holding only what the declaration asks for;
- the REST API from the manifest's Swagger (placeholders filled, gateway responses in our
  envelope), a deployment that changes when the document does, a stage with X-Ray, JSON access
  logs, the declared throttles and stage cache;
- each declared queue with its dead-letter queue, fed by rules on the platform's bus;
- the SQS consumers (partial batch failures reported) and schedules;
- alarms on 5xx, function errors and throttles, and dead letters, to the platform's topic.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws
from barkeep.declarations import MAX_RECEIVES, ServiceNeeds, Subscription

from barkeep_infra import api, iam
from barkeep_infra.artifacts import Artifact, Function
from barkeep_infra.components.base import Component
from barkeep_infra.components.functions import SIZING, function_name, lambda_function
from barkeep_infra.environment import service_environment
from barkeep_infra.naming import Naming
from barkeep_infra.platform_outputs import Platform, PlatformOutput

# Bedrock's cross-region inference profiles are named <geography>.<model id>.
# Each platform secret a service may declare (`[secrets] manages`): its statement and ARN.
SECRETS: dict[str, tuple[str, PlatformOutput]] = {
    "signing-keys": ("SigningKeys", "signing_keys_secret_arn"),
    "push-keys": ("PushKeys", "push_keys_secret_arn"),
}
INFERENCE_PROFILE_PREFIXES = {"us", "eu", "apac", "global", "us-gov"}
ACCESS_LOG_FORMAT = json.dumps(
    {
        "request_id": "$context.requestId",
        "ip": "$context.identity.sourceIp",
        "time": "$context.requestTime",
        "method": "$context.httpMethod",
        "route": "$context.resourcePath",
        "status": "$context.status",
        "bytes": "$context.responseLength",
        "latency_ms": "$context.responseLatency",
        "integration_latency_ms": "$context.integration.latency",
        "authorizer_error": "$context.authorizer.error",
        "error": "$context.error.message",
    },
    separators=(",", ":"),
)


@dataclass(frozen=True)
class ServiceArgs:
    artifact: Artifact
    needs: ServiceNeeds
    platform: Platform
    region: str
    log_retention_days: int


class ChaliceService(Component):
    KIND = "service"

    def __init__(
        self,
        name: str,
        naming: Naming,
        args: ServiceArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("ChaliceService", name, naming, opts)
        self.args = args
        platform = args.platform
        self.account_id = platform.require("account_id")
        self.queues = self._queues()
        self.rest_api = self._rest_api()
        # `barkeep-<stage>-<service>-role`: make deploy maps the DB roles to it by that name
        self.role, self.role_policy = self.iam_role(
            "role", "lambda.amazonaws.com", self._statements()
        )
        api_cache = (
            pulumi.Output.concat(self.rest_api.id, "/", naming.stage) if args.needs.cache else None
        )
        environment = service_environment(
            args.artifact.environment,
            platform=platform,
            needs=args.needs,
            stage=naming.stage,
            api_cache=api_cache,
        )
        self.environment = environment
        self.functions: dict[str, aws.lambda_.Function] = {
            f.name: lambda_function(
                self,
                args.artifact,
                f,
                role_arn=self.role.arn,
                environment=environment,
                log_retention_days=args.log_retention_days,
                # CreateFunction with active tracing checks the role may already write to X-Ray
                after=[self.role_policy],
            )
            for f in args.artifact.functions
        }
        self.permissions = self._api_permissions()
        self.stage = self._stage()
        self._consumers()
        self._schedules()
        self._alarms()
        self.url: pulumi.Output[str] = self.stage.invoke_url
        self.register_outputs(
            {
                "url": self.url,
                "rest_api_id": self.rest_api.id,
                "role_arn": self.role.arn,
            }
        )

    # --- names and ARNs known before anything exists ----------------------------------------
    def _function_arn(self, function: Function) -> pulumi.Output[str]:
        return pulumi.Output.concat(
            "arn:aws:lambda:",
            self.args.region,
            ":",
            self.account_id,
            ":function:",
            function_name(self, function),
        )

    # --- queues ---------------------------------------------------------------------------
    def _queues(self) -> dict[str, tuple[aws.sqs.Queue, aws.sqs.Queue]]:
        consumer_timeout = SIZING["sqs"].timeout_seconds
        queues = {}
        for subscription in self.args.needs.subscriptions:
            dead = aws.sqs.Queue(
                self.child_name(f"{subscription.queue}-dlq"),
                name=self.naming.name(subscription.dead_letters),
                message_retention_seconds=14 * 24 * 3600,
                sqs_managed_sse_enabled=True,
                tags=self.tags,
                opts=self.child(),
            )
            queue = aws.sqs.Queue(
                self.child_name(f"{subscription.queue}-queue"),
                name=self.naming.name(subscription.queue),
                # AWS: at least six times the consumer's timeout, so a slow batch is not redelivered
                visibility_timeout_seconds=6 * consumer_timeout,
                message_retention_seconds=4 * 24 * 3600,
                sqs_managed_sse_enabled=True,
                redrive_policy=dead.arn.apply(
                    lambda arn: json.dumps(
                        {"deadLetterTargetArn": arn, "maxReceiveCount": MAX_RECEIVES}
                    )
                ),
                tags=self.tags,
                opts=self.child(),
            )
            rules = [self._rule(subscription, pattern, queue) for pattern in subscription.events]
            aws.sqs.QueuePolicy(
                self.child_name(f"{subscription.queue}-from-bus"),
                queue_url=queue.url,
                policy=pulumi.Output.all(queue.arn, *[r.arn for r in rules]).apply(
                    lambda arns: json.dumps(
                        {
                            "Version": "2012-10-17",
                            "Statement": [
                                {
                                    "Sid": "TheBusRulesOnly",
                                    "Effect": "Allow",
                                    "Principal": {"Service": "events.amazonaws.com"},
                                    "Action": "sqs:SendMessage",
                                    "Resource": arns[0],
                                    "Condition": {"ArnEquals": {"aws:SourceArn": arns[1:]}},
                                }
                            ],
                        }
                    )
                ),
                opts=self.child(),
            )
            queues[subscription.queue] = (queue, dead)
        return queues

    def _rule(
        self, subscription: Subscription, pattern: Any, queue: aws.sqs.Queue
    ) -> aws.cloudwatch.EventRule:
        thing = Subscription.rule(subscription.queue, pattern)
        rule = aws.cloudwatch.EventRule(
            self.child_name(thing),
            name=self.naming.name(thing),
            event_bus_name=self.args.platform.require("event_bus_name"),
            event_pattern=json.dumps(pattern.to_eventbridge()),
            description=f"{pattern.source} {', '.join(pattern.detail_types)} to {thing}",
            tags=self.tags,
            opts=self.child(),
        )
        aws.cloudwatch.EventTarget(
            self.child_name(f"{thing}-target"),
            rule=rule.name,
            event_bus_name=self.args.platform.require("event_bus_name"),
            arn=queue.arn,
            opts=self.child(),
        )
        return rule

    # --- the REST API ----------------------------------------------------------------------
    def _rest_api(self) -> aws.apigateway.RestApi:
        artifact = self.args.artifact
        in_api = {name for name in artifact.placeholders.values()}
        functions = {f.name: f for f in artifact.functions}
        arns = pulumi.Output.all(
            **{
                name: self._function_arn(functions[name]).apply(
                    lambda arn: api.invoke_arn(self.args.region, arn)
                )
                for name in sorted(in_api)
            }
        )
        self.api_document: pulumi.Output[str] = arns.apply(
            lambda filled: json.dumps(
                api.document(
                    artifact.swagger,
                    title=self.naming.prefix,
                    arns=filled,
                    cache=self.args.needs.cache,
                    routes=artifact.manifest.get("routes", []),
                ),
                sort_keys=True,
            )
        )
        return aws.apigateway.RestApi(
            self.child_name("api"),
            name=self.naming.prefix,
            body=self.api_document,
            endpoint_configuration={"types": "REGIONAL"},
            # Chalice's routes carry their own authorizers; nothing is left open by default
            put_rest_api_mode="overwrite",
            tags=self.tags,
            opts=self.child(),
        )

    def _api_permissions(self) -> list[aws.lambda_.Permission]:
        permissions = []
        for function in self.args.artifact.functions:
            if function.kind == "api":
                source = pulumi.Output.concat(self.rest_api.execution_arn, "/*/*/*")
            elif function.kind == "authorizer":
                source = pulumi.Output.concat(self.rest_api.execution_arn, "/authorizers/*")
            else:
                continue
            permissions.append(
                aws.lambda_.Permission(
                    self.child_name(f"{function.name}-from-api"),
                    function=self.functions[function.name].name,
                    action="lambda:InvokeFunction",
                    principal="apigateway.amazonaws.com",
                    source_arn=source,
                    opts=self.child(),
                )
            )
        return permissions

    def _stage(self) -> aws.apigateway.Stage:
        needs = self.args.needs
        deployment = aws.apigateway.Deployment(
            self.child_name("deployment"),
            rest_api=self.rest_api.id,
            # a new deployment exactly when the API document changes
            triggers={
                "document": self.api_document.apply(
                    lambda body: hashlib.sha256(body.encode()).hexdigest()
                )
            },
            opts=self.child(
                depends_on=[*self.functions.values(), *self.permissions],
                replace_on_changes=["triggers"],
            ),
        )
        access_logs = aws.cloudwatch.LogGroup(
            self.child_name("access-logs"),
            name=f"/aws/apigateway/{self.naming.prefix}",
            retention_in_days=self.args.log_retention_days,
            tags=self.tags,
            opts=self.child(),
        )
        stage = aws.apigateway.Stage(
            self.child_name("stage"),
            rest_api=self.rest_api.id,
            deployment=deployment.id,
            stage_name=self.naming.stage,
            xray_tracing_enabled=True,
            access_log_settings={
                "destination_arn": access_logs.arn,
                "format": ACCESS_LOG_FORMAT,
            },
            cache_cluster_enabled=needs.cache is not None,
            cache_cluster_size="0.5" if needs.cache is not None else None,
            tags=self.tags,
            opts=self.child(),
        )
        default = needs.throttle
        aws.apigateway.MethodSettings(
            self.child_name("all-routes"),
            rest_api=self.rest_api.id,
            stage_name=stage.stage_name,
            method_path="*/*",
            settings={
                "metrics_enabled": True,
                "logging_level": "ERROR",
                "throttling_rate_limit": default.rate if default else 100,
                "throttling_burst_limit": default.burst if default else 200,
                "caching_enabled": False,
            },
            opts=self.child(),
        )
        throttled = dict(needs.route_throttles)
        cached = set(needs.cache.routes) if needs.cache else set()
        for route in sorted(set(throttled) | cached):
            throttle = throttled.get(route, default)
            settings: aws.apigateway.MethodSettingsSettingsArgsDict = {
                "metrics_enabled": True,
                "logging_level": "ERROR",
            }
            if throttle is not None:
                settings["throttling_rate_limit"] = throttle.rate
                settings["throttling_burst_limit"] = throttle.burst
            if route in cached and needs.cache is not None:
                settings["caching_enabled"] = True
                settings["cache_ttl_in_seconds"] = needs.cache.ttl_seconds
                settings["require_authorization_for_cache_control"] = True
                settings["unauthorized_cache_control_header_strategy"] = (
                    "SUCCEED_WITHOUT_RESPONSE_HEADER"
                )
            aws.apigateway.MethodSettings(
                self.child_name(f"route-{api.method_path(route).replace('/', '-').strip('-')}"),
                rest_api=self.rest_api.id,
                stage_name=stage.stage_name,
                method_path=api.method_path(route),
                settings=settings,
                opts=self.child(),
            )
        return stage

    # --- consumers, schedules, alarms --------------------------------------------------------
    def _consumers(self) -> None:
        for function in self.args.artifact.function("sqs"):
            assert function.queue is not None
            if function.queue not in self.queues:
                raise ValueError(
                    f"{self.args.needs.service} consumes {function.queue!r}, which its "
                    "platform.toml does not declare"
                )
            queue, _ = self.queues[function.queue]
            aws.lambda_.EventSourceMapping(
                self.child_name(f"{function.name}-source"),
                event_source_arn=queue.arn,
                function_name=self.functions[function.name].arn,
                batch_size=function.batch_size or 10,
                maximum_batching_window_in_seconds=function.maximum_batching_window_seconds,
                function_response_types=["ReportBatchItemFailures"],
                opts=self.child(depends_on=[self.role_policy]),
            )

    def _schedules(self) -> None:
        for function in self.args.artifact.function("schedule"):
            rule = aws.cloudwatch.EventRule(
                self.child_name(f"{function.name}-schedule"),
                name=function_name(self, function),
                schedule_expression=function.schedule,
                description=f"{self.naming.prefix}: {function.name}",
                tags=self.tags,
                opts=self.child(),
            )
            aws.cloudwatch.EventTarget(
                self.child_name(f"{function.name}-schedule-target"),
                rule=rule.name,
                arn=self.functions[function.name].arn,
                opts=self.child(),
            )
            aws.lambda_.Permission(
                self.child_name(f"{function.name}-from-schedule"),
                function=self.functions[function.name].name,
                action="lambda:InvokeFunction",
                principal="events.amazonaws.com",
                source_arn=rule.arn,
                opts=self.child(),
            )

    def _alarm(self, thing: str, description: str, **metric: Any) -> None:
        topic = self.args.platform.require("alarm_topic_arn")
        aws.cloudwatch.MetricAlarm(
            self.child_name(f"alarm-{thing}"),
            name=self.naming.name(f"alarm-{thing}"),
            alarm_description=description,
            comparison_operator="GreaterThanOrEqualToThreshold",
            evaluation_periods=1,
            period=300,
            statistic=metric.pop("statistic", "Sum"),
            threshold=metric.pop("threshold", 1),
            treat_missing_data="notBreaching",
            alarm_actions=[topic],
            ok_actions=[topic],
            tags=self.tags,
            opts=self.child(),
            **metric,
        )

    def _alarms(self) -> None:
        self._alarm(
            "api-5xx",
            f"{self.naming.prefix}: the API answered 5xx (a bug, or a dependency down)",
            namespace="AWS/ApiGateway",
            metric_name="5XXError",
            dimensions={"ApiName": self.naming.prefix, "Stage": self.naming.stage},
        )
        for name, function in self.functions.items():
            for metric, what in (("Errors", "failed"), ("Throttles", "was throttled")):
                self._alarm(
                    f"{name.replace('_', '-')}-{metric.lower()}",
                    f"{self.naming.prefix} {name} {what}",
                    namespace="AWS/Lambda",
                    metric_name=metric,
                    dimensions={"FunctionName": function.name},
                )
        for queue_name, (_, dead) in self.queues.items():
            self._alarm(
                f"{queue_name}-dead-letters",
                f"{self.naming.prefix}: messages gave up on {queue_name} (runbook: redrive)",
                namespace="AWS/SQS",
                metric_name="ApproximateNumberOfMessagesVisible",
                statistic="Maximum",
                dimensions={"QueueName": dead.name},
            )

    # --- least privilege ---------------------------------------------------------------------
    def _model_arns(self, model: str) -> list[pulumi.Input[str]]:
        """A model in the region, or a cross-region inference profile (`eu.…`, `us.…`): the
        profile itself and the model in every region the profile may route a call to."""
        prefix, _, base = model.partition(".")
        if prefix in INFERENCE_PROFILE_PREFIXES and base:
            profile = pulumi.Output.concat(
                "arn:aws:bedrock:",
                self.args.region,
                ":",
                self.account_id,
                ":inference-profile/",
                model,
            )
            return [profile, f"arn:aws:bedrock:*::foundation-model/{base}"]
        return [f"arn:aws:bedrock:{self.args.region}::foundation-model/{model}"]

    def _statements(self) -> list[iam.Statement]:
        needs = self.args.needs
        platform = self.args.platform
        region = self.args.region
        log_groups = pulumi.Output.concat(
            "arn:aws:logs:",
            region,
            ":",
            self.account_id,
            ":log-group:/aws/lambda/",
            self.naming.prefix,
            "-*:*",
        )
        statements = [
            *iam.function_basics(log_groups),
            iam.Statement("Database", ["dsql:DbConnect"], [platform.require("dsql_cluster_arn")]),
        ]
        if needs.emits:
            statements.append(
                iam.Statement(
                    "OwnEvents",
                    ["events:PutEvents"],
                    [platform.require("event_bus_arn")],
                    {"StringEquals": {"events:source": needs.source}},
                )
            )
        if self.queues:
            statements.append(
                iam.Statement(
                    "ConsumeOwnQueues",
                    [
                        "sqs:ReceiveMessage",
                        "sqs:DeleteMessage",
                        "sqs:GetQueueAttributes",
                        "sqs:ChangeMessageVisibility",
                    ],
                    [queue.arn for queue, _ in self.queues.values()],
                )
            )
        sending = [self.queues[s.queue][0].arn for s in needs.subscriptions if s.send]
        if sending:
            statements.append(
                iam.Statement("QueueOwnTasks", ["sqs:SendMessage", "sqs:GetQueueUrl"], sending)
            )
        if needs.publishes:
            api_arn = platform.require("realtime_api_arn")
            statements.append(
                iam.Statement(
                    "PublishRealtime",
                    ["appsync:EventPublish"],
                    [
                        pulumi.Output.concat(api_arn, "/channelNamespace/", ns)
                        for ns in needs.publishes
                    ],
                )
            )
        if needs.writes:
            bucket = platform.require("images_bucket_arn")
            statements.append(
                iam.Statement(
                    "WriteOwnObjects",
                    ["s3:PutObject"],
                    [pulumi.Output.concat(bucket, "/", prefix, "*") for prefix in needs.writes],
                )
            )
        for secret in needs.secrets:
            sid, output = SECRETS[secret]
            statements.append(
                iam.Statement(
                    sid,
                    [
                        "secretsmanager:DescribeSecret",
                        "secretsmanager:GetSecretValue",
                        "secretsmanager:PutSecretValue",
                    ],
                    [platform.require(output)],
                )
            )
        if needs.models:
            statements.append(
                iam.Statement(
                    "Bedrock",
                    ["bedrock:InvokeModel"],
                    [arn for model in needs.models for arn in self._model_arns(model)],
                )
            )
        if needs.cache:
            statements.append(
                iam.Statement(
                    "FlushOwnStageCache",
                    ["apigateway:DELETE"],
                    [
                        pulumi.Output.concat(
                            "arn:aws:apigateway:",
                            region,
                            "::/restapis/",
                            self.rest_api.id,
                            "/stages/",
                            self.naming.stage,
                            "/cache/data",
                        )
                    ],
                )
            )
        return statements
