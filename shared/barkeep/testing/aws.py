"""The AWS side of the local stack and the tests, on moto in server mode.

One bootstrap for both: a Cognito user pool with group `admin`, an app client (no secret,
USER_PASSWORD_AUTH) and a dev admin user; the images bucket; the EventBridge bus, each
service's queues and rules, and (for tests, `tap=True`) a rule that copies every Barkeep event
to a `tap` SQS queue that only `drain_tap` reads.
"""

from __future__ import annotations

import json
import secrets
import zlib
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, cast

from barkeep.declarations import MAX_RECEIVES, ServiceNeeds, Subscription, load_all
from barkeep.settings import resource_name

REGION = "eu-west-1"
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}


@dataclass(frozen=True)
class LocalAws:
    endpoint: str
    region: str
    user_pool_id: str
    client_id: str
    admin_email: str
    admin_password: str
    bus_name: str
    images_bucket: str
    tap_queue_url: str | None = None

    @property
    def issuer(self) -> str:
        return f"https://cognito-idp.{self.region}.amazonaws.com/{self.user_pool_id}"

    @property
    def jwks_url(self) -> str:
        # moto serves the pool's JWKS on its own host while tokens name AWS as issuer.
        return f"{self.endpoint}/{self.user_pool_id}/.well-known/jwks.json"

    def environment(self) -> dict[str, str]:
        """Environment variables (names from barkeep.settings.Env) that point services here."""
        from barkeep.settings import Env

        return {
            **FAKE_CREDENTIALS,
            "AWS_ENDPOINT_URL": self.endpoint,
            Env.AWS_REGION: self.region,
            "AWS_DEFAULT_REGION": self.region,
            Env.COGNITO_USER_POOL_ID: self.user_pool_id,
            Env.COGNITO_CLIENT_ID: self.client_id,
            Env.COGNITO_ISSUER: self.issuer,
            Env.COGNITO_JWKS_URL: self.jwks_url,
            Env.EVENT_BUS_NAME: self.bus_name,
            Env.IMAGES_BUCKET: self.images_bucket,
            Env.IMAGES_BASE_URL: f"{self.endpoint}/{self.images_bucket}",
        }

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    def client(self, service: str) -> Any:
        import boto3

        return cast(Any, boto3).client(
            service,
            region_name=self.region,
            endpoint_url=self.endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def sign_in(self, username: str, password: str) -> str:
        """A Cognito access token for a user of the pool."""
        result = self.client("cognito-idp").initiate_auth(
            ClientId=self.client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": password},
        )
        token: str = result["AuthenticationResult"]["AccessToken"]
        return token

    def create_user(self, email: str, password: str, *, groups: tuple[str, ...] = ()) -> None:
        idp = self.client("cognito-idp")
        idp.admin_create_user(
            UserPoolId=self.user_pool_id,
            Username=email,
            UserAttributes=[
                {"Name": "email", "Value": email},
                {"Name": "email_verified", "Value": "true"},
            ],
            MessageAction="SUPPRESS",
        )
        idp.admin_set_user_password(
            UserPoolId=self.user_pool_id, Username=email, Password=password, Permanent=True
        )
        for group in groups:
            idp.admin_add_user_to_group(
                UserPoolId=self.user_pool_id, Username=email, GroupName=group
            )

    def drain_tap(self, wait_seconds: int = 0) -> list[dict[str, Any]]:
        """Every event the bus delivered to the tap queue so far (then deleted)."""
        if self.tap_queue_url is None:
            raise RuntimeError("this bootstrap has no tap queue (bootstrap(..., tap=True))")
        sqs = self.client("sqs")
        events: list[dict[str, Any]] = []
        while True:
            batch = sqs.receive_message(
                QueueUrl=self.tap_queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=wait_seconds
            ).get("Messages", [])
            if not batch:
                return events
            for message in batch:
                events.append(json.loads(message["Body"]))
                sqs.delete_message(
                    QueueUrl=self.tap_queue_url, ReceiptHandle=message["ReceiptHandle"]
                )
            wait_seconds = 0


def bootstrap(
    endpoint: str,
    *,
    region: str = REGION,
    stage: str = "local",
    admin_email: str = "admin@barkeep.local",
    admin_password: str = "Barkeep-admin-1",
    declarations: Iterable[ServiceNeeds] | None = None,
    tap: bool = True,
) -> LocalAws:
    """Create the platform's AWS resources in moto (idempotent on a fresh server): what the
    platform stack creates, plus what each service's declaration asks for.

    `tap` adds a queue that receives every event and that nothing but `drain_tap` reads: what
    a test needs to see the bus, and what a long-running stack must not have (moto's SQS slows
    down with every message a queue holds, so an unread queue slows every publish).
    """
    import boto3

    def client(service: str) -> Any:
        return cast(Any, boto3).client(
            service,
            region_name=region,
            endpoint_url=endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    idp = client("cognito-idp")
    pool_id = idp.create_user_pool(
        PoolName=f"barkeep-{stage}",
        Policies={"PasswordPolicy": {"MinimumLength": 8}},
        UsernameAttributes=["email"],
    )["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="barkeep-web",
        GenerateSecret=False,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    idp.create_group(GroupName="admin", UserPoolId=pool_id, Description="Bartenders")

    bucket = f"barkeep-{stage}-images"
    s3 = client("s3")
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
    # In AWS, CloudFront serves the images; locally the bucket itself is the public origin.
    s3.put_bucket_policy(
        Bucket=bucket,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "PublicRead",
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:GetObject",
                        "Resource": f"arn:aws:s3:::{bucket}/*",
                    }
                ],
            }
        ),
    )
    s3.put_bucket_cors(
        Bucket=bucket,
        CORSConfiguration={
            "CORSRules": [
                {
                    "AllowedMethods": ["GET", "POST"],
                    "AllowedOrigins": ["*"],
                    "AllowedHeaders": ["*"],
                }
            ]
        },
    )

    bus = f"barkeep-{stage}"
    events = client("events")
    events.create_event_bus(Name=bus)
    sqs = client("sqs")
    tap_url = _tap(sqs, events, bus, stage) if tap else None

    # Each service's own queues, dead-letter queues and bus rules, from the same declarations
    # infra deploys (services/<name>/platform.toml).
    for needs in declarations if declarations is not None else _repo_declarations():
        for subscription in needs.subscriptions:
            _subscribe(sqs, events, bus, stage, needs.service, subscription)

    local = LocalAws(
        endpoint=endpoint,
        region=region,
        user_pool_id=pool_id,
        client_id=client_id,
        admin_email=admin_email,
        admin_password=admin_password,
        bus_name=bus,
        images_bucket=bucket,
        tap_queue_url=tap_url,
    )
    # The same email always gets the same `sub` (and so the same username): a restarted local
    # stack's admin is the same user, and what it signed (invite codes' `created_by`) still is.
    with _seeded(endpoint, zlib.crc32(admin_email.encode())):
        local.create_user(admin_email, admin_password, groups=("admin",))
    return local


