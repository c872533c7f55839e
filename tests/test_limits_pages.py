"""The limits as visitors meet them, in AppTest: several sessions from one client.

Each AppTest is a new browser session (a new tab or a reload); the client's address is
set through :func:`heimatruhr_geo.ui.client.connection`, the one function that reads the
connection. A "restart" clears every cached resource of the app, so a new store and
limiter open the same database. Every test runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import streamlit as st
from streamlit.config import ShowErrorDetailsConfigOptions
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Radio

from heimatruhr_geo.abuse import CLIENT_LIMIT
from heimatruhr_geo.auth import FREE_FAILURES, hash_password
from heimatruhr_geo.config import PROJECT_DIR
from heimatruhr_geo.i18n import t
from heimatruhr_geo.models import CreativeSpace
from heimatruhr_geo.schema import APP_SECRETS, AUDIT_LOG, CONTACTS, LIMIT_EVENTS, RECORDS
from heimatruhr_geo.store import Store
from heimatruhr_geo.ui.moderation_page import SIGN_IN_KEY, SIGN_OUT_KEY
from tests.support import moderation as mod
from tests.support import submit_form as form
from tests.support import survey_form as survey
from tests.support.apptest import TIMEOUT_S, errors, successes

STRANGER, NEIGHBOUR, MODERATOR = "198.51.100.66", "198.51.100.77", "203.0.113.10"
PASSWORD = "ein langes Moderationspasswort"


@dataclass
class Connection:
    """What :func:`heimatruhr_geo.ui.client.connection` returns in these tests."""

    peer: str | None = STRANGER
    forwarded: list[str] = field(default_factory=list)

    def __call__(self) -> tuple[str | None, list[str]]:
        return self.peer, list(self.forwarded)


def restart() -> None:
    """Forget every cached resource: the next run opens store and limiter anew."""
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def app_db(store_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """The app's database (SQLite or PostgreSQL) with one published placeholder record."""
    monkeypatch.setenv("HEIMATRUHR_DATABASE_URL", store_url)
    monkeypatch.setenv("HEIMATRUHR_MODERATORS", f"alice:{hash_password(PASSWORD, fast=True)}")
    restart()
    opened = Store(store_url)
    lat, lon = form.ESSEN_PIN
    opened.add(
        CreativeSpace(
            lat=lat, lon=lon, title="Platzhalter", project_type="studio", moderation="published"
        )
    )
    yield opened
    with opened.engine.begin() as conn:  # leave the shared PostgreSQL database empty
        for table in (CONTACTS, RECORDS, AUDIT_LOG, LIMIT_EVENTS, APP_SECRETS):
            conn.execute(table.delete())
    opened.close()
    restart()


@pytest.fixture
def connection(monkeypatch: pytest.MonkeyPatch) -> Connection:
    from heimatruhr_geo.ui import client

    current = Connection()
    monkeypatch.setattr(client, "connection", current)
    return current


def limited(at: AppTest) -> bool:
    head = t("trust_form_limited", "de").split("{")[0]
    return any(w.value.startswith(head) for w in at.warning)


def propose(at: AppTest, title: str) -> AppTest:
    form.fill(form.pin(at, "spaces", form.ESSEN_PIN), "spaces", **(form.SPACE | {"title": title}))
    return form.submit(at)


# --------------------------------------------------------------------------- forms


def test_a_client_is_limited_across_sessions_reloads_and_restarts(
    app_db: Store, connection: Connection
) -> None:
    first = form.run()
    for i in range(3):
        assert form.thanked(propose(first, f"Ort {i}")), errors(first)
    second = form.run()  # a reload: a new session of the same client
    for i in range(3, CLIENT_LIMIT):
        assert form.thanked(propose(second, f"Ort {i}")), errors(second)
    third = propose(form.run(), "Ort 6")
    assert limited(third) and not successes(third)
    assert len(form.records(app_db, "spaces")) == CLIENT_LIMIT
    connection.peer = NEIGHBOUR  # another client is not affected by the flood
    assert form.thanked(propose(form.run(), "Nachbarort"))
    restart()
    connection.peer = STRANGER
    assert limited(propose(form.run(), "Ort 7"))
    assert len(form.records(app_db, "spaces")) == CLIENT_LIMIT + 1


