"""Import and export of records, with a per-row report that never loses a row.

Import reads CSV, GeoJSON, GeoPackage and Leerstandsmelder JSON exports, validates each
row into a record of the chosen layer, geocodes rows without coordinates (through a
``geocode`` callable, see :class:`GeocodeRequest`), derives the municipality from the
coordinates and stores all good rows in one transaction. Every bad row is reported with
its row number, the field, the value and what is allowed (:class:`ImportReport`, which
can be written as CSV). Each source row gets a stable key (its ``id``/``source_id``
column, or a hash of its content), so importing the same file again creates no
duplicates.

Row numbers: for CSV the line number as a spreadsheet shows it (the header is line 1);
for GeoJSON, GeoPackage and Leerstandsmelder JSON the position of the feature (from 1).

Export writes any filtered selection as CSV, GeoJSON or GeoPackage, in public form
(published records, no contact data) or, for moderators, in full.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import logging
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
from pydantic import ValidationError

from heimatruhr_geo import leerstandsmelder as lsm
from heimatruhr_geo.csvread import CsvText, read_csv_text
from heimatruhr_geo.csvsafe import neutral_cell, neutral_frame
from heimatruhr_geo.errors import InputError
from heimatruhr_geo.models import (
    GeocodePrecision,
    Moderation,
    Record,
    Source,
    is_approximate,
    model_for,
    validation_problems,
)
from heimatruhr_geo.spatial import assign_municipalities
from heimatruhr_geo.store import Filters, Store

logger = logging.getLogger(__name__)

try:  # pyarrow (a pandas dependency here) makes pyogrio write about 1.5x faster
    import pyarrow  # noqa: F401

    _HAS_ARROW = True
except ImportError:  # pragma: no cover
    _HAS_ARROW = False

MAX_IMPORT_BYTES = 100 * 1024 * 1024
"""Largest file an import accepts (100 MB)."""
IMPORT_FORMATS = ("csv", "geojson", "gpkg", "leerstandsmelder")
IMPORT_CHUNK_ROWS = 10_000
"""Rows read, checked and written at a time: an import's memory does not grow with the file."""
EXPORT_FORMATS = ("csv", "geojson", "gpkg")
"""Formats any query result can be written in (:func:`write_frame`, downloads)."""
RECORD_EXPORT_FORMATS = (*EXPORT_FORMATS, "leerstandsmelder")
"""Formats of :func:`export_records`: also the Leerstandsmelder platform's JSON (vacant only)."""
REPORT_COLUMNS = ["row", "field", "value", "allowed"]

_PLACEHOLDER = (7.0116, 51.4556)  # validates rows that still need geocoding
_RESERVED = {
    "ags",
    "municipality",
    "county",
    "moderation",
    "source",
    "source_key",
    "created_at",
    "updated_at",
    "geocode_precision",
    "geocode_source",
    "layer",
    "geometry",
    "distance_m",
}
_KEY_COLUMNS = ("source_id", "id")
_ALIASES = {
    "latitude": "lat",
    "breite": "lat",
    "breitengrad": "lat",
    "y": "lat",
    "longitude": "lon",
    "lng": "lon",
    "long": "lon",
    "laenge": "lon",
    "länge": "lon",
    "laengengrad": "lon",
    "x": "lon",
    "plz": "postcode",
    "postleitzahl": "postcode",
    "zip": "postcode",
    "ort": "city",
    "stadt": "city",
    "strasse": "street",
    "straße": "street",
    "adresse": "street",
    "titel": "title",
    "name": "title",
    "beschreibung": "description",
    "email": "contact_email",
    "e_mail": "contact_email",
}
_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (an Excel .xlsx or .ods file is one: save it as CSV)",
    b"\xd0\xcf\x11\xe0": "an old Excel/Office file (save it as CSV)",
    b"SQLite format 3\x00": "an SQLite database or GeoPackage",
}


@dataclass(frozen=True)
class RowError:
    """One problem with one row of an import file."""

    row: int
    field: str
    value: str
    allowed: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.field}={self.value!r}: {self.allowed}"


@dataclass(frozen=True)
class Withheld:
    """A row stored but never published by the import: its source hides it."""

    row: int
    key: str
    reason: str


