"""Every migration of every service is SQL that Aurora DSQL runs.

AWS's `dsql-lint` checks what it knows; a second check covers what it lets through but DSQL
refuses at runtime (jsonb/json columns: DSQL supports them only as query-time types).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from barkeep.migrate import SHARED_DIR, split_statements

ROOT = Path(__file__).resolve().parents[1]
# on PATH under `uv run`; beside the interpreter when the venv's python runs pytest directly
DSQL_LINT = shutil.which("dsql-lint") or shutil.which(
    "dsql-lint", path=str(Path(sys.executable).parent)
)
SERVICE_DIRS = sorted(p for p in (ROOT / "services").glob("*/migrations") if any(p.glob("*.sql")))
ALL_FILES = [f for d in SERVICE_DIRS for f in sorted(d.glob("*.sql"))]


def _rendered(tmp_path: Path) -> list[Path]:
    """Service files as they are; shared files with their `{schema}` filled in."""
    out = list(ALL_FILES)
    for f in sorted(SHARED_DIR.glob("*.sql")):
        target = tmp_path / f"shared_{f.name}"
        target.write_text(f.read_text().replace("{schema}", "menu"))
        out.append(target)
    return out


def test_there_are_migrations_to_check() -> None:
    assert any("menu" in str(d) for d in SERVICE_DIRS)
    assert len(ALL_FILES) >= 4


def test_dsql_lint_finds_nothing(tmp_path: Path) -> None:
    lint = DSQL_LINT
    assert lint, "dsql-lint is a dev dependency; run `uv sync`"
    files = _rendered(tmp_path)
    result = subprocess.run(
        [lint, "--format", "json", *map(str, files)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "path",
    ALL_FILES + sorted(SHARED_DIR.glob("*.sql")),
    ids=lambda p: f"{p.parent.parent.name}/{p.name}",
)
def test_no_column_types_dsql_only_allows_at_runtime(path: Path) -> None:
    for statement in split_statements(path.read_text()):
        if statement.upper().startswith("CREATE TABLE"):
            assert not re.search(r"\bjsonb?\b", statement, re.IGNORECASE), statement
            assert not re.search(r"[A-Za-z0-9)]\s*\[\]", statement), statement  # array types
            assert not re.search(r"\b(serial|bigserial)\b", statement, re.IGNORECASE)
            assert "REFERENCES" not in statement.upper()  # integrity is checked in code


def test_the_lint_really_fails_on_bad_sql(tmp_path: Path) -> None:
    bad = tmp_path / "0001_bad.sql"
    bad.write_text("CREATE TABLE t (id serial PRIMARY KEY, tags text[]);")
    lint = DSQL_LINT
    assert lint
    result = subprocess.run([lint, str(bad)], capture_output=True, text=True, check=False)
    assert result.returncode != 0
