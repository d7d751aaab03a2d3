"""`make deploy` and friends: one service (or the platform) from this checkout to a stage.

    python -m barkeep_infra.deploy deploy SERVICE --stage dev
    python -m barkeep_infra.deploy deploy-platform --stage dev
    python -m barkeep_infra.deploy preview SERVICE|platform --stage dev
    python -m barkeep_infra.deploy destroy SERVICE|platform --stage dev [--confirm dev-orders]
    python -m barkeep_infra.deploy create-admin EMAIL --stage dev

`deploy` = preflight (the Pulumi CLI, AWS credentials, a Pulumi backend and its passphrase, the
stage's platform stack: each missing thing named in one line) → `make package` → the service's
migrations on DSQL as `admin` with an IAM token → `pulumi up` on `<stage>-<service>` alone, in
the platform's region → its DB roles mapped (`AWS IAM GRANT`) to the Lambda role the stack made →
a smoke call of the deployed `/health`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from barkeep.settings import resource_name

from barkeep_infra.naming import PLATFORM, Naming
from barkeep_infra.platform_outputs import PLATFORM_PROJECT, platform_stack_name
from barkeep_infra.service_outputs import service_stack_name

INFRA = Path(__file__).resolve().parents[1]
ROOT = INFRA.parent
WEB = "web"
PROJECTS = {PLATFORM: INFRA / "platform", "service": INFRA / "service", WEB: INFRA / "web"}
POLICY_PACK = INFRA / "policy"
SERVICES = ("menu", "identity", "orders", "ai")
DEFAULT_REGION = "eu-west-1"


class DeployError(RuntimeError):
    """Something the person deploying must fix; the message says what."""


@dataclass
class Shell:
    """Runs the commands a deploy is made of (tests swap in a recorder)."""

    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    ran: list[list[str]] = field(default_factory=list)

    def run(self, args: Sequence[str], *, cwd: Path | None = None, quiet: bool = False) -> str:
        self.ran.append(list(args))
        result = subprocess.run(
            list(args),
            cwd=cwd,
            env=self.env,
            text=True,
            capture_output=quiet,
            check=False,
        )
        if result.returncode != 0:
            detail = (result.stderr or "").strip() if quiet else ""
            raise DeployError(f"`{' '.join(args)}` failed ({result.returncode}) {detail}".strip())
        return result.stdout or ""

    def ok(self, args: Sequence[str], *, cwd: Path | None = None) -> tuple[bool, str]:
        self.ran.append(list(args))
        try:
            result = subprocess.run(
                list(args), cwd=cwd, env=self.env, text=True, capture_output=True, check=False
            )
        except OSError as exc:
            return False, str(exc)
        return result.returncode == 0, result.stdout


# --- what a stack is called -------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    stage: str
    service: str  # a service, or "platform"

    def __post_init__(self) -> None:
        Naming(self.stage)  # checks the stage's spelling
        if self.service not in (*SERVICES, PLATFORM, WEB):
            raise DeployError(
                f"unknown SERVICE {self.service!r}: use one of {', '.join(SERVICES)} "
                "(or platform, web)"
            )

    @property
    def stack(self) -> str:
        return self.stage if self.service == PLATFORM else f"{self.stage}-{self.service}"

    @property
    def project_dir(self) -> Path:
        return PROJECTS[self.service if self.service in (PLATFORM, WEB) else "service"]

    def pulumi(self, *args: str) -> list[str]:
        return ["pulumi", *args, "--stack", self.stack, "--cwd", str(self.project_dir)]


# --- preflight ----------------------------------------------------------------------------
def preflight(target: Target, shell: Shell) -> list[str]:
    """Everything missing before anything is changed, one line each (empty: good to go)."""
    missing = []
    if shutil.which("pulumi", path=shell.env.get("PATH")) is None:
        missing.append(
            "the Pulumi CLI is not installed: https://www.pulumi.com/docs/install/ "
            "(then `pulumi login`)"
        )
    if not _has_aws_credentials(shell.env):
        missing.append(
            "no AWS credentials: set AWS_PROFILE (aws configure sso / aws configure) or "
            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
        )
    if missing and "Pulumi CLI" in missing[0]:
        return missing  # the rest needs the CLI
    whoami, who = shell.ok(["pulumi", "whoami", "--verbose"])
    if not whoami:
        missing.append(
            "no Pulumi backend: `pulumi login` (Pulumi Cloud), `pulumi login s3://<bucket>`, "
            "or `pulumi login --local`"
        )
    elif _self_managed(who) and not (
        shell.env.get("PULUMI_CONFIG_PASSPHRASE") or shell.env.get("PULUMI_CONFIG_PASSPHRASE_FILE")
    ):
        missing.append(
            "a self-managed Pulumi backend encrypts secrets with a passphrase: set "
            "PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE"
        )
    elif target.service != PLATFORM:
        organization = shell.env.get("BARKEEP_PULUMI_ORG", "organization")
        platform = platform_stack_name(target.stage, organization)
        if not _stack_exists(shell, platform, PROJECTS[PLATFORM]):
            missing.append(
                f"stage {target.stage} has no platform stack ({PLATFORM_PROJECT}/{target.stage}): "
                f"run `make deploy-platform STAGE={target.stage}` first"
            )
        elif target.service == WEB:
            # the web stack routes to every service: they come first
            for service in SERVICES:
                name = service_stack_name(target.stage, service, organization)
                if not _stack_exists(shell, name, PROJECTS["service"]):
                    missing.append(
                        f"stage {target.stage} has no {service} stack yet: run "
                        f"`make deploy SERVICE={service} STAGE={target.stage}` first"
                    )
    return missing


def _stack_exists(shell: Shell, stack: str, project: Path) -> bool:
    exists, _ = shell.ok(
        ["pulumi", "stack", "output", "--json", "--stack", stack, "--cwd", str(project)]
    )
    return exists


def _self_managed(whoami: str) -> bool:
    """`pulumi whoami --verbose` names the backend: anything but Pulumi Cloud is self-managed."""
    for line in whoami.splitlines():
        if line.strip().lower().startswith("backend url:"):
            url = line.split(":", 1)[1].strip()
            return not url.startswith("https://api.pulumi.com")
    return False


def _has_aws_credentials(env: dict[str, str]) -> bool:
    if env.get("AWS_ACCESS_KEY_ID") and env.get("AWS_SECRET_ACCESS_KEY"):
        return True
    if env.get("AWS_PROFILE") or env.get("AWS_WEB_IDENTITY_TOKEN_FILE"):
        return True
    home = Path(env.get("HOME", str(Path.home())))
    return (home / ".aws" / "credentials").exists() or (home / ".aws" / "config").exists()


def _check(target: Target, shell: Shell) -> None:
    missing = preflight(target, shell)
    if missing:
        raise DeployError("not yet, first:\n  - " + "\n  - ".join(missing))


# --- steps ----------------------------------------------------------------------------------
def package(name: str) -> Path:
    """`make package` for the Lambda's architecture; returns dist/<name>."""
    from packager.build import build
    from packager.targets import DEFAULT_ARCHITECTURE, target

    built = build(name, target(DEFAULT_ARCHITECTURE))
    print(f"packaged {name}: {built.zip_path} ({built.manifest['artifact']['size'] / 1e6:.1f} MB)")
    directory: Path = built.directory
    return directory


