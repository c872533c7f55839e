"""Geocoding command: ``geocode "ADDRESS"`` or ``geocode --input FILE.csv -o OUT.csv``."""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

from heimatruhr_geo.config import Settings
from heimatruhr_geo.errors import InputError
from heimatruhr_geo.geocoding import AddressQuery, Geocoder, GeocodeResult
from heimatruhr_geo.tables import parse_coordinates, read_csv_table, write_csv_table

ADDRESS_COLUMNS = ("address", "street", "postcode", "city")
OUTPUT_COLUMNS = ("lat", "lon", "precision", "source", "ags", "municipality", "reason")
PROGRESS_EVERY = 0.5
"""Seconds between two progress lines on stderr."""


def register(commands: Any) -> None:
    """Add the ``geocode`` command to the CLI's sub-parsers."""
    parser = commands.add_parser(
        "geocode",
        help="geocode one address (prints JSON) or a CSV file of addresses",
        description=(
            "Turn addresses into points in the Ruhr. One ADDRESS prints one JSON object "
            "(exit code 1 when not found). --input reads a CSV with the column 'address', "
            "or 'street'/'postcode'/'city' (optional 'lat'/'lon' count as given), and "
            "writes it to -o with the columns " + ", ".join(OUTPUT_COLUMNS) + " added."
        ),
    )
    parser.add_argument("address", nargs="?", help="one address or place name")
    parser.add_argument("--input", type=Path, help="CSV file of addresses")
    parser.add_argument("-o", "--output", type=Path, help="CSV file to write (with --input)")
    parser.add_argument(
        "--offline", action="store_true", help="never use the network (like HEIMATRUHR_OFFLINE=1)"
    )
    parser.set_defaults(handler=_geocode)


def _geocode(args: argparse.Namespace, settings: Settings) -> int:
    if args.offline:
        settings = dataclasses.replace(settings, offline=True)
    if (args.address is None) == (args.input is None):
        raise InputError("geocode: give either one ADDRESS or --input FILE.csv, not both or none")
    if args.input is not None and args.output is None:
        raise InputError("geocode --input: -o/--output FILE.csv is required")
    geocoder = Geocoder(settings)
    try:
        if args.input is not None:
            return _geocode_file(geocoder, args.input, args.output)
        result = geocoder.geocode(args.address)
    finally:
        geocoder.close()
    print(json.dumps(result.to_dict(), ensure_ascii=False))
    return 0 if result.found else 1


def _geocode_file(geocoder: Geocoder, source: Path, target: Path) -> int:
    table = read_csv_table(source)
    queries = queries_from_table(table, source)
    results = geocoder.geocode_many(queries, progress=_ProgressLine(source.name))
    out = table.copy()
    for column in OUTPUT_COLUMNS:
        values = [_cell(getattr(r, column)) for r in results]
        out[column] = pd.Series(values, index=out.index, dtype=object)
    write_csv_table(out, target)
    print(_summary(results), file=sys.stderr)
    return 0


def queries_from_table(table: pd.DataFrame, source: Path | str = "input") -> list[AddressQuery]:
    """Build one query per row from the address columns (and ``lat``/``lon`` if present).

    Raises
    ------
    InputError
        If the table has none of the columns ``address``, ``street``, ``postcode``,
        ``city``.
    """
    if not any(c in table.columns for c in ADDRESS_COLUMNS):
        found = ", ".join(map(str, table.columns)) or "none"
        raise InputError(
            f"{source}: needs the column 'address', or 'street'/'postcode'/'city'; found: {found}"
        )
    empty = pd.Series([""] * len(table), index=table.index, dtype=str)
    text = {c: table[c].astype(str).str.strip() if c in table else empty for c in ADDRESS_COLUMNS}
    nan = pd.Series([math.nan] * len(table), index=table.index, dtype=float)
    lat = parse_coordinates(table["lat"]) if "lat" in table else nan
    lon = parse_coordinates(table["lon"]) if "lon" in table else nan
    queries = []
    for i in range(len(table)):
        given = math.isfinite(lat.iloc[i]) and math.isfinite(lon.iloc[i])
        queries.append(
            AddressQuery(
                street=text["street"].iloc[i],
                postcode=text["postcode"].iloc[i],
                city=text["city"].iloc[i],
                text=text["address"].iloc[i],
                lat=float(lat.iloc[i]) if given else None,
                lon=float(lon.iloc[i]) if given else None,
            )
        )
    return queries


class _ProgressLine:
    """Writes "geocoding NAME: done/total" to stderr at most every PROGRESS_EVERY s."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done == total or now - self.last >= PROGRESS_EVERY:
            self.last = now
            end = "\n" if done == total else ""
            print(
                f"\rgeocoding {self.name}: {done}/{total} distinct queries",
                end=end,
                file=sys.stderr,
                flush=True,
            )


def _cell(value: object) -> object:
    return "" if value is None else value


def _summary(results: list[GeocodeResult]) -> str:
    found = [r for r in results if r.found]
    precisions = Counter(r.precision for r in found)
    detail = ", ".join(f"{p} {n}" for p, n in sorted(precisions.items(), key=lambda kv: -kv[1]))
    return (
        f"{len(results)} rows: {len(found)} found"
        + (f" ({detail})" if detail else "")
        + f", {len(results) - len(found)} not found"
    )
