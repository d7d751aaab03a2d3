"""`make deploy` and friends, as far as they run here: the preflight's messages, the commands
each step runs (a stand-in `pulumi` records them), the deploy-time migrations in DSQL's dialect
against a real database, the smoke call, `destroy`'s guard and `create-admin` against moto."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from barkeep.db import Database
from barkeep.migrate import adapt
from barkeep_infra import deploy
from barkeep_infra.deploy import DeployError, Shell, Target

FAKE_PULUMI = """#!{python}
import json, os, sys
args = sys.argv[1:]
if os.environ.get("BARKEEP_ARTIFACT_DIR"):
    args.append("#artifact_dir=" + os.environ["BARKEEP_ARTIFACT_DIR"])
with open(os.environ["FAKE_PULUMI_LOG"], "a") as log:
    log.write(json.dumps(args) + "\\n")
for prefix, answer in json.loads(os.environ.get("FAKE_PULUMI_ANSWERS", "{{}}")).items():
    if " ".join(args).startswith(prefix):
        sys.stdout.write(answer.get("stdout", ""))
        sys.exit(answer.get("rc", 0))
sys.exit(0)
"""
PLATFORM_OUTPUTS = {
    "region": "eu-central-1",
    "account_id": "123456789012",
    "dsql_endpoint": "abc.dsql.eu-west-1.on.aws",
    "user_pool_id": "eu-west-1_Pool",
    "artifacts_bucket": "barkeep-dev-artifacts-123456789012",
}


@pytest.fixture
def pulumi(tmp_path: Path) -> Iterator[tuple[Shell, Path]]:
    """A `pulumi` on PATH that records its arguments and answers as told."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "pulumi"
    script.write_text(FAKE_PULUMI.format(python=sys.executable))
    script.chmod(0o755)
    log = tmp_path / "pulumi.log"
    env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "AWS_ACCESS_KEY_ID": "x",
        "AWS_SECRET_ACCESS_KEY": "x",
        "FAKE_PULUMI_LOG": str(log),
        "FAKE_PULUMI_ANSWERS": json.dumps(
            {
                "stack output --json": {"stdout": json.dumps(PLATFORM_OUTPUTS)},
                "stack output url": {"stdout": "https://orders.example/dev\n"},
            }
        ),
    }
    return Shell(env=env), log


def _answers(shell: Shell, **answers: dict[str, Any]) -> None:
    current = json.loads(shell.env["FAKE_PULUMI_ANSWERS"])
    kept = {k: v for k, v in current.items() if k not in answers}
    shell.env["FAKE_PULUMI_ANSWERS"] = json.dumps({**answers, **kept})


def _commands(log: Path) -> list[list[str]]:
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def test_preflight_names_each_missing_thing_in_one_line(tmp_path: Path) -> None:
    bare = Shell(env={"PATH": str(tmp_path), "HOME": str(tmp_path)})
    missing = deploy.preflight(Target("dev", "orders"), bare)
    assert len(missing) == 2
    assert missing[0].startswith("the Pulumi CLI is not installed")
    assert missing[1].startswith("no AWS credentials")


def test_preflight_finds_no_backend_and_no_platform(pulumi: tuple[Shell, Path]) -> None:
    shell, _ = pulumi
    _answers(shell, whoami={"rc": 1})
    assert deploy.preflight(Target("dev", "orders"), shell) == [
        "no Pulumi backend: `pulumi login` (Pulumi Cloud), `pulumi login s3://<bucket>`, "
        "or `pulumi login --local`"
    ]
    shell.env["FAKE_PULUMI_ANSWERS"] = json.dumps({"stack output --json": {"rc": 255}})
    [line] = deploy.preflight(Target("prod", "orders"), shell)
    assert "make deploy-platform STAGE=prod" in line
    assert deploy.preflight(Target("prod", "platform"), shell) == []  # the platform needs none


def test_a_self_managed_backend_needs_its_passphrase(pulumi: tuple[Shell, Path]) -> None:
    shell, _ = pulumi
    _answers(shell, whoami={"stdout": "User: ci\nBackend URL: s3://barkeep-state\n"})
    [line] = deploy.preflight(Target("dev", "platform"), shell)
    assert "PULUMI_CONFIG_PASSPHRASE" in line
    shell.env["PULUMI_CONFIG_PASSPHRASE_FILE"] = "/run/secrets/pulumi"
    assert deploy.preflight(Target("dev", "platform"), shell) == []
    _answers(shell, whoami={"stdout": "User: ci\nBackend URL: https://api.pulumi.com\n"})
    del shell.env["PULUMI_CONFIG_PASSPHRASE_FILE"]
    assert deploy.preflight(Target("dev", "platform"), shell) == []


