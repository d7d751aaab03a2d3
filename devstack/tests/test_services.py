from __future__ import annotations

import sys
from pathlib import Path

import pytest
from devstack.services import MountedService, discover_migrations, discover_services

APP = """
from barkeep.http import ServiceApp
from chalicelib import NAME
from chalicelib.wiring import calls

app = ServiceApp(NAME)


@app.route("/whoami")
def whoami():
    return {"service": NAME, "resets": calls["reset"]}
"""
WIRING = """
calls = {"reset": 0}


def reset():
    calls["reset"] += 1


def {name}():
    return "{name}-service"
"""
SEED = """
def load_seed(service):
    return {{"loaded_into": 1 if service == "{name}-service" else 0}}
"""


def make_service(root: Path, name: str, *, seed: bool = False, sql: bool = False) -> Path:
    folder = root / name
    (folder / "chalicelib").mkdir(parents=True)
    (folder / "app.py").write_text(APP)
    (folder / "chalicelib" / "__init__.py").write_text(f"NAME = {name!r}\n")
    (folder / "chalicelib" / "wiring.py").write_text(WIRING.replace("{name}", name))
    if seed:
        (folder / "chalicelib" / "seed.py").write_text(SEED.format(name=name))
    (folder / "migrations").mkdir()
    if sql:
        (folder / "migrations" / "0001_create_things.sql").write_text("SELECT 1;")
    return folder


def test_discovers_services_with_an_app_and_migrations_with_sql(tmp_path: Path) -> None:
    # Given
    make_service(tmp_path, "menu", sql=True)
    make_service(tmp_path, "orders")
    (tmp_path / "identity").mkdir()
    # When / Then
    assert discover_services(tmp_path) == ["menu", "orders"]
    assert discover_migrations(tmp_path) == {"menu": tmp_path / "menu" / "migrations"}


def test_each_service_gets_its_own_chalicelib(tmp_path: Path) -> None:
    # Given two services whose packages are both called `chalicelib`
    services = [MountedService(n, make_service(tmp_path, n)) for n in ("a", "b")]
    try:
        # When
        answers = [s.handle("GET", "/whoami", {}, b"").json()["service"] for s in services]
        # Then
        assert answers == ["a", "b"]
        assert "chalicelib" not in sys.modules
        assert "app" not in sys.modules
    finally:
        for service in services:
            service.unload()
    assert not [n for n in sys.modules if n.startswith("_barkeep_svc_")]


def test_leaves_the_callers_own_chalicelib_in_place(tmp_path: Path) -> None:
    # Given the caller imported a chalicelib of its own (as a service's tests do)
    mine = make_service(tmp_path / "mine", "mine")
    sys.path.insert(0, str(mine))
    try:
        import chalicelib

        # When
        service = MountedService("other", make_service(tmp_path, "other"))
        # Then
        assert sys.modules["chalicelib"] is chalicelib
        assert service.handle("GET", "/whoami", {}, b"").json()["service"] == "other"
        service.unload()
    finally:
        sys.path.remove(str(mine))
        for name in [n for n in sys.modules if n == "chalicelib" or n.startswith("chalicelib.")]:
            del sys.modules[name]


def test_resets_and_seeds_once(tmp_path: Path) -> None:
    # Given
    service = MountedService("menu", make_service(tmp_path, "menu", seed=True))
    try:
        # When
        for reset in service.resetters():
            reset()
        # Then
        assert len(service.resetters()) == 1
        assert service.handle("GET", "/whoami", {}, b"").json()["resets"] == 1
        assert service.load_seed() == {"loaded_into": 1}
        assert not service.has_outbox
    finally:
        service.unload()


def test_the_banner_counts_what_a_seed_did_in_words() -> None:
    from devstack.stack import _seeded

    assert [
        _seeded("drinks", 3),
        _seeded("drinks", 1),
        _seeded("photos moved to this address", 1),
        _seeded("signing_keys", "kept"),
    ] == ["3 drinks", "1 drink", "1 photo moved to this address", "signing_keys kept"]


def test_a_service_that_fails_to_import_leaves_nothing_behind(tmp_path: Path) -> None:
    # Given
    folder = make_service(tmp_path, "broken")
    (folder / "app.py").write_text("from chalicelib import missing_module\n")
    # When / Then
    with pytest.raises(ImportError):
        MountedService("broken", folder)
    assert not [n for n in sys.modules if n.startswith(("_barkeep_svc_", "chalicelib"))]


def test_refuses_an_app_that_is_not_a_service_app(tmp_path: Path) -> None:
    folder = make_service(tmp_path, "plain")
    (folder / "app.py").write_text("from chalice import Chalice\napp = Chalice(app_name='x')\n")
    with pytest.raises(RuntimeError, match="ServiceApp"):
        MountedService("plain", folder)
    assert not [n for n in sys.modules if n.startswith(("_barkeep_svc_", "chalicelib"))]
