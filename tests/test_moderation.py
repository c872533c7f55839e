"""Moderation in the store: decisions, edits, personal data and the audit log.

The same tests on SQLite and on PostgreSQL (the fixtures of tests/test_store.py).
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from heimatruhr_geo.audit import editable_fields
from heimatruhr_geo.errors import DataError, InputError, NotFound
from heimatruhr_geo.i18n import t
from heimatruhr_geo.models import CONTACT_RETENTION_DAYS, SurveyResponse
from heimatruhr_geo.moderation import audit_table, field_rows, form_input, queue_items
from heimatruhr_geo.schema import AUDIT_LOG, CONTACTS, RECORDS
from heimatruhr_geo.store import Store
from tests.support.records import DORTMUND, space, vacant

BOCHUM = (7.2162, 51.4818)


def contacts(store: Store) -> dict[str, str]:
    with store.engine.connect() as conn:
        return dict(conn.execute(sa.select(CONTACTS.c.record_id, CONTACTS.c.email)).all())


def audit_text(store: Store) -> str:
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(AUDIT_LOG)).mappings().all()
    return json.dumps([{k: str(v) for k, v in r.items()} for r in rows])


# --------------------------------------------------------------------------- decide


def test_publish_makes_public_and_logs_actor(store: Store) -> None:
    rid = store.add(space(moderation="pending"))
    assert store.query("spaces").empty
    store.decide(rid, "publish", "alice")
    assert list(store.query("spaces")["id"]) == [rid]
    (entry,) = store.audit_entries()
    assert (entry.actor, entry.action, entry.record_id) == ("alice", "publish", rid)
    assert entry.details["moderation"] == ["pending", "published"]
    assert entry.at.tzinfo is not None
    assert abs(entry.at - datetime.now(UTC)) < timedelta(minutes=5)


def test_reject_needs_a_reason_and_keeps_it(store: Store) -> None:
    rid = store.add(space(moderation="pending"))
    for empty in ("", "   "):
        with pytest.raises(InputError, match="reason"):
            store.decide(rid, "reject", "alice", empty)
    assert store.get(rid, public=False)["moderation"] == "pending"
    assert store.audit_entries() == []
    store.decide(rid, "reject", "bob", "Kein Bezug zum Ruhrgebiet")
    assert store.get(rid, public=False)["moderation"] == "rejected"
    (entry,) = store.audit_entries(rid)
    assert entry.details["reason"] == "Kein Bezug zum Ruhrgebiet"
    assert entry.actor == "bob"


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"record_id": "nope", "decision": "publish"}, NotFound, "nope"),
        ({"decision": "approve"}, InputError, "approve"),
        ({"decision": "publish", "actor": " "}, InputError, "actor"),
        ({"decision": "reject", "reason": "x" * 1001}, InputError, "too long"),
    ],
)
def test_decide_refuses_bad_input(
    store: Store, kwargs: dict[str, str], error: type[Exception], match: str
) -> None:
    rid = store.add(space(moderation="pending"))
    args = {"record_id": rid, "actor": "alice", "reason": "", **kwargs}
    with pytest.raises(error, match=match):
        store.decide(**args)
    assert store.get(rid, public=False)["moderation"] == "pending"
    assert store.audit_entries() == []


def test_pending_lists_oldest_first_with_contact(store: Store) -> None:
    now = datetime.now(UTC)
    late = store.add(space(moderation="pending", created_at=now, updated_at=now))
    early_time = now - timedelta(days=2)
    early = store.add(
        space(
            moderation="pending",
            created_at=early_time,
            updated_at=early_time,
            contact_email="erika@example.org",
        )
    )
    store.add(space())
    store.add(vacant(moderation="pending"))
    queue = store.pending("spaces")
    assert list(queue["id"]) == [early, late]
    assert list(store.pending("spaces", limit=1)["id"]) == [early]  # oldest, not lowest id
    assert queue.loc[0, "contact_email"] == "erika@example.org"
    assert store.pending_counts() == {"spaces": 2, "vacant": 1, "survey": 0}


def test_pending_search_by_id_or_title(store: Store) -> None:
    a = store.add(space(moderation="pending", title="Zeche 100% Kunst"))
    b = store.add(space(moderation="pending", title="Alte Halle"))
    store.add(space(title="Zeche Zollverein"))  # published: never in the queue
    assert list(store.pending("spaces", search=" zeche ")["id"]) == [a]
    assert list(store.pending("spaces", search=b)["id"]) == [b]
    assert list(store.pending("spaces", search="100%")["id"]) == [a]
    assert store.pending("spaces", search="0_K").empty  # LIKE wildcards are plain text
    assert len(store.pending("spaces", search="")) == 2


# --------------------------------------------------------------------------- edit


def test_edit_validates_diffs_and_logs(store: Store) -> None:
    rid = store.add(space(moderation="pending", description="alt"))
    diff = store.update_record(
        rid,
        {"title": "Neuer Titel", "description": "alt", "funding_amount_eur": "12500,5"},
        "alice",
    )
    assert diff == {
        "title": ["Atelier am Kanal", "Neuer Titel"],
        "funding_amount_eur": [None, 12500.5],
    }
    record = store.get(rid, public=False)
    assert record["title"] == "Neuer Titel"
    assert record["funding_amount_eur"] == 12500.5
    (entry,) = store.audit_entries(rid)
    assert entry.action == "edit"
    assert entry.details["changes"]["title"] == ["Atelier am Kanal", "Neuer Titel"]


def test_edit_without_change_writes_nothing(store: Store) -> None:
    rid = store.add(space())
    before = store.get(rid, public=False)["updated_at"]
    assert store.update_record(rid, {"title": "Atelier am Kanal"}, "alice") == {}
    assert store.get(rid, public=False)["updated_at"] == before
    assert store.audit_entries() == []


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"funding_year": "1900"}, "funding_year"),
        ({"project_type": "castle"}, "project_type"),
        ({"title": ""}, "title"),
        ({"moderation": "published"}, "cannot be edited"),
        ({"contact_email": "x@example.org"}, "cannot be edited"),
        ({"lon": 6.25, "lat": 51.25}, "outside the 53 Ruhr"),
    ],
)
def test_edit_refuses_invalid_values_and_changes_nothing(
    store: Store, changes: dict[str, object], match: str
) -> None:
    rid = store.add(space(moderation="pending"))
    before = store.get(rid, public=False)
    with pytest.raises(InputError, match=match):
        store.update_record(rid, changes, "alice")
    assert store.get(rid, public=False) == before
    assert store.audit_entries() == []


def test_edit_of_coordinates_derives_the_municipality_again(store: Store) -> None:
    rid = store.add(space(moderation="pending"))
    assert store.get(rid, public=False)["municipality"] == "Essen"
    diff = store.update_record(rid, {"lon": str(BOCHUM[0]), "lat": str(BOCHUM[1])}, "alice")
    assert set(diff) == {"lon", "lat"}
    record = store.get(rid, public=False)
    assert (record["ags"], record["municipality"]) == ("05911000", "Bochum")
    assert record["geocode_source"] == "moderator"
    assert list(store.query("spaces", public=False)["county"]) == ["Bochum"]


def test_status_and_funding_of_a_published_project(store: Store) -> None:
    rid = store.add(space(status="proposed"))
    changes = {
        "status": "funded",
        "funding_program": "#heimatruhr",
        "funding_amount_eur": "25000",
        "funding_year": "2026",
    }
    store.update_record(rid, changes, "alice")
    public = store.query("spaces").set_index("id").loc[rid]
    assert public["status"] == "funded"
    assert (public["funding_program"], public["funding_year"]) == ("#heimatruhr", 2026)
    with store.engine.connect() as conn:  # the indexed columns follow the edit
        row = conn.execute(sa.select(RECORDS).where(RECORDS.c.id == rid)).mappings().one()
    assert (row["status"], row["funding_year"]) == ("funded", 2026)
    store.update_record(rid, {"status": "withdrawn"}, "bob")
    assert store.query("spaces").empty  # withdrawn projects are never public
    assert [e.actor for e in store.audit_entries(rid)] == ["bob", "alice"]


def test_vacant_edit_reads_form_values(store: Store) -> None:
    rid = store.add(vacant(moderation="pending"))
    store.update_record(
        rid,
        {"floors": "3", "available_from": "01.03.2026", "power": "ja", "owner_type": None},
        "alice",
    )
    record = store.get(rid, public=False)
    assert (record["floors"], record["available_from"], record["power"]) == (
        3,
        "2026-03-01",
        True,
    )


def test_edit_of_unknown_record(store: Store) -> None:
    with pytest.raises(NotFound):
        store.update_record("nope", {"title": "x"}, "alice")


def test_editable_fields_exclude_bookkeeping_and_contact() -> None:
    fields = editable_fields("spaces")
    assert {"title", "status", "funding_amount_eur", "lat", "lon"} <= set(fields)
    assert not {"id", "moderation", "contact_email", "created_at"} & set(fields)


# --------------------------------------------------------------------------- personal data


def test_delete_contact_data_by_email_keeps_no_address_in_the_log(store: Store) -> None:
    a = store.add(space(moderation="pending", contact_email="Erika@Example.org"))
    b = store.add(vacant(moderation="pending", contact_email="erika@example.org"))
    other = store.add(space(contact_email="max@example.org"))
    assert store.delete_contact_data(" erika@example.ORG ", "alice") == 2
    assert contacts(store) == {other: "max@example.org"}
    assert store.count() == 3  # the records themselves stay
    (entry,) = store.audit_entries()
    assert entry.action == "delete_contact"
    assert entry.details["count"] == 2
    assert sorted(entry.details["record_ids"]) == sorted([a, b])
    assert "erika" not in audit_text(store).lower()


def test_delete_contact_data_by_record_id(store: Store) -> None:
    rid = store.add(space(contact_name="Erika", contact_email="erika@example.org"))
    keep = store.add(space(contact_email="max@example.org"))
    assert store.delete_contact_data(rid, "alice") == 1
    assert contacts(store) == {keep: "max@example.org"}
    assert store.get(rid, public=False)["contact_name"] == ""
    assert store.delete_contact_data("unknown@example.org", "alice") == 0
    assert [e.details["count"] for e in store.audit_entries()] == [0, 1]
    with pytest.raises(InputError, match="e-mail"):
        store.delete_contact_data("  ", "alice")


def test_purge_expired_contacts(store: Store) -> None:
    decided = store.add(space(moderation="pending", contact_email="a@example.org"))
    store.decide(decided, "publish", "alice")
    rejected = store.add(space(moderation="pending", contact_email="b@example.org"))
    store.decide(rejected, "reject", "alice", "Dublette")
    waiting = store.add(space(moderation="pending", contact_email="c@example.org"))
    store.add(vacant(contact_email="d@example.org"))  # published on import
    now = datetime.now(UTC)
    assert store.purge_expired_contacts(now) == 0
    assert store.purge_expired_contacts(now + timedelta(days=CONTACT_RETENTION_DAYS - 1)) == 0
    later = now + timedelta(days=CONTACT_RETENTION_DAYS + 1)
    assert store.purge_expired_contacts(later) == 3
    assert contacts(store) == {waiting: "c@example.org"}
    assert store.count() == 4  # the records themselves stay
    entry = store.audit_entries(actions=["purge_contacts"])[0]
    assert (entry.actor, entry.details["count"]) == ("system", 3)
    with pytest.raises(InputError, match="time zone"):
        store.purge_expired_contacts(datetime(2030, 1, 1))


def test_a_later_decision_restarts_the_retention(store: Store) -> None:
    rid = store.add(space(moderation="pending", contact_email="a@example.org"))
    store.decide(rid, "publish", "alice")
    with store.engine.begin() as conn:  # the first decision lies long back
        conn.execute(
            AUDIT_LOG.update().values(at=datetime.now(UTC) - timedelta(days=CONTACT_RETENTION_DAYS))
        )
    store.decide(rid, "reject", "bob", "Doch nicht")
    assert store.purge_expired_contacts(datetime.now(UTC) + timedelta(days=1)) == 0
    assert contacts(store) == {rid: "a@example.org"}


# --------------------------------------------------------------------------- audit log


def test_audit_log_is_written_with_the_change_or_not_at_all(store: Store) -> None:
    rid = store.add(space(moderation="pending"))
    with store.engine.begin() as conn:  # the log cannot be written: nothing may change
        conn.exec_driver_sql("ALTER TABLE audit_log RENAME TO audit_log_away")
    try:
        with pytest.raises(DataError):
            store.decide(rid, "publish", "alice")
        with pytest.raises(DataError):
            store.update_record(rid, {"title": "Neu"}, "alice")
    finally:
        with store.engine.begin() as conn:
            conn.exec_driver_sql("ALTER TABLE audit_log_away RENAME TO audit_log")
    record = store.get(rid, public=False)
    assert (record["moderation"], record["title"]) == ("pending", "Atelier am Kanal")
    assert store.audit_entries() == []


def test_audit_entries_filters_newest_first(store: Store) -> None:
    a = store.add(space(moderation="pending"))
    b = store.add(space(moderation="pending"))
    store.decide(a, "publish", "alice")
    store.update_record(b, {"title": "Neu"}, "bob")
    store.decide(b, "reject", "bob", "Spam")
    assert [e.action for e in store.audit_entries()] == ["reject", "edit", "publish"]
    assert [e.action for e in store.audit_entries(b)] == ["reject", "edit"]
    assert [e.record_id for e in store.audit_entries(actions=["publish"])] == [a]
    assert len(store.audit_entries(limit=1)) == 1
    with pytest.raises(InputError, match="actions"):
        store.audit_entries(actions=["drop"])


def test_concurrent_decisions_each_logged_once(store: Store) -> None:
    ids = [store.add(space(moderation="pending")) for _ in range(6)]
    errors: list[BaseException] = []

    def work(rid: str) -> None:
        try:
            store.decide(rid, "publish", "alice")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(rid,)) for rid in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(e.record_id or "" for e in store.audit_entries()) == sorted(ids)
    assert store.count("spaces", public=True) == 6


# --------------------------------------------------------------------------- pure helpers


def test_form_input_turns_widget_values_into_model_input() -> None:
    assert form_input("spaces", "funding_year", "") is None
    assert form_input("spaces", "title", "") == ""
    assert form_input("vacant", "owner_type", None) is None
    assert form_input("vacant", "floors", " 3 ") == "3"


def test_field_rows_and_queue_items_are_plain_text(store: Store) -> None:
    markup = "<img src=x onerror=alert(1)> **fett** {{7*7}}"
    rid = store.add(space(moderation="pending", title=markup, contact_email="e@example.org"))
    store.add(
        SurveyResponse(discipline="music", lon=DORTMUND[0], lat=DORTMUND[1], identity_text=markup)
    )
    (item,) = queue_items(store.pending("spaces"), "spaces", "de")
    assert item.record_id == rid
    assert item.title == markup  # verbatim: the page shows it as text, never as HTML
    rows = field_rows(item.values, "spaces", "en")
    assert markup in rows["value"].tolist()
    assert "e@example.org" in rows["value"].tolist()
    assert rows["value"].map(type).eq(str).all()
    (survey,) = queue_items(store.pending("survey"), "survey", "de")
    assert markup in field_rows(survey.values, "survey", "de")["value"].tolist()


def test_audit_table_newest_first_in_both_languages(store: Store) -> None:
    rid = store.add(space(moderation="pending"))
    store.update_record(rid, {"title": "Neu"}, "alice")
    store.decide(rid, "reject", "bob", "Spam")
    for lang in ("de", "en"):
        table = audit_table(store.audit_entries(), lang)
        assert table["actor"].tolist() == ["bob", "alice"]
        assert "Spam" in table.iloc[0]["details"]
        assert table.iloc[1]["details"] == f"{t('field_title', lang)}: Atelier am Kanal → Neu"
        assert table.iloc[0]["action"] == t("mod_action_reject", lang)
