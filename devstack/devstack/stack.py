"""Starting and stopping the whole local stack; `start()` is what tests and the bench call.

    stack = start(port=0, data_dir=tmp_path)     # 0 picks a free port
    httpx.get(f"{stack.base_url}/api/menu/drinks")
    stack.stop()

The stack is process-wide by nature (environment variables, settings, the shared Database),
so run one per process; `stop()` puts the environment back as it found it.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from barkeep.observability import get_logger
from barkeep.testing.aws import LocalAws

from .config import (
    DEFAULT_ADMIN_EMAIL,
    DEFAULT_ADMIN_PASSWORD,
    PARTY_LOG,
    SERVICES_DIR,
    WEB_DIST,
    DevEnv,
)
from .database import LocalDatabase, pool_size_per_service, start_database
from .gateway import AWS_PREFIX, Site, build_app
from .keep import IMAGES, SECRETS, KeptState
from .ports import HOST, DataDirLock, port_in_use, reserve_port
from .services import MountedService, discover_migrations, discover_services
from .tls import Certificates

log = get_logger("barkeep.devstack")

SWEEP_INTERVAL_SECONDS = 10.0
Progress = Callable[[str], None]


class StartupError(Exception):
    """The stack cannot start; the message tells the developer what to do."""


@dataclass
class RunningStack:
    port: int
    aws: LocalAws
    database: LocalDatabase
    services: dict[str, MountedService]
    site: Site
    data_dir: Path
    _resources: ExitStack = field(repr=False)
    realtime: Any = None  # the gateway's AppSync Events emulator (realtime.RealtimeEmulator)
    invite_url: str | None = None
    certificates: Certificates | None = None  # `make party` over HTTPS
    _stopped: bool = field(default=False, repr=False)

    @property
    def base_url(self) -> str:
        return self.site.base_url

    @property
    def database_url(self) -> str:
        return self.database.url

    def api_url(self, service: str) -> str:
        return self.site.api_url(service)

    def stop(self) -> None:
        """Stop the HTTP server, the sweeper, moto and the embedded database (idempotent)."""
        if self._stopped:
            return
        self._stopped = True
        self._resources.close()

    def __enter__(self) -> RunningStack:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start(
    port: int,
    data_dir: Path,
    *,
    database_url: str | None = None,
    moto_port: int | None = None,
    admin_email: str = DEFAULT_ADMIN_EMAIL,
    admin_password: str = DEFAULT_ADMIN_PASSWORD,
    services_dir: Path = SERVICES_DIR,
    web_dist: Path = WEB_DIST,
    sweep_interval: float = SWEEP_INTERVAL_SECONDS,
    progress: Progress | None = None,
    public_host: str | None = None,
    certificates: Certificates | None = None,
) -> RunningStack:
    """Start everything and return once HTTP answers. Raises `PortInUse` (the gateway port),
    `DataDirInUse` or `StartupError`; whatever had started is stopped again.

    `public_host` (`make party`): browsers reach the stack on that address and every URL
    handed out names it; the services still reach the gateway on 127.0.0.1, on a port of its
    own. With `certificates` the public address speaks HTTPS (front.py)."""
    say = progress or (lambda _message: None)
    data_dir = data_dir.expanduser().resolve()
    with ExitStack() as resources:
        sock = reserve_port(port, public_host or HOST)
        resources.callback(sock.close)
        port = sock.getsockname()[1]
        internal = sock
        if public_host is not None:
            internal = reserve_port(0)
            resources.callback(internal.close)
        internal_port = internal.getsockname()[1]
        lock = DataDirLock(data_dir)
        lock.acquire(port)
        resources.callback(lock.release)
        env = _Environment()
        resources.callback(env.restore)

        from barkeep import settings
        from barkeep.observability import configure_logging
        from barkeep.testing.database import use_database
        from barkeep.testing.process import reset_process_state

        configure_logging(settings.platform().log_level)
        if public_host is not None:
            _log_to_file(data_dir / PARTY_LOG, resources)

        migrations = discover_migrations(services_dir)
        where = "DATABASE_URL" if database_url else f"{data_dir / 'pgdata'}"
        say(
            f"Starting the database ({where}) and applying migrations for "
            f"{', '.join(migrations) or 'no service'}..."
        )
        db = start_database(data_dir, database_url, migrations)
        resources.callback(db.stop)
        env.remember([settings.Env.DATABASE_URL])
        # Each service gets its share of the server's connections (one pool each, ADR 0023).
        env.update({settings.Env.DB_POOL_SIZE: str(pool_size_per_service(db.url, migrations))})
        use_database(db.url)
        resources.callback(_close_connections)

        if moto_port is not None and port_in_use(moto_port):
            raise StartupError(
                f"Port {moto_port} for moto is already in use; "
                f"set {DevEnv.MOTO_PORT} to a free port or leave it unset."
            )
        say("Starting moto (Cognito, S3, EventBridge, SQS)...")
        # moto's werkzeug server logs every request; the services log their own.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        # The same pool and client ids on every start (moto hashes the pool's settings), so a
        # restart keeps the admin's sign-in and tokens (ADR 0022).
        env.update(STABLE_COGNITO_IDS)
        kept = KeptState(data_dir / KEPT_DIR)
        moto, endpoint = _start_moto(moto_port, kept, say)
        resources.callback(moto.stop)
        resources.callback(_forget_moto_state, endpoint)
        aws = local_aws(endpoint, admin_email, admin_password)
        restored = kept.restore(aws)
        resources.callback(kept.save_all)
        if any(restored.values()):
            images, kept_secrets = restored[IMAGES], restored[SECRETS]
            say(
                f"Kept from the last run: {images} image{'' if images == 1 else 's'}, "
                f"{kept_secrets} secret{'' if kept_secrets == 1 else 's'}"
            )
        env.update(aws.environment())
        if public_host is not None:
            # moto's `testing` secret is public knowledge, and the realtime endpoint checks
            # publishes against the services' secret: on the network, anyone could sign with it
            # and put orders on the kitchen display. moto does not check secrets, so the
            # services get one of their own for this run (ADR 0035).
            env.update({"AWS_SECRET_ACCESS_KEY": secrets.token_urlsafe(32)})
        public = Site.public_url(public_host or "localhost", port, https=certificates is not None)
        env.update(platform_environment(port, aws, public_url=public, internal_port=internal_port))
        if public_host is not None:  # photos saved tonight name the address phones load them at
            env.update({settings.Env.IMAGES_BASE_URL: f"{public}{AWS_PREFIX}/{aws.images_bucket}"})
        # How other commands (make rotate-keys) find this stack's AWS.
        aws_file = data_dir / AWS_FILE
        aws_file.write_text(aws.to_json())
        resources.callback(aws_file.unlink, missing_ok=True)

        env.remember(["AWS_EXECUTION_ENV"])  # each Chalice app appends its version to it
        services: dict[str, MountedService] = {}
        resources.callback(_unload, services)
        for name in discover_services(services_dir):
            say(f"Mounting the {name} service...")
            services[name] = MountedService(name, services_dir / name)
        reset_process_state(*[r for s in services.values() for r in s.resetters()])
        site = Site(
            port=port,
            services=services,
            region=aws.region,
            user_pool_id=aws.user_pool_id,
            client_id=aws.client_id,
            cognito_endpoint=aws.endpoint,
            web_dist=web_dist,
            admin_email=admin_email,
            admin_password=admin_password,
            images_base_url=aws.environment()[settings.Env.IMAGES_BASE_URL],
            host=public_host or "localhost",
            https=certificates is not None,
        )
        # Serve before seeding: seeding publishes (MENU_CHANGED) to this gateway's emulator.
        if certificates is None:
            realtime = _serve(site, list(dict.fromkeys([sock, internal])), resources)
        else:
            realtime = _serve(site, [internal], resources)
            _front_door(site, sock, internal_port, certificates, resources)
        _pump_in_background(list(services.values()), resources)
        invite_url: str | None = None
        for service in services.values():
            added = service.load_seed()
            if added is None:
                continue
            invite_url = added.pop("invite", None) or invite_url
            summary = ", ".join(_seeded(k, n) for k, n in added.items() if n)
            say(f"Seed data for {service.name}: {summary or 'already there'}")
        _warm_guest_keys()
        _sweep_in_background(list(services.values()), sweep_interval, resources)
        stack = RunningStack(
            port=port,
            aws=aws,
            database=db,
            services=services,
            site=site,
            data_dir=data_dir,
            invite_url=invite_url,
            realtime=realtime,
            certificates=certificates,
            _resources=resources.pop_all(),
        )
    return stack


AWS_FILE = "aws.json"
KEPT_DIR = "moto"
STABLE_COGNITO_IDS = {
    "MOTO_COGNITO_IDP_USER_POOL_ID_STRATEGY": "HASH",
    "MOTO_COGNITO_IDP_USER_POOL_CLIENT_ID_STRATEGY": "HASH",
}


def local_aws(endpoint: str, admin_email: str, admin_password: str) -> LocalAws:
    """The stack's AWS resources in moto. No tap queue: nothing here reads it, and each
    message a queue holds slows moto's every publish to a rule targeting it."""
    from barkeep.testing.aws import bootstrap

    return bootstrap(endpoint, admin_email=admin_email, admin_password=admin_password, tap=False)


