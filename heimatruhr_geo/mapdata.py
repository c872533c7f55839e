"""The public map's data for the browser: one points document, borders, selections, choropleth.

The map component (``static/map/heimatmap.js``) fetches all published records of both
point layers once per data version and language, as one compact JSON document that this
module encodes (:func:`encode_points`). On every script run the page only sends small
state: which rows of that document are selected (:func:`selection_bits`, a base64 bitset),
the choropleth (:func:`choropleth_payload`) and a few settings. No Streamlit here.

The points document, column-wise (``n`` rows; spaces first, then vacant buildings)::

    {"v": 1, "lang": "de", "n": n,
     "id": [...], "lat": [int 1e-5 degrees], "lon": [...],
     "cat": "0123…",          one digit per row: index into CATEGORIES
     "title": [...], "demo": "0101…", "web": column,
     "approx": {"t": [texts], "i": [row], "c": [code]},  only the approximate rows:
                              row i[k] reads t[c[k]] ("Lage ungefähr (…)"); others ""
     "facts": [{"key": "status", "label": "Status", ...column}, ...]}

A *column* is ``{"v": [text per row]}`` or, when repetitive, a table plus one code per
row: ``{"t": [texts], "s": "one character per row"}`` (codes 0–61 as ``0-9A-Za-z``) or
``{"t": [texts], "c": [int per row]}``. An empty text means "not given". Numbers, areas,
money and dates are already formatted for the language (:mod:`heimatruhr_geo.formatting`);
the browser only ever puts these texts into the page with ``textContent``.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from heimatruhr_geo.errors import InputError
from heimatruhr_geo.formatting import format_area, format_date, format_eur, format_number
from heimatruhr_geo.i18n import t
from heimatruhr_geo.maplayers import (
    CHOROPLETH_COLORS,
    POINT_LAYERS,
    SUPPRESSED_COLOR,
    group_keys,
)
from heimatruhr_geo.mapview import rounded_geojson
from heimatruhr_geo.models import APPROXIMATE_PRECISIONS, FACILITIES, TAXONOMY_FIELDS
from heimatruhr_geo.models import label as taxonomy_label

FORMAT_VERSION = 1
CATEGORIES: tuple[str, ...] = tuple(spec.key for spec in POINT_LAYERS)
"""The five point categories; a record's ``cat`` code is its index here."""
CATEGORY_COLORS: tuple[str, ...] = tuple(spec.color for spec in POINT_LAYERS)
COORD_SCALE = 100_000
"""Coordinates travel as integers in 1e-5 degrees (5 decimals, about 1 m)."""
SUPPRESSED_CLASS = -1
OUTSIDE_CLASS = -2
_CODE_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_CODE_BYTES = np.frombuffer(_CODE_CHARS.encode("ascii"), dtype=np.uint8)
_DICT_RATIO = 4  # a column with 4x more rows than distinct texts goes as table + codes
FACTS: tuple[tuple[str, str], ...] = (
    ("project_type", "map_type"),
    ("building_type", "map_building_type"),
    ("status", "map_status"),
    ("address", "map_address"),
    ("municipality", "map_municipality"),
    ("floor_area", "map_floor_area"),
    ("rent_band", "map_rent_band"),
    ("available_from", "map_available_from"),
    ("available_until", "mapfront_available_until"),
    ("power", "mapfront_power"),
    ("water", "mapfront_water"),
    ("heating", "mapfront_heating"),
    ("step_free", "mapfront_step_free"),
    ("demolition_rumor", "field_demolition_rumor"),
    ("funding", "map_funding"),
)
"""The popup's facts in order: (key, label key). Empty values are not shown."""


@dataclass(frozen=True)
class PointsDocument:
    """All published records of both point layers, encoded for one language.

    Attributes
    ----------
    lang
        Language of the labels and formatted values.
    ids
        Record id of every row, in document order (spaces, then vacant buildings).
    categories
        Category code of every row (index into :data:`CATEGORIES`).
    data
        The JSON document, UTF-8.
    sha
        SHA-256 (hex) of ``data``: names the file, so a browser never runs on stale data.
    """

    lang: str
    ids: pd.Index
    categories: np.ndarray[Any, Any]
    data: bytes
    sha: str

    @property
    def count(self) -> int:
        """Number of rows (records drawn on the map)."""
        return len(self.ids)


