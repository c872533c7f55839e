"""The data layers of the map: clustered points, the choropleth and the legend.

Points are not one ``folium.Marker`` each (50,000 of those take 30 s and 39 MB). Each
layer ships its records once as a compact, column-wise JSON object (repetitive columns as
a table plus small integer codes); a small script (:data:`LAYER_SCRIPT`) turns the rows
into small ``L.divIcon`` markers inside a ``leaflet.markercluster`` group and builds a popup only
when a marker is clicked, from DOM nodes and ``textContent`` (user text never becomes
HTML). JSON inside ``<script>`` has ``<``, ``>``, ``&`` and the JavaScript line separators
escaped, so a title containing ``</script>`` cannot end the script.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import folium
import numpy as np
import pandas as pd
from branca.element import Element, MacroElement
from folium.map import Layer
from folium.plugins import MarkerCluster
from folium.template import Template

from heimatruhr_geo.i18n import t
from heimatruhr_geo.models import BuildingType, ProjectStatus, ProjectType, RentBand, VacancyStatus
from heimatruhr_geo.models import label as taxonomy_label

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PointLayerSpec:
    """One switchable point layer.

    Attributes
    ----------
    key
        Stable name (``spaces_funded`` …); also the CSS class ``hr-point-<key>``.
    group
        ``spaces`` or ``vacant``: the name used in ``build_map(show=...)``.
    label_key
        i18n key of the layer name.
    color
        Fill colour of the markers and clusters.
    """

    key: str
    group: str
    label_key: str
    color: str


SPACE_LAYERS: tuple[PointLayerSpec, ...] = (
    PointLayerSpec("spaces_proposed", "spaces", "map_layer_proposed", "#e67e22"),
    PointLayerSpec("spaces_funded", "spaces", "map_layer_funded", "#1f6fb2"),
    PointLayerSpec("spaces_realized", "spaces", "map_layer_realized", "#2e9e44"),
)
VACANT_LAYERS: tuple[PointLayerSpec, ...] = (
    PointLayerSpec("vacant_available", "vacant", "map_layer_vacant_available", "#8e3fb5"),
    PointLayerSpec("vacant_other", "vacant", "map_layer_vacant_other", "#6b6b6b"),
)
POINT_LAYERS = SPACE_LAYERS + VACANT_LAYERS

SPACE_STATUS_LAYER: dict[str, str] = {
    ProjectStatus.PROPOSED: "spaces_proposed",
    ProjectStatus.UNDER_REVIEW: "spaces_proposed",
    ProjectStatus.FUNDED: "spaces_funded",
    ProjectStatus.REALIZED: "spaces_realized",
}
"""Public project statuses and their layer; other statuses are never drawn."""

AVAILABLE_STATUSES = (VacancyStatus.VACANT, VacancyStatus.TEMPORARY_USE)
AVAILABLE_RENT_BANDS = (RentBand.FREE, RentBand.BELOW_MARKET)

CHOROPLETH_COLORS = ("#ffffcc", "#c7e9b4", "#7fcdbb", "#2c9fb9", "#225ea8")
"""Sequential classes, light (low) to dark (high)."""
SUPPRESSED_COLOR = "#bdbdbd"
SUPPRESSED_CLASS = -1
"""Choropleth class of a municipality without a value (grey)."""
OUTSIDE_CLASS = -2
"""Choropleth class of a municipality outside the selection (no fill; see the script)."""
COORD_SCALE = 100_000
"""Coordinates travel as integers in 1e-5 degrees (about 1 m): shorter and faster than floats."""
_CODE_CHARS = np.frombuffer(
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", dtype=np.uint8
)
"""Small codes travel as one character each; the script maps them back."""
_DICT_RATIO = 4  # a column with 4x more rows than distinct values is sent as table + codes


def script_json(value: Any) -> str:
    r"""Return ``value`` as JSON that is safe inside an HTML ``<script>`` element.

    Examples
    --------
    >>> script_json({"t": "</script>&"})
    '{"t":"\\u003c/script\\u003e\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, code)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _text(values: pd.Series) -> pd.Series:
    """Return the values as plain strings, missing ones as ``""``."""
    return values.fillna("").astype(str)


