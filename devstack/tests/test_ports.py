from __future__ import annotations

from pathlib import Path

import pytest
from devstack.ports import DataDirInUse, DataDirLock, PortInUse, port_in_use, reserve_port
from devstack.reset import reset


def test_a_port_someone_listens_on_is_refused() -> None:
    # Given
    held = reserve_port(0)
    port = held.getsockname()[1]
    try:
        # When / Then
        assert port_in_use(port)
        with pytest.raises(PortInUse) as caught:
            reserve_port(port)
        assert caught.value.port == port
    finally:
        held.close()
    assert not port_in_use(port)


def test_one_stack_per_data_dir(tmp_path: Path) -> None:
    # Given
    first = DataDirLock(tmp_path)
    first.acquire(8080)
    try:
        # When / Then
        with pytest.raises(DataDirInUse) as caught:
            DataDirLock(tmp_path).acquire(8081)
        assert "port 8080" in caught.value.holder
        assert DataDirLock(tmp_path).held_by_someone() is not None
    finally:
        first.release()
    assert DataDirLock(tmp_path).held_by_someone() is None


def test_reset_refuses_while_a_stack_holds_the_data_dir(tmp_path: Path) -> None:
    # Given
    data = tmp_path / "dev"
    lock = DataDirLock(data)
    lock.acquire(8080)
    free = reserve_port(0)
    port = free.getsockname()[1]
    free.close()
    try:
        # When
        done, message = reset(data, port)
        # Then
        assert not done
        assert "running" in message
        assert data.exists()
    finally:
        lock.release()
    done, _ = reset(data, port)
    assert done
    assert not data.exists()
