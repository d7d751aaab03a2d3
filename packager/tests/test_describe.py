from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

APP = '''
from chalice.app import Chalice, Rate

app = Chalice(app_name="barkeep-demo")


@app.authorizer(name="door", header="X-Code", ttl_seconds=0)
def door(auth_request):
    return {}


@app.route("/things/{id}", methods=["GET", "DELETE"], authorizer=door)
def thing(id):
    """One thing."""
    return {}


@app.route("/open")
def open_():
    return {}


@app.on_sqs_message(queue="work", batch_size=5)
def on_work(event):
    return None


@app.schedule(Rate(5, unit=Rate.MINUTES))
def tick(event):
    return None
'''


def _describe(tmp_path: Path, app: str) -> tuple[int, Any, str]:
    (tmp_path / "chalicelib").mkdir()
    (tmp_path / "chalicelib" / "__init__.py").write_text("")
    (tmp_path / "chalicelib" / "settings.py").write_text('ENVIRONMENT = ("DEMO_SETTING",)\n')
    (tmp_path / "app.py").write_text(app)
    out = tmp_path / "out.json"
    result = subprocess.run(
        [sys.executable, "-m", "packager.describe", str(out)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    described = json.loads(out.read_text()) if result.returncode == 0 else None
    return result.returncode, described, result.stderr


def test_every_function_the_app_needs_with_what_infra_wires_it_with(tmp_path: Path) -> None:
    code, described, _ = _describe(tmp_path, APP)
    assert code == 0
    by_name = {f["name"]: f for f in described["functions"]}
    assert by_name == {
        "api": {"name": "api", "kind": "api", "handler": "app.app"},
        "door": {
            "name": "door",
            "kind": "authorizer",
            "handler": "app.door",
            "identity_header": "X-Code",
            "ttl_seconds": 0,
        },
        "on_work": {
            "name": "on_work",
            "kind": "sqs",
            "handler": "app.on_work",
            "queue": "work",
            "batch_size": 5,
            "maximum_batching_window_seconds": 0,
        },
        "tick": {
            "name": "tick",
            "kind": "schedule",
            "handler": "app.tick",
            "schedule": "rate(5 minutes)",
        },
    }
    assert "DEMO_SETTING" in described["environment"]
    assert "BARKEEP_STAGE" in described["environment"]
    assert "DATABASE_URL" not in described["environment"]  # local only


def test_swagger_points_each_route_and_authorizer_at_a_placeholder(tmp_path: Path) -> None:
    _, described, _ = _describe(tmp_path, APP)
    swagger = described["swagger"]
    assert swagger["swagger"] == "2.0"
    get = swagger["paths"]["/things/{id}"]["get"]
    assert get["security"] == [{"door": []}]
    assert get["x-amazon-apigateway-integration"]["uri"] == "{{invoke_arn:api}}"
    door = swagger["securityDefinitions"]["door"]
    assert door["name"] == "X-Code"
    assert door["x-amazon-apigateway-authorizer"]["authorizerUri"] == "{{invoke_arn:door}}"
    assert door["x-amazon-apigateway-authorizer"]["authorizerResultTtlInSeconds"] == 0
    assert described["placeholders"] == {"{{invoke_arn:api}}": "api", "{{invoke_arn:door}}": "door"}
    assert all(r["query"] == [] for r in described["routes"])  # a plain Chalice app declares none
    assert {(r["path"], r["method"], r["authorizer"]) for r in described["routes"]} == {
        ("/things/{id}", "GET", "door"),
        ("/things/{id}", "DELETE", "door"),
        ("/open", "GET", None),
    }


def test_an_authorizer_lambda_could_not_find_is_an_error(tmp_path: Path) -> None:
    # registered by a helper (as barkeep.auth does), but never bound to a name in app.py
    app = (
        APP
        + """

def _register(app):
    @app.authorizer(name="gate")
    def gate(auth_request):
        return {}

    return gate


_register(app)
"""
    )
    code, _, stderr = _describe(tmp_path, app)
    assert code != 0
    assert "gate: Lambda would call app.gate" in stderr
    assert "does not define at module level" in stderr


@pytest.mark.parametrize("settings", ["", "OTHER = 1\n"])
def test_a_service_must_list_the_environment_it_reads(tmp_path: Path, settings: str) -> None:
    code, _, _ = _describe(tmp_path, APP)
    assert code == 0
    (tmp_path / "chalicelib" / "settings.py").write_text(settings)
    result = subprocess.run(
        [sys.executable, "-m", "packager.describe", str(tmp_path / "o.json")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0 and "ENVIRONMENT" in result.stderr
