"""The platform stack under mocks: what it creates and how it is wired."""

from __future__ import annotations

import json

from barkeep_infra.platform_outputs import OUTPUTS

from tests.harness import Run


def test_exports_exactly_what_service_stacks_may_read(platform: Run) -> None:
    assert tuple(platform.exports) == OUTPUTS
    assert all(value not in (None, "") for value in platform.exports.values()), platform.exports
    assert platform.exports["dsql_endpoint"] == "abcdefghijklmnopqrstuvwxyz.dsql.eu-west-1.on.aws"
    assert platform.exports["realtime_ws_url"].startswith("wss://")
    assert platform.exports["guest_jwks_url"] == (
        "https://d111111abcdef8.cloudfront.net/.well-known/guest-jwks.json"
    )


def test_realtime_publishes_with_iam_only_and_the_key_expires_when_config_says(
    platform: Run,
) -> None:
    from tests.conftest import EXPIRES

    [api] = platform.of("aws:appsync/api:Api")
    config = api.inputs["eventConfig"]
    assert config["defaultPublishAuthModes"] == [{"authType": "AWS_IAM"}]
    assert {"authType": "API_KEY"} not in config["defaultSubscribeAuthModes"]
    namespaces = {
        n.inputs["name"]: n.inputs
        for n in platform.of("aws:appsync/channelNamespace:ChannelNamespace")
    }
    assert set(namespaces) == {"orders", "admin", "menu"}
    for name, ns in namespaces.items():
        assert ns["publishAuthModes"] == [{"authType": "AWS_IAM"}], name
    assert {m["authType"] for m in namespaces["menu"]["subscribeAuthModes"]} == {
        "API_KEY",
        "AWS_LAMBDA",
    }
    assert namespaces["orders"]["subscribeAuthModes"] == [{"authType": "AWS_LAMBDA"}]
    [key] = platform.of("aws:appsync/apiKey:ApiKey")
    assert key.inputs["expires"] == EXPIRES
    [authorizer] = [
        f
        for f in platform.of("aws:lambda/function:Function")
        if f.inputs["handler"] == "barkeep.realtime.lambda_handler"
    ]
    lambda_config = next(p for p in config["authProviders"] if p["authType"] == "AWS_LAMBDA")
    assert lambda_config["lambdaAuthorizerConfig"]["authorizerUri"] == authorizer.outputs["arn"]
    # AppSync's cache may answer by token alone; each channel is decided afresh (ADR 0026)
    assert lambda_config["lambdaAuthorizerConfig"]["authorizerResultTtlInSeconds"] == 0


def test_admins_are_created_by_an_admin_and_sign_in_through_managed_login(platform: Run) -> None:
    [pool] = platform.of("aws:cognito/userPool:UserPool")
    assert pool.inputs["adminCreateUserConfig"]["allowAdminCreateUserOnly"] is True
    [client] = platform.of("aws:cognito/userPoolClient:UserPoolClient")
    assert client.inputs["generateSecret"] is False
    assert client.inputs["allowedOauthFlows"] == ["code"]
    assert client.inputs["callbackUrls"] == ["https://bar.example/admin/callback"]
    assert client.inputs["logoutUrls"] == ["https://bar.example/admin"]
    [domain] = platform.of("aws:cognito/userPoolDomain:UserPoolDomain")
    assert domain.inputs["managedLoginVersion"] == 2
    assert platform.of("aws:cognito/managedLoginBranding:ManagedLoginBranding")
    [group] = platform.of("aws:cognito/userGroup:UserGroup")
    assert group.inputs["name"] == "admin"


def test_images_are_private_and_read_by_cloudfront_only(platform: Run) -> None:
    blocks = platform.of("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
    [block] = [b for b in blocks if b.inputs["bucket"] == platform.exports["images_bucket"]]
    assert all(
        block.inputs[k]
        for k in (
            "blockPublicAcls",
            "blockPublicPolicy",
            "ignorePublicAcls",
            "restrictPublicBuckets",
        )
    )
    [policy] = platform.of("aws:s3/bucketPolicy:BucketPolicy")
    [statement] = json.loads(policy.inputs["policy"])["Statement"]
    assert statement["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert "AWS:SourceArn" in statement["Condition"]["StringEquals"]
    [cors] = platform.of("aws:s3/bucketCorsConfiguration:BucketCorsConfiguration")
    assert cors.inputs["corsRules"] == [
        {
            "allowedHeaders": ["*"],
            "allowedMethods": ["POST"],
            "allowedOrigins": ["https://bar.example"],
            "maxAgeSeconds": 3600,
        }
    ]


def test_no_key_value_ever_enters_pulumi_state(platform: Run) -> None:
    # the guest-token signing keys (identity writes them) and the VAPID key pair (orders does)
    secrets = platform.of("aws:secretsmanager/secret:Secret")
    assert sorted(s.inputs["name"] for s in secrets) == [
        "barkeep-dev-push-keys",
        "barkeep-dev-signing-keys",
    ]
    assert not platform.of("aws:secretsmanager/secretVersion:SecretVersion")


def test_verifiers_read_the_guest_jwks_uncached(platform: Run) -> None:
    from barkeep_infra.components.buckets import CACHING_DISABLED

    [cdn] = platform.of("aws:cloudfront/distribution:Distribution")
    [jwks] = cdn.inputs["orderedCacheBehaviors"]
    assert jwks["pathPattern"] == ".well-known/*"
    assert jwks["cachePolicyId"] == CACHING_DISABLED


def test_dev_data_may_be_destroyed_other_stages_are_protected(platform: Run) -> None:
    [cluster] = platform.of("aws:dsql/cluster:Cluster")
    assert cluster.inputs["deletionProtectionEnabled"] is False  # dev


def test_the_dashboard_shows_each_service_the_orders_realtime_outboxes_and_dead_letters(
    platform: Run,
) -> None:
    [dashboard] = platform.of("aws:cloudwatch/dashboard:Dashboard")
    assert dashboard.inputs["dashboardName"] == "barkeep-dev-party"
    widgets = {
        w["properties"]["title"]: w["properties"]
        for w in json.loads(dashboard.inputs["dashboardBody"])["widgets"]
    }
    for service in ("menu", "identity", "orders", "ai"):
        assert widgets[f"{service}: requests"]["metrics"] == [
            ["AWS/ApiGateway", "Count", "ApiName", f"barkeep-dev-{service}", "Stage", "dev"]
        ]
        assert widgets[f"{service}: latency p99"]["stat"] == "p99"
        assert widgets[f"{service}: 5xx"]["metrics"][0][1] == "5XXError"
    assert [m[1] for m in widgets["orders per minute: placed, ready"]["metrics"]] == [
        "OrdersPlaced",
        "OrdersReady",
    ]
    realtime = {(m[5], m[1]) for m in widgets["realtime: published, failed"]["metrics"]}
    assert realtime == {(s, n) for s in ("menu", "orders") for n in ("Published", "PublishFailed")}
    assert {m[-1] for m in widgets["dead letters"]["metrics"]} == {
        "barkeep-dev-ai-work-dlq",
        "barkeep-dev-menu-events-dlq",
    }
    assert len(widgets["outbox backlog (left for the sweeper)"]["metrics"]) == 4
