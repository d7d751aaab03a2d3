"""Packaging a service for AWS Lambda: `python -m packager build SERVICE [--arch arm64]`.

What it writes, in `dist/<service>/`:
- `deployment.zip`: the service (`app.py`, `chalicelib/`), the shared library `barkeep`, Chalice's
  runtime module, and the third-party dependencies pinned in `uv.lock`, built for python3.13 on
  the target architecture without that interpreter. Byte-identical for the same commit.
- `manifest.json`: everything infra needs to wire the service without importing it.
- `requirements.txt`: the exact, hashed dependency list that went into the zip.
"""
