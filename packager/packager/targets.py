"""What we build for: AWS Lambda's python3.13 runtime on Amazon Linux 2023, arm64 or x86_64."""

from __future__ import annotations

import platform
from dataclasses import dataclass

RUNTIME = "python3.13"
PYTHON_VERSION = "3.13"
# Amazon Linux 2023 ships glibc 2.34: wheels for any older manylinux run there too.
GLIBC = "2_34"


class UnknownArchitecture(ValueError):
    pass


@dataclass(frozen=True)
class Target:
    architecture: str  # Lambda's name: arm64 | x86_64
    machine: str  # what `uname -m` and wheel tags say: aarch64 | x86_64
    elf_machine: int  # ELF e_machine of native code built for it

    @property
    def uv_platform(self) -> str:
        return f"{self.machine}-manylinux_{GLIBC}"

    @property
    def extension_suffix(self) -> str:
        """The file-name tag of a CPython 3.13 extension module built for this target."""
        return f".cpython-313-{self.machine}-linux-gnu.so"

    def runs_here(self) -> bool:
        return platform.system() == "Linux" and platform.machine() in (
            self.machine,
            self.architecture,
        )


TARGETS = {
    "arm64": Target("arm64", "aarch64", elf_machine=183),  # EM_AARCH64
    "x86_64": Target("x86_64", "x86_64", elf_machine=62),  # EM_X86_64
}
DEFAULT_ARCHITECTURE = "arm64"  # Graviton: cheaper per GB-second, and faster


def target(architecture: str) -> Target:
    try:
        return TARGETS[architecture]
    except KeyError:
        raise UnknownArchitecture(
            f"unknown ARCH {architecture!r}: use one of {', '.join(TARGETS)}"
        ) from None
