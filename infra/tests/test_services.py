"""Every service stack under mocks, on top of the platform's (mocked) outputs."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from barkeep.declarations import load_all
from barkeep.settings import Env
from barkeep_infra.environment import FROM_PLATFORM
from barkeep_infra.stacks.service import SERVICES_DIR

from tests.conftest import SERVICES, UNDER_TEST
from tests.harness import ACCOUNT, REGION, Run

NEEDS = load_all(SERVICES_DIR)


def _manifest(dist: Any, service: str) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads((dist / service / "manifest.json").read_text())
    return manifest


@pytest.mark.parametrize("service", SERVICES)
def test_every_placeholder_is_filled_with_the_right_functions_invoke_arn(
    services: dict[str, Run], dist: Any, service: str
) -> None:
    stack = services[service]
    [rest_api] = stack.of("aws:apigateway/restApi:RestApi")
    body = rest_api.inputs["body"]
    assert "{{invoke_arn:" not in body
    document = json.loads(body)
    functions = {f.inputs["name"]: f for f in stack.of("aws:lambda/function:Function")}
    for placeholder, name in _manifest(dist, service)["placeholders"].items():
        deployed = functions[f"barkeep-dev-{service}-{name.replace('_', '-')}"]
        assert deployed.outputs["invokeArn"] in body, placeholder
    uris = re.findall(r'"(?:uri|authorizerUri)": "([^"]+)"', json.dumps(document))
    assert uris and set(uris) <= {f.outputs["invokeArn"] for f in functions.values()}


@pytest.mark.parametrize("service", SERVICES)
def test_every_environment_variable_comes_from_the_right_place(
    services: dict[str, Run], platform: Run, dist: Any, service: str
) -> None:
    environment = services[service].exports["environment"]
    names = _manifest(dist, service)["environment"]
    needs = NEEDS[service]
    for name in names:
        if name in needs.environment:
            assert environment[name] == needs.environment[name], name
        elif name in FROM_PLATFORM:
            assert environment[name] == platform.exports[FROM_PLATFORM[name]], name
    assert environment[Env.STAGE] == "dev"
    assert environment[Env.SERVICE] == service
    assert environment[Env.DSQL_USER] == f"{service}_writer"
    assert Env.DATABASE_URL not in environment and Env.AWS_REGION not in environment
    if service == "orders":  # the stage's VAPID key pair; no test-only push hosts in AWS
        assert environment[Env.PUSH_KEYS_SECRET] == "barkeep-dev-push-keys"
        assert Env.PUSH_ENDPOINT_HOSTS not in environment
    # every function of the service sees the same, complete environment
    for function in services[service].of("aws:lambda/function:Function"):
        assert function.inputs["environment"]["variables"] == environment
        assert function.inputs["architectures"] == ["arm64"]
        assert function.inputs["runtime"] == "python3.13"
        assert function.inputs["tracingConfig"] == {"mode": "Active"}


def test_menu_flushes_its_own_stage_cache(services: dict[str, Run]) -> None:
    environment = services["menu"].exports["environment"]
    assert environment[Env.API_CACHE] == "menuapi1/dev"
    [stage] = services["menu"].of("aws:apigateway/stage:Stage")
    assert stage.inputs["cacheClusterEnabled"] is True
    settings = {
        s.inputs["methodPath"]: s.inputs["settings"]
        for s in services["menu"].of("aws:apigateway/methodSettings:MethodSettings")
    }
    assert settings["drinks/GET"]["cachingEnabled"] is True
    assert settings["drinks/{id}/GET"]["cachingEnabled"] is True
    assert settings["*/*"]["cachingEnabled"] is False
    document = json.loads(services["menu"].of("aws:apigateway/restApi:RestApi")[0].inputs["body"])
    keys = document["paths"]["/drinks"]["get"]["x-amazon-apigateway-integration"][
        "cacheKeyParameters"
    ]
    conditional = "method.request.header.If-None-Match"  # a 304 only for who asked for one
    assert sorted(keys) == sorted(
        [
            *(
                f"method.request.querystring.{q}"
                for q in ("ingredient", "q", "section_id", "suitable_for", "tag")
            ),
            conditional,
        ]
    )
    assert document["paths"]["/drinks/{id}"]["get"]["x-amazon-apigateway-integration"][
        "cacheKeyParameters"
    ] == ["method.request.path.id", conditional]
    [role_policy] = services["menu"].of("aws:iam/rolePolicy:RolePolicy")
    flush = [
        s
        for s in json.loads(role_policy.inputs["policy"])["Statement"]
        if s["Sid"] == "FlushOwnStageCache"
    ]
    assert flush[0]["Resource"] == [
        f"arn:aws:apigateway:{REGION}::/restapis/menuapi1/stages/dev/cache/data"
    ]
    for other in ("orders", "identity", "ai"):
        assert Env.API_CACHE not in services[other].exports["environment"]


def test_the_seeds_throttles(services: dict[str, Run]) -> None:
    def settings(service: str) -> dict[str, Any]:
        return {
            s.inputs["methodPath"]: s.inputs["settings"]
            for s in services[service].of("aws:apigateway/methodSettings:MethodSettings")
        }

    assert (
        settings("menu")["*/*"]["throttlingRateLimit"],
        settings("menu")["*/*"]["throttlingBurstLimit"],
    ) == (100, 200)
    orders = settings("orders")["orders/POST"]
    assert (orders["throttlingRateLimit"], orders["throttlingBurstLimit"]) == (50, 100)
    register = settings("identity")["register/POST"]
    assert (register["throttlingRateLimit"], register["throttlingBurstLimit"]) == (10, 20)


def test_the_gateway_answers_in_our_envelope(services: dict[str, Run]) -> None:
    document = json.loads(
        services["identity"].of("aws:apigateway/restApi:RestApi")[0].inputs["body"]
    )
    responses = document["x-amazon-apigateway-gateway-responses"]
    assert {"ACCESS_DENIED", "UNAUTHORIZED", "THROTTLED", "DEFAULT_4XX", "DEFAULT_5XX"} <= set(
        responses
    )
    denied = responses["ACCESS_DENIED"]["responseTemplates"]["application/json"]
    assert "$context.authorizer.error_code" in denied
    assert responses["THROTTLED"]["statusCode"] == "429"
    assert "statusCode" not in responses["DEFAULT_4XX"]  # API Gateway's own 4xx status stays


def test_identitys_registration_code_authorizer_is_never_cached(services: dict[str, Run]) -> None:
    document = json.loads(
        services["identity"].of("aws:apigateway/restApi:RestApi")[0].inputs["body"]
    )
    authorizer = document["securityDefinitions"]["registration_code"]
    assert authorizer["name"] == "X-Registration-Code"
    assert authorizer["x-amazon-apigateway-authorizer"]["authorizerResultTtlInSeconds"] == 0


@pytest.mark.parametrize("service", SERVICES)
def test_a_deployment_follows_the_api_document_and_the_stage_traces_and_logs(
    services: dict[str, Run], service: str
) -> None:
    stack = services[service]
    [deployment] = stack.of("aws:apigateway/deployment:Deployment")
    assert len(deployment.inputs["triggers"]["document"]) == 64
    [stage] = stack.of("aws:apigateway/stage:Stage")
    assert stage.inputs["xrayTracingEnabled"] is True
    assert json.loads(stage.inputs["accessLogSettings"]["format"])["status"] == "$context.status"
    assert stage.inputs["stageName"] == "dev"


def test_every_consumed_queue_is_fed_by_a_rule_matching_what_its_producer_emits(
    services: dict[str, Run],
) -> None:
    emitted = {(n.source, t) for n in NEEDS.values() for t in n.emits}
    fed = 0
    for service, stack in services.items():
        queues = {q.inputs["name"]: q for q in stack.of("aws:sqs/queue:Queue")}
        targets = stack.of("aws:cloudwatch/eventTarget:EventTarget")
        for mapping in stack.of("aws:lambda/eventSourceMapping:EventSourceMapping"):
            assert mapping.inputs["functionResponseTypes"] == ["ReportBatchItemFailures"]
            [queue] = [
                q for q in queues.values() if q.outputs["arn"] == mapping.inputs["eventSourceArn"]
            ]
            assert "redrivePolicy" in queue.inputs  # a dead-letter queue behind it
            rules = [
                r
                for r in stack.of("aws:cloudwatch/eventRule:EventRule")
                if r.inputs.get("eventPattern")
            ]
            feeding = [
                r
                for r in rules
                if any(
                    t.inputs["rule"] == r.inputs["name"] and t.inputs["arn"] == queue.outputs["arn"]
                    for t in targets
                )
            ]
            assert feeding, queue.inputs["name"]
            for rule in feeding:
                assert rule.inputs["eventBusName"] == "barkeep-dev"
                pattern = json.loads(rule.inputs["eventPattern"])
                for source in pattern["source"]:
                    for detail_type in pattern["detail-type"]:
                        assert (source, detail_type) in emitted, (service, source, detail_type)
                        fed += 1
    if not UNDER_TEST:
        assert fed >= 4  # ai's three drink events and menu's ImageGenerated, at least


@pytest.mark.parametrize("service", SERVICES)
def test_schedules_carry_the_stage_and_the_service(services: dict[str, Run], service: str) -> None:
    schedules = [
        r
        for r in services[service].of("aws:cloudwatch/eventRule:EventRule")
        if r.inputs.get("scheduleExpression")
    ]
    expected = {f"barkeep-dev-{service}-sweep-outbox": "rate(1 minute)"}
    if service == "orders":  # last nights' open orders close out (ADR 0021)
        expected["barkeep-dev-orders-close-out-stale"] = "rate(15 minutes)"
    if service == "menu":  # stored facts of another vocabulary derived again (ADR 0032)
        expected["barkeep-dev-menu-refresh-facts"] = "rate(10 minutes)"
    assert {r.inputs["name"]: r.inputs["scheduleExpression"] for r in schedules} == expected


@pytest.mark.parametrize("service", SERVICES)
def test_the_role_holds_only_what_the_declaration_asks(
    services: dict[str, Run], service: str
) -> None:
    [policy] = services[service].of("aws:iam/rolePolicy:RolePolicy")
    statements = {s["Sid"]: s for s in json.loads(policy.inputs["policy"])["Statement"]}
    needs = NEEDS[service]
    assert statements["Database"]["Resource"] == [
        f"arn:aws:dsql:{REGION}:{ACCOUNT}:cluster/abcdefghijklmnopqrstuvwxyz"
    ]
    assert statements["OwnEvents"]["Condition"] == {
        "StringEquals": {"events:source": f"barkeep.{service}"}
    }
    assert ("PublishRealtime" in statements) == bool(needs.publishes)
    assert ("SigningKeys" in statements) == ("signing-keys" in needs.secrets)
    assert ("PushKeys" in statements) == ("push-keys" in needs.secrets)
    for sid, secret in (("SigningKeys", "signing-keys"), ("PushKeys", "push-keys")):
        if secret in needs.secrets:  # that secret only, and never created or deleted
            assert statements[sid]["Resource"] == [
                f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:barkeep-dev-{secret}-AbCdEf"
            ]
            assert sorted(statements[sid]["Action"]) == [
                "secretsmanager:DescribeSecret",
                "secretsmanager:GetSecretValue",
                "secretsmanager:PutSecretValue",
            ]
    assert ("Bedrock" in statements) == bool(needs.models)
    assert ("QueueOwnTasks" in statements) == any(s.send for s in needs.subscriptions)
    if needs.publishes:
        assert statements["PublishRealtime"]["Resource"] == sorted(
            f"arn:aws:appsync:{REGION}:{ACCOUNT}:apis/realtimeapi1/channelNamespace/{ns}"
            for ns in needs.publishes
        )
    if needs.writes:
        assert statements["WriteOwnObjects"]["Resource"] == sorted(
            f"arn:aws:s3:::barkeep-dev-images-{ACCOUNT}/{p}*" for p in needs.writes
        )


def test_names_are_unique_per_stage_and_service(services: dict[str, Run]) -> None:
    named = [
        (r.typ, r.aws_name)
        for stack in services.values()
        for r in stack.resources
        if r.aws_name and r.typ.startswith("aws:")
    ]
    assert named
    assert sorted({n for n in named if named.count(n) > 1}) == []
    for service, stack in services.items():
        for r in stack.resources:
            if (
                r.aws_name
                and r.typ.startswith("aws:")
                and r.typ != "aws:cognito/userGroup:UserGroup"
            ):
                assert f"barkeep-dev-{service}" in r.aws_name, (r.typ, r.aws_name)


@pytest.mark.parametrize("service", SERVICES)
def test_alarms_watch_5xx_errors_throttles_and_dead_letters(
    services: dict[str, Run], platform: Run, service: str
) -> None:
    stack = services[service]
    alarms = {
        a.inputs["name"]: a.inputs for a in stack.of("aws:cloudwatch/metricAlarm:MetricAlarm")
    }
    topic = platform.exports["alarm_topic_arn"]
    assert all(a["alarmActions"] == [topic] for a in alarms.values())
    assert alarms[f"barkeep-dev-{service}-alarm-api-5xx"]["metricName"] == "5XXError"
    for function in stack.of("aws:lambda/function:Function"):
        watched = {
            a["metricName"]
            for a in alarms.values()
            if a.get("dimensions") == {"FunctionName": function.inputs["name"]}
        }
        assert watched == {"Errors", "Throttles"}, function.inputs["name"]
    dead = [
        q.inputs["name"]
        for q in stack.of("aws:sqs/queue:Queue")
        if q.inputs["name"].endswith("-dlq")
    ]
    for queue in dead:
        assert any(a.get("dimensions") == {"QueueName": queue} for a in alarms.values()), queue


def test_ai_may_call_its_models_and_through_the_eu_inference_profile(
    services: dict[str, Run],
) -> None:
    [policy] = services["ai"].of("aws:iam/rolePolicy:RolePolicy")
    [bedrock] = [
        s for s in json.loads(policy.inputs["policy"])["Statement"] if s["Sid"] == "Bedrock"
    ]
    assert bedrock["Action"] == ["bedrock:InvokeModel"]
    assert sorted(bedrock["Resource"]) == sorted(
        [
            f"arn:aws:bedrock:{REGION}:{ACCOUNT}:inference-profile/eu.amazon.nova-pro-v1:0",
            "arn:aws:bedrock:*::foundation-model/amazon.nova-pro-v1:0",
            f"arn:aws:bedrock:{REGION}::foundation-model/amazon.nova-canvas-v1:0",
        ]
    )
    assert services["ai"].exports["environment"]["AI_TEXT_MODEL_ID"] == "eu.amazon.nova-pro-v1:0"


def test_a_rollback_deploys_the_artifact_it_was_given(
    dist: Any, platform: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    import shutil

    from tests.conftest import run_service

    service = SERVICES[0]
    earlier = tmp_path / "earlier"
    shutil.copytree(dist / service, earlier / service)
    manifest = json.loads((earlier / service / "manifest.json").read_text())
    manifest["artifact"]["sha256"] = "ab" * 32  # another commit's zip
    (earlier / service / "manifest.json").write_text(json.dumps(manifest))
    monkeypatch.setenv("BARKEEP_ARTIFACT_DIR", str(earlier))
    stack = run_service(service, dist, platform)
    hashes = {f.inputs["sourceCodeHash"] for f in stack.of("aws:lambda/function:Function")}
    assert hashes == {"q6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s="}
