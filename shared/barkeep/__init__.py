"""Barkeep's shared library: small, stable, typed, and free of any one service's domain."""