def _code_string(codes: np.ndarray[Any, Any]) -> str:
    """Return codes 0..61 as one character each (``0-9``, ``A-Z``, ``a-z``)."""
    return bytes(_CODE_CHARS[codes]).decode("ascii")


def _coded_column(table: list[str], codes: np.ndarray[Any, Any]) -> dict[str, Any]:
    """Return ``{"t": table, "s": one char per row}`` or, for big tables, ``"c": [codes]``."""
    if len(table) <= len(_CODE_CHARS):
        return {"t": table, "s": _code_string(codes)}
    return {"t": table, "c": codes.tolist()}


def _column(values: pd.Series) -> _Encoded:
    """Encode a text column: plain values or, when repetitive, a table with codes."""
    text = _text(values)
    codes, uniques = pd.factorize(text)
    if len(uniques) * _DICT_RATIO < len(text):
        return _Encoded([str(u) for u in uniques], codes)
    return _Encoded(None, text.to_numpy(dtype=object))


def _taxonomy_column(values: pd.Series, enum: type[StrEnum], lang: str) -> _Encoded:
    """Encode a taxonomy column as its translated labels (table + codes)."""
    codes, uniques = pd.factorize(_text(values))
    allowed = {member.value: member for member in enum}
    table = [taxonomy_label(allowed[u], lang) if u in allowed else str(u) for u in uniques]
    return _Encoded(table, codes)


