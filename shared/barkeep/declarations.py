"""What each service needs from the platform, as its team declares it in
`services/<service>/platform.toml`.

One reader for everything that wires services together: infra turns a declaration into AWS
resources and a least-privilege role, and the local stack builds its moto topology (bus rules,
queues, dead-letter queues) from the very same files, so local and cloud routing cannot drift.
Pure data and standard library only: infra reads it without importing any service.

    [events]
    emits = ["OrderPlaced"]                     # detail types, from source barkeep.<service>
    data = { OrderPlaced = "OrderOut" }         # each one's `data`: a schema of the service's
                                                # OpenAPI document, or a literal description

    [[subscriptions]]                            # one of the service's own SQS queues
    queue = "work"                               # the app's @app.on_sqs_message(queue=...)
    send = true                                  # the service also sends its own tasks to it
    events = [{ source = "barkeep.menu", detail_types = ["DrinkCreated"] }]

    [realtime]
    publishes = ["orders", "admin"]              # AppSync Events namespaces

    [storage]
    writes = ["drinks/"]                         # key prefixes in the platform's images bucket

    [secrets]
    manages = ["signing-keys"]                   # platform secrets it reads, writes and rotates
                                                 # (signing-keys, push-keys)

    [bedrock]
    models = ["amazon.nova-pro-v1:0"]

    [api]
    throttle = { rate = 100, burst = 200 }       # the stage's default
    routes = { "POST /orders" = { rate = 50, burst = 100 } }
    cache = { ttl_seconds = 300, routes = ["GET /drinks"] }

    [environment]                                # the service's own settings in AWS
    MAX_ACTIVE_ORDERS_PER_GUEST = "3"            # (names from barkeep.settings.Env)
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from barkeep.settings import Env

FILE = "platform.toml"
# A message that failed this often moves to the queue's dead-letter queue.
MAX_RECEIVES = 5
NAMESPACES = ("orders", "admin", "menu")
SECRETS = ("signing-keys", "push-keys")
_ROUTE = re.compile(r"^(GET|POST|PUT|PATCH|DELETE) (/[A-Za-z0-9_./{}-]*)$")
_NAME = re.compile(r"^[a-z][a-z0-9]*$")


class DeclarationError(ValueError):
    pass


@dataclass(frozen=True)
class EventPattern:
    source: str
    detail_types: tuple[str, ...]

    def to_eventbridge(self) -> dict[str, list[str]]:
        return {"source": [self.source], "detail-type": list(self.detail_types)}

    def matches(self, source: str, detail_type: str) -> bool:
        return source == self.source and detail_type in self.detail_types


@dataclass(frozen=True)
class Subscription:
    queue: str
    events: tuple[EventPattern, ...]
    send: bool = False

    @property
    def dead_letters(self) -> str:
        """The name (within the service) of this queue's dead-letter queue."""
        return f"{self.queue}-dlq"

    @staticmethod
    def rule(queue: str, pattern: EventPattern) -> str:
        """The name (within the service) of the bus rule feeding `queue` from one producer."""
        return f"{queue}-from-{pattern.source.removeprefix('barkeep.')}"


@dataclass(frozen=True)
class Throttle:
    rate: float
    burst: int


@dataclass(frozen=True)
class Cache:
    ttl_seconds: int
    routes: tuple[str, ...]


@dataclass(frozen=True)
class ServiceNeeds:
    service: str
    emits: tuple[str, ...] = ()
    subscriptions: tuple[Subscription, ...] = ()
    publishes: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    secrets: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    throttle: Throttle | None = None
    route_throttles: Mapping[str, Throttle] = field(default_factory=dict)
    cache: Cache | None = None
    environment: Mapping[str, str] = field(default_factory=dict)
    # what each emitted event's `data` is (the event catalogue in docs/reference/events.md)
    event_data: Mapping[str, str] = field(default_factory=dict)

    @property
    def source(self) -> str:
        return f"barkeep.{self.service}"

    @property
    def queues(self) -> tuple[str, ...]:
        return tuple(s.queue for s in self.subscriptions)


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise DeclarationError(f"{where}: expected a list of names")
    return tuple(value)


def _table(data: Mapping[str, Any], key: str, allowed: set[str], where: str) -> dict[str, Any]:
    table = data.get(key, {})
    if not isinstance(table, dict):
        raise DeclarationError(f"{where}: [{key}] must be a table")
    unknown = set(table) - allowed
    if unknown:
        raise DeclarationError(f"{where}: [{key}] has unknown keys {sorted(unknown)}")
    return table


def _throttle(value: Any, where: str) -> Throttle:
    if (
        not isinstance(value, dict)
        or set(value) != {"rate", "burst"}
        or not all(isinstance(v, int | float) and v > 0 for v in value.values())
    ):
        raise DeclarationError(f"{where}: a throttle is {{ rate = <per second>, burst = <n> }}")
    return Throttle(rate=float(value["rate"]), burst=int(value["burst"]))


def _route(value: str, where: str) -> str:
    if not _ROUTE.match(value):
        raise DeclarationError(f"{where}: {value!r} is not 'METHOD /path'")
    return value


