from __future__ import annotations

import pytest
from devstack.config import DEFAULT_PORT, ConfigError, DevConfig


def test_port_defaults_to_8080_and_zero_means_any_free_port(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("BARKEEP_PORT", raising=False)
    assert DevConfig.from_env().port == DEFAULT_PORT
    # 0 lets the stack bind whatever port is free: what parallel test stacks use
    monkeypatch.setenv("BARKEEP_PORT", "0")
    assert DevConfig.from_env().port == 0


@pytest.mark.parametrize(
    ("name", "value"),
    [("BARKEEP_PORT", "http"), ("BARKEEP_PORT", "70000"), ("BARKEEP_MOTO_PORT", "0")],
)
def test_a_port_that_cannot_work_is_refused_with_its_name(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=name):
        DevConfig.from_env()