# --- artifacts kept per commit --------------------------------------------------------------
KEPT = ("manifest.json", "deployment.zip")
# what a service stack runs now (set by deploy and rollback; read when the web origin changes)
DEPLOYED_COMMIT = "barkeep:deployedCommit"


def commit_id(shell: Shell) -> str:
    """This checkout's commit; a tree with uncommitted changes is marked so (a rollback to it
    could not be rebuilt)."""
    sha = shell.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], quiet=True).strip()
    dirty = shell.run(["git", "-C", str(ROOT), "status", "--porcelain"], quiet=True).strip()
    return f"{sha}-dirty" if dirty else sha


def resolve_commit(shell: Shell, name: str) -> str:
    """A short hash, a tag or HEAD~2 as the full hash artifacts are kept under (a name git
    does not know, e.g. `<sha>-dirty`, is taken as it is)."""
    known, out = shell.ok(["git", "-C", str(ROOT), "rev-parse", "--verify", f"{name}^{{commit}}"])
    return out.strip() if known and out.strip() else name


def keep_artifact(s3: Any, bucket: str, service: str, commit: str, directory: Path) -> str:
    prefix = f"{service}/{commit}/"
    for name in KEPT:
        s3.upload_file(str(directory / name), bucket, prefix + name)
    return f"s3://{bucket}/{prefix}"


