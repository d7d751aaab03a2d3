"""What `make package` writes for each real service: small, pinned, reproducible, for the
target, with a manifest infra can wire without importing the service."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from barkeep.declarations import load_all
from barkeep.settings import Env
from openapi_spec_validator import validate
from openapi_spec_validator.validation.validators import OpenAPIV2SpecValidator
from packager.build import SERVICES_DIR, Built, build, services
from packager.native import native_files
from packager.targets import Target

MAX_ZIPPED = 15_000_000  # our own bar; Lambda allows 50 MB zipped, 250 MB unpacked
SERVICES = services()
ENV_NAMES = {v for k, v in vars(Env).items() if k.isupper() and isinstance(v, str)}


def _names(built: Built) -> list[str]:
    with zipfile.ZipFile(built.zip_path) as archive:
        return archive.namelist()


def test_there_is_a_service_to_package() -> None:
    assert set(SERVICES) == {"menu", "identity", "orders", "ai"}


@pytest.mark.parametrize("service", SERVICES)
def test_the_zip_holds_the_service_and_what_it_imports_and_nothing_else(
    host_artifacts: dict[str, Built], service: str
) -> None:
    built = host_artifacts[service]
    names = _names(built)
    tops = {n.split("/")[0] for n in names}
    assert {"app.py", "chalicelib", "barkeep", "chalice", "psycopg", "pydantic", "jwt"} <= tops
    # the Lambda runtime has boto3 and botocore; Chalice ships only its runtime module
    assert not tops & {"boto3", "botocore", "s3transfer", "urllib3", "click", "yaml"}
    assert sorted(n for n in names if n.startswith("chalice/")) == [
        "chalice/__init__.py",
        "chalice/app.py",
    ]
    # no tests, fixtures, caches or bytecode of the build machine
    assert not [n for n in names if "__pycache__" in n or n.endswith((".pyc", ".pyo"))]
    assert not [n for n in names if n.startswith(("barkeep/testing/", "tests/", "migrations/"))]
    assert not [n for n in names if n.endswith(".sql") or n.startswith("seed/")]
    assert not {"barkeep/local.py", "barkeep/migrate.py"} & set(names)
    # and small
    artifact = built.manifest["artifact"]
    assert artifact["size"] == built.zip_path.stat().st_size < MAX_ZIPPED
    assert artifact["unpacked_size"] < 250_000_000


@pytest.mark.parametrize("service", SERVICES)
def test_dependencies_are_exactly_the_locked_ones(
    host_artifacts: dict[str, Built], service: str
) -> None:
    built = host_artifacts[service]
    requirements = (built.directory / "requirements.txt").read_text()
    pins = re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+?)(?:\s|;|$)", requirements, re.MULTILINE)
    assert pins and dict(pins) == {k: v for k, v in built.manifest["dependencies"].items()}
    assert not re.search(r"^[A-Za-z].*(>=|<|~=)", requirements, re.MULTILINE)
    assert requirements.count("--hash=sha256:") >= len(pins)
    lock = (SERVICES_DIR.parent / "uv.lock").read_text()
    for name, version in pins:
        assert f'name = "{name}"\nversion = "{version}"' in lock, (name, version)
    names = _names(built)
    for name, version in pins:
        if name == "tzdata":  # Windows only
            continue
        dist = f"{name.replace('-', '_')}-{version}.dist-info/METADATA"
        assert any(n.lower() == dist.lower() for n in names), dist


def test_two_builds_of_the_same_commit_are_byte_identical(
    host_artifacts: dict[str, Built], host_target: Target, tmp_path: Path
) -> None:
    first = host_artifacts["identity"]
    again = build("identity", host_target, out=tmp_path)
    assert again.zip_path.read_bytes() == first.zip_path.read_bytes()
    assert again.manifest == first.manifest


@pytest.mark.parametrize("service", SERVICES)
def test_every_native_extension_of_the_arm64_artifact_is_aarch64_cpython_313(
    arm64_artifacts: dict[str, Built], arm64: Target, service: str
) -> None:
    built = arm64_artifacts[service]
    assert built.manifest["architecture"] == "arm64"
    with zipfile.ZipFile(built.zip_path) as archive:
        native = native_files(archive)
    # psycopg's, pydantic-core's, cryptography's and cffi's compiled code is all there...
    names = " ".join(n.name for n in native)
    for expected in ("psycopg_binary", "pydantic_core", "cryptography", "_cffi_backend"):
        assert expected in names
    # ...and every ELF file in the zip is built for aarch64 ...
    assert {n.elf_machine for n in native} == {arm64.elf_machine}
    # ... and every extension module for CPython 3.13's ABI (or the stable ABI)
    for n in native:
        if ".cpython-" in n.name:
            assert n.name.endswith(arm64.extension_suffix), n.name
        elif not re.search(r"\.libs/|\.so\.\d", n.name):
            assert n.name.endswith(".abi3.so"), n.name


@pytest.mark.parametrize("service", SERVICES)
def test_the_manifest_swagger_is_valid_openapi_2_with_every_route_and_placeholder(
    host_artifacts: dict[str, Built], service: str
) -> None:
    manifest = host_artifacts[service].manifest
    swagger = manifest["swagger"]
    validate(swagger, cls=OpenAPIV2SpecValidator)
    # every route of the app, each with its authorizer
    for route in manifest["routes"]:
        operation = swagger["paths"][route["path"]][route["method"].lower()]
        expected = [{route["authorizer"]: []}] if route["authorizer"] else None
        assert operation.get("security") == expected, route
    assert len(manifest["routes"]) == sum(len(m) for m in swagger["paths"].values())
    if service == "menu":  # query parameters travel with the route (a stage cache keys on them)
        drinks = next(
            r for r in manifest["routes"] if (r["path"], r["method"]) == ("/drinks", "GET")
        )
        assert drinks["query"] == ["ingredient", "q", "section_id", "suitable_for", "tag"]
    # every placeholder stands for a function of the manifest, and none is left unlisted
    functions = {f["name"]: f for f in manifest["functions"]}
    used = set(re.findall(r"\{\{invoke_arn:[a-z_]+\}\}", json.dumps(swagger)))
    assert used == set(manifest["placeholders"])
    for name in manifest["placeholders"].values():
        assert functions[name]["kind"] in ("api", "authorizer")
    for name, definition in swagger.get("securityDefinitions", {}).items():
        authorizer = definition["x-amazon-apigateway-authorizer"]
        assert authorizer["authorizerUri"] == f"{{{{invoke_arn:{name}}}}}"
        assert definition["name"] == functions[name]["identity_header"]


@pytest.mark.parametrize("service", SERVICES)
def test_the_manifest_says_what_infra_needs(host_artifacts: dict[str, Built], service: str) -> None:
    manifest = json.loads(host_artifacts[service].manifest_path.read_text())
    assert (manifest["service"], manifest["runtime"]) == (service, "python3.13")
    assert set(manifest["environment"]) <= ENV_NAMES
    assert {Env.DSQL_ENDPOINT, Env.STAGE, Env.SERVICE} <= set(manifest["environment"])
    assert Env.DATABASE_URL not in manifest["environment"]  # local only
    assert Env.AWS_REGION not in manifest["environment"]  # Lambda sets it
    kinds = {f["kind"] for f in manifest["functions"]}
    assert {"api", "schedule"} <= kinds
    for function in manifest["functions"]:
        assert re.fullmatch(r"app\.[a-z_]+", function["handler"])
        assert re.fullmatch(r"[a-z_]+", function["name"])  # infra prefixes stage and service
        if function["kind"] == "sqs":
            assert re.fullmatch(r"[a-z]+", function["queue"])  # a name within the service


def test_each_consumer_names_its_queue_within_its_service(
    host_artifacts: dict[str, Built],
) -> None:
    consumers = {
        service: [
            (f["name"], f["queue"], f["batch_size"])
            for f in built.manifest["functions"]
            if f["kind"] == "sqs"
        ]
        for service, built in host_artifacts.items()
    }
    # infra and the local stack create them as barkeep-<stage>-<service>-<queue>, from the
    # service's declaration, which must name exactly the queues the app consumes
    declared = load_all(SERVICES_DIR)
    for service, found in consumers.items():
        assert sorted(q for _, q, _ in found) == sorted(declared[service].queues), service
    assert consumers == {
        "ai": [("on_work", "work", 10)],
        "menu": [("on_events", "events", 10)],
        "identity": [],
        "orders": [],
    }


@pytest.mark.parametrize("service", SERVICES)
def test_chalice_never_generates_iam_policies(service: str) -> None:
    # Its policy analyzer crashes on annotated module-level assignments, and IAM is infra's.
    config = json.loads((SERVICES_DIR / service / ".chalice" / "config.json").read_text())
    assert config["autogen_policy"] is False
