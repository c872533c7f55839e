"""The query parameters of the API, checked: every bad one is a 400 that names it.

``items`` takes ``limit`` (1 to :data:`MAX_LIMIT`, default :data:`DEFAULT_LIMIT`; larger
values are cut to the maximum, as OGC API – Features allows), ``offset``, ``bbox``
(``minLon,minLat,maxLon,maxLat`` in CRS84, or six numbers with heights), ``bbox-crs``
and ``crs`` (CRS84 only), ``f`` (``json``, ``html``), and the property filters ``municipality`` (AGS
or name; also ``ags``), ``county`` (5-digit key or name), ``status`` and ``type`` (also
under the layer's own name, ``project_type`` or ``building_type``), each also under the
name the app's URL uses (``municipalities``, ``counties``, ``statuses``,
``project_types``, ``building_types``); several values of one filter are separated by
commas and any of them matches. Every other parameter is refused
(``lang`` excepted), as the standard requires.

Examples
--------
>>> query = items_query("vacant", {"limit": "2", "county": "Kreis Unna"})
>>> query.filters.limit, query.filters.counties
(2, ('05978',))
>>> items_query("vacant", {"f": "xml"})
Traceback (most recent call last):
...
heimatruhr_geo.api.params.ParameterError: f='xml' is not allowed; use one of ['json', 'html']
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache

from heimatruhr_geo.boundaries import COUNTIES, RUHR_AGS, default_path, load_municipalities
from heimatruhr_geo.config import DEFAULT_DATA_DIR
from heimatruhr_geo.errors import InputError
from heimatruhr_geo.gazetteer import normalize
from heimatruhr_geo.models import (
    HIDDEN_PROJECT_STATUSES,
    BuildingType,
    ProjectStatus,
    ProjectType,
    VacancyStatus,
)
from heimatruhr_geo.store import Filters

DEFAULT_LIMIT = 10
MAX_LIMIT = 10_000
"""Most features of one ``items`` page (advertised in the OpenAPI document)."""
MAX_OFFSET = 10_000_000
FORMATS = ("json", "html")
EXPORT_FORMATS = ("csv", "geojson", "gpkg")
"""Formats of ``/collections/{id}/export`` (those of :func:`heimatruhr_geo.io.export_bytes`)."""
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
MAX_VALUES = 100
"""At most this many comma-separated values per filter."""

TYPES: dict[str, tuple[str, ...]] = {
    "spaces": tuple(t.value for t in ProjectType),
    "vacant": tuple(t.value for t in BuildingType),
}
"""The values of ``type`` per record collection."""
TYPE_FIELDS = {"spaces": "project_type", "vacant": "building_type"}
STATUSES: dict[str, tuple[str, ...]] = {
    "spaces": tuple(s.value for s in ProjectStatus if s not in HIDDEN_PROJECT_STATUSES),
    "vacant": tuple(s.value for s in VacancyStatus),
}
"""The values of ``status`` per record collection (never a hidden project status)."""
COMMON = ("f", "lang")
PAGING = ("limit", "offset", "bbox", "bbox-crs", "crs")
AREA_FILTERS = ("municipality", "ags", "municipalities", "county", "counties")
"""The area filters; the plural names are those of the app's URL (``viewstate``)."""


class ParameterError(InputError):
    """A query parameter is not allowed (answered with 400)."""


@dataclass(frozen=True)
class ItemsQuery:
    """A checked ``items`` request: the store's filters (with limit and offset) and format."""

    filters: Filters
    fmt: str = "json"

    @property
    def limit(self) -> int:
        """The page size."""
        return DEFAULT_LIMIT if self.filters.limit is None else self.filters.limit

    def at(self, offset: int) -> ItemsQuery:
        """Return the same request at another ``offset``."""
        return replace(self, filters=replace(self.filters, offset=offset))