def _text(values: pd.Series) -> pd.Series:
    """Return values as plain strings; missing ones (None, NaN, NA) as ``""``."""
    return values.astype(object).where(values.notna(), "").astype(str)


def _optional(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame[column] if column in frame.columns else pd.Series("", index=frame.index)


def _column(texts: Sequence[str] | np.ndarray[Any, Any]) -> dict[str, Any]:
    """Encode one text column: plain values, or a table with one code per row."""
    codes, uniques = pd.factorize(np.asarray(texts, dtype=object))
    table = [str(u) for u in uniques]
    if len(table) * _DICT_RATIO >= max(len(codes), 1) and len(table) > 1:
        return {"v": [str(v) for v in texts]}
    if len(table) <= len(_CODE_CHARS):
        return {"t": table, "s": bytes(_CODE_BYTES[codes]).decode("ascii")}
    return {"t": table, "c": codes.tolist()}


def _sparse(texts: np.ndarray[Any, Any]) -> dict[str, Any]:
    """Encode a column that is ``""`` in most rows: the other rows' indices and codes."""
    rows = np.flatnonzero(texts != "")
    codes, uniques = pd.factorize(np.asarray(texts[rows], dtype=object))
    return {"t": [str(u) for u in uniques], "i": rows.tolist(), "c": codes.tolist()}


def _formatted(values: pd.Series, fmt: Callable[[Any], str]) -> np.ndarray[Any, Any]:
    """Format each distinct non-missing value once; missing values become ``""``."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    table = np.asarray([fmt(u) for u in uniques] + [""], dtype=object)
    return table[codes]  # code -1 takes the trailing ""


def _numbers(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce").astype(float)


def _taxonomy(frame: pd.DataFrame, layer: str, column: str, lang: str) -> np.ndarray[Any, Any]:
    enum = TAXONOMY_FIELDS[(layer, column)]
    allowed = {member.value: member for member in enum}
    return _formatted(
        _text(_optional(frame, column)).replace("", np.nan),
        lambda v: taxonomy_label(allowed[v], lang) if v in allowed else str(v),
    )


def _address(frame: pd.DataFrame) -> np.ndarray[Any, Any]:
    """Return "street, postcode city" (missing parts left out)."""
    street = _text(_optional(frame, "street")).str.strip()
    place = (
        _text(_optional(frame, "postcode")) + " " + _text(_optional(frame, "city"))
    ).str.strip()
    joined = street + ", " + place
    return joined.where((street != "") & (place != ""), street + place).to_numpy(dtype=object)


def approximate_labels(frame: pd.DataFrame, lang: str) -> np.ndarray[Any, Any]:
    """Return per record ``""`` when its point is known, else "Lage ungefähr (Gemeindemitte)".

    Read from ``geocode_precision`` (see :data:`heimatruhr_geo.models.APPROXIMATE_PRECISIONS`);
    a frame without that column counts as known everywhere.
    """
    precision = _text(_optional(frame, "geocode_precision")).to_numpy(dtype=object)
    out = np.full(len(frame), "", dtype=object)
    for value in APPROXIMATE_PRECISIONS:
        out[precision == value] = t(f"place_approx_{value}", lang)
    return out


def _yes_no(values: pd.Series, lang: str) -> np.ndarray[Any, Any]:
    yes, no = t("mapfront_yes", lang), t("mapfront_no", lang)
    return np.asarray(
        [(yes if v else no) if isinstance(v, bool | np.bool_) else "" for v in values],
        dtype=object,
    )


def _date_text(values: pd.Series, lang: str) -> np.ndarray[Any, Any]:
    def fmt(value: Any) -> str:
        try:
            return format_date(str(value), lang)
        except ValueError:
            return str(value)

    return _formatted(_text(values).replace("", np.nan), fmt)


def _funding(frame: pd.DataFrame, lang: str) -> np.ndarray[Any, Any]:
    """Return "amount · year · programme" per project (missing parts left out)."""
    amount = _formatted(
        _numbers(_optional(frame, "funding_amount_eur")), lambda v: format_eur(v, lang)
    )
    year = _formatted(_numbers(_optional(frame, "funding_year")), lambda v: f"{v:.0f}")
    program = _text(_optional(frame, "funding_program")).to_numpy(dtype=object)
    return np.asarray(
        [" · ".join(p for p in parts if p) for parts in zip(amount, year, program, strict=True)],
        dtype=object,
    )


def _facts(frame: pd.DataFrame, layer: str, lang: str) -> dict[str, np.ndarray[Any, Any]]:
    """Return the formatted facts of one layer's records (``""`` where not given)."""
    blank = np.full(len(frame), "", dtype=object)
    facts = {key: blank for key, _ in FACTS}
    facts["status"] = _taxonomy(frame, layer, "status", lang)
    facts["address"] = _address(frame)
    facts["municipality"] = _text(_optional(frame, "municipality")).to_numpy(dtype=object)
    if layer == "spaces":
        facts["project_type"] = _taxonomy(frame, layer, "project_type", lang)
        facts["funding"] = _funding(frame, lang)
        return facts
    facts["building_type"] = _taxonomy(frame, layer, "building_type", lang)
    facts["rent_band"] = _taxonomy(frame, layer, "rent_band", lang)
    facts["floor_area"] = _formatted(
        _numbers(_optional(frame, "floor_area_m2")), lambda v: format_area(v, lang)
    )
    facts["available_from"] = _date_text(_optional(frame, "available_from"), lang)
    facts["available_until"] = _date_text(_optional(frame, "available_until"), lang)
    for key in FACILITIES:
        facts[key] = _yes_no(_optional(frame, key), lang)
    rumour = _yes_no(_optional(frame, "demolition_rumor"), lang)  # shown only when there is one
    facts["demolition_rumor"] = np.where(rumour == t("mapfront_yes", lang), rumour, "")
    return facts


def _coordinates(frame: pd.DataFrame) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    if {"lat", "lon"} <= set(frame.columns):
        return _numbers(frame["lat"]).to_numpy(), _numbers(frame["lon"]).to_numpy()
    return frame.geometry.y.to_numpy(dtype=float), frame.geometry.x.to_numpy(dtype=float)


def _drawable(frame: pd.DataFrame, layer: str) -> tuple[pd.DataFrame, np.ndarray[Any, Any]]:
    """Return the rows that are drawn (finite coordinates, public status) and their codes."""
    if frame.empty:
        return frame, np.zeros(0, dtype=np.int64)
    lat, lon = _coordinates(frame)
    keys = group_keys(frame, layer)
    ok = np.isfinite(lat) & np.isfinite(lon) & (keys != "")
    codes = np.asarray([CATEGORIES.index(k) if k else -1 for k in keys], dtype=np.int64)
    return frame[ok], codes[ok]


def encode_points(
    spaces: pd.DataFrame | None, vacant: pd.DataFrame | None, lang: str
) -> PointsDocument:
    """Encode the published records of both layers as the map's points document.

    Parameters
    ----------
    spaces, vacant
        Public records as :meth:`heimatruhr_geo.store.Store.query` returns them (plain
        DataFrames with ``lat``/``lon`` work too); ``None`` counts as empty. Not changed.
    lang
        ``"de"`` or ``"en"``: fact labels, taxonomy labels and number/date formats.

    Returns
    -------
    PointsDocument
        Rows without finite coordinates and projects with a non-public status are left
        out (they are never drawn).
    """
    parts: list[tuple[pd.DataFrame, np.ndarray[Any, Any], str]] = []
    for layer, frame in (("spaces", spaces), ("vacant", vacant)):
        if frame is not None:
            kept, codes = _drawable(frame, layer)
            parts.append((kept, codes, layer))
    ids: list[np.ndarray[Any, Any]] = []
    lat: list[np.ndarray[Any, Any]] = []
    lon: list[np.ndarray[Any, Any]] = []
    cats: list[np.ndarray[Any, Any]] = []
    titles: list[np.ndarray[Any, Any]] = []
    demo: list[np.ndarray[Any, Any]] = []
    web: list[np.ndarray[Any, Any]] = []
    approx: list[np.ndarray[Any, Any]] = []
    facts: dict[str, list[np.ndarray[Any, Any]]] = {key: [] for key, _ in FACTS}
    for frame, codes, layer in parts:
        y, x = _coordinates(frame)
        ids.append(_text(frame["id"]).to_numpy(dtype=object))
        lat.append(np.round(y * COORD_SCALE).astype(np.int64))
        lon.append(np.round(x * COORD_SCALE).astype(np.int64))
        cats.append(codes)
        titles.append(_text(_optional(frame, "title")).to_numpy(dtype=object))
        demo.append((_text(_optional(frame, "source")) == "demo").to_numpy())
        web.append(_text(_optional(frame, "website")).str.strip().to_numpy(dtype=object))
        approx.append(approximate_labels(frame, lang))
        for key, values in _facts(frame, layer, lang).items():
            facts[key].append(values)

    def joined(chunks: list[np.ndarray[Any, Any]], dtype: Any = object) -> np.ndarray[Any, Any]:
        return np.concatenate(chunks) if chunks else np.zeros(0, dtype=dtype)

    all_ids = joined(ids)
    all_cats = joined(cats, np.int64).astype(np.int64)
    doc = {
        "v": FORMAT_VERSION,
        "lang": lang,
        "n": len(all_ids),
        "categories": list(CATEGORIES),
        "id": [str(i) for i in all_ids],
        "lat": joined(lat, np.int64).tolist(),
        "lon": joined(lon, np.int64).tolist(),
        "cat": "".join(str(int(c)) for c in all_cats),
        "title": [str(v) for v in joined(titles)],
        "demo": "".join("1" if d else "0" for d in joined(demo, bool)),
        "web": _column(joined(web)),
        "approx": _sparse(joined(approx)),
        "facts": [
            {"key": key, "label": t(label_key, lang), **_column(joined(facts[key]))}
            for key, label_key in FACTS
        ],
    }
    data = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
    return PointsDocument(
        lang=lang,
        ids=pd.Index(all_ids, dtype=object),
        categories=all_cats,
        data=data,
        sha=hashlib.sha256(data).hexdigest(),
    )


def encode_bits(mask: np.ndarray[Any, Any]) -> str:
    """Return a boolean mask as base64 of its bits (row ``i`` is bit ``i % 8`` of byte ``i // 8``).

    Examples
    --------
    >>> encode_bits(np.array([True, False, True, False, False, False, False, False, True]))
    'BQE='
    """
    packed = np.packbits(np.asarray(mask, dtype=bool), bitorder="little")
    return base64.b64encode(packed.tobytes()).decode("ascii")


def decode_bits(text: str, n: int) -> np.ndarray[Any, Any]:
    """Return the first ``n`` bits of :func:`encode_bits` output as a boolean mask."""
    raw = np.frombuffer(base64.b64decode(text), dtype=np.uint8)
    return np.unpackbits(raw, bitorder="little")[:n].astype(bool)


def selection_mask(
    doc: PointsDocument, frames: Iterable[pd.DataFrame | None]
) -> np.ndarray[Any, Any]:
    """Return which rows of ``doc`` belong to the records of ``frames`` (matched by id)."""
    mask = np.zeros(doc.count, dtype=bool)
    for frame in frames:
        if frame is None or frame.empty:
            continue
        rows = doc.ids.get_indexer(pd.Index(_text(frame["id"])))
        mask[rows[rows >= 0]] = True
    return mask


def selection_bits(doc: PointsDocument, frames: Iterable[pd.DataFrame | None] | None) -> str:
    """Return the selection bitset of ``frames`` over ``doc``'s rows; ``None`` selects all."""
    if frames is None:
        return encode_bits(np.ones(doc.count, dtype=bool))
    return encode_bits(selection_mask(doc, frames))


def encode_borders(municipalities: gpd.GeoDataFrame) -> bytes:
    """Return the municipalities as GeoJSON (properties ``ags``, ``name``, ``county``), UTF-8.

    Coordinates are rounded to 5 decimals (about 1 m).
    """
    shapes = municipalities.to_crs("EPSG:4326")
    features = [
        {
            "type": "Feature",
            "properties": {"ags": str(ags), "name": str(name), "county": str(county)},
            "geometry": geometry,
        }
        for ags, name, county, geometry in zip(
            shapes["ags"], shapes["name"], shapes["county"], rounded_geojson(shapes), strict=True
        )
    ]
    doc = {"type": "FeatureCollection", "features": features}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass(frozen=True)
class ValueFormat:
    """How a choropleth measure is shown: ``decimals`` places, as percent when ``percent``."""

    decimals: int = 1
    percent: bool = False

    @classmethod
    def parse(cls, fmt: str) -> ValueFormat:
        """Read a ``str.format`` spec like ``"{:,.1f}"`` or ``"{:.0%}"``.

        Examples
        --------
        >>> ValueFormat.parse("{:.0%}"), ValueFormat.parse("{:,.1f}")
        (ValueFormat(decimals=0, percent=True), ValueFormat(decimals=1, percent=False))
        """
        spec = fmt.strip("{}").lstrip(":")
        decimals = int(spec.split(".", 1)[1][:-1]) if "." in spec else 0
        return cls(decimals, spec.endswith("%"))

    def scaled(self, value: float) -> float:
        """Return the value as shown (times 100 for percent), rounded to ``decimals``."""
        return round(value * (100 if self.percent else 1), self.decimals)

    def text(self, shown: float, lang: str) -> str:
        """Return a value already :meth:`scaled` as text (``"1,4"``, ``"12 %"``)."""
        number = format_number(shown, lang, self.decimals)
        return f"{number}\u00a0%" if self.percent else number


def legend_classes(values: Sequence[float], fmt: ValueFormat) -> list[tuple[float, float]]:
    """Return up to five quantile classes ``(low, high)`` of the values *as shown*.

    Values are rounded to what the legend shows before the breaks are taken, so no two
    classes read the same and a class of one value reads as that value.

    Examples
    --------
    >>> legend_classes([1.41, 1.42, 1.43, 1.44], ValueFormat(1))
    [(1.4, 1.4)]
    >>> legend_classes([1.0, 2.0, 3.0, 4.0, 5.0], ValueFormat(0))
    [(1.0, 2.0), (2.0, 3.0), (3.0, 4.0), (4.0, 5.0)]
    """
    shown = np.asarray([fmt.scaled(v) for v in values if math.isfinite(v)], dtype=float)
    if not len(shown):
        return []
    quantiles = np.quantile(shown, np.linspace(0, 1, len(CHOROPLETH_COLORS) + 1))
    breaks = np.unique(np.round(quantiles, fmt.decimals))
    if len(breaks) == 1:
        return [(float(breaks[0]), float(breaks[0]))]
    return [(float(lo), float(hi)) for lo, hi in itertools.pairwise(breaks)]


def _class_colors(k: int) -> list[str]:
    if k == 1:
        return [CHOROPLETH_COLORS[-1]]
    last = len(CHOROPLETH_COLORS) - 1
    return [CHOROPLETH_COLORS[round(i * last / (k - 1))] for i in range(k)]


def _class_of(shown: float, classes: Sequence[tuple[float, float]]) -> int:
    for i, (_low, high) in enumerate(classes):
        if shown < high:
            return i
    return len(classes) - 1


def choropleth_payload(
    values: Mapping[str, float | None],
    names: Mapping[str, str],
    *,
    title: str,
    suppressed_label: str,
    value_format: str,
    lang: str,
    outside: Iterable[str] = (),
    outside_label: str = "",
) -> dict[str, Any]:
    """Return the choropleth as the component draws it.

    Parameters
    ----------
    values
        Value by AGS; ``None``/NaN/missing is drawn grey with ``suppressed_label``.
    names
        Municipality name by AGS: every AGS here gets an entry.
    title, suppressed_label
        Translated texts (legend heading; grey entry).
    value_format
        ``str.format`` spec of the values (see :meth:`ValueFormat.parse`).
    lang
        Number format.
    outside, outside_label
        AGS keys outside the selection: drawn without fill and labelled so.

    Returns
    -------
    dict
        ``title``, ``areas`` ({ags: [class index (-1 grey, -2 outside), value text,
        name]}), ``colors`` (one per class) and ``legend`` ([{color, label}]), plus
        ``key``, a hash of all of it (the browser restyles only when it changes).
    """
    outside_set = {str(k) for k in outside}
    if outside_set and not outside_label:
        raise InputError("outside_label is required when outside is set")
    fmt = ValueFormat.parse(value_format)
    finite: dict[str, float] = {}
    for ags, value in values.items():
        if value is None or str(ags) in outside_set:
            continue
        number = float(value)
        if math.isfinite(number):
            finite[str(ags)] = number
    classes = legend_classes(list(finite.values()), fmt)
    colors = _class_colors(len(classes))
    areas: dict[str, list[Any]] = {}
    for ags, name in names.items():
        if ags in outside_set:
            areas[ags] = [OUTSIDE_CLASS, outside_label, name]
        elif ags in finite:
            shown = fmt.scaled(finite[ags])
            areas[ags] = [_class_of(shown, classes), fmt.text(shown, lang), name]
        else:
            areas[ags] = [SUPPRESSED_CLASS, suppressed_label, name]
    legend = [
        {
            "color": color,
            "label": fmt.text(low, lang)
            if low == high
            else f"{fmt.text(low, lang)} – {fmt.text(high, lang)}",
        }
        for (low, high), color in zip(classes, colors, strict=True)
    ]
    legend.append({"color": SUPPRESSED_COLOR, "label": suppressed_label})
    if outside_set:
        legend.append({"color": "transparent", "label": outside_label})
    payload: dict[str, Any] = {
        "title": title,
        "areas": areas,
        "colors": colors,
        "none": SUPPRESSED_COLOR,
        "legend": legend,
    }
    payload["key"] = hashlib.sha256(
        json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()[:16]
    return payload


def place_list(
    spaces: pd.DataFrame | None, vacant: pd.DataFrame | None, lang: str, limit: int = 500
) -> tuple[pd.DataFrame, int]:
    """Return the places on the map as a plain table (the map's text alternative).

    Parameters
    ----------
    spaces, vacant
        The records on the map (the current selection); not changed.
    lang
        Column names and values in this language.
    limit
        At most this many rows (sorted by municipality and title, German order).

    Returns
    -------
    (pandas.DataFrame, int)
        Columns title, layer, status, municipality, address and location ("Lage
        ungefähr (…)" where the point is only a centre; plain text: show it with
        ``st.dataframe``, never as Markdown), and the number of places in all.
    """
    from heimatruhr_geo.formatting import sort_key

    parts = []
    for layer, frame in (("spaces", spaces), ("vacant", vacant)):
        if frame is None or frame.empty:
            continue
        kept, codes = _drawable(frame, layer)
        labels = np.asarray([t(POINT_LAYERS[c].label_key, lang) for c in range(len(CATEGORIES))])
        parts.append(
            pd.DataFrame(
                {
                    t("field_title", lang): _text(_optional(kept, "title")).to_numpy(dtype=object),
                    t("mapfront_col_category", lang): labels[codes] if len(codes) else [],
                    t("field_status", lang): _taxonomy(kept, layer, "status", lang),
                    t("field_municipality", lang): _text(_optional(kept, "municipality")).to_numpy(
                        dtype=object
                    ),
                    t("map_address", lang): _address(kept),
                    t("place_col_location", lang): approximate_labels(kept, lang),
                }
            )
        )
    if not parts:
        return pd.DataFrame(), 0
    table = pd.concat(parts, ignore_index=True)
    total = len(table)
    keys = [table.iloc[:, column].map(lambda v: sort_key(str(v))) for column in (0, 3)]
    order = np.lexsort([keys[0].to_numpy(dtype=str), keys[1].to_numpy(dtype=str)])[:limit]
    return table.iloc[order].reset_index(drop=True), total