def fetch_artifact(s3: Any, bucket: str, service: str, commit: str, into: Path) -> Path:
    """The artifact deployed at `commit`, laid out as dist/ is (<into>/<service>/…)."""
    directory = into / service
    directory.mkdir(parents=True, exist_ok=True)
    for name in KEPT:
        key = f"{service}/{commit}/{name}"
        try:
            s3.download_file(bucket, key, str(directory / name))
        except Exception as exc:  # botocore's ClientError (404) and friends
            raise DeployError(
                f"no kept artifact of {service} at {commit} (s3://{bucket}/{key}): "
                "was it ever deployed from that commit?"
            ) from exc
    return into


def _s3(region: str) -> Any:
    import boto3

    return boto3.client("s3", region_name=region)


def platform_outputs(stage: str, shell: Shell) -> dict[str, Any]:
    name = platform_stack_name(stage, shell.env.get("BARKEEP_PULUMI_ORG", "organization"))
    text = shell.run(
        [
            "pulumi",
            "stack",
            "output",
            "--json",
            "--show-secrets",
            "--stack",
            name,
            "--cwd",
            str(PROJECTS[PLATFORM]),
        ],
        quiet=True,
    )
    outputs: dict[str, Any] = json.loads(text)
    return outputs


def lambda_role_arn(account_id: str, stage: str, service: str) -> str:
    """The service's Lambda role, named by its stack (ChaliceService) before it exists."""
    return f"arn:aws:iam::{account_id}:role/{resource_name(service, 'role', stage=stage)}"


def migrate_service(db: Any, service: str, *, dialect: str = "dsql") -> list[str]:
    """Every service's roles (a schema may grant to another's) and this service's migrations,
    as `admin`, before its new code runs. Returns what was applied."""
    from barkeep.migrate import SERVICES as ALL_SCHEMAS
    from barkeep.migrate import ensure_roles, migrate

    ensure_roles(db, ALL_SCHEMAS, dialect=dialect)  # type: ignore[arg-type]
    return migrate(db, service, ROOT / "services" / service / "migrations", dialect=dialect)  # type: ignore[arg-type]


def grant_roles(db: Any, service: str, role_arn: str, *, dialect: str = "dsql") -> None:
    """This service's database roles mapped to its Lambda role (`AWS IAM GRANT`), once the
    stack has created that role."""
    from barkeep.migrate import ensure_roles, role_names

    mapped = {role: role_arn for role in role_names(service)}
    ensure_roles(db, (service,), dialect=dialect, iam_role_arns=mapped)  # type: ignore[arg-type]


def _dsql_database(endpoint: str, region: str) -> Any:
    import psycopg
    from barkeep.db import Database, dsql_connect_kwargs

    return Database(lambda: psycopg.connect(**dsql_connect_kwargs(endpoint, region, "admin")))


def smoke(
    url: str,
    *,
    attempts: int = 10,
    wait: float = 3.0,
    opener: Callable[..., Any] = urllib.request.urlopen,
) -> None:
    """GET <url>/health until it answers 200 {"status": "ok"} (a new stage takes seconds)."""
    last = ""
    for _ in range(attempts):
        try:
            with opener(f"{url.rstrip('/')}/health", timeout=10) as response:
                body = json.loads(response.read())
                if response.status == 200 and body == {"status": "ok"}:
                    return
                last = f"{response.status} {body}"
        except OSError as exc:
            last = str(exc)
        time.sleep(wait)
    raise DeployError(f"the deployed service does not answer {url}/health: {last}")


