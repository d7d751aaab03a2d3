"""Debian's chromium for the browser tests and the web benchmark (driven by Playwright)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

# Without the background-networking flags chromium keeps dialling Google on a closed network.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]


def chromium_path() -> str | None:
    """The chromium to drive (`BARKEEP_CHROMIUM` overrides), or None when it isn't installed."""
    path = os.environ.get("BARKEEP_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return path if Path(path).exists() else None
