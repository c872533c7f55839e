"""The data version: raised in the same transaction as every change to public data.

Each kind of change is made the way the app or the CLI makes it, on SQLite and on
PostgreSQL; a second store on the same database stands in for another process.
"""

from __future__ import annotations

import csv
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from heimatruhr_geo.demo import seed_demo
from heimatruhr_geo.errors import DataError, InputError
from heimatruhr_geo.io import import_file
from heimatruhr_geo.limits import Limiter, Rule
from heimatruhr_geo.models import SurveyResponse
from heimatruhr_geo.schema import (
    AUDIT_LOG,
    CONTACTS,
    DATA_VERSION,
    LIMIT_EVENTS,
    RECORDS,
    SURVEY_RELEASES,
)
from heimatruhr_geo.store import Store
from heimatruhr_geo.survey_release import release_if_due
from tests.support.records import ESSEN, space, vacant


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = Store(store_url)
    yield s
    with s.engine.begin() as conn:  # leave the shared PostgreSQL database empty
        for table in (SURVEY_RELEASES, CONTACTS, RECORDS, AUDIT_LOG, LIMIT_EVENTS):
            conn.execute(table.delete())
    s.close()


@pytest.fixture
def other(store: Store) -> Iterator[Store]:
    """A second store on the same database: what another app process or the CLI opens."""
    s = Store(store.url, upgrade=False)
    yield s
    s.close()


def raised(store: Store, other: Store, change: Callable[[], object]) -> int:
    """Return by how much ``change`` raised the version, as the other process reads it."""
    before = other.data_version()
    change()
    after = other.data_version()
    assert store.data_version() == after
    return after - before