def _coordinates(frame: pd.DataFrame) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Return (lat, lon) arrays from the ``lat``/``lon`` columns or the point geometry."""
    if {"lat", "lon"} <= set(frame.columns):
        lat = pd.to_numeric(frame["lat"], errors="coerce").to_numpy(dtype=float)
        lon = pd.to_numeric(frame["lon"], errors="coerce").to_numpy(dtype=float)
    else:
        lat, lon = frame.geometry.y.to_numpy(dtype=float), frame.geometry.x.to_numpy(dtype=float)
    return lat, lon


def _address(frame: pd.DataFrame) -> pd.Series:
    """Return "street, postcode city" (missing parts left out)."""
    street = _text(frame.get("street", pd.Series("", index=frame.index)))
    place = (
        _text(frame.get("postcode", pd.Series("", index=frame.index)))
        + " "
        + _text(frame.get("city", pd.Series("", index=frame.index)))
    ).str.strip()
    joined = street + ", " + place
    return joined.where((street != "") & (place != ""), street + place)


def _coded(values: Any, fmt: Callable[[Any], str]) -> tuple[np.ndarray[Any, Any], list[str]]:
    """Return codes (-1 for missing) and the formatted distinct values (formatted once each)."""
    codes, uniques = pd.factorize(values)
    return codes, [fmt(v) for v in uniques]


def _joined_column(parts: Sequence[tuple[np.ndarray[Any, Any], list[str]]]) -> _Encoded:
    """Join coded parts with " · " (missing or empty parts left out), one string per combination."""
    key = np.zeros(len(parts[0][0]), dtype=np.int64)
    for codes, table in parts:
        key = key * (len(table) + 1) + (codes + 1)
    combo_codes, combos = pd.factorize(key)
    texts = []
    for combo in combos:
        rest, pieces = int(combo), []
        for _codes, table in reversed(parts):
            rest, code = divmod(rest, len(table) + 1)
            pieces.append(table[code - 1] if code else "")
        texts.append(" · ".join(piece for piece in reversed(pieces) if piece))
    return _Encoded(texts, combo_codes)


def _money_format(lang: str) -> Callable[[float], str]:
    """Return a formatter of whole euros (``9.500 €`` / ``€9,500``)."""
    if lang == "de":
        return lambda v: f"{v:,.0f} €".replace(",", ".")
    return lambda v: f"€{v:,.0f}"


def _funding(frame: pd.DataFrame, lang: str) -> _Encoded:
    """Return the column "amount · year · programme" of each project (missing parts left out)."""
    amounts = pd.to_numeric(frame["funding_amount_eur"], errors="coerce").to_numpy(dtype=float)
    years = pd.to_numeric(frame["funding_year"], errors="coerce").to_numpy(dtype=float)
    return _joined_column(
        [
            _coded(amounts, _money_format(lang)),
            _coded(years, lambda y: f"{y:.0f}"),
            _coded(_text(frame["funding_program"]).to_numpy(dtype=object), str),
        ]
    )


def _area(values: pd.Series, lang: str) -> _Encoded:
    """Return the column of floor areas as ``"300 m²"``."""
    sep = "." if lang == "de" else ","
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    return _joined_column([_coded(numbers, lambda v: f"{v:,.0f} m²".replace(",", sep))])


def group_keys(frame: pd.DataFrame, layer: str) -> np.ndarray[Any, Any]:
    """Return the point layer key of every record (``""`` for records that are never drawn).

    Projects go by status (:data:`SPACE_STATUS_LAYER`). Vacant buildings are
    ``vacant_available`` when their status is vacant or temporary use and their rent band
    free or below market, else ``vacant_other``.
    """
    if layer == "spaces":
        keys = _text(frame["status"]).map(SPACE_STATUS_LAYER)
        if keys.isna().any():
            logger.warning(
                "%d projects with a non-public status are not drawn", int(keys.isna().sum())
            )
        return keys.fillna("").to_numpy(dtype=object)
    available = (
        _text(frame["status"]).isin([s.value for s in AVAILABLE_STATUSES])
        & _text(frame["rent_band"]).isin([r.value for r in AVAILABLE_RENT_BANDS])
    ).to_numpy()
    return np.where(available, "vacant_available", "vacant_other").astype(object)


@dataclass(frozen=True)
class _Encoded:
    """One popup column of all rows: a table of texts and a code per row, or plain values."""

    table: list[str] | None
    codes: np.ndarray[Any, Any]
    """Codes into ``table``, or (without a table) the values themselves (object array)."""

    def take(self, rows: np.ndarray[Any, Any]) -> dict[str, Any]:
        """Return the JSON-ready column of ``rows``, its table cut to the codes it uses."""
        if self.table is None:
            return {"v": self.codes[rows].tolist()}
        used, codes = np.unique(self.codes[rows], return_inverse=True)
        return _coded_column([self.table[i] for i in used], codes.reshape(-1))


@dataclass(frozen=True)
class PointTable:
    """The popup data of every record of one layer, encoded once; layers take row subsets.

    Used by the folium maps that still draw point layers (the space finder); the public
    map and the planners' map use :mod:`heimatruhr_geo.mapdata` and the map component.
    """

    layer: str
    lang: str
    ids: np.ndarray[Any, Any]
    groups: np.ndarray[Any, Any]
    lat: np.ndarray[Any, Any]
    lon: np.ndarray[Any, Any]
    demo: np.ndarray[Any, Any]
    columns: dict[str, _Encoded]
    labels: list[tuple[str, str]]
    """``(field name in the columns, translated popup label)`` in popup order."""
    index: pd.Index

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, layer: str, lang: str) -> PointTable:
        """Encode ``frame`` (public records of ``spaces`` or ``vacant``) for the map.

        Rows with a missing coordinate are kept in the table but never drawn.
        """
        lat, lon = _coordinates(frame)
        fields = _popup_fields(frame, layer, lang)
        source = _optional(frame, "source")
        columns = dict(fields)
        columns["title"] = _column(frame["title"])
        columns["website"] = _column(_optional(frame, "website"))
        drawable = np.isfinite(lat) & np.isfinite(lon)
        if not drawable.all():
            logger.warning(
                "%d %s records without coordinates are not drawn", int((~drawable).sum()), layer
            )
        groups = np.where(drawable, group_keys(frame, layer), "").astype(object)
        return cls(
            layer=layer,
            lang=lang,
            ids=_text(frame["id"]).to_numpy(dtype=object),
            groups=groups,
            lat=np.round(np.nan_to_num(lat) * COORD_SCALE).astype(np.int64),
            lon=np.round(np.nan_to_num(lon) * COORD_SCALE).astype(np.int64),
            demo=(_text(source) == "demo").to_numpy(dtype=np.int64),
            columns=columns,
            labels=[(key, t(key, lang)) for key, _ in fields],
            index=frame.index,
        )

    def layer_data(self, key: str, rows: np.ndarray[Any, Any] | None = None) -> dict[str, Any]:
        """Return the JSON-ready data of point layer ``key`` (of ``rows``, default all).

        Returns
        -------
        dict
            ``lat``, ``lon`` (integers, 1e-5 degrees), ``id``, ``title``, ``demo`` (0/1),
            ``website`` and ``fields``: the popup rows, each ``{"label": …}`` plus an
            encoded column.
        """
        rows = np.arange(len(self.ids)) if rows is None else rows
        rows = rows[self.groups[rows] == key]
        return {
            "lat": self.lat[rows].tolist(),
            "lon": self.lon[rows].tolist(),
            "id": self.ids[rows].tolist(),
            "title": self.columns["title"].take(rows),
            "demo": _code_string(self.demo[rows]),
            "website": self.columns["website"].take(rows),
            "fields": [{"label": text, **self.columns[k].take(rows)} for k, text in self.labels],
        }


def _optional(frame: pd.DataFrame, column: str) -> pd.Series:
    """Return ``frame[column]``, or empty texts when the frame lacks it."""
    return frame[column] if column in frame.columns else pd.Series("", index=frame.index)


def _popup_fields(frame: pd.DataFrame, layer: str, lang: str) -> list[tuple[str, _Encoded]]:
    """Return the popup rows of ``layer`` as ``(label key, encoded column)``, in order."""
    if layer == "spaces":
        fields = [
            ("map_type", _taxonomy_column(frame["project_type"], ProjectType, lang)),
            ("map_status", _taxonomy_column(frame["status"], ProjectStatus, lang)),
            ("map_funding", _funding(frame, lang)),
        ]
    else:
        fields = [
            ("map_building_type", _taxonomy_column(frame["building_type"], BuildingType, lang)),
            ("map_status", _taxonomy_column(frame["status"], VacancyStatus, lang)),
            ("map_rent_band", _taxonomy_column(frame["rent_band"], RentBand, lang)),
            ("map_floor_area", _area(frame["floor_area_m2"], lang)),
            ("map_available_from", _column(frame["available_from"])),
        ]
    fields[1:1] = [
        ("map_municipality", _column(frame["municipality"])),
        ("map_address", _column(_address(frame))),
    ]
    return fields


class RawScript(Element):  # type: ignore[misc]
    """Text put into the page as it is (never parsed as a Jinja template)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "RawScript"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """Return the text unchanged."""
        return self.text


