"""Numbers, money, areas, dates, durations, plurals and sorting the way each language writes them.

One place for locale rules, backed by Babel (CLDR data): German (default) and English.
Every function takes the app's language code (``"de"`` or ``"en"``); an unknown code falls
back to German, as :func:`heimatruhr_geo.i18n.normalize_language` does.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.dates import format_timedelta, get_date_format, get_time_format
from babel.numbers import format_currency, format_decimal, get_decimal_symbol, get_group_symbol

LOCALES: dict[str, str] = {"de": "de_DE", "en": "en_GB"}
"""Babel locale of each app language."""
TIMEZONE = ZoneInfo("Europe/Berlin")
"""Times are shown in the region's own time zone (stored in UTC)."""


def _locale(lang: str) -> str:
    return LOCALES.get(lang, LOCALES["de"])


def format_number(value: float, lang: str = "de", decimals: int = 0) -> str:
    """Return ``value`` with the language's grouping and decimal mark.

    Examples
    --------
    >>> format_number(385729, "de"), format_number(1234.5, "en", 1)
    ('385.729', '1,234.5')
    >>> format_number(1.44, "de", 1)
    '1,4'
    """
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=_locale(lang))


def format_eur(value: float, lang: str = "de") -> str:
    r"""Return an amount in whole euros.

    Examples
    --------
    >>> format_eur(1103400, "de"), format_eur(1103400, "en")
    ('1.103.400\xa0€', '€1,103,400')
    """
    pattern = "#,##0\xa0¤" if lang != "en" else "¤#,##0"
    return format_currency(
        round(value), "EUR", format=pattern, locale=_locale(lang), currency_digits=False
    )


def format_area(value: float, lang: str = "de") -> str:
    r"""Return a floor area in square metres.

    Examples
    --------
    >>> format_area(142, "de"), format_area(1250.0, "en")
    ('142\xa0m²', '1,250\xa0m²')
    """
    return f"{format_number(value, lang)}\xa0m²"


def format_date(value: dt.date | str, lang: str = "de") -> str:
    """Return a date (or ISO date text) in the language's medium form.

    Examples
    --------
    >>> format_date("2026-08-14", "de"), format_date(dt.date(2026, 8, 14), "en")
    ('14.08.2026', '14 Aug 2026')
    """
    day = dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value
    return _babel_date(day, format="medium", locale=_locale(lang))


def format_datetime(value: dt.datetime | str, lang: str = "de") -> str:
    """Return a moment (or ISO text) as date and minute in the region's time zone.

    A moment without a time zone is read as UTC (the app stores UTC).

    Examples
    --------
    >>> moment = dt.datetime(2026, 8, 14, 9, 30, tzinfo=dt.UTC)
    >>> format_datetime(moment, "de"), format_datetime("2026-08-14T09:30:00", "en")
    ('14.08.2026, 11:30', '14 Aug 2026, 11:30')
    """
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    locale = _locale(lang)
    pattern = (
        f"{get_date_format('medium', locale).pattern}, {get_time_format('short', locale).pattern}"
    )
    return _babel_datetime(moment, format=pattern, tzinfo=TIMEZONE, locale=locale)


def format_km(kilometres: float, lang: str = "de") -> str:
    r"""Return a distance in kilometres, with one decimal only where it has one.

    Examples
    --------
    >>> format_km(0.5, "de"), format_km(25, "de"), format_km(2.5, "en")
    ('0,5\xa0km', '25\xa0km', '2.5\xa0km')
    """
    decimals = 0 if float(kilometres).is_integer() else 1
    return f"{format_number(kilometres, lang, decimals)}\xa0km"


def format_percent(share: float, lang: str = "de") -> str:
    r"""Return a share (0 to 1) as whole percent.

    Examples
    --------
    >>> format_percent(0.4234, "de"), format_percent(0.4234, "en")
    ('42\xa0%', '42%')
    """
    return f"{format_number(share * 100, lang)}{'%' if lang == 'en' else chr(0xA0) + '%'}"


def vega_locale(lang: str = "de") -> dict[str, Any]:
    """Return the number locale of Vega/d3 (``config.locale`` of a Vega-Lite spec).

    With it, a chart's ``format`` of ``",.0f"`` groups like the language and ``"$,.0f"``
    writes euros (``1.103.400 €`` in German, ``€1,103,400`` in English).

    Examples
    --------
    >>> vega_locale("de")["number"]["thousands"], vega_locale("en")["number"]["currency"]
    ('.', ['€', ''])
    """
    locale = _locale(lang)
    currency = ["€", ""] if lang == "en" else ["", "\xa0€"]
    return {
        "number": {
            "decimal": get_decimal_symbol(locale),
            "thousands": get_group_symbol(locale),
            "grouping": [3],
            "currency": currency,
        }
    }


def format_wait(seconds: float, lang: str = "de", *, whole_minutes: bool = False) -> str:
    """Return a wait as the language says it ("in 1 Minute", "in 3 minutes").

    With ``whole_minutes``, the wait is rounded up to whole minutes (at least one), so
    that a user who waits as long as told is not refused again.

    Examples
    --------
    >>> format_wait(60, "de"), format_wait(170, "en")
    ('in 1 Minute', 'in 3 minutes')
    >>> format_wait(20, "de", whole_minutes=True), format_wait(61, "en", whole_minutes=True)
    ('in 1 Minute', 'in 2 minutes')
    """
    if whole_minutes:
        seconds = 60 * max(1, math.ceil(seconds / 60))
    return format_timedelta(
        dt.timedelta(seconds=max(seconds, 1)),
        add_direction=True,
        threshold=1.0,
        locale=_locale(lang),
    )


def plural(count: int, forms: Mapping[str, str], lang: str = "de") -> str:
    """Return the plural form of ``forms`` (CLDR categories ``one``, ``other`` …) for ``count``.

    ``{n}`` in the chosen form is replaced by the formatted count.

    Examples
    --------
    >>> forms = {"one": "{n} Eintrag", "other": "{n} Einträge"}
    >>> plural(1, forms), plural(1234, forms)
    ('1 Eintrag', '1.234 Einträge')
    """
    category = Locale.parse(_locale(lang)).plural_form(abs(count))
    text = forms.get(category, forms["other"])
    return text.replace("{n}", format_number(count, lang))


def sort_key(text: str) -> str:
    """Return a key that sorts names as German dictionaries do (ö with o, ß with ss).

    Examples
    --------
    >>> sorted(["Bottrop", "Bönen", "Bochum"], key=sort_key)
    ['Bochum', 'Bönen', 'Bottrop']
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))