def allowed_parameters(collection: str) -> tuple[str, ...]:
    """Return the query parameters that ``items`` of ``collection`` accepts."""
    if collection in TYPES:
        kind = TYPE_FIELDS[collection]
        return (*COMMON, *PAGING, *AREA_FILTERS, "status", "statuses", "type", kind, f"{kind}s")
    return (*COMMON, *PAGING, *AREA_FILTERS)


def output_format(params: Mapping[str, str], accept: str = "") -> str:
    """Return ``json`` or ``html``: the ``f`` parameter, else what ``accept`` prefers.

    Without ``f``, HTML only for a client that asks for ``text/html`` before any JSON
    (a browser); every other client (GDAL, OWSLib, curl) gets JSON.
    """
    value = params.get("f")
    if value is not None:
        fmt = value.strip().lower()
        if fmt not in FORMATS:
            raise ParameterError(f"f={value!r} is not allowed; use one of {list(FORMATS)}")
        return fmt
    html_at = accept.find("text/html")
    json_at = min((i for i in (accept.find("json"),) if i >= 0), default=-1)
    if html_at >= 0 and (json_at < 0 or html_at < json_at):
        return "html"
    return "json"


def check_known(params: Iterable[str], allowed: Iterable[str]) -> None:
    """Refuse a query parameter that is not in ``allowed``, naming it and the allowed ones."""
    known = list(allowed)
    for name in params:
        if name not in known:
            raise ParameterError(f"query parameter {name!r} is not allowed here; use {known}")


def items_query(collection: str, params: Mapping[str, str], accept: str = "") -> ItemsQuery:
    """Check the parameters of an ``items`` request of ``collection``.

    Raises
    ------
    ParameterError
        Naming the parameter, its value and what is allowed.
    """
    check_known(params, allowed_parameters(collection))
    fmt = output_format(params, accept)
    limit = min(_whole(params, "limit", DEFAULT_LIMIT, 1, None), MAX_LIMIT)
    offset = _whole(params, "offset", 0, 0, MAX_OFFSET)
    bbox = _bbox(params)
    municipalities = _municipalities(params)
    counties = _counties(params)
    kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    if collection in TYPES:
        kind = TYPE_FIELDS[collection]
        kinds = _choices(params, ("type", kind, f"{kind}s"), TYPES[collection])
        statuses = _choices(params, ("status", "statuses"), STATUSES[collection])
    filters = Filters(
        municipalities=municipalities,
        counties=counties,
        kinds=kinds,
        statuses=statuses,
        bbox=bbox,
        limit=limit,
        offset=offset,
    )
    return ItemsQuery(filters, fmt)


def export_query(collection: str, params: Mapping[str, str]) -> tuple[Filters, str]:
    """Check an ``export`` request: the filters of ``items`` (no paging) and ``f``.

    ``f`` is ``csv``, ``geojson`` (default) or ``gpkg``, the formats of the app's
    downloads and the CLI's ``export``.

    Raises
    ------
    ParameterError
        Naming the parameter, its value and what is allowed.
    """
    if collection not in TYPES:
        raise ParameterError(f"collection {collection!r} has no export; use one of {sorted(TYPES)}")
    paging = ("limit", "offset")
    check_known(params, [p for p in allowed_parameters(collection) if p not in paging])
    fmt = params.get("f", "geojson").strip().lower()
    if fmt not in EXPORT_FORMATS:
        raise ParameterError(f"f={fmt!r} is not allowed; use one of {list(EXPORT_FORMATS)}")
    rest = {k: v for k, v in params.items() if k != "f"}
    filters = items_query(collection, rest).filters
    return replace(filters, limit=None, offset=0), fmt


def _whole(params: Mapping[str, str], name: str, default: int, low: int, high: int | None) -> int:
    text = params.get(name)
    if text is None or text.strip() == "":
        return default
    span = f"from {low} to {high if high is not None else MAX_LIMIT}"
    try:
        value = int(text.strip())
    except ValueError:
        raise ParameterError(f"{name}={text!r} is not allowed; use a whole number {span}") from None
    if value < low or (high is not None and value > high):
        raise ParameterError(f"{name}={text!r} is not allowed; use a whole number {span}")
    return value


