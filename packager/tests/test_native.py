from __future__ import annotations

import struct
import zipfile
from pathlib import Path

from packager.native import elf_machine, problems
from packager.targets import TARGETS


def _elf(machine: int) -> bytes:
    header = bytearray(64)
    header[:4] = b"\x7fELF"
    header[4] = 2  # 64-bit
    header[5] = 1  # little-endian
    struct.pack_into("<H", header, 18, machine)
    return bytes(header)


def _zip(tmp_path: Path, files: dict[str, bytes]) -> zipfile.ZipFile:
    path = tmp_path / "a.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return zipfile.ZipFile(path)


def test_reads_the_machine_from_an_elf_header() -> None:
    assert elf_machine(_elf(183)) == 183
    assert elf_machine(_elf(62)) == 62
    assert elf_machine(b"#!/bin/sh\n" + bytes(20)) is None


def test_an_arm64_artifact_with_only_aarch64_cpython_313_code_passes(tmp_path: Path) -> None:
    archive = _zip(
        tmp_path,
        {
            "pydantic_core/_pydantic_core.cpython-313-aarch64-linux-gnu.so": _elf(183),
            "cryptography/hazmat/bindings/_rust.abi3.so": _elf(183),
            "psycopg_binary.libs/libpq-1a2b.so.5.17": _elf(183),
            "cryptography-50.dist-info/WHEEL": b"Tag: cp311-abi3-manylinux_2_34_aarch64\n",
            "pydantic_core-2.dist-info/WHEEL": b"Tag: cp313-cp313-manylinux_2_17_aarch64\n",
            "certifi-1.dist-info/WHEEL": b"Tag: py3-none-any\n",
        },
    )
    assert problems(archive, TARGETS["arm64"]) == []


def test_names_every_file_that_would_not_load_on_arm64(tmp_path: Path) -> None:
    archive = _zip(
        tmp_path,
        {
            # what `chalice package` on an x86_64 machine with Python 3.11 would ship
            "pydantic_core/_pydantic_core.cpython-311-x86_64-linux-gnu.so": _elf(62),
            "psycopg_binary.libs/libpq.so.5": _elf(62),
            "pydantic_core-2.dist-info/WHEEL": b"Tag: cp311-cp311-manylinux_2_17_x86_64\n",
        },
    )
    found = problems(archive, TARGETS["arm64"])
    assert any("libpq.so.5" in p and "ELF machine 62" in p for p in found)
    assert any("cpython-311-x86_64" in p for p in found)
    assert any("manylinux_2_17_x86_64" in p for p in found)
    assert any("cp311 ABI" in p for p in found)
