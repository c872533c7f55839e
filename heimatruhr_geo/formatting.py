"""Numbers, money, areas, dates, durations, plurals and sorting the way each language writes them.

One place for locale rules, backed by Babel (CLDR data): German (default) and English.
Every function takes the app's language code (``"de"`` or ``"en"``); an unknown code falls
back to German, as :func:`heimatruhr_geo.i18n.normalize_language` does.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_timedelta
from babel.numbers import format_currency, format_decimal

LOCALES: dict[str, str] = {"de": "de_DE", "en": "en_GB"}
"""Babel locale of each app language."""


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


def format_wait(seconds: float, lang: str = "de") -> str:
    """Return a wait as the language says it ("in 1 Minute", "in 3 minutes").

    Examples
    --------
    >>> format_wait(60, "de"), format_wait(170, "en")
    ('in 1 Minute', 'in 3 minutes')
    """
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
