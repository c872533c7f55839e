"""The record store, the same tests on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from heimatruhr_geo.config import Settings
from heimatruhr_geo.errors import InputError, NotFound
from heimatruhr_geo.models import Record, SurveyResponse
from heimatruhr_geo.schema import CONTACTS
from heimatruhr_geo.store import Filters, Store, database_url
from tests.support.records import DORTMUND, ESSEN, space, vacant


def test_default_url_is_sqlite_file_in_data_dir(tmp_path: Path) -> None:
    assert database_url(Settings(data_dir=tmp_path)) == f"sqlite:///{tmp_path}/heimatruhr.sqlite"
    assert database_url(Settings(database_url="postgresql+psycopg://x@h/db")).startswith(
        "postgresql"
    )


def test_sqlite_pragmas(tmp_path: Path) -> None:
    s = Store(f"sqlite:///{tmp_path / 'p.sqlite'}")
    with s.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    s.close()


def test_upgrade_is_idempotent_and_versioned(store: Store) -> None:
    store.upgrade()
    Store(store.url).close()  # a second opening upgrades in place, no error
    with store.engine.connect() as conn:
        version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    scripts = sorted(
        (Path(__file__).parents[1] / "heimatruhr_geo/migrations/versions").glob("0*.py")
    )
    assert version is not None and scripts[-1].name.startswith(version.split("_")[0])


def test_add_derives_municipality_and_hides_contact(store: Store) -> None:
    rid = store.add(space(contact_name="Erika Muster", contact_email="erika@example.org"))
    public = store.query("spaces")
    assert list(public["id"]) == [rid]
    assert public.loc[0, "ags"] == "05113000"
    assert public.loc[0, "municipality"] == "Essen"
    assert not {"contact_name", "contact_email", "moderation"} & set(public.columns)
    assert "erika" not in public.drop(columns="geometry").to_csv().lower()
    full = store.query("spaces", public=False)
    assert full.loc[0, "contact_email"] == "erika@example.org"
    assert store.get(rid, public=False)["contact_name"] == "Erika Muster"
    assert "contact_name" not in store.get(rid)


def test_outside_ruhr_is_rejected(store: Store) -> None:
    with pytest.raises(InputError, match="outside the 53 Ruhr municipalities"):
        store.add(space(lon=6.25, lat=51.25))
    assert store.count() == 0


def test_public_sees_only_published_and_never_hidden_statuses(store: Store) -> None:
    shown = store.add(space())
    store.add(space(moderation="pending"))
    store.add(space(moderation="rejected"))
    store.add(space(status="withdrawn"))
    store.add(space(status="rejected"))
    assert list(store.query("spaces")["id"]) == [shown]
    assert len(store.query("spaces", public=False)) == 5
    assert store.count("spaces", public=True) == 1
    pending = store.query("spaces", Filters(moderation=("pending",)), public=False)
    assert len(pending) == 1
    store.decide(pending.loc[0, "id"], "publish", "alice")
    assert store.count("spaces", public=True) == 2
    assert [e.action for e in store.audit_entries(pending.loc[0, "id"])] == ["publish"]
    with pytest.raises(NotFound):
        store.decide("nope", "publish", "alice")


def test_the_store_cannot_publish_without_an_audit_entry(store: Store) -> None:
    assert not hasattr(store, "set_moderation")
    assert not hasattr(store.records, "set_moderation")


def test_survey_is_never_public_record_by_record(store: Store) -> None:
    store.add(
        SurveyResponse(lon=ESSEN[0], lat=ESSEN[1], discipline="music", moderation="published")
    )
    with pytest.raises(InputError, match="never public"):
        store.query("survey")
    counts = store.counts_per_municipality("survey")
    assert counts.set_index("ags").loc["05113000", "count"] == 1
    assert len(counts) == 53 and counts["count"].sum() == 1
    assert len(store.query("survey", public=False)) == 1
    store.add(SurveyResponse(lon=ESSEN[0], lat=ESSEN[1], discipline="design", identity_rating=4))
    answers = store.survey_answers()  # published only, no ids or locations
    assert answers["discipline"].tolist() == ["music"]
    assert not {"id", "lat", "lon", "geometry", "street"} & set(answers.columns)
    assert answers.loc[0, "municipality"] == "Essen"


def test_filters(store: Store) -> None:
    store.add_many(
        [
            space(project_type="music", funding_year=2024),
            space(project_type="studio", funding_year=2025, lon=DORTMUND[0], lat=DORTMUND[1]),
            space(project_type="studio", status="realized", funding_year=2025),
        ]
    )
    q = store.query
    assert len(q("spaces", Filters(kinds=("studio",)))) == 2
    assert len(q("spaces", Filters(statuses=("realized",)))) == 1
    assert len(q("spaces", Filters(funding_years=(2025,)))) == 2
    assert len(q("spaces", Filters(municipalities=("05913000",)))) == 1
    assert len(q("spaces", Filters(counties=("05113",)))) == 2
    assert len(q("spaces", Filters(bbox=(7.4, 51.5, 7.5, 51.6)))) == 1
    assert len(q("spaces", Filters(limit=2))) == 2
    with pytest.raises(InputError, match="kinds=\\['castle'\\]"):
        q("spaces", Filters(kinds=("castle",)))
    with pytest.raises(InputError, match="municipalities"):
        q("spaces", Filters(municipalities=("Essen",)))
    with pytest.raises(InputError, match="layer"):
        q("castles")


def test_counts_and_stats(store: Store) -> None:
    store.add_many([space(), space(), vacant(), vacant(moderation="pending")])
    counts = store.counts_per_municipality("vacant").set_index("ags")["count"]
    assert counts["05913000"] == 1 and counts.sum() == 1
    stats = store.stats().set_index("ags")
    assert stats.loc["05113000", "spaces"] == 2 and stats.loc["05913000", "vacant"] == 2
    assert len(stats) == 53


def test_import_records_upserts_by_source_key(store: Store) -> None:
    first = store.import_records([vacant(source_key="k1"), vacant(source_key="k2")])
    assert (first.inserted, first.updated, first.unchanged) == (2, 0, 0)
    again = store.import_records([vacant(source_key="k1"), vacant(source_key="k2", floors=3)])
    assert (again.inserted, again.updated, again.unchanged) == (0, 1, 1)
    assert again.ids == first.ids
    assert store.count("vacant") == 2
    assert store.query("vacant").set_index("id").loc[first.ids[1], "floors"] == 3


def test_transaction_all_or_nothing(store: Store) -> None:
    good = space()
    duplicate = space(id=good.id)
    with pytest.raises(Exception):  # noqa: B017 - the backends raise different types
        store.add_many([good, duplicate])
    assert store.count() == 0


def test_delete_cascades_to_contacts(store: Store) -> None:
    keep = store.add(space(contact_email="a@example.org"))
    gone = store.add_many([space(contact_email="b@example.org") for _ in range(3)])
    assert store.delete(gone) == 3
    assert store.count() == 1
    assert store.delete([keep]) == 1
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(CONTACTS)).scalar() == 0


def test_concurrent_writers_store_everything_once(store: Store) -> None:
    errors: list[BaseException] = []
    ids: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(20)

    def worker(n: int) -> None:
        barrier.wait()
        for i in range(50):
            record: Record = space(title=f"t{n}-{i}", contact_email=f"u{n}@example.org")
            try:
                rid = store.add(record)
            except BaseException as exc:  # any error reaching a user fails the test
                with lock:
                    errors.append(exc)
                continue
            with lock:
                ids.append(rid)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(ids) == len(set(ids)) == 1000
    full = store.query("spaces", public=False)
    assert len(full) == 1000
    assert set(full["title"]) == {f"t{n}-{i}" for n in range(20) for i in range(50)}


def test_import_with_municipality_hints_stores_the_true_municipality(tmp_path: Path) -> None:
    s = Store(f"sqlite:///{tmp_path / 'hint.sqlite'}")
    try:
        records = [
            space(source_key="a"),  # Essen, hinted right
            vacant(source_key="b"),  # Dortmund, hinted Essen: the hint is wrong
            space(source_key="c", lon=DORTMUND[0], lat=DORTMUND[1]),  # hinted unknown key
        ]
        counts = s.import_records(records, ags=["05113000", "05113000", "99999999"])
        assert counts.inserted == 3
        stored = {r.source_key: r.id for r in records}
        assert s.get(stored["a"])["ags"] == "05113000"
        assert s.get(stored["b"])["ags"] == "05913000"
        assert s.get(stored["c"])["ags"] == "05913000"
        with pytest.raises(InputError, match="outside the 53"):
            s.import_records(
                [space(source_key="d", lon=6.56, lat=51.33)], ags=["05113000"]
            )  # Krefeld
        with pytest.raises(InputError, match="2 AGS hints for 1 records"):
            s.import_records([space(source_key="e")], ags=["05113000", "05113000"])
        assert s.count() == 3
    finally:
        s.close()


def test_published_by_id_keeps_the_order_and_only_published_records(store: Store) -> None:
    a, b = store.add(space(title="A")), store.add(space(title="B"))
    hidden = store.add(space(moderation="pending"))
    frame = store.records.published_by_id("spaces", [b, "nope", hidden, a])
    assert frame["id"].tolist() == [b, a]
    assert frame["title"].tolist() == ["B", "A"]
    assert store.records.published_by_id("spaces", []).empty
    with pytest.raises(InputError, match="never public"):
        store.records.published_by_id("survey", [a])


def test_field_columns_reads_only_published_fields_near_a_point(store: Store) -> None:
    near = store.add(space(funding_year=2024))
    store.add(space(moderation="pending"))
    store.add(space(lon=ESSEN[0] + 0.2))  # about 14 km east
    columns = store.records.field_columns(
        "spaces", ["funding_year"], near=(ESSEN[0], ESSEN[1], 1000)
    )
    assert list(columns["id"]) == [near] and list(columns["funding_year"]) == [2024.0]
    with pytest.raises(InputError, match="not fields"):
        store.records.field_columns("spaces", ["contact_email"])
    with pytest.raises(InputError, match="never public"):
        store.records.field_columns("survey", [])
