"""The submissions page in AppTest: both forms store pending, private-contact records;
each bad field gives its message and stores nothing; the honeypot and the session limit.

Each test runs on its own throw-away database, set through ``HEIMATRUHR_DATABASE_URL``
with the app's cached settings and store cleared. A click on the map is simulated the way
streamlit-folium reports it: ``{"last_clicked": {"lat": …, "lng": …}}`` under the map's key.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from heimatruhr_geo.abuse import CLIENT_LIMIT
from heimatruhr_geo.i18n import t
from heimatruhr_geo.models import MAX_TEXT, MAX_TITLE, BuildingType, CreativeSpace, label
from heimatruhr_geo.store import Filters, Store
from heimatruhr_geo.ui import resources
from tests.support.apptest import errors, page_app, successes
from tests.support.submit_form import (
    DORTMUND_PIN,
    ESSEN_PIN,
    PLACEHOLDER,
    SPACE,
    VACANT,
    fill,
    pin,
    records,
    run,
    submit,
    thanked,
)

XSS = "<img src=x onerror=alert(1)>"


def _clear_app_caches() -> None:
    resources.settings.clear()
    resources.store.clear()


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """A fresh database the app uses; one published record keeps the demo seed out."""
    url = f"sqlite:///{tmp_path / 'submit.sqlite'}"
    monkeypatch.setenv("HEIMATRUHR_DATABASE_URL", url)
    _clear_app_caches()
    opened = Store(url)
    lat, lon = ESSEN_PIN
    opened.add(
        CreativeSpace(
            lat=lat, lon=lon, title=PLACEHOLDER, project_type="studio", moderation="published"
        )
    )
    yield opened
    opened.close()
    _clear_app_caches()


# --------------------------------------------------------------------------- stored


def test_valid_space_is_stored_pending_not_public_with_private_contact(store: Store) -> None:
    at = pin(run(), "spaces", DORTMUND_PIN)
    assert any("Dortmund" in i.value for i in at.info)  # the derived municipality is shown
    submit(fill(at, "spaces", **SPACE))
    assert thanked(at) and errors(at) == []
    stored = records(store, "spaces")
    assert len(stored) == 1
    row = stored.iloc[0]
    assert row["moderation"] == "pending" and row["source"] == "form"
    assert row["status"] == "proposed" and row["municipality"] == "Dortmund"
    assert row["contact_email"] == "ana@example.org"
    assert row["geocode_source"] == "pin" and row["geocode_precision"] == "exact"
    assert records(store, "spaces", public=True).empty
    assert "contact_email" not in store.query("spaces", Filters(), public=True).columns
    assert row["id"] in successes(at)[0]  # the reference number is the record's id


def test_valid_vacant_by_address_is_stored_pending(store: Store) -> None:
    at = run(layer="vacant")
    fill(at, "vacant", street="Rottstraße 5", postcode="44793", city="Bochum")
    at.button(key="vacant_loc_find").click().run()
    assert any("Bochum" in i.value for i in at.info)
    submit(fill(at, "vacant", **VACANT), "vacant")
    assert thanked(at) and errors(at) == []
    row = records(store, "vacant").iloc[0]
    assert row["moderation"] == "pending" and row["municipality"] == "Bochum"
    assert (row["street"], row["postcode"], row["city"]) == ("Rottstraße 5", "44793", "Bochum")
    assert row["floors"] == 2 and row["floor_area_m2"] == 350.5 and row["power"]
    assert row["available_from"] == "2027-03-01" and row["contact_name"] == "Ben"
    assert records(store, "vacant", public=True).empty


def test_the_form_is_empty_after_a_submission(store: Store) -> None:
    at = submit(fill(pin(run(), "spaces", ESSEN_PIN), "spaces", **SPACE))
    assert thanked(at)
    assert at.text_input(key="spaces_title").value == ""
    assert at.selectbox(key="spaces_project_type").value is None
    assert t("submit_location_none", "de") in [c.value for c in at.caption]


def test_markup_in_a_title_is_stored_verbatim_and_never_rendered(store: Store) -> None:
    at = pin(run(), "spaces", ESSEN_PIN)
    at.text_input(key="spaces_loc_street").set_value("**fett** {{7*7}}")
    submit(fill(at, "spaces", **(SPACE | {"title": XSS, "description": "{{7*7}} <b>x</b>"})))
    assert thanked(at)
    row = records(store, "spaces").iloc[0]
    assert row["title"] == XSS and row["description"] == "{{7*7}} <b>x</b>"
    assert row["street"] == "**fett** {{7*7}}"
    shown = [m.value for m in at.markdown] + errors(at) + successes(at)
    shown += [i.value for i in at.info] + [c.value for c in at.caption]
    assert not any("onerror" in v or "fett" in v or "<b>" in v for v in shown)


# ----------------------------------------------------------------------- refused


BAD: list[tuple[str, dict[str, Any], str, str]] = [
    ("spaces", {"title": ""}, "title", "submit_err_required"),
    ("spaces", {"project_type": None}, "project_type", "submit_err_required"),
    ("spaces", {"website": "www.atelier.example"}, "website", "submit_err_url"),
    ("spaces", {"contact_email": "ana(at)example"}, "contact_email", "submit_err_email"),
    ("spaces", {"postcode": "4479"}, "postcode", "submit_err_postcode"),
    ("vacant", {"building_type": None}, "building_type", "submit_err_required"),
    ("vacant", {"floor_area_m2": "groß"}, "floor_area_m2", "submit_err_number"),
    ("vacant", {"floors": "2,5"}, "floors", "submit_err_integer"),
    (
        "vacant",
        {"available_from": date(2027, 6, 1), "available_until": date(2027, 1, 1)},
        "available_until",
        "submit_err_date_order",
    ),
]


@pytest.mark.parametrize(("layer", "changes", "field", "key"), BAD)
@pytest.mark.parametrize("lang", ["de", "en"])
def test_each_invalid_field_gives_its_message_and_stores_nothing(
    store: Store, layer: str, changes: dict[str, Any], field: str, key: str, lang: str
) -> None:
    at = pin(run(lang, layer), layer, ESSEN_PIN)
    base = SPACE if layer == "spaces" else VACANT
    values = {k: v for k, v in (base | changes).items() if v is not None}
    submit(fill(at, layer, **values), layer)
    message = t(key, lang)
    assert f"{t(f'submit_field_{field}', lang)}: {message}" in errors(at)  # names the field
    assert message in errors(at)  # under the field itself
    assert t("submit_errors", lang) in errors(at)
    assert successes(at) == []
    assert records(store, layer).empty
    assert at.text_input(key=f"{layer}_title").value == values.get("title", "")  # kept


@pytest.mark.parametrize("lang", ["de", "en"])
def test_floors_out_of_range_names_the_range(store: Store, lang: str) -> None:
    at = pin(run(lang, "vacant"), "vacant", ESSEN_PIN)
    submit(fill(at, "vacant", **(VACANT | {"floors": "101"})), "vacant")
    message = t("submit_err_range", lang).format(min="0", max="100")
    assert f"{t('submit_field_floors', lang)}: {message}" in errors(at)
    assert records(store, "vacant").empty


@pytest.mark.parametrize("lang", ["de", "en"])
def test_a_submission_without_a_location_is_refused(store: Store, lang: str) -> None:
    at = submit(fill(run(lang), "spaces", **SPACE))
    message = t("submit_err_location", lang)
    assert f"{t('submit_field_location', lang)}: {message}" in errors(at)
    assert records(store, "spaces").empty


@pytest.mark.parametrize("how", ["pin", "address"])
def test_choosing_a_place_clears_the_old_location_error(store: Store, how: str) -> None:
    at = submit(fill(run("de"), "spaces", **SPACE))
    message = t("submit_err_location", "de")
    assert any(message in e for e in errors(at))
    if how == "pin":
        at = pin(at, "spaces", DORTMUND_PIN)
    else:
        fill(at, "spaces", city="Bochum")
        at.button(key="spaces_loc_find").click().run()
        assert not at.exception, at.exception
    assert [e for e in errors(at) if message in e] == []  # neither under the map nor listed
    assert not errors(at)  # it was the only problem: no "please check" either
    assert thanked(submit(at))
    assert len(records(store, "spaces")) == 1


def test_a_new_place_keeps_the_other_fields_errors(store: Store) -> None:
    at = submit(fill(run("de"), "spaces", project_type="studio"))
    at = pin(at, "spaces", DORTMUND_PIN)
    assert not [e for e in errors(at) if t("submit_err_location", "de") in e]
    assert t("submit_errors", "de") in errors(at)  # the missing title is still reported
    assert any(t("submit_field_title", "de") in e for e in errors(at))


def test_every_text_field_has_its_length_limit(store: Store) -> None:
    at = run(layer="vacant")
    limits = {w.key: w.proto.max_chars for w in [*at.text_input, *at.text_area]}
    assert limits["vacant_title"] == MAX_TITLE and limits["vacant_description"] == MAX_TEXT
    assert limits["vacant_loc_postcode"] == 5
    assert all(0 < limit <= MAX_TEXT for limit in limits.values()), limits


def test_an_overlong_title_never_reaches_the_store(store: Store) -> None:
    at = pin(run(), "spaces", ESSEN_PIN)
    submit(fill(at, "spaces", **(SPACE | {"title": "x" * (MAX_TITLE + 1)})))
    stored = records(store, "spaces")
    # the widget cuts the text at its limit; the check behind it would refuse it
    assert stored.empty or stored["title"].str.len().max() <= MAX_TITLE


def test_a_pin_outside_the_ruhr_is_refused_on_the_spot(store: Store) -> None:
    at = pin(run("en"), "spaces", (51.2, 6.3))  # Mönchengladbach area
    assert t("submit_pin_outside", "en") in [w.value for w in at.warning]
    assert t("submit_location_none", "en") in [c.value for c in at.caption]


def test_an_unknown_address_says_so(store: Store) -> None:
    at = fill(run(), "spaces", city="Atlantis")
    at.button(key="spaces_loc_find").click().run()
    assert t("submit_address_not_found", "de") in [w.value for w in at.warning]
    assert t("submit_location_none", "de") in [c.value for c in at.caption]


def test_finding_an_empty_address_asks_for_one(store: Store) -> None:
    at = run("en")
    at.button(key="spaces_loc_find").click().run()
    assert t("submit_address_empty", "en") in [w.value for w in at.warning]


# ----------------------------------------------------------------------- abuse


@pytest.mark.parametrize("layer", ["spaces", "vacant"])
def test_filled_honeypot_stores_nothing_but_confirms(store: Store, layer: str) -> None:
    values = SPACE if layer == "spaces" else VACANT
    at = fill(pin(run(layer=layer), layer, ESSEN_PIN), layer, **values)
    at.text_input(key=f"homepage_url_{layer}").set_value("http://spam.example")
    submit(at, layer)
    assert thanked(at)
    assert records(store, layer).empty


def test_sixth_submission_in_a_session_is_refused(store: Store) -> None:
    at = run()
    for i in range(CLIENT_LIMIT):
        submit(fill(pin(at, "spaces", ESSEN_PIN), "spaces", **(SPACE | {"title": f"Ort {i}"})))
        assert thanked(at), errors(at)
    submit(fill(pin(at, "spaces", ESSEN_PIN), "spaces", **SPACE))
    assert successes(at) == []
    warning = t("trust_form_limited", "de").split("{")[0]
    assert any(w.value.startswith(warning) for w in at.warning)
    assert len(records(store, "spaces")) == CLIENT_LIMIT
    said = next(w.value for w in at.warning if w.value.startswith(warning))
    assert re.search(r"es in (1 Stunde|\d+ Minuten?) noch einmal\.$", said), said


# ----------------------------------------------------------------------- language


def test_english_labels_and_privacy_notice_before_the_button(store: Store) -> None:
    at = run("en", "vacant")
    assert at.title[0].value == t("submit_title", "en")
    assert at.text_input(key="vacant_title").label == "Title"
    assert at.selectbox(key="vacant_building_type").label == "Building type"
    assert at.selectbox(key="vacant_owner_type").label == "Owner (optional)"
    assert at.selectbox(key="vacant_building_type").format_func("industrial") == label(
        BuildingType.INDUSTRIAL, "en"
    )
    assert at.button(key="vacant_submit").label == t("submit_send_vacant", "en")
    privacy = next(i.value for i in at.info if i.value.startswith("**Privacy.**"))
    assert "365 days" in privacy and "deleted" in privacy


def test_messages_follow_a_language_switch(store: Store) -> None:
    at = submit(fill(run("de"), "spaces", title="Ort"))
    assert f"Art des Kreativorts: {t('submit_err_required', 'de')}" in errors(at)
    at.radio(key="lang").set_value("en").run()
    assert f"Kind of creative space: {t('submit_err_required', 'en')}" in errors(at)
    assert f"Location: {t('submit_err_location', 'en')}" in errors(at)
    assert not any("Bitte" in e for e in errors(at))


def test_a_link_opens_the_vacant_form(store: Store) -> None:
    at = page_app("submit_page")
    at.query_params["form"] = "vacant"
    at.run()
    assert at.radio(key="submit_kind").value == "vacant"
    assert at.text_input(key="vacant_title").label == t("submit_field_title", "de")
