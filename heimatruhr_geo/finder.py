"""The artists' space finder: vacant buildings near a place that meet a list of needs.

A :class:`SpaceSearch` is a centre (WGS84), a radius from 500 m to 25 km and
:class:`Needs`. :func:`find_spaces` returns the published vacant buildings inside the
circle that meet every need, nearest first, with their distance in metres computed in
EPSG:25832. :func:`suggestions` says, for a search that found nothing, how many
buildings a wider radius or each dropped need would find (counted, not guessed).
:meth:`SpaceSearch.to_query_params` and :meth:`SpaceSearch.from_query_params` make a
search shareable as a URL; reading never raises on what a URL holds.

What matches (decided here, documented in ``docs/finder.md``):

* only **published** buildings whose status is ``vacant`` or ``temporary_use``
  (:data:`USABLE_STATUSES`); ``rented`` and ``demolished`` buildings are never offered;
* a need that is set must be *known* to be met: a building without a floor area fails a
  minimum area, one without a rent band fails a rent-band need, ``power``/``water``/
  ``heating``/``step_free`` must be recorded as yes;
* "available on a date": ``available_from`` is empty or on/before the date, and
  ``available_until`` is empty or on/after it (an empty start means available now, an
  empty end means open-ended);
* the distance limit is inclusive (a building exactly at the radius matches).

Everything goes through the store: the database keeps the usable published buildings in
a bounding box and a safely enlarged flat circle (:mod:`heimatruhr_geo.radius`) and sends
only the searchable fields of those candidates
(:meth:`~heimatruhr_geo.records.Records.field_columns`); the needs are checked on them in
memory by one rule (:class:`SpaceIndex`), exact distances are computed in EPSG:25832, and
full rows are read by id for the ``limit`` nearest only
(:meth:`~heimatruhr_geo.records.Records.published_by_id`).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from heimatruhr_geo.boundaries import default_path, load_municipalities
from heimatruhr_geo.errors import InputError
from heimatruhr_geo.formatting import format_number
from heimatruhr_geo.i18n import t
from heimatruhr_geo.models import (
    AVAILABILITY,
    FACILITIES,
    MAX_FLOOR_AREA_M2,
    RUHR_BOUNDS,
    BuildingType,
    RentBand,
    VacancyStatus,
)
from heimatruhr_geo.radius import distances_m, to_metric
from heimatruhr_geo.store import Store
from heimatruhr_geo.viewstate import choice_parser, ignored_param, split_param

logger = logging.getLogger(__name__)

MIN_RADIUS_M = 500
MAX_RADIUS_M = 25_000
DEFAULT_RADIUS_M = 2_000
USABLE_STATUSES = (VacancyStatus.VACANT, VacancyStatus.TEMPORARY_USE)
"""Statuses of buildings an artist could use; ``rented`` and ``demolished`` never match."""
_USABLE_VALUES = tuple(s.value for s in USABLE_STATUSES)
"""Yes/no needs: the building must be recorded with ``True``."""
NEEDS = ("min_area_m2", "rent_bands", "available_on", *FACILITIES, "building_types")
"""Every need, in the order the page and the suggestions show them."""
MAX_PLACE = 200
"""At most this many characters of the place text are kept (it is user input)."""
RESULT_COLUMNS = [
    "id", "title", "distance_m", "building_type", "status", "floor_area_m2", "rent_band",
    *AVAILABILITY, *FACILITIES, "contact_public", "street", "postcode", "city", "ags",
    "municipality", "lat", "lon", "source",
]  # fmt: skip
"""Columns of :func:`find_spaces` results."""
_INDEX_FIELDS = ("floor_area_m2", "rent_band", *AVAILABILITY, *FACILITIES)


@dataclass(frozen=True)
class Needs:
    """What a space must offer; every field's default means "no need".

    Attributes
    ----------
    min_area_m2
        Smallest floor area in m² (``None``: any, including unknown).
    rent_bands
        Acceptable rent bands (:class:`~heimatruhr_geo.models.RentBand` values); any of them.
    available_on
        The building must be available on this day.
    power, water, heating, step_free
        ``True``: the building must be recorded as having it.
    building_types
        Acceptable building types (:class:`~heimatruhr_geo.models.BuildingType` values).
    """

    min_area_m2: float | None = None
    rent_bands: tuple[str, ...] = ()
    available_on: date | None = None
    power: bool = False
    water: bool = False
    heating: bool = False
    step_free: bool = False
    building_types: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """Check the values and keep list fields sorted, so equal needs compare equal."""
        area = self.min_area_m2
        if area is not None:
            if isinstance(area, bool) or not isinstance(area, int | float):
                raise InputError(f"min_area_m2={area!r} must be a number of m² or None")
            if not (math.isfinite(area) and 0 <= area <= MAX_FLOOR_AREA_M2):
                raise InputError(
                    f"min_area_m2={area!r} is not allowed; use 0 to {MAX_FLOOR_AREA_M2:,} m²"
                )
            object.__setattr__(self, "min_area_m2", float(area))
        self._check_list("rent_bands", [b.value for b in RentBand])
        self._check_list("building_types", [b.value for b in BuildingType])
        if self.available_on is not None and not isinstance(self.available_on, date):
            raise InputError(f"available_on={self.available_on!r} must be a date or None")
        for name in FACILITIES:
            if not isinstance(getattr(self, name), bool):
                raise InputError(f"{name}={getattr(self, name)!r} must be True or False")

    def _check_list(self, name: str, allowed: list[str]) -> None:
        values = getattr(self, name)
        if isinstance(values, str):
            raise InputError(f"Needs.{name} must be a tuple of values, not the text {values!r}")
        bad = sorted({str(v) for v in values} - set(allowed))
        if bad:
            raise InputError(f"Needs.{name}={bad} is not allowed; use values from {allowed}")
        object.__setattr__(self, name, tuple(sorted({str(v) for v in values})))

    def active(self) -> tuple[str, ...]:
        """Return the names of the needs that are set, in :data:`NEEDS` order."""
        default = Needs()
        return tuple(n for n in NEEDS if getattr(self, n) != getattr(default, n))

    def without(self, name: str) -> Needs:
        """Return a copy with need ``name`` (one of :data:`NEEDS`) dropped."""
        if name not in NEEDS:
            raise InputError(f"need={name!r} is not allowed; use one of {list(NEEDS)}")
        return replace(self, **{name: getattr(Needs(), name)})


@dataclass(frozen=True)
class SpaceSearch:
    """One search: a centre, a radius and needs.

    Attributes
    ----------
    lat, lon
        The centre in WGS84, inside the Ruhr's bounding box
        (:data:`~heimatruhr_geo.models.RUHR_BOUNDS`).
    radius_m
        Whole metres, :data:`MIN_RADIUS_M` to :data:`MAX_RADIUS_M`.
    needs
        What the space must offer.
    place
        What the user typed to find the centre (shown and shared; empty for a map click).
    """

    lat: float
    lon: float
    radius_m: int = DEFAULT_RADIUS_M
    needs: Needs = Needs()
    place: str = ""

    def __post_init__(self) -> None:
        """Check the centre and the radius; clip the place text."""
        lon0, lat0, lon1, lat1 = RUHR_BOUNDS
        checks = (("lat", self.lat, lat0, lat1), ("lon", self.lon, lon0, lon1))
        for name, value, low, high in checks:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise InputError(f"{name}={value!r} must be a number")
            if not (math.isfinite(value) and low <= value <= high):
                raise InputError(
                    f"{name}={value!r} is not allowed; the centre must lie in the Ruhr "
                    f"({name} {low} to {high})"
                )
        radius = self.radius_m
        if isinstance(radius, bool) or not isinstance(radius, int | float):
            raise InputError(f"radius_m={radius!r} must be a number of metres")
        if not (math.isfinite(radius) and MIN_RADIUS_M <= radius <= MAX_RADIUS_M):
            raise InputError(
                f"radius_m={radius!r} is not allowed; use {MIN_RADIUS_M:,} to {MAX_RADIUS_M:,} m"
            )
        if not isinstance(self.needs, Needs):
            raise InputError(f"needs={self.needs!r} must be a Needs object")
        object.__setattr__(self, "lat", float(self.lat))
        object.__setattr__(self, "lon", float(self.lon))
        object.__setattr__(self, "radius_m", round(radius))
        object.__setattr__(self, "place", " ".join(str(self.place).split())[:MAX_PLACE])

    def with_changes(self, **changes: Any) -> SpaceSearch:
        """Return a checked copy with some fields changed."""
        return replace(self, **changes)

    def to_query_params(self) -> dict[str, str]:
        """Return the search as URL parameters (needs only when set).

        Examples
        --------
        >>> SpaceSearch(51.4787, 7.2232, 5000, Needs(step_free=True)).to_query_params()
        {'lat': '51.47870', 'lon': '7.22320', 'radius': '5000', 'needs': 'step_free'}
        """
        needs = self.needs
        out = {"lat": f"{self.lat:.5f}", "lon": f"{self.lon:.5f}", "radius": str(self.radius_m)}
        if self.place:
            out["place"] = self.place
        if needs.min_area_m2 is not None:
            out["min_area"] = f"{needs.min_area_m2:g}"
        if needs.rent_bands:
            out["rent"] = ",".join(needs.rent_bands)
        if needs.available_on is not None:
            out["date"] = needs.available_on.isoformat()
        wanted = [name for name in FACILITIES if getattr(needs, name)]
        if wanted:
            out["needs"] = ",".join(wanted)
        if needs.building_types:
            out["types"] = ",".join(needs.building_types)
        return out

    @classmethod
    def from_query_params(
        cls, params: Mapping[str, str | list[str]]
    ) -> tuple[SpaceSearch | None, list[str]]:
        """Read a search from URL parameters; never raises on their content.

        Parameters
        ----------
        params
            ``st.query_params`` or any mapping of name to a string or a list of strings.
            ``lang`` is allowed and ignored (the page reads it).

        Returns
        -------
        tuple of (SpaceSearch or None, list of str)
            The search (``None`` without a usable centre), and one warning per dropped
            parameter or value, naming the parameter, the value and what is allowed.
        """
        warnings: list[str] = []
        for name in params:
            if str(name) not in _URL_PARAMS:
                warnings.append(
                    f"URL parameter {str(name)[:40]!r} is unknown and was ignored; "
                    f"allowed: {sorted(_URL_PARAMS)}"
                )
        items = {name: split_param(params[name])[:100] for name in _URL_PARAMS if name in params}
        needs = _needs_from(items, warnings)
        lat = _number(items, "lat", warnings, RUHR_BOUNDS[1], RUHR_BOUNDS[3])
        lon = _number(items, "lon", warnings, RUHR_BOUNDS[0], RUHR_BOUNDS[2])
        radius = _number(items, "radius", warnings, MIN_RADIUS_M, MAX_RADIUS_M)
        place = _place(params.get("place", ""))
        if lat is None or lon is None:
            return None, warnings
        return cls(lat, lon, round(radius or DEFAULT_RADIUS_M), needs, place), warnings


@dataclass(frozen=True)
class Suggestion:
    """A relaxed search that would find something.

    Attributes
    ----------
    change
        ``"radius"`` (a wider circle), ``"all_needs"`` (every need dropped) or the name
        of the one need dropped (see :data:`NEEDS`).
    search
        The relaxed search.
    count
        How many buildings it finds.
    """

    change: str
    search: SpaceSearch
    count: int


class SpaceIndex:
    """The searchable fields of every usable published vacant building, held in memory.

    Searching it gives exactly the database's answer (the tests check both on the same
    buildings) in a few milliseconds at any radius, where the database has to read every
    candidate row. Read it with :meth:`load`, or build it with :meth:`from_frame` from a
    public query the caller holds anyway (the page does, once per version of the
    published records); build it again when the data change. Full rows still come from
    the store.

    Parameters
    ----------
    ids, lon, lat
        Ids and WGS84 coordinates of *usable published* buildings only.
    fields
        ``kind`` (building type) and :data:`_INDEX_FIELDS` per building, as stored
        (``None``/NaN for unknown; dates as ISO text).
    """

    def __init__(self, ids: Sequence[str], lon: Any, lat: Any, fields: Mapping[str, Any]):
        self.ids = np.asarray(ids, dtype=object)
        self.x, self.y = to_metric(lon, lat)
        self.kind = _texts(fields["kind"])
        area = pd.to_numeric(pd.Series(list(fields["floor_area_m2"]), dtype=object))
        self.area = area.to_numpy(dtype=float, na_value=np.nan)
        self.rent = _texts(fields["rent_band"])
        self.start = _texts(fields["available_from"])
        self.end = _texts(fields["available_until"])
        self.has = {
            n: pd.Series(list(fields[n]), dtype=object).eq(True).to_numpy(bool) for n in FACILITIES
        }

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> SpaceIndex:
        """Build the index from a public query of the vacant layer (``Store.query("vacant")``).

        The app holds that frame anyway (for the map); only its usable buildings are kept.
        """
        usable = frame["status"].astype(str).isin(_USABLE_VALUES)
        chosen = frame[usable.to_numpy(dtype=bool)]
        fields = {name: chosen[name].tolist() for name in _INDEX_FIELDS}
        fields["kind"] = chosen["building_type"].tolist()
        return cls(chosen["id"].tolist(), chosen["lon"], chosen["lat"], fields)

    @classmethod
    def load(cls, store: Store, *, near: tuple[float, float, float] | None = None) -> SpaceIndex:
        """Read the searchable fields of all usable published vacant buildings (one query).

        ``near=(lon, lat, radius_m)`` reads only the candidates of one radius search.
        """
        values = store.records.field_columns(
            "vacant", _INDEX_FIELDS, statuses=_USABLE_VALUES, near=near
        )
        logger.info("space index: %d usable vacant buildings", len(values["id"]))
        return cls(values["id"], values["lon"], values["lat"], values)

    def __len__(self) -> int:
        """Return the number of buildings in the index."""
        return len(self.ids)

    def nearest(self, search: SpaceSearch) -> tuple[list[str], np.ndarray[Any, Any]]:
        """Return the ids that match ``search`` and their distances, nearest first."""
        mask = self._meets(search.needs)
        return _within(search, self.ids[mask], self.x[mask], self.y[mask])

    def _meets(self, needs: Needs) -> np.ndarray[Any, Any]:
        mask = np.ones(len(self.ids), dtype=bool)
        if needs.building_types:
            mask &= np.isin(self.kind, needs.building_types)
        if needs.min_area_m2 is not None:
            mask &= np.nan_to_num(self.area, nan=-1.0) >= needs.min_area_m2
        if needs.rent_bands:
            mask &= np.isin(self.rent, needs.rent_bands)
        if needs.available_on is not None:
            day = needs.available_on.isoformat()
            mask &= self.start <= day  # an empty start ("") sorts first: available now
            mask &= (self.end == "") | (self.end >= day)
        for name in FACILITIES:
            if getattr(needs, name):
                mask &= self.has[name]
        return mask


class Found(NamedTuple):
    """What :func:`find_nearest` returns: the nearest matches and how many match in all."""

    frame: pd.DataFrame
    total: int


def find_nearest(
    store: Store,
    search: SpaceSearch,
    limit: int | None = None,
    *,
    index: SpaceIndex | None = None,
) -> Found:
    """Return the ``limit`` nearest matches of ``search`` and the number of all matches.

    One candidate search serves both; full rows are read only for the nearest ``limit``.
    With ``index`` the candidates come from memory instead of the database; a building
    unpublished since the index was built is left out of the rows (not of ``total``).
    See :func:`find_spaces` for the other parameters.
    """
    if limit is not None and (isinstance(limit, bool) or limit < 0):
        raise InputError(f"limit={limit!r} is not allowed; use a whole number >= 0 or None")
    ids, distances = _nearest(store, search) if index is None else index.nearest(search)
    total = len(ids)
    if limit is not None:
        ids, distances = ids[:limit], distances[:limit]
    return Found(_details(store, ids, distances), total)


def find_spaces(store: Store, search: SpaceSearch, *, limit: int | None = None) -> pd.DataFrame:
    """Return the published vacant buildings that match ``search``, nearest first.

    Parameters
    ----------
    store
        The record store (SQLite or PostgreSQL).
    search
        Centre, radius and needs.
    limit
        At most this many (the nearest); ``None`` for all.

    Returns
    -------
    pandas.DataFrame
        :data:`RESULT_COLUMNS`, one row per building, sorted by ``distance_m`` (metres
        in EPSG:25832, unrounded) and then by id; ``municipality`` is the name of the
        municipality the building lies in.

    Examples
    --------
    >>> search = SpaceSearch(51.4787, 7.2232, 5000, Needs(step_free=True))
    >>> find_spaces(store, search, limit=20)  # doctest: +SKIP
    """
    return find_nearest(store, search, limit).frame


def count_spaces(store: Store, search: SpaceSearch, *, index: SpaceIndex | None = None) -> int:
    """Return how many buildings :func:`find_spaces` would return without a limit."""
    return len(_nearest(store, search)[0] if index is None else index.nearest(search)[0])


def suggestions(
    store: Store, search: SpaceSearch, *, index: SpaceIndex | None = None
) -> list[Suggestion]:
    """Return relaxed searches that find something, the most fruitful first.

    Tried: the radius doubled (at most :data:`MAX_RADIUS_M`), each set need dropped on
    its own, and all needs dropped (when more than one is set). Each is counted in the
    database; relaxations that still find nothing are left out.

    Parameters
    ----------
    store
        The record store.
    search
        A search (usually one that found nothing).
    index
        Count in memory (see :class:`SpaceIndex`) instead of in the database.

    Returns
    -------
    list of Suggestion
        Sorted by ``count`` descending, ties in the order tried.
    """
    tried: list[tuple[str, SpaceSearch]] = []
    if search.radius_m < MAX_RADIUS_M:
        wider = min(MAX_RADIUS_M, search.radius_m * 2)
        tried.append(("radius", search.with_changes(radius_m=wider)))
    active = search.needs.active()
    tried += [(name, search.with_changes(needs=search.needs.without(name))) for name in active]
    if len(active) > 1:
        tried.append(("all_needs", search.with_changes(needs=Needs())))
    found = [Suggestion(change, s, count_spaces(store, s, index=index)) for change, s in tried]
    return sorted((s for s in found if s.count), key=lambda s: -s.count)


def format_distance(metres: float, lang: str = "de") -> str:
    """Return a distance as people read it: metres (to 10 m) below 1 km, else km.

    Examples
    --------
    >>> format_distance(994.0, "de"), format_distance(1234.0, "de"), format_distance(1234.0, "en")
    ('990 m', '1,2 km', '1.2 km')
    >>> format_distance(12.0, "en")
    '10 m'
    """
    if metres < 995:
        return f"{format_number(round(metres, -1), lang)} m"
    return f"{format_number(metres / 1000, lang, 1)} km"


def contact_text(contact: object, municipality: object, lang: str = "de") -> str:
    """Return a building's public contact, or where to ask when it has none.

    Examples
    --------
    >>> contact_text("", "Bochum", "en")
    'No public contact: ask the culture office of Bochum'
    >>> contact_text("raum@example.org", "Bochum", "en")
    'raum@example.org'
    """
    text = contact.strip() if isinstance(contact, str) else ""
    if text:
        return text
    return t("finder_ask_culture_office", lang).format(municipality=str(municipality or ""))


# ---------------------------------------------------------------------- query


def _nearest(store: Store, search: SpaceSearch) -> tuple[list[str], np.ndarray[Any, Any]]:
    """Return the matching ids and their exact distances, nearest first."""
    near = (search.lon, search.lat, float(search.radius_m))
    return SpaceIndex.load(store, near=near).nearest(search)


def _within(
    search: SpaceSearch, ids: np.ndarray[Any, Any], x: np.ndarray[Any, Any], y: np.ndarray[Any, Any]
) -> tuple[list[str], np.ndarray[Any, Any]]:
    """Return the ids within the radius (metric ``x``, ``y``) and their distances, nearest first."""
    distance = distances_m(x, y, search.lon, search.lat)
    inside = distance <= search.radius_m
    ids, distance = ids[inside], distance[inside]
    order = np.lexsort((ids.astype(str), distance))
    return [str(i) for i in ids[order]], distance[order]


def _details(store: Store, ids: Sequence[str], distances: np.ndarray[Any, Any]) -> pd.DataFrame:
    """Read the full rows of ``ids`` that are still usable and return them in the given order."""
    found = store.records.published_by_id("vacant", ids, statuses=_USABLE_VALUES)
    present = set(found["id"].astype(str))
    kept = [i for i, ident in enumerate(ids) if ident in present]
    rows = found.drop(columns="geometry").to_dict("records")
    for row in rows:
        row["contact_public"] = row["contact_public"] or ""
    frame = pd.DataFrame(rows, columns=RESULT_COLUMNS)
    frame["distance_m"] = np.asarray(distances, dtype=float)[kept]
    frame["municipality"] = frame["ags"].map(_municipality_names(str(store.data_dir)))
    frame[["lat", "lon", "distance_m"]] = frame[["lat", "lon", "distance_m"]].astype(float)
    frame["floor_area_m2"] = pd.to_numeric(frame["floor_area_m2"]).astype(float)
    return frame


@lru_cache(maxsize=4)
def _municipality_names(data_dir: str) -> dict[str, str]:
    frame = load_municipalities(default_path(Path(data_dir)))
    return dict(zip(frame["ags"].astype(str), frame["name"].astype(str), strict=True))


def _texts(values: Any) -> np.ndarray[Any, Any]:
    """Return text values as a numpy string array; anything else (None, NaN) becomes ""."""
    return np.array([v if isinstance(v, str) else "" for v in values], dtype=str)


# ---------------------------------------------------------------------- URL


def _number(
    items: Mapping[str, list[str]], name: str, warnings: list[str], low: float, high: float
) -> float | None:
    if name not in items:
        return None
    values = items[name]
    try:
        value = float(values[0]) if len(values) == 1 else math.nan
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and low <= value <= high):
        warnings.append(ignored_param(name, ",".join(values), f"a number from {low:g} to {high:g}"))
        return None
    return value


def _place(raw: str | list[str]) -> str:
    """Return the place text of the URL as typed (commas are part of addresses)."""
    text = raw if isinstance(raw, str) else ", ".join(str(r) for r in raw)
    return text[: MAX_PLACE * 2]


def _needs_from(items: Mapping[str, list[str]], warnings: list[str]) -> Needs:
    area = _number(items, "min_area", warnings, 0, MAX_FLOOR_AREA_M2)
    rent = choice_parser(b.value for b in RentBand)("rent", items.get("rent", []), warnings)
    types = choice_parser(b.value for b in BuildingType)("types", items.get("types", []), warnings)
    wanted = choice_parser(FACILITIES)("needs", items.get("needs", []), warnings)
    day: date | None = None
    if "date" in items:
        text = ",".join(items["date"])
        try:
            day = date.fromisoformat(text) if len(text) == 10 else None
        except ValueError:
            day = None
        if day is None:
            warnings.append(ignored_param("date", text, "a date like 2026-05-01"))
    facilities = {name: name in wanted for name in FACILITIES}
    return Needs(area, rent, day, building_types=types, **facilities)


_URL_PARAMS = frozenset(
    {"lang", "lat", "lon", "radius", "place", "min_area", "rent", "date", "needs", "types"}
)
"""Parameters a finder URL may carry (``lang`` is read by the page)."""