@dataclass
class ImportReport:
    """What an import did, row by row.

    Every row of the file is either stored (``inserted``, ``updated``, ``unchanged``) or
    listed in ``errors`` (one entry per problem, so a row may appear more than once).
    """

    file: str
    layer: str
    format: str
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    geocoded: int = 0
    held: int = 0
    """Rows located only approximately (a municipality's or district's centre) and so
    stored as pending instead of published, for a moderator to place the pin."""
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    withheld: list[Withheld] = field(default_factory=list)
    """Rows the source hides (Leerstandsmelder ``hidden`` or not ``active``): stored as
    ``pending``, never published by the import."""
    withdrawn: int = 0
    """Records that were published and are now ``pending`` again, as their source hides them."""

    @property
    def stored(self) -> int:
        """Rows now in the store (new, updated or already there unchanged)."""
        return self.inserted + self.updated + self.unchanged

    @property
    def bad_rows(self) -> list[int]:
        """Row numbers with at least one problem, ascending."""
        return sorted({e.row for e in self.errors})

    def to_csv(self) -> str:
        """Return the problems as CSV text with columns ``row, field, value, allowed``."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(REPORT_COLUMNS)
        for err in self.errors:
            writer.writerow([err.row, *map(neutral_cell, (err.field, err.value, err.allowed))])
        return out.getvalue()

    def write_csv(self, path: Path) -> Path:
        """Write :meth:`to_csv` to ``path`` (UTF-8 with BOM, so spreadsheets read umlauts)."""
        Path(path).write_text(self.to_csv(), encoding="utf-8-sig")
        return Path(path)

    def summary(self) -> str:
        """Return a one-line summary for people."""
        return (
            f"{self.file}: {self.rows} rows, {self.inserted} new, {self.updated} updated, "
            f"{self.unchanged} unchanged, {len(self.bad_rows)} rejected"
            + (f", {self.geocoded} geocoded" if self.geocoded else "")
            + (f", {self.held} held for review (approximate location)" if self.held else "")
            + (f", {len(self.withheld)} hidden at the source (pending)" if self.withheld else "")
            + (f", {self.withdrawn} withdrawn from publication" if self.withdrawn else "")
        )


@dataclass(frozen=True)
class GeocodeRequest:
    """An address to geocode (same fields as ``geocoding.AddressQuery``)."""

    street: str = ""
    postcode: str = ""
    city: str = ""
    text: str = ""


class GeocodeAnswer(Protocol):
    """What the import needs from a geocoding result (``geocoding.GeocodeResult`` fits)."""

    @property
    def found(self) -> bool: ...  # noqa: D102
    @property
    def lat(self) -> float | None: ...  # noqa: D102
    @property
    def lon(self) -> float | None: ...  # noqa: D102
    @property
    def precision(self) -> GeocodePrecision | None: ...  # noqa: D102
    @property
    def source(self) -> str | None: ...  # noqa: D102
    @property
    def reason(self) -> str: ...  # noqa: D102


Geocode = Callable[[list[GeocodeRequest]], Sequence[GeocodeAnswer]]


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    key: str
    record: Record | None = None
    needs_geocode: bool = False


# ---------------------------------------------------------------------- import


def import_file(
    store: Store,
    path: Path,
    layer: str,
    *,
    fmt: str | None = None,
    geocode: Geocode | None = None,
    moderation: Moderation | str = Moderation.PUBLISHED,
    layer_name: str | None = None,
) -> ImportReport:
    """Import a file into ``layer`` and report on every row.

    Parameters
    ----------
    store
        Where the good rows go (one transaction).
    path
        A CSV, GeoJSON, GeoPackage or Leerstandsmelder JSON file.
    layer
        ``spaces``, ``vacant`` or ``survey``.
    fmt
        One of :data:`IMPORT_FORMATS`; guessed from the name and content when omitted.
    geocode
        Turns addresses into coordinates for rows without any; without it such rows
        are reported as errors.
    moderation
        The state imported records get (operators import curated data: ``published``).
    layer_name
        The layer to read from a GeoPackage; required when it holds more than one.

    Returns
    -------
    ImportReport
        Counts and the problems of each bad row.

    Raises
    ------
    InputError
        If the file as a whole is unusable (missing, too big, not what its name says,
        unreadable, holding no point features, or a GeoPackage with several layers and no
        ``layer_name``).
    """
    model_for(layer)
    path = Path(path)
    fmt = detect_format(path, fmt)
    reports: list[ImportReport] = []

    def batches() -> Iterator[list[Record]]:
        """Read, check and geocode the file in chunks; a retry starts a fresh report."""
        report = ImportReport(file=path.name, layer=layer, format=fmt)
        reports.append(report)
        seen: dict[str, int] = {}
        raw_rows = iter_rows(path, fmt, report, layer_name=layer_name)
        for raw in _chunked(raw_rows, IMPORT_CHUNK_ROWS):
            report.rows += len(raw)
            rows = prepare_rows(raw, layer, report, Moderation(moderation), seen=seen)
            if fmt == "leerstandsmelder":
                rows = _not_own_records(rows, report, store, layer)
            _geocode_rows(rows, report, geocode)
            good = _check_region(rows, report, store, lonlat=fmt == "leerstandsmelder")
            yield [r.record for r in good if r.record is not None]

    def withheld() -> list[tuple[str, str, str]]:
        return [(layer, w.key, _withheld_reason(w.reason)) for w in reports[-1].withheld]

    counts = store.import_batches(batches, withheld=withheld)
    report = reports[-1]
    report.inserted, report.updated, report.unchanged = (
        counts.inserted,
        counts.updated,
        counts.unchanged,
    )
    report.withdrawn = counts.withdrawn
    report.errors.sort(key=lambda e: e.row)
    logger.info("%s", report.summary())
    return report


def detect_format(path: Path, fmt: str | None = None) -> str:
    """Check that ``path`` is a readable file of an importable format and return the format.

    Raises
    ------
    InputError
        Naming the file, what it is and what is allowed.
    """
    if not path.is_file():
        raise InputError(f"import file {path} does not exist")
    size = path.stat().st_size
    if size > MAX_IMPORT_BYTES:
        raise InputError(
            f"import file {path.name} has {size / 1e6:,.0f} MB; the limit is "
            f"{MAX_IMPORT_BYTES / 1e6:,.0f} MB: split it into smaller files"
        )
    if size == 0:
        raise InputError(f"import file {path.name} is empty")
    if fmt is not None and fmt not in IMPORT_FORMATS:
        raise InputError(f"format {fmt!r} is not allowed; use one of {list(IMPORT_FORMATS)}")
    suffix = path.suffix.lower()
    claimed = fmt or {
        ".csv": "csv",
        ".txt": "csv",
        ".tsv": "csv",
        ".geojson": "geojson",
        ".json": "json",
        ".gpkg": "gpkg",
    }.get(suffix)
    if claimed is None:
        raise InputError(
            f"import file {path.name}: the type {suffix or '(none)'} is not supported; "
            "use .csv, .geojson, .json (Leerstandsmelder) or .gpkg"
        )
    with path.open("rb") as fh:
        head = fh.read(4096)
    actual = next((what for magic, what in _MAGIC.items() if head.startswith(magic)), None)
    if claimed == "gpkg":
        if actual != _MAGIC[b"SQLite format 3\x00"]:
            raise InputError(
                f"import file {path.name} is named .gpkg but is not a GeoPackage "
                f"({actual or 'it is text or unknown data'})"
            )
        return "gpkg"
    utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if actual is not None or (b"\x00" in head and not utf16):
        raise InputError(
            f"import file {path.name} is named {suffix} but holds {actual or 'binary data'}; "
            "expected a text file"
        )
    if claimed == "json" or (claimed == "geojson" and fmt is None):
        return _json_flavour(head)
    return claimed


def _json_flavour(head: bytes) -> str:
    text = head.decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    if '"FeatureCollection"' in text[:4096] or '"Feature"' in text[:4096]:
        return "geojson"
    return "leerstandsmelder"


def read_rows(
    path: Path, fmt: str, report: ImportReport | None = None, *, layer_name: str | None = None
) -> list[tuple[int, dict[str, Any]]]:
    """Read a file into ``(row number, values)`` pairs; structural problems become row errors.

    Raises
    ------
    InputError
        If the file as a whole cannot be read as ``fmt``.
    """
    return list(iter_rows(path, fmt, report, layer_name=layer_name))


def iter_rows(
    path: Path, fmt: str, report: ImportReport | None = None, *, layer_name: str | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(row number, values)`` pairs in row order (CSV lazily, row by row).

    A row that gives no values (``{}``) has its problem in ``report.errors``.

    Raises
    ------
    InputError
        If the file as a whole cannot be read as ``fmt``.
    """
    report = report or ImportReport(file=path.name, layer="", format=fmt)
    if fmt == "csv":
        return _iter_csv(path, report)
    if fmt == "geojson":
        return iter(_read_geojson(path, report))
    if fmt == "gpkg":
        return iter(_read_gpkg(path, report, layer_name))
    if fmt == "leerstandsmelder":
        return iter(_read_leerstandsmelder(path, report))
    raise InputError(f"format {fmt!r} is not allowed; use one of {list(IMPORT_FORMATS)}")


