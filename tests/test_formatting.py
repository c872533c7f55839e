"""Locale formatting: German (default) and English numbers, money, dates, waits, plurals."""

from __future__ import annotations

import datetime as dt

import pytest

from heimatruhr_geo.formatting import (
    format_area,
    format_date,
    format_datetime,
    format_eur,
    format_km,
    format_number,
    format_percent,
    format_wait,
    sort_key,
    vega_locale,
)
from heimatruhr_geo.i18n import LABELS, number, tn
from heimatruhr_geo.moderation import describe_details, display_value

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("de", ("385.729", "1,5", f"1.103.400{NBSP}€")), ("en", ("385,729", "1.5", "€1,103,400"))],
)
def test_numbers_and_money(lang: str, expected: tuple[str, str, str]) -> None:
    assert (
        format_number(385729, lang),
        format_number(1.46, lang, 1),
        format_eur(1103400, lang),
    ) == (expected)
    assert number(385729, lang) == expected[0]  # the old helper says the same


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("de", ["14.08.2026", "14.08.2026, 11:30", "14.01.2026, 10:05"]),
        ("en", ["14 Aug 2026", "14 Aug 2026, 11:30", "14 Jan 2026, 10:05"]),
    ],
)
def test_dates_and_times_in_the_regions_time_zone(lang: str, expected: list[str]) -> None:
    summer = dt.datetime(2026, 8, 14, 9, 30, tzinfo=dt.UTC)  # CEST: UTC+2
    winter = "2026-01-14T09:05:00+00:00"  # CET: UTC+1
    assert [format_date("2026-08-14", lang), format_datetime(summer, lang)] == expected[:2]
    assert format_datetime(winter, lang) == expected[2]


@pytest.mark.parametrize(
    ("seconds", "de", "en"),
    [
        (60, "in 1 Minute", "in 1 minute"),
        (20, "in 1 Minute", "in 1 minute"),
        (61, "in 2 Minuten", "in 2 minutes"),
        (900, "in 15 Minuten", "in 15 minutes"),
    ],
)
def test_waits_in_whole_minutes_say_one_minute_in_the_singular(
    seconds: float, de: str, en: str
) -> None:
    assert format_wait(seconds, "de", whole_minutes=True) == de
    assert format_wait(seconds, "en", whole_minutes=True) == en


def test_kilometres_areas_and_percent() -> None:
    assert [format_km(v, "de") for v in (0.5, 2.0, 25)] == [
        f"0,5{NBSP}km",
        f"2{NBSP}km",
        f"25{NBSP}km",
    ]
    assert format_km(12.5, "en") == f"12.5{NBSP}km"
    assert (format_area(1250, "de"), format_area(1250, "en")) == (
        f"1.250{NBSP}m²",
        f"1,250{NBSP}m²",
    )
    assert (format_percent(0.5, "de"), format_percent(0.5, "en")) == (f"50{NBSP}%", "50%")


def test_vega_locale_has_the_languages_separators() -> None:
    de, en = vega_locale("de")["number"], vega_locale("en")["number"]
    assert (de["decimal"], de["thousands"], de["currency"]) == (",", ".", ["", f"{NBSP}€"])
    assert (en["decimal"], en["thousands"], en["currency"]) == (".", ",", ["€", ""])


@pytest.mark.parametrize(
    ("key", "count", "lang", "expected"),
    [
        ("mod_saved", 1, "de", "Gespeichert: 1 Feld geändert."),
        ("mod_saved", 2, "de", "Gespeichert: 2 Felder geändert."),
        ("mod_erased", 1, "en", "1 contact entry deleted."),
        ("mod_erased", 0, "en", "0 contact entries deleted."),
        ("count_records", 1, "de", "1 Eintrag"),
        ("count_records", 1234, "de", "1.234 Einträge"),
        ("count_records", 1234, "en", "1,234 records"),
        ("mod_queue_found", 3, "de", "3 Treffer"),  # no singular form needed
    ],
)
def test_counts_choose_the_plural_form(key: str, count: int, lang: str, expected: str) -> None:
    assert tn(key, count, lang) == expected