def test_the_survey_is_limited_per_client_too(app_db: Store, connection: Connection) -> None:
    for _ in range(CLIENT_LIMIT):  # every answer from a fresh session
        at = survey.submit(survey.fill(survey.run(), **survey.VALID))
        assert successes(at) == [t("survey_thanks", "de")]
    refused = survey.submit(survey.fill(survey.run(), **survey.VALID))
    assert limited(refused) and not successes(refused)
    restart()
    assert limited(survey.submit(survey.fill(survey.run(), **survey.VALID)))
    connection.peer = NEIGHBOUR
    other = survey.submit(survey.fill(survey.run(), **survey.VALID))
    assert successes(other) == [t("survey_thanks", "de")]
    assert len(survey.survey_records(app_db)) == CLIENT_LIMIT + 1


def _show_address() -> None:
    import streamlit as st

    from heimatruhr_geo.ui import client

    st.text(client.address())


@pytest.mark.parametrize(
    ("trusted", "peer", "forwarded", "expected"),
    [
        ("", None, ["6.6.6.6"], "127.0.0.1"),  # no proxy configured: header ignored
        ("127.0.0.1", None, ["6.6.6.6, 198.51.100.1"], "198.51.100.1"),
        ("127.0.0.1", "203.0.113.5", ["198.51.100.1"], "203.0.113.5"),  # spoofed, ignored
    ],
)
def test_the_page_identifies_the_client_by_the_proxy_setting(
    app_db: Store,
    connection: Connection,
    monkeypatch: pytest.MonkeyPatch,
    trusted: str,
    peer: str | None,
    forwarded: list[str],
    expected: str,
) -> None:
    monkeypatch.setenv("HEIMATRUHR_TRUSTED_PROXIES", trusted)
    restart()
    connection.peer, connection.forwarded = peer, forwarded
    at = AppTest.from_function(_show_address, default_timeout=TIMEOUT_S).run()
    assert [e.value for e in at.text] == [expected]


# --------------------------------------------------------------------------- sign-in


def test_guesses_across_names_and_sessions_lock_the_client_not_the_moderator(
    app_db: Store, connection: Connection
) -> None:
    for name in ["alice", "bob", "carol", "dave", "erin", "frank"][:FREE_FAILURES]:
        at = mod.sign_in(mod.open_page(), name, "falsch geraten")  # a new session each
        assert errors(at) != [] and not mod.has_button(at, SIGN_OUT_KEY)
    locked = mod.open_page()  # yet another session: the client is throttled
    assert locked.button(key=SIGN_IN_KEY).disabled
    assert errors(locked)[0].startswith(t("trust_signin_wait", "de").split("{")[0])
    restart()
    assert mod.open_page().button(key=SIGN_IN_KEY).disabled  # kept across a restart
    connection.peer = MODERATOR  # the moderator, from her own address, signs in at once
    at = mod.sign_in(mod.open_page(), "alice", PASSWORD)
    assert mod.has_button(at, SIGN_OUT_KEY)


# --------------------------------------------------------------------------- errors


class _ForgedRadio(Radio):
    """A radio whose next widget state is a value the page never offered."""

    forged: Any = "xx"

    @property
    def _widget_state(self) -> WidgetState:
        state = WidgetState()
        state.id = self.id
        state.string_value = str(self.forged)
        return state


def test_a_forged_language_with_a_submission_raises_nothing(
    app_db: Store, connection: Connection
) -> None:
    at = form.run()
    form.fill(form.pin(at, "spaces", form.ESSEN_PIN), "spaces", **form.SPACE)
    at.radio(key="lang").__class__ = _ForgedRadio  # as a hand-made websocket message would
    at.button(key="spaces_submit").click().run()
    assert not at.exception, at.exception
    assert form.thanked(at)  # stored, answered in the default language


def test_visitors_never_see_error_details() -> None:
    config = tomllib.loads((PROJECT_DIR / ".streamlit" / "config.toml").read_text())
    value = config["client"]["showErrorDetails"]
    assert value == ShowErrorDetailsConfigOptions.NONE.value
    assert value in {option.value for option in ShowErrorDetailsConfigOptions}
