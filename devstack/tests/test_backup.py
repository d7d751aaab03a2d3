"""`make backup` / `make restore` (ADR 0035): the night's data, saved, wiped and brought back.
The real stack: a guest orders, the stack stops, the data is backed up and wiped, and after a
restore the same order is in the bartender's queue again."""

from __future__ import annotations

import shutil
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from barkeep.testing.database import traversable_tempdir
from barkeep.testing.stack import launch_stack
from devstack.backup import ROOT, backup, restore
from devstack.ports import DataDirLock

pytestmark = pytest.mark.xdist_group("stack")


@pytest.fixture
def folder() -> Iterator[Path]:
    path = traversable_tempdir("barkeep-backup-")
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def test_back_up_wipe_restore_and_the_orders_are_back(folder: Path) -> None:
    data_dir, archive = folder / "data", folder / "saved" / "night.tar.gz"
    data_dir.mkdir()

    # Given a night with an order in it
    with launch_stack(data_dir) as stack:
        admin = {"Authorization": f"Bearer {stack.admin_token()}"}
        code = stack.invite_code(admin, max_uses=1)
        token = requests.post(
            f"{stack.api('identity')}/register",
            headers={"X-Registration-Code": code},
            json={"username": "Backup"},
            timeout=10,
        ).json()["access_token"]
        drink = requests.get(f"{stack.api('menu')}/drinks", timeout=10).json()["drinks"][0]
        placed = requests.post(
            f"{stack.api('orders')}/orders",
            headers={"Authorization": f"Bearer {token}"},
            json={"drink_id": drink["id"], "quantity": 2},
            timeout=10,
        )
        assert placed.status_code == 201, placed.text
        order_id = placed.json()["order"]["id"]
        port = int(stack.base.rsplit(":", 1)[1])  # the guest's token names it (its issuer)

        # While the stack runs, a backup is refused (its files are not consistent then)
        done, message = backup(data_dir, archive)
        assert not done and "stop it" in message and not archive.exists()

    # When it is backed up after stopping (into a folder that exists, never over a file), and
    # the data directory is wiped
    done, message = backup(data_dir, archive)
    assert not done and "There is no folder" in message and not archive.parent.exists()
    archive.parent.mkdir()
    done, message = backup(data_dir, archive)
    assert done, message
    assert archive.stat().st_mode & 0o777 == 0o600  # guests, keys: the owner's eyes only
    first = archive.read_bytes()
    done, message = backup(data_dir, archive)
    assert not done and "already exists" in message and archive.read_bytes() == first
    with tarfile.open(archive) as saved:
        names = saved.getnames()
    assert f"{ROOT}/pgdata/PG_VERSION" in names
    assert not any(Path(n).name in (DataDirLock.FILE, "postmaster.pid") for n in names)
    shutil.rmtree(data_dir)

    # And restored
    done, message = restore(data_dir, archive)
    assert done, message

    # Then the stack starts on it with the order in the queue and the guest still signed in
    with launch_stack(data_dir, port) as stack:
        admin = {"Authorization": f"Bearer {stack.admin_token()}"}
        queue = requests.get(f"{stack.api('orders')}/admin/orders", headers=admin, timeout=10)
        assert [(o["id"], o["quantity"]) for o in queue.json()["orders"]] == [(order_id, 2)]
        mine = requests.get(
            f"{stack.api('orders')}/orders",
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        assert mine.status_code == 200 and [o["id"] for o in mine.json()["orders"]] == [order_id]

        # And restoring over a running stack is refused
        done, message = restore(data_dir, archive)
        assert not done and "stop it" in message

    # And a restore over existing data keeps that data aside rather than deleting it
    done, message = restore(data_dir, archive)
    assert done and "before-restore" in message
    assert [p.name for p in folder.iterdir() if "before-restore" in p.name]


def test_a_file_that_is_not_a_backup_is_refused(folder: Path) -> None:
    stray = folder / "stray.tar.gz"
    with tarfile.open(stray, "w:gz") as archive:
        note = folder / "note.txt"
        note.write_text("not a backup")
        archive.add(note, arcname="../../etc/note.txt")
    done, message = restore(folder / "data", stray)
    assert not done and "not a Barkeep backup" in message
    assert not (folder / "data").exists()
    done, message = restore(folder / "data", folder / "missing.tar.gz")
    assert not done and "No backup" in message


def test_a_stack_cannot_start_on_the_data_while_it_is_backed_up_or_restored(folder: Path) -> None:
    from devstack.backup import _kept_still
    from devstack.ports import DataDirInUse

    data_dir = folder / "data"
    data_dir.mkdir()
    for doing in ("make backup", "make restore"):
        with _kept_still(data_dir, doing) as refusal:
            assert refusal is None
            with pytest.raises(DataDirInUse) as refused:
                DataDirLock(data_dir).acquire(8080)
            assert refused.value.holder.endswith(doing)
        stack = DataDirLock(data_dir)
        stack.acquire(8080)  # afterwards a stack may start
        with _kept_still(data_dir, doing) as refusal:  # and while it runs, nothing is touched
            assert refusal is not None and "port 8080" in refusal and "stop it" in refusal
        stack.release()