def _decode(path: Path, report: ImportReport) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.warnings.append("file is not UTF-8; read it as Windows-1252 (Latin-1)")
        return data.decode("cp1252", errors="replace")


def _iter_csv(path: Path, report: ImportReport) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield the rows of a CSV file; lines that give no row are yielded as ``{}``, reported."""
    table = read_csv_text(path)
    if len(table.header) < 2:
        first = table.lines[table.header_index].strip()
        raise InputError(
            f"import file {path.name}: the first line {first[:80]!r} is not a CSV header; "
            "expected column names separated by ',', ';', tab or '|'"
        )
    report.warnings.extend(table.notes)
    if table.delimiter == ";":
        report.warnings.append("read ';'-separated CSV (decimal commas accepted)")
    header = [_column(h) for h in table.header]
    _check_header(header, path, report)
    return _csv_rows(table, header, report)


def _csv_rows(
    table: CsvText, header: list[str], report: ImportReport
) -> Iterator[tuple[int, dict[str, Any]]]:
    told = 0  # problems of table.problems already yielded
    for number, cells in table.rows():
        while told < len(table.problems):
            problem = table.problems[told]
            told += 1
            report.errors.append(
                RowError(problem.line, problem.field, problem.value, problem.allowed)
            )
            yield problem.line, {}
        if len(cells) != len(header):
            report.errors.append(
                RowError(
                    number,
                    "row",
                    f"{len(cells)} fields",
                    f"{len(header)} fields separated by {table.delimiter!r}, like the header",
                )
            )
            yield number, {}
            continue
        yield number, dict(zip(header, cells, strict=True))
    for problem in table.problems[told:]:
        report.errors.append(RowError(problem.line, problem.field, problem.value, problem.allowed))
        yield problem.line, {}


def _column(name: str) -> str:
    key = name.strip().strip('"').lower().replace(" ", "_").replace("-", "_")
    return _ALIASES.get(key, key)


def _check_header(header: list[str], path: Path, report: ImportReport) -> None:
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise InputError(f"import file {path.name}: column names {dupes} appear twice")
    ignored = sorted(set(header) & _RESERVED)
    if ignored:
        report.warnings.append(
            f"ignored columns {ignored}: the municipality comes from the coordinates, "
            "bookkeeping fields from the import"
        )


def _load_json(path: Path, report: ImportReport, what: str) -> Any:
    try:
        return json.loads(_decode(path, report))
    except json.JSONDecodeError as exc:
        raise InputError(f"import file {path.name} is not valid {what} JSON: {exc}") from exc


def _read_geojson(path: Path, report: ImportReport) -> list[tuple[int, dict[str, Any]]]:
    doc = _load_json(path, report, "GeoJSON")
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        doc = {"type": "FeatureCollection", "features": [doc]}
    if not isinstance(doc, dict) or not isinstance(doc.get("features"), list):
        raise InputError(
            f"import file {path.name} is not a GeoJSON FeatureCollection; "
            "expected {'type': 'FeatureCollection', 'features': [...]}"
        )
    rows: list[tuple[int, dict[str, Any]]] = []
    kinds: list[str] = []
    for number, feature in enumerate(doc["features"], start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        values = {_column(k): v for k, v in (props or {}).items()}
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        kinds.append(str(kind))
        if kind == "Point":
            coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
            if isinstance(coords, list) and len(coords) >= 2:
                values["lon"], values["lat"] = coords[0], coords[1]
            else:
                report.errors.append(
                    RowError(number, "geometry", repr(coords)[:80], "Point coordinates [lon, lat]")
                )
                values = {}
        elif kind is not None:
            report.errors.append(
                RowError(number, "geometry", str(kind), "a Point (one location per record)")
            )
            values = {}
        rows.append((number, values))
    _check_points(kinds, path)
    return rows


def _check_points(kinds: list[str], path: Path) -> None:
    shapes = [k for k in kinds if k not in ("Point", "None")]
    if kinds and len(shapes) == len(kinds):
        found = sorted(set(shapes))
        raise InputError(
            f"import file {path.name} holds {', '.join(found)} geometries; expected Point "
            "features (one location per record). Convert areas to points (e.g. centroids) first"
        )


def _gpkg_layer(path: Path, layer_name: str | None) -> str:
    """Return the layer to read: the only one, or ``layer_name`` (which must exist)."""
    try:
        names = [str(name) for name in pyogrio.list_layers(path)[:, 0]]
    except Exception as exc:  # pyogrio raises several unrelated types for broken files
        raise InputError(f"import file {path.name} cannot be read as GeoPackage: {exc}") from exc
    if layer_name is not None:
        if layer_name not in names:
            raise InputError(
                f"import file {path.name} has no layer {layer_name!r}; its layers: {names}"
            )
        return layer_name
    if len(names) != 1:
        raise InputError(
            f"import file {path.name} holds {len(names)} layers {names}; name the one to "
            "import (--layer-name)"
        )
    return names[0]


def _read_gpkg(
    path: Path, report: ImportReport, layer_name: str | None = None
) -> list[tuple[int, dict[str, Any]]]:
    layer = _gpkg_layer(path, layer_name)
    try:
        frame = gpd.read_file(path, engine="pyogrio", layer=layer)
    except Exception as exc:  # pyogrio raises several unrelated types for broken files
        raise InputError(f"import file {path.name} cannot be read as GeoPackage: {exc}") from exc
    kinds = [str(k) if k else "None" for k in frame.geometry.geom_type]
    _check_points(kinds, path)
    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs("EPSG:4326")
    columns = {c: _column(c) for c in frame.columns if c != frame.geometry.name}
    records = pd.DataFrame(frame.drop(columns=frame.geometry.name)).rename(columns=columns)
    rows: list[tuple[int, dict[str, Any]]] = []
    for number, (values, geom, kind) in enumerate(
        zip(records.to_dict("records"), frame.geometry, kinds, strict=True), start=1
    ):
        clean = {str(k): _native(v) for k, v in values.items() if not _missing(v)}
        if kind == "Point":
            clean["lon"], clean["lat"] = float(geom.x), float(geom.y)
        elif kind != "None":
            report.errors.append(
                RowError(number, "geometry", kind, "a Point (one location per record)")
            )
            clean = {}
        rows.append((number, clean))
    return rows


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT


def _native(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _read_leerstandsmelder(path: Path, report: ImportReport) -> list[tuple[int, dict[str, Any]]]:
    """Read a Leerstandsmelder export (see :mod:`heimatruhr_geo.leerstandsmelder`)."""
    items = lsm.location_items(_load_json(path, report, "Leerstandsmelder"))
    if items is None:
        raise InputError(
            f"import file {path.name} is not a Leerstandsmelder export; expected a JSON list "
            "of location objects, the API's answer {'results': [...]} or one location"
        )
    rows: list[tuple[int, dict[str, Any]]] = []
    unknown: set[str] = set()
    for number, item in enumerate(items, start=1):
        location = lsm.read_location(item)
        unknown |= location.unknown
        for name, value, allowed in location.problems:
            report.errors.append(RowError(number, name, value, allowed))
        key = _lsm_key(item, location.values)
        if location.withheld and key is not None:
            report.withheld.append(Withheld(number, key, location.withheld))
        rows.append((number, location.values))
    if unknown:
        report.warnings.append(f"ignored keys unknown to Leerstandsmelder: {sorted(unknown)}")
    return rows


def _lsm_key(item: Any, values: dict[str, Any]) -> str | None:
    """Return the source key of a location, also of a rejected one (so it can be withheld)."""
    if values:
        return _source_key(values)
    if isinstance(item, dict):
        uid = next((item[k] for k in ("uuid", "id", "_id") if not _blank(item.get(k))), None)
        if uid is not None:
            return _source_key({"source_id": lsm.SOURCE_PREFIX + str(uid).strip().lower()})
    return None


def _not_own_records(
    rows: list[_Row], report: ImportReport, store: Store, layer: str
) -> list[_Row]:
    """Report locations that are this app's own records (its export read back), keep the rest.

    The Leerstandsmelder export gives a record that did not come from the platform a
    ``uuid`` made of its id; importing it again would duplicate that record.
    """
    prefix = f"id:{lsm.SOURCE_PREFIX}"
    candidates = {
        r.key.removeprefix(prefix).replace("-", ""): r for r in rows if r.key.startswith(prefix)
    }
    if not candidates:
        return rows
    stored = store.source_keys(layer, list(candidates))
    own = {id(candidates[i]): i for i, key in stored.items() if key != candidates[i].key}
    kept = []
    for row in rows:
        if id(row) not in own:
            kept.append(row)
            continue
        report.errors.append(
            RowError(
                row.number,
                "uuid",
                row.key.removeprefix(prefix),
                f"a location from Leerstandsmelder; this is record {own[id(row)]} of this app "
                "(its own export), not imported again",
            )
        )
    return kept


def _withheld_reason(reason: str) -> str:
    return {
        "hidden": "hidden on Leerstandsmelder",
        "inactive": "not active on Leerstandsmelder",
    }.get(reason, reason)


def prepare_rows(
    raw: Sequence[tuple[int, dict[str, Any]]],
    layer: str,
    report: ImportReport,
    moderation: Moderation = Moderation.PUBLISHED,
    seen: dict[str, int] | None = None,
) -> list[_Row]:
    """Validate raw rows into records; bad rows go into ``report.errors``.

    Rows already reported by the reader (empty values) are skipped. A row without
    coordinates but with an address is validated with a placeholder point and marked
    for geocoding. ``seen`` (source key → row number) carries the duplicate check from one
    chunk of a file to the next.
    """
    model = model_for(layer)
    allowed = set(model.model_fields) - _RESERVED - {"id"}
    rows: list[_Row] = []
    seen = {} if seen is None else seen
    unknown: set[str] = set()
    reported = {e.row for e in report.errors}
    held = {w.key for w in report.withheld}
    for number, values in raw:
        if not values:
            if number not in reported:
                report.errors.append(RowError(number, "row", "", "a row with values"))
            continue
        key = _source_key(values)
        if key in seen:
            report.errors.append(
                RowError(number, "row", key, f"each row once; same as row {seen[key]}")
            )
            continue
        seen[key] = number
        fields = {k: v for k, v in values.items() if k in allowed and not _blank(v)}
        unknown |= set(values) - allowed - _RESERVED - set(_KEY_COLUMNS)
        row = _Row(number, fields, key)
        state = Moderation.PENDING if key in held else moderation
        if _validate(row, model, report, state):
            rows.append(row)
    warning = f"ignored unknown columns {sorted(unknown)}; allowed for {layer}: {sorted(allowed)}"
    if unknown and warning not in report.warnings:
        report.warnings.append(warning)
    return rows


def _chunked(
    rows: Iterable[tuple[int, dict[str, Any]]], size: int
) -> Iterator[list[tuple[int, dict[str, Any]]]]:
    chunk: list[tuple[int, dict[str, Any]]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _blank(value: Any) -> bool:
    return _missing(value) or (isinstance(value, str) and value.strip() == "")


def _source_key(values: dict[str, Any]) -> str:
    for column in _KEY_COLUMNS:
        value = values.get(column)
        if not _blank(value):
            return f"id:{str(value).strip()}"[:300]
    content = json.dumps(
        {k: str(v).strip() for k, v in values.items() if not _blank(v)},
        sort_keys=True,
        ensure_ascii=False,
    )
    return "sha1:" + hashlib.sha1(content.encode("utf-8")).hexdigest()


def _validate(row: _Row, model: type[Record], report: ImportReport, moderation: Moderation) -> bool:
    values = dict(row.values)
    has_lat, has_lon = "lat" in values, "lon" in values
    if has_lat != has_lon:
        missing = "lon" if has_lat else "lat"
        report.errors.append(RowError(row.number, missing, "", "lat and lon together, or neither"))
        return False
    if not has_lat:
        address = [str(values.get(k, "")).strip() for k in ("street", "postcode", "city")]
        if not any(address):
            report.errors.append(
                RowError(row.number, "lat/lon", "", "coordinates, or an address to geocode")
            )
            return False
        values["lon"], values["lat"] = _PLACEHOLDER
        row.needs_geocode = True
    values.update(source=Source.IMPORT, source_key=row.key, moderation=moderation)
    try:
        row.record = model.model_validate(values)
    except ValidationError as exc:
        for name, value, why in validation_problems(exc):
            report.errors.append(RowError(row.number, name, _show(value), why))
        return False
    return True


def _show(value: Any) -> str:
    return "" if value is None else str(value)[:200]


def _geocode_rows(rows: list[_Row], report: ImportReport, geocode: Geocode | None) -> None:
    todo = [r for r in rows if r.needs_geocode and r.record is not None]
    if not todo:
        return
    if geocode is None:
        for r in todo:
            report.errors.append(
                RowError(r.number, "lat/lon", "", "coordinates (geocoding is not available)")
            )
            r.record = None
        return
    requests = [
        GeocodeRequest(
            street=str(r.values.get("street", "")),
            postcode=str(r.values.get("postcode", "")),
            city=str(r.values.get("city", "")),
        )
        for r in todo
    ]
    answers = geocode(requests)
    for r, request, answer in zip(todo, requests, answers, strict=True):
        assert r.record is not None
        address = ", ".join(p for p in (request.street, request.postcode, request.city) if p)
        if not answer.found or answer.lat is None or answer.lon is None:
            reason = answer.reason or "not found"
            report.errors.append(
                RowError(r.number, "address", address, f"an address that can be found ({reason})")
            )
            r.record = None
            continue
        try:
            r.record.lat, r.record.lon = answer.lat, answer.lon
        except ValidationError:
            report.errors.append(
                RowError(
                    r.number,
                    "address",
                    address,
                    f"an address inside the Ruhr (geocoded to {answer.lat}, {answer.lon})",
                )
            )
            r.record = None
            continue
        r.record.geocode_precision = answer.precision
        r.record.geocode_source = answer.source
        report.geocoded += 1
        published = r.record.moderation == Moderation.PUBLISHED
        # Survey answers are located per municipality by design; places need their point.
        if published and r.record.layer != "survey" and is_approximate(answer.precision):
            # Never published silently at a centre: a moderator places the pin first.
            r.record.moderation = Moderation.PENDING
            report.held += 1
            report.warnings.append(
                f"row {r.number}: {address!r} was located only approximately "
                f"(precision {answer.precision}); stored as pending for a moderator"
            )


def _check_region(
    rows: list[_Row], report: ImportReport, store: Store, *, lonlat: bool = False
) -> list[_Row]:
    """Keep the rows whose point lies in one of the 53 municipalities; report the others.

    ``lonlat``: name a given point as the Leerstandsmelder format does (``lonlat``,
    ``[lon, lat]``) instead of ``lat/lon``.
    """
    ready = [r for r in rows if r.record is not None]
    if not ready:
        return []
    lon = np.array([r.record.lon for r in ready if r.record is not None])
    lat = np.array([r.record.lat for r in ready if r.record is not None])
    ags = assign_municipalities(lon, lat, index=store.records.index())
    good = []
    for r, key in zip(ready, ags, strict=True):
        if key:
            good.append(r)
            continue
        assert r.record is not None
        if lonlat and not r.needs_geocode:
            point = f"[{r.record.lon}, {r.record.lat}]"
            report.errors.append(
                RowError(
                    r.number,
                    "lonlat",
                    point,
                    f"[lon, lat] in the 53 Ruhr municipalities; {point} lies outside "
                    "(or exactly on a border)",
                )
            )
            continue
        report.errors.append(
            RowError(
                r.number,
                "lat/lon",
                f"{r.record.lat}, {r.record.lon}",
                f"lat/lon {r.record.lat}, {r.record.lon} lies outside the 53 Ruhr "
                "municipalities (or exactly on a border)",
            )
        )
    return good


# ---------------------------------------------------------------------- export


def export_records(
    store: Store,
    layer: str,
    path: Path,
    fmt: str | None = None,
    filters: Filters | None = None,
    *,
    public: bool = True,
) -> int:
    """Write the selected records of ``layer`` to ``path``; return how many.

    Parameters
    ----------
    fmt
        ``csv``, ``geojson``, ``gpkg`` (taken from the file name when omitted) or
        ``leerstandsmelder`` (see :func:`export_leerstandsmelder`; public form only).
    public
        Public form (default): published records, no contact data. ``False`` writes
        everything, contact data included (for moderators).
    """
    if fmt == "leerstandsmelder":
        if not public:
            raise InputError(
                "format 'leerstandsmelder' is written in public form only; leave out --full"
            )
        return export_leerstandsmelder(store, Path(path), filters, layer=layer)
    frame = store.query(layer, filters, public=public)
    write_frame(frame, Path(path), fmt, layer=layer)
    return len(frame)


def export_leerstandsmelder(
    store: Store,
    path: Path,
    filters: Filters | None = None,
    *,
    layer: str = "vacant",
    region_uuid: str = "",
) -> int:
    """Write published vacant buildings in the Leerstandsmelder platform's JSON; return how many.

    The file is the platform's list answer ``{"page", "pagesize", "total", "results"}``
    (see :func:`heimatruhr_geo.leerstandsmelder.write_locations`): published records with
    status ``vacant`` or ``demolished`` (``demolished: true``), never contact data. A record
    imported from the platform keeps its ``uuid``; :func:`import_file` reads the file back
    to the same records (the fields the platform records).

    Raises
    ------
    InputError
        For a layer other than ``vacant``, or status filters the platform cannot hold.
    """
    if layer != "vacant":
        raise InputError(
            f"layer={layer!r} cannot be written as Leerstandsmelder locations; use 'vacant'"
        )
    chosen = replace(filters or Filters(), moderation=(Moderation.PUBLISHED.value,))
    statuses = [s for s in (chosen.statuses or lsm.EXPORT_STATUSES) if s in lsm.EXPORT_STATUSES]
    if not statuses:
        raise InputError(
            f"statuses={list(chosen.statuses)} are not allowed for a Leerstandsmelder export; "
            f"use {list(lsm.EXPORT_STATUSES)}"
        )
    # The full query carries the source key (a platform location's uuid); only the public
    # fields below are written, never contact data.
    frame = store.query("vacant", replace(chosen, statuses=tuple(statuses)), public=False)
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    rows = [{str(k): v for k, v in row.items()} for row in table.to_dict("records")]
    document = lsm.write_locations(rows, region_uuid)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return len(rows)


def write_frame(
    frame: gpd.GeoDataFrame, path: Path, fmt: str | None = None, layer: str = "records"
) -> Path:
    """Write a query result as CSV, GeoJSON or GeoPackage (replacing ``path``)."""
    fmt = fmt or {".csv": "csv", ".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg"}.get(
        path.suffix.lower()
    )
    if fmt not in EXPORT_FORMATS:
        raise InputError(
            f"export format {fmt!r} for {path.name} is not allowed; "
            f"use one of {list(EXPORT_FORMATS)}"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    out = _export_columns(frame)
    if fmt == "csv":
        neutral_frame(out.drop(columns="geometry")).to_csv(path, index=False, encoding="utf-8")
        return path
    path.unlink(missing_ok=True)
    driver = "GeoJSON" if fmt == "geojson" else "GPKG"
    options: dict[str, Any] = {"layer": layer} if fmt == "gpkg" else {}
    out.to_file(path, driver=driver, engine="pyogrio", use_arrow=_HAS_ARROW, **options)
    return path


def export_bytes(frame: gpd.GeoDataFrame, fmt: str, layer: str = "records") -> bytes:
    """Return a public-form query result as the bytes of a CSV, GeoJSON or GeoPackage file.

    For ``st.download_button``: written by :func:`write_frame` into a temporary folder
    (GeoPackage is an SQLite file and cannot be written to memory), then read back.
    """
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"export format {fmt!r} is not allowed; use one of {list(EXPORT_FORMATS)}")
    with tempfile.TemporaryDirectory(prefix="heimatruhr-export-") as folder:
        path = write_frame(frame, Path(folder) / f"{layer}.{fmt}", fmt, layer=layer)
        return path.read_bytes()


def _export_columns(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = frame.copy()
    for column in out.columns:
        if column == "geometry":
            continue
        series = out[column]
        if isinstance(series.dtype, pd.DatetimeTZDtype):
            out[column] = series.dt.strftime("%Y-%m-%dT%H:%M:%SZ")
        elif series.dtype == object and _all_bool(series):
            out[column] = series.astype("boolean")
    return out


def _all_bool(series: pd.Series) -> bool:  # type: ignore[type-arg]
    values = series.dropna()
    return len(values) > 0 and all(isinstance(v, bool) for v in values)