def _log_to_file(path: Path, resources: ExitStack) -> None:
    """`make party`: a line per request, as many as the guests make, goes to `path` (kept to
    3 x 10 MB), so the banner with the invite link stays on the host's screen; the terminal
    shows warnings and errors only."""
    from logging.handlers import RotatingFileHandler

    from barkeep.observability import JsonFormatter

    root = logging.getLogger("barkeep")
    terminal = list(root.handlers)
    for handler in terminal:
        handler.setLevel(logging.WARNING)
    to_file = RotatingFileHandler(path, maxBytes=10_000_000, backupCount=2, encoding="utf-8")
    to_file.setFormatter(JsonFormatter())
    root.addHandler(to_file)

    def restore() -> None:
        root.removeHandler(to_file)
        to_file.close()
        for handler in terminal:
            handler.setLevel(logging.NOTSET)

    resources.callback(restore)


def _seeded(what: str, n: int | str) -> str:
    """'3 drinks', '1 drink', '1 photo moved to this address', 'signing_keys kept'."""
    if not isinstance(n, int):
        return f"{what} {n}"
    noun, _, rest = what.partition(" ")
    if n == 1:
        noun = noun.removesuffix("s")
    return f"{n} {noun}{' ' if rest else ''}{rest}"


def _start_moto(port: int | None, kept: KeptState, say: Progress) -> tuple[Any, str]:
    """moto on `port`, else on the port it had last time: image URLs saved in the database
    name it (the bucket is the images' public origin here). Any free port if that is taken."""
    from barkeep.testing.aws import start_moto

    last = kept.last_port()
    try:
        server, endpoint = start_moto(port or last, wrap=kept.wrap)
    except OSError:
        if port is not None or last is None:
            raise
        say(
            f"moto's port from the last run ({last}) is taken: photos uploaded then will "
            f"not load until it is free again (or set {DevEnv.MOTO_PORT}={last})."
        )
        server, endpoint = start_moto(None, wrap=kept.wrap)
    kept.remember_port(server.port)
    return server, endpoint


