"""Running a stack's program under Pulumi's mocks: no CLI, no cloud.

The mocks answer like AWS (ARNs, ids, invoke ARNs, URLs) so that nothing the program reads
resolves to None, and they record every resource with its inputs. `run()` returns what was
recorded and the stack's exports, resolved. Checks run on that record *after* the program has
finished, in plain Python, so none of them can sit unrun inside an `apply` — and `run()` fails
when the program registered nothing or its exports never resolved (a program imported before
the mocks were set, or one run as a preview).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pulumi
from barkeep_infra.stack_reference import TypedReference

ACCOUNT = "123456789012"
REGION = "eu-west-1"


@dataclass(frozen=True)
class Resource:
    typ: str
    name: str
    inputs: dict[str, Any]
    outputs: dict[str, Any]

    @property
    def aws_name(self) -> str | None:
        value = self.inputs.get("name") or self.inputs.get("bucket")
        return value if isinstance(value, str) else None


def _state(typ: str, name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """What AWS would answer for this resource (the attributes the program reads)."""
    given = inputs.get("name") or name
    state = dict(inputs)
    resource_id = f"{given}-id"
    service = typ.split(":")[1].split("/")[0]
    state.setdefault(
        "arn", f"arn:aws:{service}:{REGION}:{ACCOUNT}:{typ.rsplit(':', 1)[-1].lower()}/{given}"
    )
    if typ == "aws:lambda/function:Function":
        arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{given}"
        state.update(
            arn=arn,
            invokeArn=f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{arn}/invocations",
        )
    elif typ == "aws:dsql/cluster:Cluster":
        resource_id = "abcdefghijklmnopqrstuvwxyz"
        state.update(
            identifier=resource_id, arn=f"arn:aws:dsql:{REGION}:{ACCOUNT}:cluster/{resource_id}"
        )
    elif typ == "aws:appsync/api:Api":
        resource_id = "realtimeapi1"
        state.update(
            apiId=resource_id,
            apiArn=f"arn:aws:appsync:{REGION}:{ACCOUNT}:apis/{resource_id}",
            dns={
                "HTTP": f"{resource_id}.appsync-api.{REGION}.amazonaws.com",
                "REALTIME": f"{resource_id}.appsync-realtime-api.{REGION}.amazonaws.com",
            },
        )
    elif typ == "aws:appsync/apiKey:ApiKey":
        state.update(key="da2-mockedrealtimekey")
    elif typ == "aws:appsync/channelNamespace:ChannelNamespace":
        state.update(
            channelNamespaceArn=f"arn:aws:appsync:{REGION}:{ACCOUNT}:apis/realtimeapi1/channelNamespace/{given}"
        )
    elif typ == "aws:apigateway/restApi:RestApi":
        resource_id = f"{given.rsplit('-', 1)[-1]}api1"
        state.update(
            executionArn=f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{resource_id}",
            rootResourceId="root",
        )
    elif typ == "aws:apigateway/stage:Stage":
        state.update(
            invokeUrl=f"https://restapi.execute-api.{REGION}.amazonaws.com/{inputs['stageName']}"
        )
    elif typ == "aws:sqs/queue:Queue":
        state.update(
            arn=f"arn:aws:sqs:{REGION}:{ACCOUNT}:{given}",
            url=f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{given}",
        )
    elif typ == "aws:s3/bucket:Bucket":
        resource_id = inputs["bucket"]  # a bucket's id is its name
        state.update(
            arn=f"arn:aws:s3:::{inputs['bucket']}",
            bucketRegionalDomainName=f"{inputs['bucket']}.s3.{REGION}.amazonaws.com",
        )
    elif typ == "aws:cloudfront/distribution:Distribution":
        web = "web app" in str(inputs.get("comment", ""))
        state.update(domainName=f"{'dweb' if web else 'd111111abcdef8'}.cloudfront.net")
    elif typ == "aws:cloudfront/function:Function":
        state.update(arn=f"arn:aws:cloudfront::{ACCOUNT}:function/{given}")
    elif typ == "aws:cognito/userPool:UserPool":
        resource_id = f"{REGION}_MockPool1"
    elif typ == "aws:cognito/userPoolClient:UserPoolClient":
        resource_id = "mockspaclient1"
    elif typ == "aws:iam/role:Role":
        state.update(arn=f"arn:aws:iam::{ACCOUNT}:role/{given}")
    elif typ == "aws:secretsmanager/secret:Secret":
        state.update(arn=f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{given}-AbCdEf")
    elif typ == "aws:sns/topic:Topic":
        state.update(arn=f"arn:aws:sns:{REGION}:{ACCOUNT}:{given}")
    elif typ == "aws:cloudwatch/eventBus:EventBus":
        state.update(arn=f"arn:aws:events:{REGION}:{ACCOUNT}:event-bus/{given}")
    elif typ == "aws:cloudwatch/eventRule:EventRule":
        bus = inputs.get("eventBusName", "default")
        state.update(arn=f"arn:aws:events:{REGION}:{ACCOUNT}:rule/{bus}/{given}")
    elif typ == "aws:cloudwatch/logGroup:LogGroup":
        state.update(arn=f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{given}")
    return resource_id, state


class Mocks(pulumi.runtime.Mocks):
    def __init__(
        self,
        stack_outputs: dict[str, Any] | None = None,
        references: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        self.resources: list[Resource] = []
        self.stack_outputs = stack_outputs or {}
        self.references = references or {}

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        if args.typ == "pulumi:pulumi:StackReference":
            name = args.inputs["name"]
            outputs = self.references.get(name, self.stack_outputs)
            return args.name, {"name": name, "outputs": outputs}
        resource_id, state = _state(args.typ, args.name, dict(args.inputs))
        self.resources.append(Resource(args.typ, args.name, dict(args.inputs), state))
        return resource_id, state

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:
        if args.token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {"accountId": ACCOUNT, "arn": f"arn:aws:iam::{ACCOUNT}:user/ci", "userId": "CI"}
        raise NotImplementedError(f"no mock for {args.token}")


@dataclass
class Run:
    resources: list[Resource]
    exports: dict[str, Any]
    stack_references: list[str] = field(default_factory=list)

    def of(self, typ: str) -> list[Resource]:
        return [r for r in self.resources if r.typ == typ]

    def named(self, typ: str, aws_name: str) -> Resource:
        found = [r for r in self.of(typ) if r.aws_name == aws_name]
        assert len(found) == 1, (typ, aws_name, [r.aws_name for r in self.of(typ)])
        return found[0]

    def policy(self, resource: Resource, key: str = "policy") -> dict[str, Any]:
        document: dict[str, Any] = json.loads(resource.inputs[key])
        return document


def run(
    program: Callable[[], dict[str, Any]],
    *,
    project: str,
    stack: str,
    config: dict[str, str],
    stack_outputs: dict[str, Any] | None = None,
    references: dict[str, dict[str, Any]] | None = None,
) -> Run:
    mocks = Mocks(stack_outputs, references)
    pulumi.runtime.set_all_config(
        {**{f"barkeep:{k}": v for k, v in config.items()}, "aws:region": REGION}
    )
    pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=False)
    TypedReference.forget()
    resolved: dict[str, Any] = {}
    ran: list[str] = []

    @pulumi.runtime.test
    def execute() -> pulumi.Output[None]:
        assert not pulumi.runtime.is_dry_run(), "a preview leaves outputs unknown: nothing to check"
        outputs = program()
        ran.append("program")
        return pulumi.Output.all(**outputs).apply(lambda values: resolved.update(values))

    execute()
    assert ran == ["program"], "the program never ran under the mocks"
    assert mocks.resources, "the program registered no resource"
    assert resolved, "the stack's exports never resolved"
    return Run(mocks.resources, resolved)
