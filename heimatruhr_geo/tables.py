"""Assign municipalities to tabular data (CSV files with ``lat`` and ``lon`` columns).

Every row is kept. Rows whose coordinates do not parse, or lie outside the valid
WGS84 range, stay unassigned and are counted and listed in the summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from heimatruhr_geo.csvread import read_csv_text
from heimatruhr_geo.csvsafe import neutral_frame
from heimatruhr_geo.errors import InputError
from heimatruhr_geo.spatial import MunicipalityIndex, assign_municipalities

MAX_LISTED_ROWS = 10


@dataclass(frozen=True)
class AssignSummary:
    """What :func:`assign_table` did.

    Attributes
    ----------
    total, assigned, outside
        Rows read, rows given a municipality, rows with valid coordinates outside the region.
    invalid_rows
        File line numbers (header = line 1) of rows whose coordinates did not parse or are
        out of range.
    """

    total: int
    assigned: int
    outside: int
    invalid_rows: list[int] = field(default_factory=list)

    def describe(self, name: str) -> str:
        """Return a one-line, human-readable summary for the file ``name``."""
        text = (
            f"{name}: {self.total} rows, {self.assigned} assigned, "
            f"{self.outside} outside the Ruhr, {len(self.invalid_rows)} with unparseable "
            "or out-of-range coordinates"
        )
        if self.invalid_rows:
            listed = ", ".join(map(str, self.invalid_rows[:MAX_LISTED_ROWS]))
            more = " …" if len(self.invalid_rows) > MAX_LISTED_ROWS else ""
            text += f" (lines {listed}{more})"
        return text


def read_csv_table(path: Path, required: tuple[str, ...] = ()) -> pd.DataFrame:
    """Read a CSV file as text columns (see :mod:`heimatruhr_geo.csvread` for the rules).

    Parameters
    ----------
    path
        The file: UTF-8 (with or without BOM), UTF-16 with BOM or a legacy single-byte
        encoding, separated by ``,``, ``;``, tab or ``|``.
    required
        Column names that must be present.

    Returns
    -------
    pandas.DataFrame
        Every cell as a string, empty cells as ``""``; nothing converted.

    Raises
    ------
    InputError
        If the file cannot be read, is not text, lacks a required column, or has a line
        that gives no row (undecodable, an unterminated quote, a wrong number of fields):
        ``assign`` writes every row back, so it refuses rather than drop one.
    """
    text = read_csv_text(path)
    missing = [c for c in required if c not in text.header]
    if missing:
        found = ", ".join(text.header) or "none"
        raise InputError(f"{path}: missing column(s) {', '.join(missing)}; found: {found}")
    rows = list(text.rows())
    bad = [
        f"line {n}: {len(cells)} fields, expected {len(text.header)}"
        for n, cells in rows
        if len(cells) != len(text.header)
    ]
    bad += [f"line {p.line}: {p.field} {p.value!r}: {p.allowed}" for p in text.problems]
    if bad:
        more = f" (and {len(bad) - MAX_LISTED_ROWS} more)" if len(bad) > MAX_LISTED_ROWS else ""
        raise InputError(
            f"{path}: not a readable CSV file: {'; '.join(bad[:MAX_LISTED_ROWS])}{more}"
        )
    return pd.DataFrame([cells for _, cells in rows], columns=text.header, dtype=str)


def parse_coordinates(values: pd.Series) -> pd.Series:
    """Parse coordinate text to floats; a lone decimal comma counts as a point.

    Returns NaN where the text is not a number.
    """
    text = values.astype(str).str.strip()
    comma_decimal = text.str.contains(",", regex=False) & ~text.str.contains(".", regex=False)
    text = text.where(~comma_decimal, text.str.replace(",", ".", regex=False))
    return pd.to_numeric(text, errors="coerce").astype(float)


def assign_table(
    table: pd.DataFrame,
    municipalities: gpd.GeoDataFrame,
    index: MunicipalityIndex | None = None,
) -> tuple[pd.DataFrame, AssignSummary]:
    """Add ``ags`` and ``municipality`` columns to a table with ``lat`` and ``lon`` text.

    Parameters
    ----------
    table
        Rows to assign; not changed.
    municipalities
        The frame from :func:`heimatruhr_geo.boundaries.load_municipalities` (for names).
    index
        The lookup grid over the same frame; the shipped one when omitted.

    Returns
    -------
    tuple of (pandas.DataFrame, AssignSummary)
        A copy of ``table`` with the two new columns (empty where unassigned), and the counts.
    """
    lat = parse_coordinates(table["lat"]).to_numpy()
    lon = parse_coordinates(table["lon"]).to_numpy()
    with np.errstate(invalid="ignore"):
        valid = np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    ags = assign_municipalities(
        np.where(valid, lon, np.nan), np.where(valid, lat, np.nan), index=index
    )
    names = dict(zip(municipalities["ags"], municipalities["name"], strict=True))
    result = table.copy()
    result["ags"] = ags
    result["municipality"] = [names.get(key, "") for key in ags]
    assigned = int((ags != "").sum())
    summary = AssignSummary(
        total=len(table),
        assigned=assigned,
        outside=int(valid.sum()) - assigned,
        invalid_rows=(np.flatnonzero(~valid) + 2).tolist(),
    )
    return result, summary


def write_csv_table(table: pd.DataFrame, path: Path) -> None:
    """Write ``table`` as UTF-8 CSV; raise :class:`InputError` if the path is not writable."""
    try:
        neutral_frame(table).to_csv(path, index=False)
    except OSError as exc:
        raise InputError(f"{path}: cannot be written ({exc.strerror or exc})") from exc