def test_unknown_services_and_stages_are_named(pulumi: tuple[Shell, Path]) -> None:
    _shell, _ = pulumi
    with pytest.raises(DeployError, match="unknown SERVICE 'bar'"):
        Target("dev", "bar")
    with pytest.raises(ValueError, match="lower-case letters and digits"):
        Target("Dev-1", "orders")


class DsqlOnPostgres:
    """A connection that records every statement as DSQL would receive it and runs it on
    PostgreSQL the way the migration runner adapts it (`AWS IAM GRANT` has no PostgreSQL
    equivalent, `CREATE INDEX ASYNC` becomes `CREATE INDEX`)."""

    def __init__(self, conn: psycopg.Connection[Any], log: list[str]) -> None:
        object.__setattr__(self, "_conn", conn)
        object.__setattr__(self, "log", log)

    def execute(self, query: Any, params: Any = None) -> Any:
        self.log.append(query)
        adapted = adapt(query, "postgres")
        return self._conn.execute(adapted if adapted is not None else "SELECT 1", params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._conn, name, value)


@pytest.fixture
def fresh_database() -> Iterator[str]:
    from barkeep.testing.database import admin_uri, recreate_database

    return recreate_database(admin_uri(), f"barkeep_deploy_{os.getpid()}")


def test_deploy_runs_each_step_in_order_and_migrates_in_dsqls_dialect(
    pulumi: tuple[Shell, Path], fresh_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    shell, log = pulumi
    statements: list[str] = []
    packaged: list[str] = []
    health: list[str] = []
    kept: list[tuple[str, str, str]] = []
    monkeypatch.setattr(
        deploy, "package", lambda name: packaged.append(name) or Path("/dist") / name
    )
    monkeypatch.setattr(
        deploy,
        "keep_artifact",
        lambda s3, bucket, service, commit, directory: (
            kept.append((bucket, service, commit)) or "s3://x"
        ),
    )
    monkeypatch.setattr(
        deploy,
        "_dsql_database",
        lambda endpoint, region: Database(
            lambda: DsqlOnPostgres(psycopg.connect(fresh_database), statements)
        ),
    )
    monkeypatch.setattr(deploy, "smoke", health.append)

    shell.env["AWS_REGION"] = "us-east-1"  # this shell's default: not where the platform is
    deploy.deploy(Target("dev", "orders"), shell)

    # the steps, in order
    assert packaged == ["orders"]
    project = str(deploy.PROJECTS["service"])
    commands = [c for c in _commands(log) if c[:1] != ["whoami"]]
    assert commands == [
        [
            "stack",
            "output",
            "--json",
            "--stack",
            "organization/barkeep-platform/dev",
            "--cwd",
            str(deploy.PROJECTS["platform"]),
        ],
        [
            "stack",
            "output",
            "--json",
            "--show-secrets",
            "--stack",
            "organization/barkeep-platform/dev",
            "--cwd",
            str(deploy.PROJECTS["platform"]),
        ],
        ["stack", "select", "--create", "dev-orders", "--cwd", project],
        ["config", "set", "aws:region", "eu-central-1", "--stack", "dev-orders", "--cwd", project],
        [
            "config",
            "set",
            "barkeep:deployedCommit",
            commands[4][3],
            "--stack",
            "dev-orders",
            "--cwd",
            project,
        ],
        [
            "up",
            "--yes",
            "--non-interactive",
            "--skip-preview",
            "--stack",
            "dev-orders",
            "--cwd",
            project,
        ],
        ["stack", "output", "url", "--stack", "dev-orders", "--cwd", project],
    ]
    assert health == ["https://orders.example/dev"]
    # the artifact is kept under this commit, for a rollback
    [(bucket, service, commit)] = kept
    assert (bucket, service) == ("barkeep-dev-artifacts-123456789012", "orders")
    assert len(commit.removesuffix("-dirty")) == 40
    # the migrations DSQL received: its dialect, and the service's roles mapped to its Lambda
    role = "arn:aws:iam::123456789012:role/barkeep-dev-orders-role"
    assert f"AWS IAM GRANT orders_writer TO '{role}'" in statements
    assert f"AWS IAM GRANT orders_reader TO '{role}'" in statements
    assert not [s for s in statements if "IAM GRANT" in s and "orders" not in s]
    assert any(s.startswith("CREATE INDEX ASYNC") for s in statements)
    # and they applied: the schema is there, and a second deploy applies nothing more
    with psycopg.connect(fresh_database) as conn:
        tables = {
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'orders'"
            )
        }
    assert {"orders", "idempotency_keys", "active_orders", "outbox", "schema_migrations"} <= tables
    again = deploy.migrate_service(
        Database(lambda: DsqlOnPostgres(psycopg.connect(fresh_database), [])), "orders"
    )
    assert again == []
    # the grant comes last: the stack creates the role it names
    first_grant = next(i for i, s in enumerate(statements) if "IAM GRANT" in s)
    assert all("IAM GRANT" in s or s.startswith("SELECT") for s in statements[first_grant:])


