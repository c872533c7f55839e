"""CSV cells that a spreadsheet cannot run as formulas (OWASP "CSV injection").

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a
formula by Excel and LibreOffice (``=HYPERLINK(…)``, ``+cmd|…``, ``@SUM(…)``). Every CSV the
app writes from stored or user text goes through :func:`neutral_frame` or
:func:`neutral_cell`: such a cell gets a leading ``'``, which spreadsheets show as text.
Real numbers (``-12.5``, ``+49``) are left alone. GeoJSON and GeoPackage keep the raw text.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def neutral_cell(value: Any) -> Any:
    r"""Return ``value`` with a ``'`` in front if a spreadsheet would read it as a formula.

    Examples
    --------
    >>> print(neutral_cell('=HYPERLINK("http://x")'))
    '=HYPERLINK("http://x")
    >>> neutral_cell("-12,5"), neutral_cell(-3), neutral_cell("Zeche Zollverein")
    ('-12,5', -3, 'Zeche Zollverein')
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _is_number(value):
        return "'" + value
    return value


def neutral_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``frame`` whose text cells are :func:`neutral_cell`-safe.

    Only text (object and string) columns are touched, and the column names too; numbers,
    booleans and dates are written as they are.
    """
    out = pd.DataFrame(frame).copy()
    for column in out.columns:
        series = out[column]
        if series.dtype == object or isinstance(series.dtype, pd.StringDtype):
            out[column] = series.map(neutral_cell, na_action="ignore")
    out.columns = [neutral_cell(str(c)) for c in out.columns]
    return out
