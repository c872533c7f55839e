"""The database: engine, transactions and the bounded retry of write transactions.

One connection setting, ``HEIMATRUHR_DATABASE_URL`` (``Settings.database_url``): empty
means an SQLite file ``heimatruhr.sqlite`` in the data directory (WAL mode, foreign keys
on, busy timeout); ``postgresql+psycopg://…`` for deployments with many users. The schema
is created and upgraded in place by the Alembic migrations packaged in
``heimatruhr_geo/migrations`` (:meth:`Database.upgrade`).

Concurrent writers never see "database is locked": SQLite waits (``busy_timeout``) and
every write transaction (:meth:`Database.retry`) is retried a bounded number of times on
lock, serialization and deadlock errors.

The data version (:meth:`Database.data_version`) is raised by the engine itself: a
transaction that inserts, updates or deletes rows of a table the public sees
(:data:`~heimatruhr_geo.schema.PUBLIC_TABLES`) raises ``data_version.version`` by one just
before it commits, in the same transaction. No write path can forget it, and the new
number becomes visible to other processes exactly when the change does.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
import tenacity
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from heimatruhr_geo.config import Settings
from heimatruhr_geo.errors import DataError, InputError
from heimatruhr_geo.schema import DATA_VERSION, PUBLIC_TABLES

logger = logging.getLogger(__name__)

SQLITE_FILE = "heimatruhr.sqlite"
BUSY_TIMEOUT_MS = 10_000
MAX_ATTEMPTS = 8
"""Bounded retries of one write transaction on lock, serialization or deadlock errors."""
CHUNK = 500
"""Ids per ``IN (…)`` list."""
_T = TypeVar("_T")
_PUBLIC_CHANGE = "heimatruhr_public_change"
"""Key in a connection's ``info``: the open transaction changed a public table."""


def database_url(settings: Settings) -> str:
    """Return the SQLAlchemy URL for ``settings`` (the SQLite file when none is set)."""
    if settings.database_url:
        return settings.database_url
    return f"sqlite:///{Path(settings.data_dir) / SQLITE_FILE}"


