"""A zip that is the same bytes every time it is built from the same files.

Entries are sorted, every timestamp is the zip epoch (1980-01-01), permissions are fixed
(0644; Lambda only needs to read), there are no directory entries, and the compression level is
fixed. What varies between machines (mtimes, umask, directory order) never reaches the bytes.
"""

from __future__ import annotations

import fnmatch
import hashlib
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

EPOCH = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o100644 << 16
# Nothing of the build machine's and nothing the function never reads.
EXCLUDED = (
    "*/__pycache__/*",
    "__pycache__/*",
    "*.pyc",
    "*.pyo",
    "*.pyi",
    "bin/*",  # console scripts installed beside the packages
    "*-stubs/*",
    "*.dist-info/RECORD",  # lists the excluded files too, and only pip uninstall reads it
    "*.dist-info/INSTALLER",
    "*.dist-info/REQUESTED",
    "*.dist-info/direct_url.json",
)


def excluded(relative: str) -> bool:
    return any(fnmatch.fnmatchcase(relative, pattern) for pattern in EXCLUDED)


def files_under(root: Path) -> Iterator[tuple[str, Path]]:
    """(archive name, file) for every file under `root` that belongs in the zip."""
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            name = PurePosixPath(*path.relative_to(root).parts).as_posix()
            if not excluded(name):
                yield name, path


@dataclass(frozen=True)
class Archive:
    path: Path
    sha256: str
    size: int
    unpacked_size: int
    files: int


def write_zip(destination: Path, entries: Iterable[tuple[str, Path]]) -> Archive:
    """Write `entries` (archive name → file) deterministically; returns what was written."""
    ordered = sorted(entries)
    names = [name for name, _ in ordered]
    if len(set(names)) != len(names):
        clash = sorted({n for n in names if names.count(n) > 1})
        raise ValueError(f"two files would land on the same path in the zip: {clash[:5]}")
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_suffix(".partial")
    unpacked = 0
    with zipfile.ZipFile(partial, "w") as archive:
        for name, source in ordered:
            info = zipfile.ZipInfo(name, date_time=EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, so external_attr carries the mode
            info.external_attr = FILE_MODE
            data = source.read_bytes()
            unpacked += len(data)
            archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    partial.replace(destination)
    digest = hashlib.sha256(destination.read_bytes()).hexdigest()
    return Archive(
        path=destination,
        sha256=digest,
        size=destination.stat().st_size,
        unpacked_size=unpacked,
        files=len(ordered),
    )