def _warm_guest_keys() -> None:
    """Fetch identity's JWKS once now, rather than in the first burst of requests."""
    from barkeep.auth import InvalidToken, guest_verifier

    try:
        guest_verifier().jwks.warm()
    except (InvalidToken, OSError):
        log.warning("could not pre-fetch identity's JWKS; it is fetched on first use")


def platform_environment(
    port: int, aws: LocalAws, *, public_url: str | None = None, internal_port: int | None = None
) -> dict[str, str]:
    """What the services need to know about this stack (names from barkeep.settings.Env):
    browsers reach it at `public_url` (http://localhost:<port> unless `make party` says
    otherwise), the services at 127.0.0.1:`internal_port` (`port` unless given)."""
    from barkeep.settings import GUEST_JWKS_KEY, Env

    public_url = public_url or f"http://localhost:{port}"
    internal_port = internal_port or port
    images = aws.environment()[Env.IMAGES_BASE_URL]
    return {
        Env.GUEST_ISSUER: f"{public_url}/api/identity",
        # identity publishes the JWKS into the images bucket and every verifier reads it from
        # there, as in AWS (ADR 0019)
        Env.GUEST_JWKS_URL: f"{images}/{GUEST_JWKS_KEY}",
        Env.WEB_ORIGIN: public_url,
        # the AppSync Events emulator on this gateway; services publish to it SigV4-signed
        Env.REALTIME_HTTP_URL: f"http://{HOST}:{internal_port}/event",
    }