class RawMacroElement(MacroElement):  # type: ignore[misc]
    """A MacroElement whose rendered macros go into the page without a second template pass.

    branca's ``MacroElement.render`` renders the ``header``/``html``/``script`` macros and
    then parses each *result* as a Jinja template again. For elements that carry record
    data that second pass is slow (it lexes megabytes of JSON) and unsafe (a title
    containing ``{{ … }}`` would be evaluated). streamlit-folium calls the ``script``
    macro directly, so the data must be in the macro's output, as it is here.
    """

    def render(self, **kwargs: Any) -> None:
        """Add the macros' output to the figure as is, then render the children."""
        figure = self.get_root()
        module = self._template.module.__dict__
        for part, target in (
            ("header", figure.header),
            ("html", figure.html),
            ("script", figure.script),
        ):
            macro = module.get(part)
            if macro is not None:
                target.add_child(RawScript(str(macro(self, kwargs))), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class PointLayer(MarkerCluster, RawMacroElement):  # type: ignore[misc]
    """A marker-cluster layer whose markers the browser builds from compact data."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "var {{ this.get_name() }} = heimatruhr.pointLayer("
        "{{ this.key|tojson }}, {{ this.color|tojson }}, {{ this.data_json }}, "
        "{{ this.options|tojavascript }});"
        "{% endmacro %}"
    )

    def __init__(
        self, spec: PointLayerSpec, data: Mapping[str, Any], *, name: str, show: bool
    ) -> None:
        super().__init__(name=name, show=show, chunkedLoading=True, showCoverageOnHover=False)
        self._name = "PointLayer"
        self.key = spec.key
        self.color = spec.color
        self.count = len(data["id"])
        self.data_json = script_json(data)


@dataclass(frozen=True)
class ChoroplethClass:
    """One class of the choropleth: values from ``low`` to ``high`` drawn in ``color``."""

    low: float
    high: float
    color: str


def choropleth_classes(
    values: Sequence[float], n: int = len(CHOROPLETH_COLORS)
) -> list[ChoroplethClass]:
    """Return up to ``n`` quantile classes of the finite ``values`` (fewer when values repeat).

    Examples
    --------
    >>> [(c.low, c.high) for c in choropleth_classes([1.0, 2.0, 3.0, 4.0], n=2)]
    [(1.0, 2.5), (2.5, 4.0)]
    """
    finite = np.asarray([v for v in values if np.isfinite(v)], dtype=float)
    if not len(finite):
        return []
    breaks = np.unique(np.quantile(finite, np.linspace(0, 1, n + 1)))
    if len(breaks) == 1:
        return [ChoroplethClass(float(breaks[0]), float(breaks[0]), CHOROPLETH_COLORS[-1])]
    k = len(breaks) - 1
    colors = [
        CHOROPLETH_COLORS[round(i * (len(CHOROPLETH_COLORS) - 1) / max(k - 1, 1))] for i in range(k)
    ]
    return [
        ChoroplethClass(float(lo), float(hi), color)
        for lo, hi, color in zip(breaks[:-1], breaks[1:], colors, strict=True)
    ]


def class_index(value: float, classes: Sequence[ChoroplethClass]) -> int:
    """Return the class of ``value`` (the last class includes its upper bound)."""
    for i, cls in enumerate(classes):
        if value < cls.high or i == len(classes) - 1:
            return i
    return len(classes) - 1


def format_number(value: float, fmt: str, lang: str) -> str:
    """Format ``value`` with ``fmt``; German swaps the thousands and decimal separators."""
    text = fmt.format(value)
    if lang == "de":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


class ChoroplethLayer(Layer, RawMacroElement):  # type: ignore[misc]
    """The municipalities coloured by value; reuses the border layer's shapes in the browser."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "var {{ this.get_name() }} = heimatruhr.choropleth("
        "{{ this.borders.get_name() }}, {{ this.data_json }});"
        "{% endmacro %}"
    )

    def __init__(
        self, borders: folium.GeoJson, data: Mapping[str, Any], *, name: str, show: bool
    ) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "ChoroplethLayer"
        self.borders = borders
        self.data_json = script_json(data)


