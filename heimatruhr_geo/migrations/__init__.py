"""Alembic migrations of the record store, run by ``Store.upgrade``."""