def _unload(services: dict[str, MountedService]) -> None:
    for service in services.values():
        service.unload()


def _forget_moto_state(endpoint: str) -> None:
    """moto keeps its state per process, not per server: without a reset, a later start in this
    process (a test restarting the stack) would find the previous stack's bucket and bus."""
    import httpx

    try:
        httpx.post(f"{endpoint}/moto-api/reset", timeout=5).raise_for_status()
    except httpx.HTTPError:
        log.warning("could not reset moto's state", exc_info=True)


def _close_connections() -> None:
    from barkeep.db import reset_database

    reset_database()


class _Environment:
    """Sets environment variables and puts back what they were (and the caches built on them)."""

    def __init__(self) -> None:
        self._saved: dict[str, str | None] = {}

    def remember(self, keys: list[str]) -> None:
        for key in keys:
            self._saved.setdefault(key, os.environ.get(key))

    def update(self, values: dict[str, str]) -> None:
        self.remember(list(values))
        os.environ.update(values)

    def restore(self) -> None:
        for key, value in self._saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        from barkeep.testing.process import reset_process_state

        reset_process_state()


def _front_door(
    site: Site, sock: Any, internal_port: int, certificates: Certificates, resources: ExitStack
) -> None:
    """HTTPS on the public socket, piped to the gateway; plain HTTP there shows the CA page."""
    from .front import Front, PlainPage

    pem = certificates.ca_cert.read_bytes()
    front = Front(
        sock,
        (HOST, internal_port),
        certificates.server_context(),
        PlainPage(https_base=site.base_url, ca_der=certificates.ca_der(), ca_pem=pem),
    )
    front.start()
    resources.callback(front.stop)


def _serve(site: Site, sockets: list[Any], resources: ExitStack) -> Any:
    """Serve the gateway on `sockets` in a thread; returns its realtime emulator."""
    import uvicorn

    app = build_app(site)
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=3,
        )
    )
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": sockets}, name="devstack-http", daemon=True
    )
    thread.start()

    def stop_http() -> None:
        server.should_exit = True
        thread.join(timeout=10)

    resources.callback(stop_http)
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive():
            raise StartupError("The HTTP server stopped while starting; see the errors above.")
        if time.monotonic() > deadline:
            raise StartupError("The HTTP server did not start within 30 seconds.")
        time.sleep(0.02)
    return app.state.realtime


def _pump_in_background(services: list[MountedService], resources: ExitStack) -> None:
    """Deliver SQS queues to the services' handlers, as Lambda event sources do in AWS."""
    from barkeep.aws import client

    from .pump import pump_in_background, subscriptions

    subs = subscriptions(services)
    if not subs:
        return
    stopping = threading.Event()
    threads = pump_in_background(lambda: client("sqs"), subs, stopping)

    def stop_pump() -> None:
        stopping.set()
        for thread in threads:
            thread.join(timeout=5)

    resources.callback(stop_pump)


def _sweep_in_background(
    services: list[MountedService], interval: float, resources: ExitStack
) -> None:
    """Republish what the outboxes still hold, as each service's scheduled sweeper does in AWS,
    and run the services' other schedules (the close-out of stale orders) at their own rate."""
    from .schedules import scheduled

    with_outbox = [s for s in services if s.has_outbox]
    schedules = scheduled(services)
    if not with_outbox and not schedules:
        return
    stopping = threading.Event()

    def sweep_forever() -> None:
        while not stopping.wait(interval):
            for schedule in schedules:
                schedule.run_if_due(time.monotonic())
            for service in with_outbox:
                try:
                    service.sweep_outbox()
                except Exception:
                    log.warning(
                        "outbox sweep failed", exc_info=True, extra={"service": service.name}
                    )

    thread = threading.Thread(target=sweep_forever, name="devstack-sweeper", daemon=True)
    thread.start()

    def stop_sweeper() -> None:
        stopping.set()
        thread.join(timeout=10)

    resources.callback(stop_sweeper)