def test_a_new_database_starts_at_one(tmp_path: Path) -> None:
    fresh = Store(f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    assert fresh.data_version() == 1
    fresh.close()


def test_submission_raises_it(store: Store, other: Store) -> None:
    assert raised(store, other, lambda: store.add(space(moderation="pending"))) == 1


def test_import_raises_it_once_per_transaction_and_not_when_nothing_changes(
    store: Store, other: Store
) -> None:
    records = [space(source_key=f"k{i}") for i in range(3)]
    assert raised(store, other, lambda: store.import_records(records)) == 1
    assert raised(store, other, lambda: store.import_records(records)) == 0  # unchanged
    edited = [space(source_key="k0", title="Neuer Titel")]
    assert raised(store, other, lambda: store.import_records(edited)) == 1
    assert raised(store, other, lambda: store.add_many([vacant(), vacant()])) == 1


def test_file_import_by_the_cli_path_raises_it(store: Store, other: Store, tmp_path: Path) -> None:
    path = tmp_path / "spaces.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, ["title", "lon", "lat", "project_type", "status"])
        writer.writeheader()
        writer.writerow(
            {"title": "Halle", "lon": 7.0116, "lat": 51.4556, "project_type": "studio"}
            | {"status": "funded"}
        )
    assert raised(store, other, lambda: import_file(store, path, "spaces")) == 1
    assert other.count("spaces", public=True) == 1


def test_publish_reject_edit_and_delete_raise_it(store: Store, other: Store) -> None:
    first = store.add(space(moderation="pending"))
    second = store.add(space(moderation="pending"))
    assert raised(store, other, lambda: store.decide(first, "publish", "mod")) == 1
    assert raised(store, other, lambda: store.decide(second, "reject", "mod", "Dublette")) == 1
    change = {"title": "Atelier am Hafen"}
    assert raised(store, other, lambda: store.update_record(first, change, "mod")) == 1
    assert raised(store, other, lambda: store.update_record(first, change, "mod")) == 0  # same
    assert raised(store, other, lambda: store.delete([first, second])) == 1
    assert raised(store, other, lambda: store.delete(["no-such-id"])) == 0


def test_seeding_and_a_survey_release_raise_it(store: Store, other: Store) -> None:
    assert raised(store, other, lambda: seed_demo(store, n=40)) == 1
    store.add_many(  # real answers: a release is due
        [
            SurveyResponse(
                lat=ESSEN[1],
                lon=ESSEN[0],
                discipline="music",
                identity_rating=1 + i % 5,
                space_rating=3,
                source="form",
                moderation="published",
            )
            for i in range(6)
        ]
    )
    assert raised(store, other, lambda: release_if_due(store)) == 1
    assert raised(store, other, lambda: release_if_due(store)) == 0  # nothing due


def test_reads_private_data_and_limits_leave_it(store: Store, other: Store) -> None:
    rid = store.add(space(contact_email="erika@example.org"))

    def private_and_reads() -> None:
        store.query("spaces")
        store.count()
        store.delete_contact_data(rid, "mod")
        Limiter(store.engine).acquire(Rule("form", 2, 60), "client:1")

    assert raised(store, other, private_and_reads) == 0


def test_a_failed_write_changes_neither_data_nor_version(store: Store, other: Store) -> None:
    rid = store.add(space(moderation="pending"))
    with pytest.raises(InputError):
        store.update_record(rid, {"lon": 6.2, "lat": 51.2}, "mod")  # outside the Ruhr
    before = other.data_version()

    def rolled_back() -> None:
        with pytest.raises(RuntimeError), store.engine.begin() as conn:
            conn.execute(RECORDS.update().values(title="x"))
            raise RuntimeError("abort")

    assert raised(store, other, rolled_back) == 0
    assert other.data_version() == before
    assert store.get(rid, public=False)["title"] == "Atelier am Kanal"


def test_the_version_and_the_change_commit_together(store: Store) -> None:
    """A reader never sees the new version before the new data (or the other way round)."""
    rid = store.add(space(moderation="pending"))
    version = store.data_version()
    select = sa.select(DATA_VERSION.c.version)
    with store.engine.connect() as writer:
        trans = writer.begin()
        writer.execute(RECORDS.update().where(RECORDS.c.id == rid).values(moderation="published"))
        if store.is_sqlite:  # a reader during the open write sees the old state
            assert store.data_version() == version and store.count(public=True) == 0
        trans.commit()
        assert writer.execute(select).scalar_one() == version + 1
    assert store.data_version() == version + 1 and store.count(public=True) == 1


def test_concurrent_writers_lose_no_raise(store: Store) -> None:
    start = store.data_version()
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            mine = Store(store.url, upgrade=False)
            for _ in range(n):
                mine.add(space(moderation="pending"))
            mine.close()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(5,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert store.data_version() == start + 20


def test_without_the_migration_the_version_is_a_clear_error(tmp_path: Path) -> None:
    old = Store(f"sqlite:///{tmp_path / 'old.sqlite'}", upgrade=False)
    old.upgrade("0004_survey_releases")
    with pytest.raises(DataError, match="upgrade the schema"):
        old.data_version()
    old.close()


# ---------------------------------------------------------------------------- the app's caches

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def test_a_record_published_by_another_process_shows_on_the_next_rerun() -> None:
    from streamlit.testing.v1 import AppTest

    from heimatruhr_geo.config import Settings
    from heimatruhr_geo.ui import resources

    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    title = "Atelier aus dem anderen Prozess"
    elsewhere = Store.from_settings(Settings.from_env(), upgrade=False)  # e.g. the CLI
    rid = elsewhere.add(space(title=title))
    try:
        assert rid not in set(resources.published("spaces")["id"])  # cached, no TTL
        at.run()  # the next rerun reads the data version and renews the caches
        assert not at.exception
        assert rid in set(resources.published("spaces")["id"])
        doc, _url = resources.points_document("de")  # what the map's browser fetches
        assert title.encode() in doc.data
    finally:
        elsewhere.delete([rid])
        elsewhere.close()
    at.run()
    assert rid not in set(resources.published("spaces")["id"])


def test_a_result_computed_while_the_version_moved_is_not_kept() -> None:
    import streamlit as st

    from heimatruhr_geo.ui import resources

    calls: list[int] = []

    @resources.derived_from_public_data
    @st.cache_data
    def derived(x: int) -> int:
        calls.append(x)
        if len(calls) == 1:  # another thread saw a new version meanwhile
            resources._SEEN["version"] = resources._SEEN.get("version", 0) + 1
        return x

    try:
        derived(1), derived(1), derived(1)
        assert calls == [1, 1]  # the first result was dropped, the second kept
    finally:
        resources._DERIVED.remove(derived.clear)