def parse(service: str, data: Mapping[str, Any]) -> ServiceNeeds:
    where = f"services/{service}/{FILE}"
    sections = {"events", "subscriptions", "realtime", "storage", "secrets", "bedrock", "api"}
    unknown = set(data) - sections - {"environment"}
    if unknown:
        raise DeclarationError(f"{where}: unknown sections {sorted(unknown)}")
    events = _table(data, "events", {"emits", "data"}, where)
    subscriptions = []
    for i, raw in enumerate(data.get("subscriptions", [])):
        here = f"{where} subscriptions[{i}]"
        if not isinstance(raw, dict) or set(raw) - {"queue", "events", "send"}:
            raise DeclarationError(f"{here}: expected queue, events and send")
        queue = raw.get("queue", "")
        if not isinstance(queue, str) or not _NAME.match(queue):
            raise DeclarationError(f"{here}: queue must be a lower-case name")
        patterns: list[EventPattern] = []
        for pattern in raw.get("events", []):
            if not isinstance(pattern, dict) or set(pattern) != {"source", "detail_types"}:
                raise DeclarationError(f"{here}: an event is {{ source, detail_types }}")
            patterns.append(
                EventPattern(
                    source=str(pattern["source"]),
                    detail_types=_strings(pattern["detail_types"], here),
                )
            )
        if len({p.source for p in patterns}) != len(patterns):
            raise DeclarationError(f"{here}: one entry per source (list its detail_types)")
        subscriptions.append(
            Subscription(queue=queue, events=tuple(patterns), send=bool(raw.get("send", False)))
        )
    realtime = _table(data, "realtime", {"publishes"}, where)
    publishes = _strings(realtime.get("publishes", []), f"{where} [realtime]")
    if set(publishes) - set(NAMESPACES):
        raise DeclarationError(f"{where}: realtime namespaces are {', '.join(NAMESPACES)}")
    secrets = _strings(
        _table(data, "secrets", {"manages"}, where).get("manages", []), f"{where} [secrets]"
    )
    if set(secrets) - set(SECRETS):
        raise DeclarationError(f"{where}: the platform's secrets are {', '.join(SECRETS)}")
    api = _table(data, "api", {"throttle", "routes", "cache"}, where)
    cache = None
    if "cache" in api:
        raw_cache = api["cache"]
        if not isinstance(raw_cache, dict) or set(raw_cache) != {"ttl_seconds", "routes"}:
            raise DeclarationError(f"{where}: cache is {{ ttl_seconds, routes }}")
        routes = tuple(_route(r, where) for r in _strings(raw_cache["routes"], where))
        if any(not r.startswith("GET ") for r in routes):
            raise DeclarationError(f"{where}: only GET routes are cached")
        cache = Cache(ttl_seconds=int(raw_cache["ttl_seconds"]), routes=routes)
    environment = data.get("environment", {})
    names = {v for k, v in vars(Env).items() if k.isupper() and isinstance(v, str)}
    if not isinstance(environment, dict) or not all(
        isinstance(v, str) for v in environment.values()
    ):
        raise DeclarationError(f'{where}: [environment] holds NAME = "value" strings')
    if set(environment) - names:
        raise DeclarationError(
            f"{where}: [environment] {sorted(set(environment) - names)} are not in "
            "barkeep.settings.Env"
        )
    emits = _strings(events.get("emits", []), f"{where} [events]")
    event_data = dict(events.get("data", {}))
    if set(event_data) != set(emits) or not all(isinstance(v, str) for v in event_data.values()):
        raise DeclarationError(f"{where}: [events] data must say what each emitted event carries")
    return ServiceNeeds(
        service=service,
        environment=dict(environment),
        event_data=event_data,
        emits=emits,
        subscriptions=tuple(subscriptions),
        publishes=publishes,
        writes=_strings(
            _table(data, "storage", {"writes"}, where).get("writes", []), f"{where} [storage]"
        ),
        secrets=secrets,
        models=_strings(
            _table(data, "bedrock", {"models"}, where).get("models", []), f"{where} [bedrock]"
        ),
        throttle=_throttle(api["throttle"], where) if "throttle" in api else None,
        route_throttles={
            _route(route, where): _throttle(value, where)
            for route, value in dict(api.get("routes", {})).items()
        },
        cache=cache,
    )


def load(service_dir: Path) -> ServiceNeeds:
    path = service_dir / FILE
    if not path.exists():
        return ServiceNeeds(service=service_dir.name)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DeclarationError(f"{path}: {exc}") from None
    return parse(service_dir.name, data)


def load_all(services_dir: Path) -> dict[str, ServiceNeeds]:
    """Every service's declaration (services are the folders with an `app.py`)."""
    return {p.parent.name: load(p.parent) for p in sorted(services_dir.glob("*/app.py"))}


def unrouted(needs: Iterable[ServiceNeeds]) -> list[str]:
    """Subscriptions that no service emits: a rule that would never fire."""
    everyone = list(needs)
    emitted = {(n.source, t) for n in everyone for t in n.emits}
    return [
        f"{n.service}/{s.queue}: nobody emits {p.source} {t}"
        for n in everyone
        for s in n.subscriptions
        for p in s.events
        for t in p.detail_types
        if (p.source, t) not in emitted
    ]
