"""German (default) and English labels for the user interface.

Every text a user sees goes through :func:`t`. Later features add their keys to
:data:`LABELS`; a test checks that both languages have the same keys.
"""

from __future__ import annotations

from heimatruhr_geo.errors import InputError

LANGUAGES: dict[str, str] = {"de": "Deutsch", "en": "English"}
"""Supported language codes and their names in that language; the first is the default."""

DEFAULT_LANGUAGE = "de"

LABELS: dict[str, dict[str, str]] = {
    "de": {
        "title": "heimatruhr – Kreative Orte im Ruhrgebiet",
        "intro": (
            "Die Karte zeigt die 53 Städte und Gemeinden des Ruhrgebiets. Hier entstehen "
            "Orte, die Kunst und Kreativität Raum geben und lokale Identität stiften."
        ),
        "language": "Sprache",
        "map_label": "Karte der 53 Städte und Gemeinden des Ruhrgebiets",
        "boundaries_source": "Gemeindegrenzen",
        "municipality": "Gemeinde",
        "county": "Kreis / kreisfreie Stadt",
    },
    "en": {
        "title": "heimatruhr – Creative places in the Ruhr region",
        "intro": (
            "The map shows the 53 towns and municipalities of the Ruhr region, where places "
            "are growing that give art and creativity room and create local identity."
        ),
        "language": "Language",
        "map_label": "Map of the 53 towns and municipalities of the Ruhr region",
        "boundaries_source": "Municipal boundaries",
        "municipality": "Municipality",
        "county": "District / county-free city",
    },
}
"""Label text by language code and key."""


def normalize_language(lang: str | None) -> str:
    """Return a supported language code for ``lang``; the default for unknown or empty values.

    Used for values from the URL (``?lang=…``), which a user can type freely.
    """
    code = (lang or "").strip().lower()[:2]
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """Return the label ``key`` in language ``lang``.

    Parameters
    ----------
    key
        A key of :data:`LABELS`.
    lang
        ``"de"`` or ``"en"``.

    Returns
    -------
    str
        The label text (plain text, not HTML-escaped).

    Raises
    ------
    InputError
        If the language or the key is unknown.

    Examples
    --------
    >>> t("municipality", "en")
    'Municipality'
    """
    if lang not in LABELS:
        raise InputError(f"language {lang!r} is not supported; use one of {tuple(LABELS)}")
    labels = LABELS[lang]
    if key not in labels:
        raise InputError(f"label key {key!r} does not exist; known keys: {sorted(labels)}")
    return labels[key]
