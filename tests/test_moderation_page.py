"""The moderation page, run headless by Streamlit's AppTest.

Each test gets its own SQLite database and moderator configuration (the app's cached
resources are cleared before and after), and the sign-in limits (kept in that database)
run on a fake clock.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from heimatruhr_geo.auth import BASE_LOCKOUT_S, FREE_FAILURES, hash_password
from heimatruhr_geo.formatting import format_wait
from heimatruhr_geo.i18n import t
from heimatruhr_geo.models import CreativeSpace, SurveyResponse, VacantBuilding
from heimatruhr_geo.store import Store
from heimatruhr_geo.ui.moderation_page import (
    PASSWORD_KEY,
    SIGN_IN_KEY,
    SIGN_OUT_KEY,
    USERNAME_KEY,
    edit_key,
    fund_key,
    publish_key,
    reason_key,
    reject_key,
)
from tests.support.apptest import errors
from tests.support.moderation import has_button, open_page, sign_in
from tests.support.records import DORTMUND, ESSEN

PASSWORD = "ein langes Moderationspasswort"
SECRET_TITLE = "Geheimer Vorschlag Zeche Nordstern"
XSS_TITLE = "<img src=x onerror=alert(1)>"


class Clock:
    def __init__(self) -> None:
        self.now = 10_000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Site:
    store: Store
    clock: Clock
    pending_id: str
    published_id: str
    xss_id: str


def _clear_app_caches() -> None:
    import streamlit as st

    from heimatruhr_geo.ui import moderation_page, resources

    for cached in (
        resources.settings,
        resources.store,
        resources.published,
        resources._points,  # the encoded map data (its file is checked on every call)
        resources.survey_answers,
        moderation_page._team,
    ):
        cached.clear()
    st.cache_data.clear()


@pytest.fixture(scope="module")
def hashed() -> str:
    return hash_password(PASSWORD, fast=True)


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hashed: str) -> Iterator[Site]:
    from heimatruhr_geo.ui import resources

    url = f"sqlite:///{tmp_path / 'moderation.sqlite'}"
    monkeypatch.setenv("HEIMATRUHR_DATABASE_URL", url)
    monkeypatch.setenv("HEIMATRUHR_MODERATORS", f"alice:{hashed};bob:{hashed}")
    store = Store(url)
    pending_id = store.add(
        CreativeSpace(
            title=SECRET_TITLE,
            description="Eine alte Kaue als Probenraum",
            project_type="stage",
            lon=ESSEN[0],
            lat=ESSEN[1],
            contact_name="Erika Muster",
            contact_email="erika@example.org",
        )
    )
    published_id = store.add(
        CreativeSpace(
            title="Atelierhaus Dortmund",
            project_type="studio",
            status="proposed",
            lon=DORTMUND[0],
            lat=DORTMUND[1],
            moderation="published",
        )
    )
    xss_id = store.add(
        VacantBuilding(
            title=XSS_TITLE,
            description="**fett** {{7*7}} <script>alert(2)</script>",
            building_type="industrial",
            lon=DORTMUND[0],
            lat=DORTMUND[1],
            contact_email="erika@example.org",
        )
    )
    store.add(SurveyResponse(discipline="music", lon=ESSEN[0], lat=ESSEN[1], places_text="Kaue"))
    _clear_app_caches()
    limiter = resources.limiter()
    limiter.reset()
    clock = Clock()
    monkeypatch.setattr(limiter, "clock", clock)
    yield Site(store, clock, pending_id, published_id, xss_id)
    limiter.reset()
    _clear_app_caches()
    store.close()


def signed_in(**params: str) -> AppTest:
    at = sign_in(open_page(**params), "alice", PASSWORD)
    assert has_button(at, SIGN_OUT_KEY)
    return at


def page_text(at: AppTest) -> str:
    """Everything the page sent to the browser: every element's message and table."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    parts += [frame.value.to_csv() for frame in at.dataframe]
    return "\n".join(parts)


def audit(at: AppTest) -> Any:
    tables = [f.value for f in at.dataframe if "actor" in f.value.columns]
    assert tables, "no audit log table on the page"
    return tables[0]


# --------------------------------------------------------------------------- access


def test_without_sign_in_nothing_of_the_queue_is_shown(site: Site) -> None:
    at = open_page()
    text = page_text(at)
    assert at.text_input(key=USERNAME_KEY)
    for secret in (SECRET_TITLE, "erika@example.org", "Erika Muster", site.pending_id, "Kaue"):
        assert secret not in text
    assert not at.dataframe
    assert not at.button(key=SIGN_IN_KEY).disabled


