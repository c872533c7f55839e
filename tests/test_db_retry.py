"""The bounded retry of write transactions (tenacity) on lock errors, on SQLite."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from heimatruhr_geo import db
from heimatruhr_geo.db import MAX_ATTEMPTS, Database
from heimatruhr_geo.errors import DataError, InputError


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setattr(db, "_pause", lambda _state: 0.0)  # no waiting in tests
    return Database(f"sqlite:///{tmp_path / 'retry.sqlite'}")


def locked() -> OperationalError:
    return OperationalError("INSERT …", {}, Exception("database is locked"))


def test_a_lock_error_is_retried_until_the_write_succeeds(database: Database) -> None:
    calls: list[int] = []

    def work(conn: Connection) -> int:
        calls.append(1)
        if len(calls) < 3:
            raise locked()
        return int(conn.execute(sa.text("SELECT 7")).scalar_one())

    assert database.retry(work) == 7
    assert len(calls) == 3


def test_a_lasting_lock_ends_in_a_data_error_after_the_bound(database: Database) -> None:
    calls: list[int] = []

    def work(_conn: Connection) -> None:
        calls.append(1)
        raise locked()

    with pytest.raises(DataError, match=f"after {MAX_ATTEMPTS} attempts"):
        database.retry(work)
    assert len(calls) == MAX_ATTEMPTS


def test_other_errors_are_not_retried(database: Database) -> None:
    calls: list[int] = []

    def broken(conn: Connection) -> None:
        calls.append(1)
        conn.execute(sa.text("SELECT * FROM no_such_table"))

    with pytest.raises(DataError, match="after 1 attempts"):
        database.retry(broken)

    def invalid(_conn: Connection) -> None:
        calls.append(1)
        raise InputError("bad value")

    with pytest.raises(InputError):
        database.retry(invalid)
    assert len(calls) == 2
