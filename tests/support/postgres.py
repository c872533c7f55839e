"""Throw-away PostgreSQL databases on the local server, for tests and benchmarks."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

PG_ADMIN = os.environ.get(
    "HEIMATRUHR_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
"""The PostgreSQL server's maintenance database, where test databases are created."""


class ServiceMissing(RuntimeError):
    """A service a test needs (the PostgreSQL server, nginx) is not available here."""


@contextmanager
def throwaway_database(prefix: str = "heimatruhr_test", admin_url: str = PG_ADMIN) -> Iterator[str]:
    """Create an empty database; yield its URL; drop it afterwards.

    Raises
    ------
    ServiceMissing
        If the server cannot be reached.
    """
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError as exc:
        admin.dispose()
        raise ServiceMissing(f"PostgreSQL at {admin_url} cannot be reached: {exc.orig}") from exc
    try:
        yield sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
