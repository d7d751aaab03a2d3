from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from packager.archive import EPOCH, excluded, files_under, write_zip


def _tree(root: Path, files: dict[str, bytes], *, mtime: int, mode: int) -> None:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        path.chmod(mode)
        os.utime(path, (mtime, mtime))


FILES = {
    "app.py": b"app = 1\n",
    "chalicelib/__init__.py": b"",
    "chalicelib/domain.py": b"x = 2\n" * 100,
    "pkg/_native.cpython-313-x86_64-linux-gnu.so": bytes(range(256)) * 40,
}


def test_the_same_files_give_the_same_bytes_whatever_the_machine_did(tmp_path: Path) -> None:
    # Given the same files written twice, in another order, at other times, with other modes
    first, second = tmp_path / "a", tmp_path / "b"
    _tree(first, FILES, mtime=1_700_000_000, mode=0o644)
    _tree(second, dict(reversed(FILES.items())), mtime=1_800_000_000, mode=0o755)
    # When each is zipped
    one = write_zip(tmp_path / "one.zip", files_under(first))
    two = write_zip(tmp_path / "two.zip", files_under(second))
    # Then the archives are byte-identical, sorted, with fixed times and modes
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()
    assert one.sha256 == two.sha256 and one.files == len(FILES)
    assert one.unpacked_size == sum(map(len, FILES.values()))
    with zipfile.ZipFile(one.path) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == sorted(FILES)
    assert {i.date_time for i in infos} == {EPOCH}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}


@pytest.mark.parametrize(
    "name",
    [
        "pkg/__pycache__/mod.cpython-311.pyc",
        "mod.pyc",
        "bin/cffi-gen-src",
        "wrapt-stubs/__init__.pyi",
        "pkg-1.0.dist-info/RECORD",
        "pkg-1.0.dist-info/INSTALLER",
    ],
)
def test_leaves_out_what_lambda_never_reads(name: str) -> None:
    assert excluded(name)


@pytest.mark.parametrize(
    "name", ["app.py", "pkg-1.0.dist-info/METADATA", "certifi/cacert.pem", "pkg/lib.so"]
)
def test_keeps_what_lambda_reads(name: str) -> None:
    assert not excluded(name)


def test_two_files_for_one_path_are_refused(tmp_path: Path) -> None:
    source = tmp_path / "f.py"
    source.write_text("")
    with pytest.raises(ValueError, match="same path"):
        write_zip(tmp_path / "x.zip", [("a.py", source), ("a.py", source)])
