"""`make package` says clearly what is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from packager.build import Built
from packager.python313 import NoPython313, find_python313
from packager.targets import Target

from packager import __main__ as cli


def test_an_unknown_service_is_named_with_the_ones_there_are(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["build", "bar"]) == 2
    err = capsys.readouterr().err
    assert "unknown SERVICE 'bar'" in err and "ai, identity, menu, orders, realtime" in err


def test_an_unknown_architecture_is_named_with_the_ones_there_are(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["build", "orders", "--arch", "riscv"]) == 2
    assert "unknown ARCH 'riscv': use one of arm64, x86_64" in capsys.readouterr().err


def _no_python313(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BARKEEP_PYTHON313", str(tmp_path / "missing"))
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path))


def test_finds_a_real_python_313_and_refuses_a_false_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, python313: str
) -> None:
    _no_python313(monkeypatch, tmp_path)
    with pytest.raises(NoPython313, match=r"Python 3\.13 is needed"):
        find_python313()
    # a pyenv shim that exits non-zero is no Python 3.13
    shim = tmp_path / "python3.13"
    shim.write_text("#!/bin/sh\necho 'pyenv: python3.13: command not found' >&2\nexit 127\n")
    shim.chmod(0o755)
    with pytest.raises(NoPython313):
        find_python313()
    monkeypatch.setenv("BARKEEP_PYTHON313", python313)
    assert find_python313() == python313


def test_without_python_313_the_run_check_fails_loudly(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    host_artifacts: dict[str, Built],
    host_target: Target,
) -> None:
    def built(*_args: Any, **_kwargs: Any) -> Built:
        return host_artifacts["orders"]

    monkeypatch.setattr(cli.builder, "build", built)
    _no_python313(monkeypatch, tmp_path)
    assert cli.main(["build", "orders", "--arch", host_target.architecture]) == 1
    err = capsys.readouterr().err
    assert "Python 3.13 is needed" in err and "CHECK=0" in err