def test_no_moderators_configured_locks_the_page(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEIMATRUHR_MODERATORS", "")
    _clear_app_caches()
    at = open_page()
    assert at.warning[0].value == t("mod_no_moderators", "de")
    assert SECRET_TITLE not in page_text(at)
    assert not at.text_input


def test_plaintext_configuration_locks_the_page_and_logs_the_user(
    site: Site, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("HEIMATRUHR_MODERATORS", "mallory:hunter2hunter2")
    _clear_app_caches()
    at = open_page()
    assert errors(at) == [t("mod_config_error", "de")]
    assert "mallory" not in page_text(at)  # a public page never names a moderator
    assert "hunter2" not in page_text(at)
    assert "'mallory'" in caplog.text and "hunter2" not in caplog.text
    assert SECRET_TITLE not in page_text(at)


def test_wrong_password_is_refused(site: Site) -> None:
    at = sign_in(open_page(), "alice", "falsches Passwort!")
    assert errors(at) == [t("mod_refused", "de")]
    assert SECRET_TITLE not in page_text(at)
    assert at.text_input(key=PASSWORD_KEY).value == ""  # the password is not kept
    unknown = sign_in(open_page(), "mallory", PASSWORD)
    assert errors(unknown) == [t("mod_refused", "de")]  # the same answer for unknown names


def test_lockout_refuses_even_the_right_password_until_it_passes(site: Site) -> None:
    at = open_page(lang="en")
    for _ in range(FREE_FAILURES):
        sign_in(at, "alice", "wrong password")
    locked = t("trust_signin_wait", "en").format(wait=format_wait(BASE_LOCKOUT_S, "en"))
    assert errors(at) == [locked]
    assert at.button(key=SIGN_IN_KEY).disabled
    assert at.text_input(key=PASSWORD_KEY).disabled
    # a new session (another tab, a reload) of the same client: still locked
    other = open_page(lang="en")
    assert errors(other) == [locked]
    assert other.button(key=SIGN_IN_KEY).disabled
    assert SECRET_TITLE not in page_text(other)
    assert not has_button(other, SIGN_OUT_KEY)
    site.clock.now += BASE_LOCKOUT_S + 1
    later = signed_in(lang="en")
    assert SECRET_TITLE in page_text(later)


def test_right_password_shows_the_queue_and_sign_out_hides_it(site: Site) -> None:
    at = signed_in()
    text = page_text(at)
    assert SECRET_TITLE in text
    assert "erika@example.org" in text  # moderators see the private contact
    assert t("mod_queue_survey_other", "de").format(n=1) in [s.value for s in at.subheader]
    assert has_button(at, publish_key(site.pending_id))
    at.button(key=SIGN_OUT_KEY).click().run()
    assert SECRET_TITLE not in page_text(at)
    assert at.text_input(key=USERNAME_KEY)


def test_queue_search_finds_a_record_beyond_the_first_page(site: Site) -> None:
    from heimatruhr_geo.ui.moderation_page import FIND_KEY, QUEUE_SHOWN

    site.store.add_many(
        [
            CreativeSpace(
                title=f"Älterer Vorschlag {i}",
                project_type="music",
                lon=ESSEN[0],
                lat=ESSEN[1],
                created_at=datetime(2026, 1, 1, tzinfo=UTC),
                updated_at=datetime(2026, 1, 1, tzinfo=UTC),
            )
            for i in range(QUEUE_SHOWN)
        ]
    )
    at = signed_in()
    assert not has_button(at, publish_key(site.pending_id))  # the oldest fill the page
    at.text_input(key=FIND_KEY).set_value(site.pending_id).run()
    assert has_button(at, publish_key(site.pending_id))
    assert SECRET_TITLE in [x.value for x in at.text]
    at.text_input(key=FIND_KEY).set_value("nordstern").run()
    assert [b.key for b in at.button if b.key.startswith("mod_publish_")] == [
        publish_key(site.pending_id)
    ]


# --------------------------------------------------------------------------- decisions


def test_publish_makes_it_public_and_the_audit_log_shows_the_actor(site: Site) -> None:
    from heimatruhr_geo.ui import resources

    assert site.pending_id not in set(resources.published("spaces")["id"])
    at = signed_in()
    at.button(key=publish_key(site.pending_id)).click().run()
    assert not at.exception
    assert [s.value for s in at.success] == [t("mod_published", "de")]
    assert site.store.get(site.pending_id)["title"] == SECRET_TITLE
    assert site.pending_id in set(resources.published("spaces")["id"])  # caches refreshed
    log = audit(at)
    assert log.iloc[0]["actor"] == "alice"
    assert log.iloc[0]["action"] == t("mod_action_publish", "de")
    assert log.iloc[0]["record_id"] == site.pending_id
    # readable, not raw JSON: translated field and values, a German date and time
    assert log.iloc[0]["details"] == "Prüfstatus: Wartet auf Prüfung → Veröffentlicht"
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4}, \d\d:\d\d", log.iloc[0]["at"])
    assert not has_button(at, publish_key(site.pending_id))  # left the queue


def test_reject_needs_a_reason(site: Site) -> None:
    at = signed_in()
    at.button(key=reject_key(site.pending_id)).click().run()
    assert errors(at) == [t("mod_reason_missing", "de")]
    assert site.store.get(site.pending_id, public=False)["moderation"] == "pending"
    at.text_input(key=reason_key(site.pending_id)).set_value("Kein Ort im Ruhrgebiet")
    at.button(key=reject_key(site.pending_id)).click().run()
    assert [s.value for s in at.success] == [t("mod_rejected", "de")]
    assert site.store.get(site.pending_id, public=False)["moderation"] == "rejected"
    assert "Kein Ort im Ruhrgebiet" in audit(at).iloc[0]["details"]


def test_user_markup_is_shown_as_text_only(site: Site) -> None:
    at = signed_in()
    assert XSS_TITLE in [x.value for x in at.text]
    for element in (*at.markdown, *at.caption, *at.subheader, *at.header, *at.title):
        assert "<img" not in element.value and "{{7*7}}" not in element.value
    for element in (*at.success, *at.error, *at.info, *at.warning):
        assert "<img" not in element.value
    at.button(key=publish_key(site.xss_id)).click().run()
    public = site.store.get(site.xss_id)
    assert public["title"] == XSS_TITLE  # stored verbatim; escaping is the renderers' job
    assert public["description"] == "**fett** {{7*7}} <script>alert(2)</script>"


# --------------------------------------------------------------------------- edits


def open_edit_form(at: AppTest, record_id: str) -> None:
    assert not any(w.key == edit_key(record_id, "title") for w in at.text_input)
    at.toggle(key=f"mod_editing_{record_id}").set_value(True).run()


def test_edit_a_pending_record(site: Site) -> None:
    at = signed_in()
    open_edit_form(at, site.pending_id)
    at.text_input(key=edit_key(site.pending_id, "title")).set_value("Probenraum Kaue")
    at.text_input(key=edit_key(site.pending_id, "funding_year")).set_value("2026")
    at.button(key=f"mod_save_{site.pending_id}").click().run()
    assert [s.value for s in at.success] == ["Gespeichert: 2 Felder geändert."]
    record = site.store.get(site.pending_id, public=False)
    assert (record["title"], record["funding_year"]) == ("Probenraum Kaue", 2026)
    assert record["moderation"] == "pending"
    assert audit(at).iloc[0]["actor"] == "alice"


def test_invalid_edit_names_the_field_and_changes_nothing(site: Site) -> None:
    at = signed_in(lang="en")
    open_edit_form(at, site.pending_id)
    at.text_input(key=edit_key(site.pending_id, "funding_year")).set_value("1850")
    at.button(key=f"mod_save_{site.pending_id}").click().run()
    assert errors(at) == [t("mod_invalid", "en")]
    assert "funding_year" in at.code[0].value
    assert site.store.get(site.pending_id, public=False)["funding_year"] is None


def test_status_and_funding_of_a_published_project(site: Site) -> None:
    at = signed_in()
    at.selectbox(key="mod_project").set_value(site.published_id).run()
    at.selectbox(key=fund_key(site.published_id, "status")).set_value("funded")
    at.text_input(key=fund_key(site.published_id, "funding_program")).set_value("#heimatruhr")
    at.text_input(key=fund_key(site.published_id, "funding_amount_eur")).set_value("15000")
    at.text_input(key=fund_key(site.published_id, "funding_year")).set_value("2026")
    at.button(key=f"mod_fund_save_{site.published_id}").click().run()
    assert not at.exception
    record = site.store.get(site.published_id)
    assert record["status"] == "funded"
    assert (record["funding_amount_eur"], record["funding_year"]) == (15000.0, 2026)
    details = audit(at).iloc[0]["details"].split("; ")
    assert "Status: Vorgeschlagen → Gefördert" in details
    assert "Fördersumme (EUR): – → 15.000\xa0€" in details
    assert "Förderprogramm: – → #heimatruhr" in details
    assert "Förderjahr: – → 2026" in details


# --------------------------------------------------------------------------- personal data


def test_delete_personal_data_on_request(site: Site) -> None:
    at = signed_in()
    at.text_input(key="mod_erase_who").set_value("Erika@example.org")
    at.button(key="mod_erase_button").click().run()
    assert [s.value for s in at.success] == ["2 Kontakteinträge gelöscht."]
    assert site.store.get(site.pending_id, public=False)["contact_email"] == ""
    assert site.store.get(site.xss_id, public=False)["contact_email"] == ""
    assert "erika@example.org" not in page_text(at).lower()
    assert at.text_input(key="mod_erase_who").value == ""
