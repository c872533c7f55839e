"""German (default) and English labels for the user interface.

Every text a user sees goes through :func:`t` (or :func:`tn` for a text with a count).
The texts live in the modules of :mod:`heimatruhr_geo.labels`, one per feature, and are
collected into :data:`LABELS` on import; a test checks that both languages have the same
keys.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Final

from heimatruhr_geo import labels
from heimatruhr_geo.errors import LabelError
from heimatruhr_geo.formatting import format_number, plural

LANGUAGES: dict[str, str] = {"de": "Deutsch", "en": "English"}
"""Supported language codes and their names in that language; the first is the default."""

DEFAULT_LANGUAGE = "de"


def load_catalogue() -> dict[str, dict[str, str]]:
    """Collect the texts of every module of :mod:`heimatruhr_geo.labels` into one catalogue.

    Each module holds ``LABELS = {"de": {...}, "en": {...}}``; a new module is found
    without being registered anywhere.

    Raises
    ------
    LabelError
        If a module uses an unsupported language or repeats a key of another module.
    """
    catalogue: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    for info in sorted(pkgutil.iter_modules(labels.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{labels.__name__}.{info.name}")
        for lang, texts in module.LABELS.items():
            if lang not in catalogue:
                raise LabelError(f"{module.__name__}: language {lang!r} is not supported")
            clashes = sorted(set(texts) & set(catalogue[lang]))
            if clashes:
                raise LabelError(f"{module.__name__}: label keys {clashes} are already defined")
            catalogue[lang].update(texts)
    return catalogue


LABELS: Final[dict[str, dict[str, str]]] = load_catalogue()
"""Label text by language code and key (read-only by convention)."""


def normalize_language(lang: str | None) -> str:
    """Return a supported language code for ``lang``; the default for unknown or empty values.

    Used for values from the URL (``?lang=…``), which a user can type freely.
    """
    code = (lang or "").strip().lower()[:2]
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def number(value: float, lang: str = DEFAULT_LANGUAGE, decimals: int = 0) -> str:
    """Format a number the way the language writes it (German: ``1.234,5``).

    Kept for older callers; it is :func:`heimatruhr_geo.formatting.format_number`.

    Examples
    --------
    >>> number(1234.5, "de", 1), number(1234.5, "en", 1)
    ('1.234,5', '1,234.5')
    """
    return format_number(value, lang, decimals)


def t(key: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """Return the label ``key`` in language ``lang``.

    Parameters
    ----------
    key
        A key of :data:`LABELS`.
    lang
        ``"de"`` or ``"en"`` (normalize a user's choice with :func:`normalize_language`).

    Returns
    -------
    str
        The label text (plain text, not HTML-escaped).

    Raises
    ------
    LabelError
        If the language or the key is unknown: a mistake in the code, not in user input.

    Examples
    --------
    >>> t("municipality", "en")
    'Municipality'
    """
    if lang not in LABELS:
        raise LabelError(f"language {lang!r} is not supported; use one of {tuple(LABELS)}")
    texts = LABELS[lang]
    if key not in texts:
        raise LabelError(f"label key {key!r} does not exist in {labels.__name__}")
    return texts[key]


PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
"""CLDR plural categories; a plural text is stored as ``<stem>_<category>``."""


def tn(stem: str, count: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """Return the text ``stem`` in the plural form that ``count`` needs, ``{n}`` filled in.

    A plural text has one key per CLDR plural category that the language uses:
    ``<stem>_one``, ``<stem>_other`` (required) and, where a language needs them,
    ``<stem>_two`` … Other placeholders stay for the caller's ``.format``.

    Raises
    ------
    LabelError
        If ``<stem>_other`` is missing in ``lang``.

    Examples
    --------
    >>> tn("mod_saved", 1, "de"), tn("mod_saved", 3, "en")
    ('Gespeichert: 1 Feld geändert.', 'Saved: 3 fields changed.')
    """
    t(f"{stem}_other", lang)  # the required form: raises if the stem is unknown
    texts = LABELS[lang]
    forms = {c: texts[f"{stem}_{c}"] for c in PLURAL_CATEGORIES if f"{stem}_{c}" in texts}
    return plural(count, forms, lang)
