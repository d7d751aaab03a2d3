"""Finding the services and mounting each one's Chalice app in this process.

Every service has `app.py` beside a package called `chalicelib` — the same name in every
service, as Chalice requires. To hold several in one process, each service is imported with its
own folder first on `sys.path`, and its `app`/`chalicelib.*` modules are then moved out of
`sys.modules` under a private prefix (`_barkeep_svc_<name>`), so the next service imports its
own `chalicelib`. Whatever the caller had imported under those names is put back afterwards.

A consequence services must respect: `chalicelib` is imported at import time, never lazily
inside a function (a lazy import would find no `chalicelib`, or another service's).

Every service's app is a `barkeep.http.ServiceApp`, which keeps the request being handled per
thread (plain Chalice keeps it on the app object), so one import serves requests concurrently.

Conventions the stack relies on, each optional:
  chalicelib/wiring.py  `reset()` forgets cached wiring; `publisher()` has `sweep()` (the outbox);
                        a function named after the service builds its service object
  chalicelib/seed.py    `load_seed(<that service object>)`, idempotent
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Any

from barkeep.http import ServiceApp
from barkeep.local import LocalApi, LocalResponse

_ISOLATED = ("app", "chalicelib")
_OPTIONAL = ("chalicelib.wiring", "chalicelib.seed")


def discover_services(services_dir: Path) -> list[str]:
    """Services with a Chalice app (`services/<name>/app.py`), by name."""
    return sorted(p.parent.name for p in services_dir.glob("*/app.py"))


def discover_migrations(services_dir: Path) -> dict[str, Path]:
    """{schema: folder} for every service whose `migrations/` holds .sql files."""
    return {
        p.parent.name: p
        for p in sorted(services_dir.glob("*/migrations"))
        if p.is_dir() and any(p.glob("*.sql"))
    }


def _isolated_names() -> list[str]:
    return [n for n in sys.modules if n in _ISOLATED or n.startswith("chalicelib.")]


def import_isolated(service_dir: Path, key: str) -> dict[str, ModuleType]:
    """Import `service_dir/app.py` (and its optional wiring and seed) without leaving its
    modules under their own names; they are kept as `<key>.<name>` in sys.modules."""
    saved_modules = {n: sys.modules.pop(n) for n in _isolated_names()}
    saved_path = list(sys.path)
    sys.path.insert(0, str(service_dir))
    importlib.invalidate_caches()
    try:
        importlib.import_module("app")
        for name in _OPTIONAL:
            if (service_dir / f"{name.replace('.', '/')}.py").exists():
                importlib.import_module(name)
        loaded = {n: sys.modules[n] for n in _isolated_names()}
    finally:
        for name in _isolated_names():
            del sys.modules[name]
        sys.path[:] = saved_path
        sys.modules.update(saved_modules)
    for name, module in loaded.items():
        sys.modules[f"{key}.{name}"] = module
    return loaded


def _forget(key: str) -> None:
    for name in [n for n in sys.modules if n.startswith(f"{key}.")]:
        del sys.modules[name]


class MountedService:
    """One service's app behind the local API Gateway, and its optional wiring and seed."""

    def __init__(self, name: str, service_dir: Path) -> None:
        self.name = name
        self.key = f"_barkeep_svc_{name}"
        modules = import_isolated(service_dir, self.key)
        app = getattr(modules["app"], "app", None)
        if not isinstance(app, ServiceApp):
            _forget(self.key)
            raise RuntimeError(f"{service_dir / 'app.py'} must define `app = ServiceApp(...)`")
        self.api = LocalApi(app)
        # Its own workers, like its own Lambda function: a service that calls another through
        # this gateway (every service fetches identity's JWKS over HTTP) can never find every
        # worker busy waiting on itself.
        self.executor = ThreadPoolExecutor(max_workers=32, thread_name_prefix=f"svc-{name}")
        self._modules = modules
        self.wiring = modules.get("chalicelib.wiring")
        self.seed = modules.get("chalicelib.seed")

    def module(self, name: str) -> Any:
        """One of the service's own modules, as imported for it (e.g. `app`)."""
        return self._modules[name]

    def hook(self, name: str) -> Callable[..., Any] | None:
        found = getattr(self.wiring, name, None) if self.wiring is not None else None
        return found if callable(found) else None

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> LocalResponse:
        return self.api.handle(method, path, headers, body)

    def resetters(self) -> list[Callable[[], Any]]:
        reset = self.hook("reset")
        return [reset] if reset is not None else []

    def load_seed(self) -> dict[str, Any] | None:
        build = self.hook(self.name)
        load = getattr(self.seed, "load_seed", None) if self.seed is not None else None
        if build is None or not callable(load):
            return None
        added: dict[str, Any] = load(build())
        return added

    @property
    def has_outbox(self) -> bool:
        return self.hook("publisher") is not None

    def sweep_outbox(self) -> int:
        publisher = self.hook("publisher")
        if publisher is None:
            return 0
        sent: int = publisher().sweep()
        return sent

    def unload(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        _forget(self.key)