def test_deploy_stops_at_the_preflight_and_changes_nothing(
    pulumi: tuple[Shell, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    shell, log = pulumi
    _answers(shell, whoami={"rc": 1})
    monkeypatch.setattr(
        deploy, "package", lambda name: pytest.fail("packaged after a failed preflight")
    )
    with pytest.raises(DeployError, match="no Pulumi backend"):
        deploy.deploy(Target("dev", "orders"), shell)
    assert [c for c in _commands(log) if c[0] in ("up", "destroy", "stack") and "select" in c] == []


def test_the_first_platform_deploy_sets_the_realtime_keys_expiry(
    pulumi: tuple[Shell, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime

    shell, log = pulumi
    _answers(shell, **{"config get barkeep:realtimeApiKeyExpires": {"rc": 1}})
    # the stack already has its region: deploying from a shell elsewhere does not move it
    monkeypatch.setattr(deploy, "package", lambda name: None)
    deploy.deploy_platform(
        Target("dev", "platform"), shell, region="eu-west-1", now=datetime(2026, 12, 1, tzinfo=UTC)
    )
    project = str(deploy.PROJECTS["platform"])
    assert [
        "config",
        "set",
        "barkeep:realtimeApiKeyExpires",
        "2027-11-26T00:00:00Z",
        "--stack",
        "dev",
        "--cwd",
        project,
    ] in _commands(log)
    assert _commands(log)[-1][:2] == ["up", "--yes"]
    assert not [c for c in _commands(log) if c[:3] == ["config", "set", "aws:region"]]


def test_destroy_refuses_a_stage_that_is_not_dev_unless_confirmed(
    pulumi: tuple[Shell, Path],
) -> None:
    shell, log = pulumi
    with pytest.raises(DeployError, match="CONFIRM=prod-orders"):
        deploy.destroy(Target("prod", "orders"), shell, confirm=None)
    with pytest.raises(DeployError, match="CONFIRM=prod-orders"):
        deploy.destroy(Target("prod", "orders"), shell, confirm="dev-orders")
    assert not [c for c in _commands(log) if c[0] == "destroy"]
    deploy.destroy(Target("prod", "orders"), shell, confirm="prod-orders")
    assert _commands(log)[-1][:3] == ["destroy", "--yes", "--non-interactive"]
    deploy.destroy(Target("dev", "orders"), shell, confirm=None)  # dev needs no confirmation


def test_smoke_waits_for_health_then_names_what_it_saw() -> None:
    class Answer:
        def __init__(self, status: int, body: Any) -> None:
            self.status, self._body = status, json.dumps(body).encode()

        def read(self) -> bytes:
            return self._body

        def __enter__(self) -> Answer:
            return self

        def __exit__(self, *exc: object) -> None:
            pass

    answers = iter([OSError("connection refused"), Answer(200, {"status": "ok"})])

    def opener(url: str, timeout: float) -> Answer:
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        assert url == "https://orders.example/dev/health"
        return answer

    deploy.smoke("https://orders.example/dev/", wait=0, opener=opener)
    with pytest.raises(DeployError, match=r"does not answer .*/health: 503"):
        deploy.smoke(
            "https://orders.example/dev",
            attempts=2,
            wait=0,
            opener=lambda url, timeout: Answer(503, {"error": "x"}),
        )


def test_create_admin_puts_a_bartender_in_the_admin_group(monkeypatch: pytest.MonkeyPatch) -> None:
    import boto3
    from barkeep.testing.aws import start_moto

    server, endpoint = start_moto()
    try:
        idp = boto3.client(
            "cognito-idp",
            region_name="eu-west-1",
            endpoint_url=endpoint,
            aws_access_key_id="x",
            aws_secret_access_key="x",
        )
        pool = idp.create_user_pool(PoolName="barkeep-dev-admins", UsernameAttributes=["email"])[
            "UserPool"
        ]["Id"]
        idp.create_group(GroupName="admin", UserPoolId=pool)
        said = deploy.create_admin("sam@bar.example", pool, region="eu-west-1", client=idp)
        assert "created" in said
        # a second run changes nothing and says so
        assert "already there" in deploy.create_admin(
            "sam@bar.example", pool, region="eu-west-1", client=idp
        )
        groups = idp.admin_list_groups_for_user(UserPoolId=pool, Username="sam@bar.example")[
            "Groups"
        ]
        assert [g["GroupName"] for g in groups] == ["admin"]
    finally:
        server.stop()


def test_the_command_line_says_what_is_missing(tmp_path: Path) -> None:
    shell = Shell(env={"PATH": str(tmp_path), "HOME": str(tmp_path)})
    assert deploy.main(["preflight", "orders", "--stage", "dev"], shell=shell) == 1
    assert deploy.main(["deploy", "orders", "--stage", "dev"], shell=shell) == 1
    assert deploy.main(["deploy", "nothing", "--stage", "dev"], shell=shell) == 1
    assert deploy.main(["create-admin", "not-an-email", "--stage", "dev"], shell=shell) == 1
    # redrive says which services have queues, and checks before it touches AWS
    assert deploy.main(["redrive", "orders", "--stage", "dev"], shell=shell) == 1
    assert deploy.main(["redrive", "ai", "--stage", "dev"], shell=shell) == 1


def test_a_rollback_takes_any_name_git_knows_for_a_commit() -> None:
    shell = Shell()
    full = deploy.resolve_commit(shell, "HEAD")
    assert len(full) == 40
    assert deploy.resolve_commit(shell, full[:8]) == full
    assert deploy.resolve_commit(shell, f"{full}-dirty") == f"{full}-dirty"  # kept as it is


def test_redrive_moves_dead_letters_back_to_their_queue() -> None:
    import boto3
    import httpx
    from barkeep.declarations import load_all
    from barkeep.testing.aws import bootstrap, start_moto

    server, endpoint = start_moto()
    try:
        # Given the topology the declarations ask for (moto, as the local stack builds it),
        # and 23 messages that gave up on ai's work queue
        bootstrap(endpoint, stage="party", declarations=load_all(deploy.ROOT / "services").values())
        sqs = boto3.client(
            "sqs",
            region_name="eu-west-1",
            endpoint_url=endpoint,
            aws_access_key_id="x",
            aws_secret_access_key="x",
        )
        dead = sqs.get_queue_url(QueueName="barkeep-party-ai-work-dlq")["QueueUrl"]
        live = sqs.get_queue_url(QueueName="barkeep-party-ai-work")["QueueUrl"]
        bodies = {json.dumps({"task": "image", "drink_id": str(i)}) for i in range(23)}
        for body in bodies:
            sqs.send_message(QueueUrl=dead, MessageBody=body)
        # When they are redriven
        assert deploy.redrive("ai", "party", sqs) == {"work": 23}
        # Then the work queue holds each exactly once and the dead letters are empty
        back: list[str] = []
        while batch := sqs.receive_message(QueueUrl=live, MaxNumberOfMessages=10).get("Messages"):
            back += [m["Body"] for m in batch]
            sqs.delete_message_batch(
                QueueUrl=live,
                Entries=[
                    {"Id": m["MessageId"], "ReceiptHandle": m["ReceiptHandle"]} for m in batch
                ],
            )
        assert sorted(back) == sorted(bodies)
        assert sqs.receive_message(QueueUrl=dead, WaitTimeSeconds=0).get("Messages") is None
        # and a service without queues has nothing to redrive
        assert deploy.redrive("orders", "party", sqs) == {}
    finally:
        httpx.post(f"{endpoint}/moto-api/reset")
        server.stop()


def test_deploy_web_needs_every_service_first(pulumi: tuple[Shell, Path]) -> None:
    shell, _ = pulumi
    _answers(
        shell, **{"stack output --json --stack organization/barkeep-service/dev-ai": {"rc": 255}}
    )
    [line] = deploy.preflight(Target("dev", "web"), shell)
    assert line == "stage dev has no ai stack yet: run `make deploy SERVICE=ai STAGE=dev` first"


def test_the_first_web_deploy_points_the_platform_and_the_services_at_its_origin(
    pulumi: tuple[Shell, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    shell, log = pulumi
    _answers(
        shell,
        **{
            "stack output --json": {
                "stdout": json.dumps({**PLATFORM_OUTPUTS, "web_origin": "http://localhost:8080"})
            },
            "stack output url --stack dev-web": {"stdout": "https://dweb.cloudfront.net\n"},
        },
    )
    checked: list[str] = []
    monkeypatch.setattr(deploy, "smoke", lambda url, opener: checked.append(url))
    fetched: list[tuple[str, str]] = []

    def fetch(s3: Any, bucket: str, service: str, commit: str, into: Path) -> Path:
        fetched.append((service, commit))
        return into

    monkeypatch.setattr(deploy, "fetch_artifact", fetch)
    monkeypatch.setattr(deploy, "_s3", lambda region: None)
    _answers(shell, **{"config get barkeep:deployedCommit": {"stdout": "c0ffee\n"}})
    assert deploy.deploy_web(Target("dev", "web"), shell) == "https://dweb.cloudfront.net"
    commands = _commands(log)
    web, platform, service = (str(deploy.PROJECTS[k]) for k in ("web", "platform", "service"))
    ups = [c for c in commands if c[0] == "up"]
    assert [c[c.index("--stack") + 1] for c in ups] == [
        "dev-web",
        "dev",
        "dev-menu",
        "dev-identity",
        "dev-orders",
        "dev-ai",
    ]
    assert [
        "config",
        "set",
        "barkeep:webOrigin",
        "https://dweb.cloudfront.net",
        "--stack",
        "dev",
        "--cwd",
        platform,
    ] in commands
    assert [
        "config",
        "set",
        "aws:region",
        "eu-central-1",
        "--stack",
        "dev-web",
        "--cwd",
        web,
    ] in commands
    assert checked == ["https://dweb.cloudfront.net/api/menu"]
    # each service is brought up on the artifact it runs now: nothing rebuilt, no rollback undone
    assert fetched == [(s, "c0ffee") for s in ("menu", "identity", "orders", "ai")]
    assert all(any(a.startswith("#artifact_dir=") for a in c) for c in ups[2:])
    assert service
    # a second deploy with the origin in place touches only the web stack
    log.unlink()
    _answers(
        shell,
        **{
            "stack output --json": {
                "stdout": json.dumps(
                    {**PLATFORM_OUTPUTS, "web_origin": "https://dweb.cloudfront.net"}
                )
            }
        },
    )
    deploy.deploy_web(Target("dev", "web"), shell)
    assert [c[c.index("--stack") + 1] for c in _commands(log) if c[0] == "up"] == ["dev-web"]


def test_artifacts_are_kept_per_commit_and_a_rollback_redeploys_one(
    pulumi: tuple[Shell, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import boto3
    import httpx
    from barkeep.testing.aws import start_moto

    server, endpoint = start_moto()
    try:
        s3 = boto3.client(
            "s3",
            region_name="eu-west-1",
            endpoint_url=endpoint,
            aws_access_key_id="x",
            aws_secret_access_key="x",
        )
        bucket = PLATFORM_OUTPUTS["artifacts_bucket"]
        s3.create_bucket(
            Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
        )
        built = tmp_path / "dist" / "orders"
        built.mkdir(parents=True)
        (built / "manifest.json").write_text('{"service": "orders"}')
        (built / "deployment.zip").write_bytes(b"PK zip of commit a1")
        # Given the artifact a deploy at commit a1 kept
        assert (
            deploy.keep_artifact(s3, bucket, "orders", "a1", built) == f"s3://{bucket}/orders/a1/"
        )
        # When the bartender rolls back to a1
        shell, log = pulumi
        monkeypatch.setattr(deploy, "_s3", lambda region: s3)
        monkeypatch.setattr(deploy, "smoke", lambda url: None)
        deploy.rollback(Target("dev", "orders"), shell, "a1")
        # Then pulumi up runs on that artifact (nothing rebuilt), and the shell forgets it after
        [up] = [c for c in _commands(log) if c[0] == "up"]
        artifact_dir = Path(up[-1].removeprefix("#artifact_dir="))
        assert up[:2] == ["up", "--yes"] and up[up.index("--stack") + 1] == "dev-orders"
        assert "BARKEEP_ARTIFACT_DIR" not in shell.env
        assert not artifact_dir.exists()  # fetched into a temporary directory, cleaned up
        # and a commit never deployed is named as such
        with pytest.raises(DeployError, match="no kept artifact of orders at b2"):
            deploy.rollback(Target("dev", "orders"), shell, "b2")
        fetched = deploy.fetch_artifact(s3, bucket, "orders", "a1", tmp_path / "back")
        assert (fetched / "orders" / "deployment.zip").read_bytes() == b"PK zip of commit a1"
    finally:
        httpx.post(f"{endpoint}/moto-api/reset")
        server.stop()
