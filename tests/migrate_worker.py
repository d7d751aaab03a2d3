"""One deployer, as its own process: `python migrate_worker.py <pgdata> <database>`.

It says "ready" once its imports are done, waits for "go" on stdin (so that every worker starts
at the same moment), then starts (or joins) the embedded server in `pgdata`, creates the
database unless it exists, every service's roles and every service's schema — what the
devstack's first start, `make deploy` and each test worker do — and exits 0 only if all of it
succeeded.
"""

from __future__ import annotations

import sys
from pathlib import Path

import psycopg
from barkeep.db import Database
from barkeep.migrate import SERVICES, ensure_roles, migrate
from barkeep.testing.database import embedded_server, ensure_database

SERVICES_DIR = Path(__file__).resolve().parents[1] / "services"


def main(pgdata: str, dbname: str) -> int:
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        return 2
    url = ensure_database(embedded_server(Path(pgdata)), dbname)
    db = Database(lambda: psycopg.connect(url))
    ensure_roles(db, SERVICES)
    for schema in SERVICES:
        migrate(db, schema, SERVICES_DIR / schema / "migrations")
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