def deploy(target: Target, shell: Shell) -> None:
    """The service lands in its platform's region, whatever this shell's default region is.
    Migrations run before the new code; the IAM grant once the stack has made the role."""
    _check(target, shell)
    built = package(target.service)
    outputs = platform_outputs(target.stage, shell)
    region = outputs["region"]
    commit = commit_id(shell)
    kept = keep_artifact(_s3(region), outputs["artifacts_bucket"], target.service, commit, built)
    print(f"kept as {kept} (make rollback TO=<commit> redeploys it)")
    database = _dsql_database(outputs["dsql_endpoint"], region)
    applied = migrate_service(database, target.service)
    print(f"migrations for {target.service}: {len(applied)} applied")
    shell.run(
        ["pulumi", "stack", "select", "--create", target.stack, "--cwd", str(target.project_dir)]
    )
    shell.run(target.pulumi("config", "set", "aws:region", region))
    shell.run(target.pulumi("config", "set", DEPLOYED_COMMIT, commit))
    shell.run(target.pulumi("up", "--yes", "--non-interactive", "--skip-preview"))
    role = lambda_role_arn(outputs["account_id"], target.stage, target.service)
    grant_roles(database, target.service, role)
    url = shell.run(target.pulumi("stack", "output", "url"), quiet=True).strip()
    smoke(url)
    print(f"{target.stack} is live: {url}")


def rollback(target: Target, shell: Shell, to: str) -> None:
    """Redeploy the artifact kept for commit `to`, without rebuilding it. Migrations are not
    undone: schema changes only ever add (expand, then contract in a later release)."""
    _check(target, shell)
    outputs = platform_outputs(target.stage, shell)
    _up_from_kept(target, shell, outputs, to)
    url = shell.run(target.pulumi("stack", "output", "url"), quiet=True).strip()
    smoke(url)
    print(f"{target.stack} is back at {to}: {url}")


def _up_from_kept(target: Target, shell: Shell, outputs: dict[str, Any], commit: str) -> None:
    """`pulumi up` on the artifact kept for `commit` (fetched into a temporary directory)."""
    with tempfile.TemporaryDirectory(prefix="barkeep-kept-") as tmp:
        fetched = fetch_artifact(
            _s3(outputs["region"]), outputs["artifacts_bucket"], target.service, commit, Path(tmp)
        )
        shell.run(target.pulumi("config", "set", DEPLOYED_COMMIT, commit))
        shell.env["BARKEEP_ARTIFACT_DIR"] = str(fetched)
        try:
            shell.run(target.pulumi("up", "--yes", "--non-interactive", "--skip-preview"))
        finally:
            del shell.env["BARKEEP_ARTIFACT_DIR"]


def deploy_platform(
    target: Target, shell: Shell, *, region: str, now: datetime | None = None
) -> None:
    _check(target, shell)
    package("realtime")
    shell.run(
        ["pulumi", "stack", "select", "--create", target.stack, "--cwd", str(target.project_dir)]
    )
    has_region, _ = shell.ok(target.pulumi("config", "get", "aws:region"))
    if not has_region:  # a platform never moves region by being deployed from another shell
        shell.run(target.pulumi("config", "set", "aws:region", region))
    has_expiry, _ = shell.ok(target.pulumi("config", "get", "barkeep:realtimeApiKeyExpires"))
    if not has_expiry:
        expires = ((now or datetime.now(UTC)) + timedelta(days=360)).strftime("%Y-%m-%dT00:00:00Z")
        shell.run(target.pulumi("config", "set", "barkeep:realtimeApiKeyExpires", expires))
        print(
            f"the realtime API key expires {expires} (move barkeep:realtimeApiKeyExpires to renew)"
        )
    shell.run(target.pulumi("up", "--yes", "--non-interactive", "--skip-preview"))


