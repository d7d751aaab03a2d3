"""Barkeep's local stack (`make dev`): one gateway on one port in front of every service's Chalice
app, with an embedded PostgreSQL and moto beside it.

`python -m devstack` runs it in the foreground; `devstack.stack.start()` runs it in a
background thread for tests and the bench.
"""
