"""Form values to a pending record, or one message per bad field (heimatruhr_geo.submissions)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from heimatruhr_geo.errors import InputError
from heimatruhr_geo.i18n import LABELS, number, t
from heimatruhr_geo.models import MAX_SHORT, MAX_TEXT, MAX_TITLE, CreativeSpace, VacantBuilding
from heimatruhr_geo.submissions import (
    FIELDS,
    LOCATION,
    Location,
    field_label,
    problem_lines,
    submission_from_form,
)

BOCHUM = Location(7.2162, 51.4818, "05911000", "Bochum", "exact", "pin")
SPACE = {"title": "Atelier am Kanal", "project_type": "studio"}
VACANT = {"title": "Alte Schlosserei", "building_type": "industrial"}
LANGS = ["de", "en"]


def test_valid_space_is_pending_from_the_form_and_keeps_text_as_typed() -> None:
    values = {
        **SPACE,
        "title": "  <img src=x onerror=alert(1)> {{7*7}}  ",
        "description": "Zeile 1\n**Zeile 2**",
        "website": "https://atelier.example",
        "street": " Rottstraße 5 ",
        "postcode": "44793",
        "city": "Bochum",
        "contact_name": "",
        "contact_email": " ana@example.org ",
    }
    result = submission_from_form("spaces", values, BOCHUM)
    assert result.problems == {}
    record = result.record
    assert isinstance(record, CreativeSpace)
    assert record.moderation.value == "pending" and record.source.value == "form"
    assert record.status.value == "proposed"
    assert record.title == "<img src=x onerror=alert(1)> {{7*7}}"  # stripped, not escaped
    assert record.description == "Zeile 1\n**Zeile 2**"
    assert (record.street, record.postcode, record.city) == ("Rottstraße 5", "44793", "Bochum")
    assert (record.lon, record.lat) == (BOCHUM.lon, BOCHUM.lat)
    assert (record.geocode_precision, record.geocode_source) == ("exact", "pin")
    assert record.contact_email == "ana@example.org" and record.contact_name == ""


def test_valid_vacant_reads_german_numbers_dates_and_yes_no() -> None:
    values = {
        **VACANT,
        "floors": "3",
        "floor_area_m2": "120,5",
        "available_from": "01.05.2027",
        "available_until": date(2027, 12, 31),
        "power": True,
        "water": False,
        "heating": None,
        "rent_band": "free",
        "owner_type": "",
    }
    record = submission_from_form("vacant", values, BOCHUM).record
    assert isinstance(record, VacantBuilding)
    assert record.floors == 3 and record.floor_area_m2 == 120.5
    assert record.available_from == date(2027, 5, 1)
    assert record.available_until == date(2027, 12, 31)
    assert (record.power, record.water, record.heating) == (True, False, None)
    assert record.rent_band is not None and record.rent_band.value == "free"
    assert record.owner_type is None
    assert record.status.value == "vacant" and record.moderation.value == "pending"


def _message(key: str, lang: str, **fmt: Any) -> str:
    return t(key, lang).format(**fmt) if fmt else t(key, lang)


CASES: list[tuple[str, dict[str, Any], str, str, dict[str, Any]]] = [
    ("spaces", {"title": ""}, "title", "submit_err_required", {}),
    ("spaces", {"title": "   "}, "title", "submit_err_required", {}),
    ("spaces", {"project_type": None}, "project_type", "submit_err_required", {}),
    ("spaces", {"project_type": "castle"}, "project_type", "submit_err_choice", {}),
    ("spaces", {"website": "atelier.example"}, "website", "submit_err_url", {}),
    ("spaces", {"contact_email": "ana(at)example"}, "contact_email", "submit_err_email", {}),
    ("spaces", {"postcode": "4479"}, "postcode", "submit_err_postcode", {}),
    ("vacant", {"building_type": None}, "building_type", "submit_err_required", {}),
    ("vacant", {"owner_type": "alien"}, "owner_type", "submit_err_choice", {}),
    ("vacant", {"floors": "101"}, "floors", "submit_err_range", {"min": "0", "max": "100"}),
    ("vacant", {"floors": "2,5"}, "floors", "submit_err_integer", {}),
    ("vacant", {"floor_area_m2": "groß"}, "floor_area_m2", "submit_err_number", {}),
    ("vacant", {"available_from": "31.02.2027"}, "available_from", "submit_err_date", {}),
    ("vacant", {"power": "vielleicht"}, "power", "submit_err_choice", {}),
    (
        "vacant",
        {"available_from": "2027-06-01", "available_until": "01.01.2027"},
        "available_until",
        "submit_err_date_order",
        {},
    ),
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("layer", "changes", "field", "key", "fmt"), CASES)
def test_each_bad_field_gets_its_message_and_no_record(
    layer: str, changes: dict[str, Any], field: str, key: str, fmt: dict[str, Any], lang: str
) -> None:
    base = SPACE if layer == "spaces" else VACANT
    result = submission_from_form(layer, {**base, **changes}, BOCHUM, lang)  # type: ignore[arg-type]
    assert result.record is None
    assert result.problems == {field: _message(key, lang, **fmt)}


@pytest.mark.parametrize("lang", LANGS)
def test_range_message_names_both_ends_in_the_language(lang: str) -> None:
    result = submission_from_form("vacant", {**VACANT, "floor_area_m2": "-1"}, BOCHUM, lang)
    expected = t("submit_err_range", lang).format(min="0", max=number(1_000_000, lang))
    assert result.problems == {"floor_area_m2": expected}
    assert ("1.000.000" if lang == "de" else "1,000,000") in expected


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("layer", "field", "limit"),
    [
        ("spaces", "title", MAX_TITLE),
        ("spaces", "description", MAX_TEXT),
        ("spaces", "contact_public", MAX_SHORT),
        ("spaces", "contact_name", MAX_SHORT),
        ("spaces", "street", MAX_SHORT),
        ("spaces", "city", 100),
        ("vacant", "title", MAX_TITLE),
        ("vacant", "description", MAX_TEXT),
        ("vacant", "contact_public", MAX_SHORT),
    ],
)
def test_length_limits_on_every_text(layer: str, field: str, limit: int, lang: str) -> None:
    base = SPACE if layer == "spaces" else VACANT
    at_limit = submission_from_form(layer, {**base, field: "x" * limit}, BOCHUM, lang)  # type: ignore[arg-type]
    assert at_limit.record is not None and at_limit.problems == {}
    over = submission_from_form(layer, {**base, field: "x" * (limit + 1)}, BOCHUM, lang)  # type: ignore[arg-type]
    assert over.record is None
    expected = t("submit_err_too_long", lang).format(
        max=number(limit, lang), n=number(limit + 1, lang)
    )
    assert over.problems == {field: expected}


def test_website_and_email_limits() -> None:
    long_url = "https://a.example/" + "x" * 290
    assert submission_from_form("spaces", {**SPACE, "website": long_url}, BOCHUM).problems == {
        "website": t("submit_err_too_long", "de").format(max="300", n="308")
    }
    email = "a" * 190 + "@example.org"
    problems = submission_from_form("spaces", {**SPACE, "contact_email": email}, BOCHUM).problems
    assert list(problems) == ["contact_email"]


@pytest.mark.parametrize("lang", LANGS)
def test_no_location_is_asked_for_and_other_fields_still_checked(lang: str) -> None:
    result = submission_from_form("spaces", {"title": "Ort"}, None, lang)
    assert result.record is None
    assert result.problems == {
        LOCATION: t("submit_err_location", lang),
        "project_type": t("submit_err_required", lang),
    }


@pytest.mark.parametrize(
    "where",
    [
        Location(6.25, 51.85, "", "", "exact", "pin"),  # in the box, outside the 53
        Location(6.0, 51.0, "", "", "exact", "pin"),  # outside the box too
        Location(13.4, 52.5, "11000000", "Berlin", "address", "nominatim"),
    ],
)
@pytest.mark.parametrize("lang", LANGS)
def test_a_point_outside_the_ruhr_is_refused(where: Location, lang: str) -> None:
    result = submission_from_form("vacant", VACANT, where, lang)
    assert result.record is None
    assert result.problems == {LOCATION: t("submit_err_outside", lang)}


def test_fields_not_on_the_form_are_refused() -> None:
    values = {**SPACE, "status": "funded", "moderation": "published", "funding_amount_eur": 5}
    result = submission_from_form("spaces", values, BOCHUM)
    assert result.record is None
    assert set(result.problems) == {"status", "moderation", "funding_amount_eur"}
    assert set(result.problems.values()) == {t("submit_err_unknown", "de")}


def test_problems_follow_the_form_order_and_name_their_field() -> None:
    values = {"contact_email": "x", "title": "", "floors": "-2", "building_type": "x"}
    result = submission_from_form("vacant", values, None, "en")
    assert list(result.problems) == [LOCATION, "title", "building_type", "floors", "contact_email"]
    lines = problem_lines(result.problems, "en")
    assert lines[0] == f"Location: {t('submit_err_location', 'en')}"
    assert lines[-1] == f"Your e-mail address: {t('submit_err_email', 'en')}"


def test_unknown_layer_is_an_input_error() -> None:
    with pytest.raises(InputError, match="layer='survey'"):
        submission_from_form("survey", {}, BOCHUM)  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", LANGS)
def test_every_field_and_message_has_a_label(lang: str) -> None:
    names = {LOCATION, "record"} | {f for fields in FIELDS.values() for f in fields}
    for name in names:
        assert field_label(name, lang)
    messages = [k for k in LABELS[lang] if k.startswith("submit_err_")]
    assert len(messages) >= 14
    assert {k for k in LABELS["de"] if k.startswith("submit_")} == {
        k for k in LABELS["en"] if k.startswith("submit_")
    }