class Database:
    """An engine with short transactions and retried write transactions.

    Parameters
    ----------
    url
        SQLAlchemy URL (``sqlite:///path`` or ``postgresql+psycopg://…``).

    Raises
    ------
    InputError
        For a URL that is not a database URL, an in-memory SQLite database or another
        backend than SQLite and PostgreSQL.
    """

    def __init__(self, url: str):
        self.url = url
        self.engine = _create_engine(url)
        self.is_sqlite = self.engine.dialect.name == "sqlite"

    def close(self) -> None:
        """Close all pooled connections."""
        self.engine.dispose()

    def upgrade(self, revision: str = "head") -> None:
        """Create or upgrade the schema in place with the packaged Alembic migrations."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
        with self.begin(write=True) as conn:
            if not self.is_sqlite:  # one upgrader at a time across processes
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(471108)")
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
        logger.info("schema of %s at %s", self.engine.url.render_as_string(), revision)

    def data_version(self) -> int:
        """Return the data version: a number raised by every committed change to public data.

        One primary-key read, cheap enough for every page rerun: a process compares it
        with the version its caches were built from and rebuilds them when it differs.

        Raises
        ------
        DataError
            If the schema lacks the ``data_version`` table (not upgraded).
        """
        stmt = sa.select(DATA_VERSION.c.version).where(DATA_VERSION.c.id == 1)
        try:
            with self.begin() as conn:
                return int(conn.execute(stmt).scalar_one())
        except (sa.exc.DBAPIError, sa.exc.NoResultFound) as exc:
            raise DataError(f"no data version in the database (upgrade the schema): {exc}") from exc

    def begin(self, *, write: bool = False) -> Transaction:
        """Return a context manager giving a connection in one transaction.

        ``write=True`` takes SQLite's write lock at once (``BEGIN IMMEDIATE``).
        """
        return Transaction(self.engine.connect(), write=write, sqlite=self.is_sqlite)

    def retry(self, work: Callable[[Connection], _T]) -> _T:
        """Run ``work`` in one write transaction, retrying bounded on lock errors.

        Up to :data:`MAX_ATTEMPTS` attempts (tenacity), pausing a growing, jittered time
        between them; only lock, serialization and deadlock errors are retried.

        Raises
        ------
        DataError
            If the write fails for another reason, or still after :data:`MAX_ATTEMPTS`.
        """
        attempts = tenacity.Retrying(
            retry=tenacity.retry_if_exception(_is_transient),
            stop=tenacity.stop_after_attempt(MAX_ATTEMPTS),
            wait=_pause,
            before_sleep=_log_busy,
            reraise=True,
        )
        try:
            return attempts(self._write, work)
        except DBAPIError as exc:
            tried = attempts.statistics.get("attempt_number", 1)
            raise DataError(f"database write failed after {tried} attempts: {exc}") from exc

    def _write(self, work: Callable[[Connection], _T]) -> _T:
        with self.begin(write=True) as conn:
            return work(conn)


class Transaction:
    """A connection with one transaction (``BEGIN IMMEDIATE`` for SQLite writes)."""

    def __init__(self, conn: Connection, *, write: bool, sqlite: bool):
        self.conn = conn
        self.write = write
        self.sqlite = sqlite

    def __enter__(self) -> Connection:
        if self.sqlite:
            self.conn.execution_options(heimatruhr_write=self.write)
        self.trans = self.conn.begin()
        return self.conn

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        try:
            if exc_type is None:
                self.trans.commit()
            else:
                self.trans.rollback()
        finally:
            self.conn.close()


def chunks(items: Sequence[_T], size: int = CHUNK) -> Iterator[list[_T]]:
    """Yield ``items`` in lists of at most ``size``.

    Examples
    --------
    >>> list(chunks([1, 2, 3], 2))
    [[1, 2], [3]]
    """
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def _create_engine(url: str) -> Engine:
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise InputError(
            f"HEIMATRUHR_DATABASE_URL={url!r} is not a database URL; use sqlite:///FILE or "
            "postgresql+psycopg://USER@HOST:PORT/DB"
        ) from exc
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise InputError(f"{url!r}: use an SQLite file, not an in-memory database")
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        sa.event.listen(engine, "connect", _sqlite_connect)
        sa.event.listen(engine, "begin", _sqlite_begin)
        return _track_public_changes(engine)
    if parsed.get_backend_name() == "postgresql":
        engine = sa.create_engine(parsed, pool_pre_ping=True, pool_size=10, max_overflow=20)
        return _track_public_changes(engine)
    raise InputError(
        f"database backend {parsed.get_backend_name()!r} is not supported; use sqlite or postgresql"
    )


def _track_public_changes(engine: Engine) -> Engine:
    """Make every transaction of ``engine`` that changes a public table raise the data version."""
    sa.event.listen(engine, "after_execute", _note_public_change)
    sa.event.listen(engine, "commit", _bump_data_version)
    sa.event.listen(engine, "rollback", _forget_public_change)
    return engine


def _note_public_change(
    conn: Connection,
    statement: Any,
    _multiparams: Any,
    _params: Any,
    _options: Any,
    result: Any,
) -> None:
    if not isinstance(statement, sa.sql.dml.UpdateBase):
        return
    table = getattr(statement, "table", None)
    if getattr(table, "name", None) in PUBLIC_TABLES and result.rowcount != 0:
        conn.info[_PUBLIC_CHANGE] = True


def _bump_data_version(conn: Connection) -> None:
    # Runs inside the committing transaction, after all its other statements: the row
    # lock on data_version is taken last, so it cannot take part in a deadlock.
    if conn.info.pop(_PUBLIC_CHANGE, False):
        conn.execute(
            DATA_VERSION.update()
            .where(DATA_VERSION.c.id == 1)
            .values(version=DATA_VERSION.c.version + 1)
        )


def _forget_public_change(conn: Connection) -> None:
    conn.info.pop(_PUBLIC_CHANGE, None)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (see _sqlite_begin)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # A write transaction takes the write lock at once, so that it never has to upgrade
    # a read lock later (an upgrade that SQLite answers with "database is locked").
    immediate = conn.get_execution_options().get("heimatruhr_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _pause(state: tenacity.RetryCallState) -> float:
    """Seconds before the next attempt: growing from 0.04 s to at most 2 s, jittered ±50 %."""
    return min(2.0, 0.02 * 2**state.attempt_number) * (0.5 + random.random())


def _log_busy(state: tenacity.RetryCallState) -> None:
    error = state.outcome.exception() if state.outcome is not None else None
    pause = state.next_action.sleep if state.next_action is not None else 0.0
    logger.info(
        "database busy (%s); retry %d in %.2fs",
        getattr(error, "orig", error),
        state.attempt_number,
        pause,
    )


def _is_transient(exc: BaseException) -> bool:
    if not isinstance(exc, DBAPIError):
        return False
    text = str(exc.orig).lower()
    code = getattr(exc.orig, "sqlstate", None)
    return (
        "database is locked" in text
        or "database is busy" in text
        or code in {"40001", "40P01", "55P03"}
        or bool(getattr(exc, "connection_invalidated", False))
    )