def deploy_web(target: Target, shell: Shell, *, opener: Callable[..., Any] | None = None) -> str:
    """The web stack; then, the first time (or when the origin changed), the platform's
    `barkeep:webOrigin` and every service, so Cognito's callback, the bucket's CORS, the photos'
    URLs and the invite links all point at the origin guests open."""
    _check(target, shell)
    outputs = platform_outputs(target.stage, shell)
    shell.run(
        ["pulumi", "stack", "select", "--create", target.stack, "--cwd", str(target.project_dir)]
    )
    shell.run(target.pulumi("config", "set", "aws:region", outputs["region"]))
    shell.run(target.pulumi("up", "--yes", "--non-interactive", "--skip-preview"))
    url = shell.run(target.pulumi("stack", "output", "url"), quiet=True).strip()
    if outputs.get("web_origin") != url:
        platform = Target(target.stage, PLATFORM)
        print(f"the web origin is now {url}: updating the platform and every service to it")
        shell.run(platform.pulumi("config", "set", "barkeep:webOrigin", url))
        shell.run(platform.pulumi("up", "--yes", "--non-interactive", "--skip-preview"))
        for service in SERVICES:
            # each service exactly as it is deployed now (its kept artifact), new origin only
            stack = Target(target.stage, service)
            deployed = shell.run(stack.pulumi("config", "get", DEPLOYED_COMMIT), quiet=True)
            _up_from_kept(stack, shell, outputs, deployed.strip())
    smoke(f"{url}/api/menu", opener=opener or urllib.request.urlopen)
    print(f"{target.stack} is live: {url}")
    return url


def preview(target: Target, shell: Shell) -> None:
    _check(target, shell)
    package("realtime" if target.service == PLATFORM else target.service)
    shell.env["BARKEEP_STAGE"] = target.stage
    shell.run(target.pulumi("preview", "--policy-pack", str(POLICY_PACK)))


def destroy(target: Target, shell: Shell, *, confirm: str | None) -> None:
    if target.stage != "dev" and confirm != target.stack:
        raise DeployError(
            f"refusing to destroy {target.stack}: it is not a dev stage. "
            f"Say CONFIRM={target.stack} to really tear it down."
        )
    _check(target, shell)
    shell.run(target.pulumi("destroy", "--yes", "--non-interactive"))


def create_admin(email: str, user_pool_id: str, *, region: str, client: Any = None) -> str:
    """A bartender: a Cognito user in group admin, who gets an email with a temporary password
    and sets their own at first sign-in (managed login). Idempotent for an existing user."""
    import boto3

    idp = client or boto3.client("cognito-idp", region_name=region)
    try:
        idp.admin_create_user(
            UserPoolId=user_pool_id,
            Username=email,
            UserAttributes=[
                {"Name": "email", "Value": email},
                {"Name": "email_verified", "Value": "true"},
            ],
            DesiredDeliveryMediums=["EMAIL"],
        )
        created = "created; Cognito emails them a temporary password"
    except idp.exceptions.UsernameExistsException:
        created = "already there"
    idp.admin_add_user_to_group(UserPoolId=user_pool_id, Username=email, GroupName="admin")
    return f"{email}: {created}; in group admin"


MAX_REDRIVE = 10_000