class Legend(RawMacroElement):  # type: ignore[misc]
    """A collapsible legend control; the browser writes its text with ``textContent``."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "heimatruhr.legend({{ this._parent.get_name() }}, {{ this.data_json }});"
        "{% endmacro %}"
    )

    def __init__(self, title: str, sections: Sequence[Mapping[str, Any]]) -> None:
        super().__init__()
        self._name = "Legend"
        self.title = title
        self.sections = [dict(s) for s in sections]
        self.data_json = script_json({"title": title, "sections": self.sections})


class LayerScript(RawMacroElement):  # type: ignore[misc]
    """The shared functions and styles of the data layers (added once, before the layers)."""

    _template = Template(
        "{% macro header(this, kwargs) %}<style>{{ this.css }}</style>{% endmacro %}"
        "{% macro script(this, kwargs) %}{{ this.script }}{% endmacro %}"
    )

    def __init__(self, labels: Mapping[str, str]) -> None:
        super().__init__()
        self._name = "HeimatruhrLayers"
        self.labels_json = script_json(dict(labels))
        self.css = LAYER_CSS + "".join(
            f".hr-point-{spec.key}{{background-color:{spec.color}}}" for spec in POINT_LAYERS
        )
        self.script = (
            "var heimatruhr = window.heimatruhr = "
            "window.heimatruhr || {drawn: {}, layers: {}};\n"
            f"heimatruhr.labels = {self.labels_json};\n{LAYER_SCRIPT}"
        )


LAYER_CSS = (
    ".hr-popup{font:13px/1.35 system-ui,sans-serif;max-width:260px}"
    ".hr-popup .hr-title{display:block;font-size:14px;margin-bottom:4px;overflow-wrap:anywhere}"
    ".hr-popup dl{margin:4px 0;display:grid;grid-template-columns:auto 1fr;gap:1px 8px}"
    ".hr-popup dt{font-weight:600;color:#444}.hr-popup dd{margin:0;overflow-wrap:anywhere}"
    ".hr-popup .hr-demo{display:inline-block;background:#b03a2e;color:#fff;border-radius:3px;"
    "padding:0 5px;font-size:11px;font-weight:700;margin-bottom:4px}"
    ".hr-popup .hr-links{display:flex;flex-wrap:wrap;gap:2px 12px;margin-top:4px}"
    ".hr-cluster{background-color:rgba(255,255,255,.65)}"
    ".hr-point{border-radius:50%;border:2px solid #fff;box-shadow:0 0 0 1px rgba(0,0,0,.5)}"
    ".hr-cluster div{color:#fff;font-weight:700;text-shadow:0 0 2px rgba(0,0,0,.6)}"
    ".hr-legend{background:rgba(255,255,255,.92);padding:4px 8px;border-radius:4px;"
    "box-shadow:0 1px 4px rgba(0,0,0,.3);font:12px/1.3 system-ui,sans-serif;max-width:240px;"
    "max-height:45vh;overflow:auto}"
    ".hr-legend summary{cursor:pointer;font-weight:700}"
    ".hr-legend h4{margin:6px 0 2px;font-size:12px}"
    ".hr-legend ul{list-style:none;margin:0;padding:0}"
    ".hr-legend li{display:flex;align-items:center;gap:6px;margin:1px 0}"
    ".hr-swatch{flex:none;width:12px;height:12px;border:1px solid #555}"
    ".hr-swatch.hr-dot{border-radius:50%;border-color:#fff;box-shadow:0 0 0 1px #555}"
    "@media (max-width:480px){.hr-legend{max-width:170px;font-size:11px}}"
)

LAYER_SCRIPT = r"""
heimatruhr.value = function (col, i) {
  if (!col) { return ''; }
  var v;
  if (col.s !== undefined) {
    var c = col.s.charCodeAt(i);
    v = col.t[c < 58 ? c - 48 : c < 91 ? c - 55 : c - 61];
  } else {
    v = col.t ? col.t[col.c[i]] : col.v[i];
  }
  return v === null || v === undefined ? '' : String(v);
};
heimatruhr.el = function (tag, cls, text) {
  var node = document.createElement(tag);
  if (cls) { node.className = cls; }
  if (text !== undefined) { node.textContent = text; }
  return node;
};
heimatruhr.detailUrl = function (id) {
  var base;
  try { base = window.top.location.href; } catch (e) { base = window.location.href; }
  var url = new URL(base);
  url.searchParams.set('detail', id);
  url.hash = '';
  return url.toString();
};
heimatruhr.popup = function (data, i) {
  var L_ = heimatruhr.labels, el = heimatruhr.el, root = el('div', 'hr-popup');
  root.appendChild(el('strong', 'hr-title', heimatruhr.value(data.title, i)));
  if (data.demo.charAt(i) === '1') { root.appendChild(el('span', 'hr-demo', L_.demo)); }
  var dl = el('dl');
  data.fields.forEach(function (field) {
    var v = heimatruhr.value(field, i);
    if (v !== '') {
      dl.appendChild(el('dt', null, field.label));
      dl.appendChild(el('dd', null, v));
    }
  });
  root.appendChild(dl);
  var links = el('div', 'hr-links'), web = heimatruhr.value(data.website, i);
  if (/^https?:\/\/[^\s]+$/i.test(web)) {
    var a = el('a', null, L_.website);
    a.href = web; a.target = '_blank'; a.rel = 'noopener noreferrer';
    links.appendChild(a);
  } else if (web !== '') {
    links.appendChild(el('span', 'hr-website-text', web));
  }
  var details = el('a', 'hr-details', L_.details);
  details.href = heimatruhr.detailUrl(data.id[i]); details.target = '_top';
  links.appendChild(details);
  root.appendChild(links);
  return root;
};
heimatruhr.clusterIcon = function (key, color) {
  return function (cluster) {
    var outer = heimatruhr.el('div');
    outer.style.backgroundColor = color;
    outer.appendChild(heimatruhr.el('span', null, String(cluster.getChildCount())));
    return L.divIcon({html: outer, className: 'marker-cluster hr-cluster hr-cluster-' + key,
                      iconSize: L.point(40, 40)});
  };
};
heimatruhr.pointLayer = function (key, color, data, options) {
  options.iconCreateFunction = heimatruhr.clusterIcon(key, color);
  options.chunkProgress = function (done, total) {
    if (done === total) { heimatruhr.drawn[key] = performance.now(); }
  };
  var cluster = L.markerClusterGroup(options), n = data.lat.length, markers = new Array(n);
  var style = {icon: L.divIcon({className: 'hr-point hr-point-' + key, iconSize: [14, 14],
                                html: ''})};
  for (var i = 0; i < n; i++) {
    var m = L.marker([data.lat[i] / 1e5, data.lon[i] / 1e5], style);
    m.hrIndex = i;
    markers[i] = m;
  }
  cluster.addLayers(markers);
  cluster.on('click', function (e) {
    var m = e.layer;
    if (m.hrIndex === undefined || !cluster._map) { return; }
    L.popup({maxWidth: 280, minWidth: 160, autoPanPadding: [12, 12]})
      .setLatLng(m.getLatLng())
      .setContent(heimatruhr.popup(data, m.hrIndex))
      .openOn(cluster._map);
  });
  cluster.hrData = data;
  heimatruhr.layers[key] = cluster;
  return cluster;
};
var OUTSIDE_CLASS = -2;  // not in the selection: drawn without fill
heimatruhr.choropleth = function (borders, data) {
  return L.geoJSON(borders.toGeoJSON(), {
    style: function (feature) {
      var area = data.areas[feature.properties.ags];
      var color = area && area[0] >= 0 ? data.colors[area[0]] : data.none;
      var outside = area && area[0] === OUTSIDE_CLASS;
      return {color: '#4d4d4d', weight: 0.8, fillColor: color, fillOpacity: outside ? 0 : 0.7};
    },
    onEachFeature: function (feature, layer) {
      var area = data.areas[feature.properties.ags] || [-1, data.suppressed, ''];
      var tip = heimatruhr.el('div');
      tip.appendChild(heimatruhr.el('strong', null, area[2]));
      tip.appendChild(heimatruhr.el('div', null, data.title + ': ' + area[1]));
      layer.bindTooltip(tip, {sticky: true});
    }
  });
};
heimatruhr.legend = function (map, data) {
  var control = L.control({position: 'bottomright'});
  control.onAdd = function () {
    var el = heimatruhr.el, box = el('div', 'hr-legend leaflet-control');
    var details = el('details');
    details.open = map.getSize().x >= 500;
    details.appendChild(el('summary', null, data.title));
    data.sections.forEach(function (section) {
      details.appendChild(el('h4', null, section.title));
      var list = el('ul');
      section.entries.forEach(function (entry) {
        var item = el('li');
        var swatch = el('span', 'hr-swatch' + (section.kind === 'dot' ? ' hr-dot' : ''));
        swatch.style.backgroundColor = entry.color;
        item.appendChild(swatch);
        item.appendChild(el('span', null, entry.label));
        list.appendChild(item);
      });
      details.appendChild(list);
    });
    box.appendChild(details);
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return box;
  };
  control.addTo(map);
  return control;
};
"""
"""Shared browser functions of the data layers (no user text is ever parsed as HTML)."""
