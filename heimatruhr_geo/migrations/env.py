"""Alembic environment: runs on the connection that ``Store.upgrade`` hands in.

Without one (the ``alembic`` command line with ``-x url=…`` or ``sqlalchemy.url``), it
connects by itself; offline mode prints the SQL.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from heimatruhr_geo.schema import METADATA

config = context.config


def _url() -> str:
    return context.get_x_argument(as_dictionary=True).get("url") or str(
        config.get_main_option("sqlalchemy.url")
    )


def _run(connection: sa.engine.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=METADATA,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    """Run the migrations offline (SQL to stdout) or on a connection."""
    if context.is_offline_mode():
        context.configure(url=_url(), target_metadata=METADATA, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = sa.create_engine(_url())
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()


run()