def redrive(service: str, stage: str, sqs: Any) -> dict[str, int]:
    """Move every message of the service's dead-letter queues back to the queue it gave up on
    (after the fix that makes it pass): {queue: messages moved}. Bounded, and each message is
    deleted from the dead letters only once the queue has taken it."""
    from barkeep.declarations import load

    moved: dict[str, int] = {}
    for subscription in load(ROOT / "services" / service).subscriptions:
        dead = sqs.get_queue_url(
            QueueName=resource_name(service, subscription.dead_letters, stage=stage)
        )["QueueUrl"]
        live = sqs.get_queue_url(QueueName=resource_name(service, subscription.queue, stage=stage))[
            "QueueUrl"
        ]
        count = 0
        while count < MAX_REDRIVE:
            batch = sqs.receive_message(
                QueueUrl=dead, MaxNumberOfMessages=10, WaitTimeSeconds=1, VisibilityTimeout=60
            ).get("Messages", [])
            if not batch:
                break
            sent = sqs.send_message_batch(
                QueueUrl=live,
                Entries=[{"Id": str(i), "MessageBody": m["Body"]} for i, m in enumerate(batch)],
            )
            taken = {entry["Id"] for entry in sent.get("Successful", [])}
            done = [m for i, m in enumerate(batch) if str(i) in taken]
            if done:
                sqs.delete_message_batch(
                    QueueUrl=dead,
                    Entries=[
                        {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                        for i, m in enumerate(done)
                    ],
                )
            count += len(done)
            if len(done) < len(batch):
                raise DeployError(
                    f"{subscription.queue}: the queue refused {len(batch) - len(done)} messages "
                    f"({count} moved so far); they stay in the dead-letter queue"
                )
        moved[subscription.queue] = count
    return moved


# --- command line ---------------------------------------------------------------------------
def main(argv: list[str] | None = None, shell: Shell | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make deploy")
    parser.add_argument(
        "command",
        choices=[
            "deploy",
            "deploy-platform",
            "preview",
            "destroy",
            "create-admin",
            "preflight",
            "redrive",
            "deploy-web",
            "rollback",
        ],
    )
    parser.add_argument(
        "name", nargs="?", default=PLATFORM, help="a service, platform, or an email"
    )
    parser.add_argument("--stage", default="dev")
    parser.add_argument("--confirm")
    parser.add_argument("--to", help="rollback: the commit whose artifact to redeploy")
    parser.add_argument("--region")
    args = parser.parse_args(argv)
    shell = shell or Shell()
    region = (
        args.region
        or shell.env.get("AWS_REGION")
        or shell.env.get("AWS_DEFAULT_REGION")
        or DEFAULT_REGION
    )
    try:
        if args.command == "redrive":
            import boto3
            from barkeep.declarations import load

            target = Target(args.stage, args.name)
            if args.name not in SERVICES or not load(ROOT / "services" / args.name).queues:
                with_queues = [s for s in SERVICES if load(ROOT / "services" / s).queues]
                raise DeployError(
                    f"{args.name} has no queue to redrive: use one of {', '.join(with_queues)}"
                )
            _check(target, shell)
            outputs = platform_outputs(args.stage, shell)
            sqs = boto3.client("sqs", region_name=outputs["region"])
            for queue, count in redrive(args.name, args.stage, sqs).items():
                print(f"{args.name}/{queue}: {count} messages back from the dead-letter queue")
            return 0
        if args.command == "create-admin":
            if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", args.name or ""):
                raise DeployError(f"{args.name!r} is not an email address: EMAIL=you@bar.example")
            target = Target(args.stage, PLATFORM)
            _check(target, shell)
            outputs = platform_outputs(args.stage, shell)
            print(create_admin(args.name, outputs["user_pool_id"], region=outputs["region"]))
            return 0
        fixed = {"deploy-platform": PLATFORM, "deploy-web": WEB}
        target = Target(args.stage, fixed.get(args.command, args.name))
        if args.command == "preflight":
            missing = preflight(target, shell)
            print("\n".join(missing) or "ready")
            return 1 if missing else 0
        if args.command == "deploy":
            if target.service == PLATFORM:
                raise DeployError("deploy the platform with `make deploy-platform STAGE=…`")
            deploy(target, shell)
        elif args.command == "deploy-platform":
            deploy_platform(target, shell, region=region)
        elif args.command == "deploy-web":
            deploy_web(target, shell)
        elif args.command == "rollback":
            if not args.to:
                raise DeployError("say which commit: make rollback SERVICE=… TO=<commit>")
            rollback(target, shell, resolve_commit(shell, args.to))
        elif args.command == "preview":
            preview(target, shell)
        else:
            destroy(target, shell, confirm=args.confirm)
    except (DeployError, ValueError) as exc:
        print(f"make {args.command}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