def test_every_plural_text_has_its_other_form_and_no_bare_stem() -> None:
    for lang in ("de", "en"):
        singles = [k for k in LABELS[lang] if k.endswith("_one")]
        assert singles
        for key in singles:  # one convention: "<stem>_<CLDR category>", "other" required
            stem = key.removesuffix("_one")
            assert f"{stem}_other" in LABELS[lang], key
            assert stem not in LABELS[lang], f"{stem} would read as a text without a count"


def test_an_unknown_key_or_language_is_a_programming_error() -> None:
    from heimatruhr_geo.errors import HeimatruhrError, LabelError
    from heimatruhr_geo.i18n import t

    for call, named in ((lambda: t("no_such_key", "de"), "'no_such_key'"),
                        (lambda: t("title", "fr"), "'fr'")):  # fmt: skip
        with pytest.raises(LabelError, match=named) as raised:
            call()
        assert not isinstance(raised.value, HeimatruhrError)  # never shown as the user's fault
    with pytest.raises(LabelError, match="count_records_nope_other"):
        tn("count_records_nope", 2, "de")


def test_sort_key_puts_umlauts_with_their_vowel() -> None:
    names = ["Bottrop", "Bönen", "Bochum", "Ennepetal", "Essen", "Övelgönne", "Oberhausen"]
    assert sorted(names, key=sort_key) == [
        "Bochum",
        "Bönen",
        "Bottrop",
        "Ennepetal",
        "Essen",
        "Oberhausen",
        "Övelgönne",
    ]


@pytest.mark.parametrize(
    ("name", "value", "lang", "expected"),
    [
        ("status", "funded", "en", "Funded"),
        ("funding_amount_eur", 15000.0, "de", f"15.000{NBSP}€"),
        ("floor_area_m2", 142.0, "de", f"142{NBSP}m²"),
        ("available_from", "2026-08-14", "en", "14 Aug 2026"),
        ("available_from", dt.date(2026, 8, 14), "de", "14.08.2026"),
        ("created_at", dt.datetime(2026, 8, 14, 9, 30, tzinfo=dt.UTC), "de", "14.08.2026, 11:30"),
        ("funding_year", 2026, "de", "2026"),  # a year is not a number with a group mark
        ("lat", 51.4818, "de", "51.4818"),
        ("title", "2026-08-14", "de", "2026-08-14"),  # user text stays as written
    ],
)
def test_display_value(name: str, value: object, lang: str, expected: str) -> None:
    assert display_value(name, value, lang) == expected


@pytest.mark.parametrize(
    ("details", "lang", "expected"),
    [
        (
            {"changes": {"status": ["proposed", "funded"], "title": ["Alt", "Neu"]}},
            "de",
            "Status: Vorgeschlagen → Gefördert; Titel: Alt → Neu",
        ),
        (
            {"changes": {"funding_amount_eur": [None, 1103400.0]}},
            "en",
            "Funding (EUR): – → €1,103,400",
        ),
        (
            {"moderation": ["pending", "rejected"], "reason": "Spam"},
            "de",
            "Prüfstatus: Wartet auf Prüfung → Abgelehnt; Grund: Spam",
        ),
        (
            {"by": "record", "count": 2, "record_ids": ["a1"]},
            "en",
            "2 contact entries; by reference number; records: a1",
        ),
        (
            {"count": 1, "days": 365, "cutoff": "2025-08-14T09:30:00+00:00"},
            "de",
            "1 Kontakteintrag; älter als 365 Tage (vor 14.08.2025, 11:30)",
        ),
    ],
)
def test_audit_details_read_as_sentences(
    details: dict[str, object], lang: str, expected: str
) -> None:
    text = describe_details(details, lang)
    assert text == expected
    assert "{" not in text and "[" not in text  # never raw JSON


def test_project_choices_sort_the_german_way() -> None:
    import pandas as pd

    from heimatruhr_geo.moderation import project_choices

    frame = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "title": ["Zeche", "Ölmühle", "Atelier"],
            "municipality": ["Bottrop", "Bönen", "Essen"],
        }
    )
    assert list(project_choices(frame).values()) == [
        "Atelier (Essen)",
        "Ölmühle (Bönen)",
        "Zeche (Bottrop)",
    ]