class _seeded:
    """moto's one random source seeded for the block, then reseeded at random."""

    def __init__(self, endpoint: str, seed: int) -> None:
        self.endpoint = endpoint
        self.seed = seed

    def _post(self, seed: int) -> None:
        import urllib.request

        url = f"{self.endpoint}/moto-api/seed?a={seed}"  # moto on loopback
        with urllib.request.urlopen(urllib.request.Request(url, method="POST"), timeout=5):  # noqa: S310
            pass

    def __enter__(self) -> None:
        self._post(self.seed)

    def __exit__(self, *exc: object) -> None:
        self._post(secrets.randbits(63))


def _tap(sqs: Any, events: Any, bus: str, stage: str) -> str:
    url: str = sqs.create_queue(QueueName=f"barkeep-{stage}-tap")["QueueUrl"]
    events.put_rule(
        Name="tap-all",
        EventBusName=bus,
        EventPattern=json.dumps({"source": [{"prefix": "barkeep."}]}),
    )
    events.put_targets(
        Rule="tap-all", EventBusName=bus, Targets=[{"Id": "tap", "Arn": _queue_arn(sqs, url)}]
    )
    return url


def _repo_declarations() -> list[ServiceNeeds]:
    services = Path(__file__).resolve().parents[3] / "services"
    return list(load_all(services).values()) if services.is_dir() else []


def _queue_arn(sqs: Any, url: str) -> str:
    arn: str = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    return arn


def _subscribe(
    sqs: Any, events: Any, bus: str, stage: str, service: str, subscription: Subscription
) -> None:
    def name(thing: str) -> str:
        return resource_name(service, thing, stage=stage)

    dead = sqs.create_queue(QueueName=name(subscription.dead_letters))["QueueUrl"]
    redrive = {"deadLetterTargetArn": _queue_arn(sqs, dead), "maxReceiveCount": str(MAX_RECEIVES)}
    queue = sqs.create_queue(
        QueueName=name(subscription.queue), Attributes={"RedrivePolicy": json.dumps(redrive)}
    )["QueueUrl"]
    target = {"Id": subscription.queue, "Arn": _queue_arn(sqs, queue)}
    for pattern in subscription.events:
        rule = name(Subscription.rule(subscription.queue, pattern))
        events.put_rule(
            Name=rule, EventBusName=bus, EventPattern=json.dumps(pattern.to_eventbridge())
        )
        events.put_targets(Rule=rule, EventBusName=bus, Targets=[target])


WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class MotoServer:
    """moto's WSGI application on a threaded werkzeug server (what moto's ThreadedMotoServer
    does), with room for a middleware: the local stack sees each request moto answered."""

    def __init__(self, port: int, wrap: Callable[[WsgiApp], WsgiApp] | None = None) -> None:
        import threading

        from moto.moto_server.werkzeug_app import (
            DomainDispatcherApplication,
            MotoRequestHandler,
            create_backend_app,
        )
        from werkzeug.serving import make_server

        app: WsgiApp = DomainDispatcherApplication(create_backend_app)
        self._server = make_server(
            "127.0.0.1",
            port,
            wrap(app) if wrap else app,
            threaded=True,
            request_handler=MotoRequestHandler,
        )
        self._thread = threading.Thread(target=self._server.serve_forever, name="moto", daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join()
        self._server.server_close()


def start_moto(
    port: int | None = None, *, wrap: Callable[[WsgiApp], WsgiApp] | None = None
) -> tuple[MotoServer, str]:
    """moto in server mode on loopback; returns (server, endpoint). `wrap` puts a WSGI
    middleware in front of moto.

    Without a port the server binds port 0 and the kernel picks one, so processes starting
    moto at the same moment never race for a port that looked free.
    """
    server = MotoServer(port or 0, wrap)
    server.start()
    return server, f"http://127.0.0.1:{server.port}"