def _bbox(params: Mapping[str, str]) -> tuple[float, float, float, float] | None:
    for name in ("bbox-crs", "crs"):  # features come in CRS84 only
        crs = params.get(name)
        if crs is not None and crs.strip() not in (CRS84, "CRS84", "OGC:CRS84"):
            raise ParameterError(f"{name}={crs!r} is not allowed; use {CRS84}")
    text = params.get("bbox")
    if text is None:
        return None
    allowed = "minLon,minLat,maxLon,maxLat in degrees (CRS84), min <= max"
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        raise ParameterError(f"bbox={text!r} is not allowed; use {allowed}") from None
    if len(values) == 6:  # with heights: minLon,minLat,minH,maxLon,maxLat,maxH
        values = [values[0], values[1], values[3], values[4]]
    if len(values) != 4 or not all(math.isfinite(v) for v in values):
        raise ParameterError(f"bbox={text!r} is not allowed; use {allowed}")
    x0, y0, x1, y1 = values
    if x0 > x1 or y0 > y1 or not (-180 <= x0 <= 180 and -180 <= x1 <= 180):
        raise ParameterError(f"bbox={text!r} is not allowed; use {allowed}")
    if not (-90 <= y0 <= 90 and -90 <= y1 <= 90):
        raise ParameterError(f"bbox={text!r} is not allowed; use {allowed}")
    return x0, y0, x1, y1


def _values(params: Mapping[str, str], names: Iterable[str]) -> list[tuple[str, str]]:
    found = []
    for name in names:
        text = params.get(name)
        if text is None:
            continue
        items = [v.strip() for v in text.split(",") if v.strip()]
        if not items or len(items) > MAX_VALUES:
            raise ParameterError(
                f"{name}={text[:80]!r} is not allowed; use 1 to {MAX_VALUES} values "
                "separated by commas"
            )
        found += [(name, item) for item in items]
    return found


def _choices(
    params: Mapping[str, str], names: tuple[str, ...], allowed: tuple[str, ...]
) -> tuple[str, ...]:
    good = []
    for name, value in _values(params, names):
        if value not in allowed:
            raise ParameterError(f"{name}={value!r} is not allowed; use one of {list(allowed)}")
        good.append(value)
    return tuple(dict.fromkeys(good))


def _municipalities(params: Mapping[str, str]) -> tuple[str, ...]:
    lookup = _municipality_names()
    good = []
    for name, value in _values(params, ("municipality", "ags", "municipalities")):
        key = value if value in RUHR_AGS else lookup.get(normalize(value))
        if key is None:
            raise ParameterError(
                f"{name}={value!r} is not allowed; use the 8-digit AGS or the name of one "
                "of the 53 Ruhr municipalities (e.g. 05913000 or Dortmund)"
            )
        good.append(key)
    return tuple(dict.fromkeys(good))


def _counties(params: Mapping[str, str]) -> tuple[str, ...]:
    lookup = {normalize(n): k for k, n in COUNTIES.items()}
    lookup |= {normalize(f"Kreis {n}"): k for k, n in COUNTIES.items()}
    good = []
    for name, value in _values(params, ("county", "counties")):
        key = value if value in COUNTIES else lookup.get(normalize(value))
        if key is None:
            raise ParameterError(
                f"{name}={value!r} is not allowed; use a 5-digit county key or name: "
                f"{sorted(COUNTIES)}"
            )
        good.append(key)
    return tuple(dict.fromkeys(good))


@lru_cache(maxsize=1)
def _municipality_names() -> dict[str, str]:
    municipalities = load_municipalities(default_path(DEFAULT_DATA_DIR))
    return {
        normalize(str(name)): str(ags)
        for ags, name in zip(municipalities["ags"], municipalities["name"], strict=True)
    }
