"""Native code in an artifact is built for the target: the right machine, CPython 3.13's ABI.

Checked from the bytes alone (ELF headers, extension file names, wheel tags), so an arm64
artifact is verified on an x86_64 machine that could never run it.
"""

from __future__ import annotations

import re
import struct
import zipfile
from dataclasses import dataclass

from packager.targets import Target

ELF_MAGIC = b"\x7fELF"
_CPYTHON_TAG = re.compile(r"\.cpython-(\d+)-([a-z0-9_]+)-linux-gnu\.so$")
_WHEEL_TAG = re.compile(r"^Tag:\s*(\S+)-(\S+)-(\S+)$", re.MULTILINE)


@dataclass(frozen=True)
class NativeFile:
    name: str
    elf_machine: int


def elf_machine(header: bytes) -> int | None:
    """e_machine of an ELF file from its first 20 bytes; None if it is no ELF file."""
    if len(header) < 20 or header[:4] != ELF_MAGIC:
        return None
    byte_order = "<" if header[5] == 1 else ">"
    machine: int = struct.unpack_from(f"{byte_order}H", header, 18)[0]
    return machine


def native_files(archive: zipfile.ZipFile) -> list[NativeFile]:
    found = []
    for info in archive.infolist():
        with archive.open(info) as handle:
            machine = elf_machine(handle.read(20))
        if machine is not None:
            found.append(NativeFile(info.filename, machine))
    return found


def problems(archive: zipfile.ZipFile, target: Target) -> list[str]:
    """Everything in the zip that would not load on the target; empty when it all would."""
    found = []
    for native in native_files(archive):
        if native.elf_machine != target.elf_machine:
            found.append(
                f"{native.name}: built for ELF machine {native.elf_machine}, "
                f"not {target.machine} ({target.elf_machine})"
            )
        tag = _CPYTHON_TAG.search(native.name)
        if tag and (tag.group(1) != "313" or tag.group(2) != target.machine):
            found.append(f"{native.name}: an extension for cpython-{tag.group(1)}-{tag.group(2)}")
    for name in archive.namelist():
        if name.endswith(".dist-info/WHEEL"):
            found += _wheel_tag_problems(name, archive.read(name).decode(), target)
    return found


def _wheel_tag_problems(name: str, text: str, target: Target) -> list[str]:
    found = []
    for python, abi, platform in _WHEEL_TAG.findall(text):
        if platform == "any":
            continue
        if not platform.endswith(f"_{target.machine}"):
            found.append(f"{name}: a wheel for {platform}")
        if abi not in ("cp313", "abi3", "none"):
            found.append(f"{name}: a wheel for the {abi} ABI")
        if abi == "abi3" and int(python.removeprefix("cp")[1:] or 0) > 13:
            found.append(f"{name}: a stable-ABI wheel that needs a newer Python ({python})")
    return found
