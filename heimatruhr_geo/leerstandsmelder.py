"""The Leerstandsmelder platform's location format: reading it into our fields, writing it.

Leerstandsmelder (``leerstandsmelder-node-api``, a MongoDB ``Location`` model served as
JSON) stores one object per location::

    {"uuid": "…", "title": "…", "description": "…", "street": "…", "postcode": "…",
     "city": "…", "lonlat": [lon, lat], "region_uuid": "…", "slug": "…",
     "emptySince": "locations.empty_options.min_one_year",
     "degree": "locations.degree_options.partial",
     "buildingType": "locations.building_type_options.public_work",
     "owner": "locations.owner_options.city",
     "hidden": false, "active": true, "demolished": false, "demolition_rumor": false,
     "created": "2019-04-02T09:12:44.000Z", "updated": "…"}

The option fields hold the translation keys of the platform's form
(``leerstandsmelder-angular-frontend``, ``location-form-defaults.js``); older data carry
the bare suffix (``min_one_year``), and ``locations.unknown`` is the form's "unknown".
The API answers a list as ``{"page", "pagesize", "total", "results": [...]}``.

This module is pure (no store, no files): :func:`location_items` finds the locations in a
parsed document, :func:`read_location` maps one location to the values of a
``VacantBuilding`` and lists its problems, :func:`write_locations` turns public records
back into the platform's shape.
"""

from __future__ import annotations

import math
import re
import unicodedata
import uuid as uuidlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from heimatruhr_geo.models import (
    RUHR_BOUNDS,
    BuildingType,
    OwnerType,
    VacancyDegree,
    VacancyStatus,
    VacantSince,
    parse_bool,
)

PREFIX = "locations."
UNKNOWN = "locations.unknown"
SOURCE_PREFIX = "lsm:"
"""Our source key of a location is ``lsm:<uuid>`` (stored as ``id:lsm:<uuid>``)."""
LIST_KEYS = ("results", "locations", "data", "items")
"""Where a document wrapping a list keeps its locations (the API uses ``results``)."""

EMPTY_SINCE: dict[str, VacantSince] = {
    "recently": VacantSince.UNDER_1_YEAR,
    "about_half_year": VacantSince.UNDER_1_YEAR,
    "less_than_one_year": VacantSince.UNDER_1_YEAR,
    "min_one_year": VacantSince.OVER_1_YEAR,
    "min_three_years": VacantSince.OVER_3_YEARS,
    "min_five_years": VacantSince.OVER_5_YEARS,
    "more_than_ten_years": VacantSince.OVER_10_YEARS,
}
"""``emptySince`` → ``vacant_since``. The first six after ``recently`` are the form's options
(``recently``, ``about_half_year``, ``min_one_year``, ``min_three_years``,
``min_five_years``); ``less_than_one_year`` and ``more_than_ten_years`` are keys the
platform translates for its older, month-based data."""
DEGREE: dict[str, VacancyDegree] = {
    "partial": VacancyDegree.PARTLY,
    "complete": VacancyDegree.COMPLETELY,
}
BUILDING_TYPE: dict[str, BuildingType] = {
    "residential": BuildingType.RESIDENTIAL,
    "commercial": BuildingType.COMMERCIAL,
    "industrial": BuildingType.INDUSTRIAL,
    "historical": BuildingType.HISTORICAL,
    "public_work": BuildingType.PUBLIC_WORKS,
    "other": BuildingType.OTHER,
}
OWNER: dict[str, OwnerType] = {o.value: o for o in OwnerType}


@dataclass(frozen=True)
class OptionField:
    """One option field of the platform: its key, its group of option keys, our field."""

    key: str
    group: str
    ours: str
    mapping: Mapping[str, Any]

    def allowed(self) -> list[str]:
        """Return the spellings accepted, for error messages (the prefixed keys, unknown)."""
        return [f"{PREFIX}{self.group}.{k}" for k in self.mapping] + [UNKNOWN]


OPTION_FIELDS = (
    OptionField("emptySince", "empty_options", "vacant_since", EMPTY_SINCE),
    OptionField("degree", "degree_options", "degree", DEGREE),
    OptionField("buildingType", "building_type_options", "building_type", BUILDING_TYPE),
    OptionField("owner", "owner_options", "owner_type", OWNER),
)
FLAGS = ("hidden", "active", "demolished", "demolition_rumor")
TEXT_FIELDS = ("title", "description", "street", "city", "postcode")
IGNORED = frozenset(
    {
        "region_uuid",
        "slug",
        "slug_aliases",
        "created",
        "updated",
        "user_uuid",
        "user",
        "region",
        "region_slug",
        "photo",
        "legacy_id",
        "legacy_slug",
        "id",
        "_id",
        "__v",
    }
)
"""Keys read and knowingly not stored: the municipality comes from the coordinates, the
bookkeeping (ids, slugs, times, users, photos) from this app."""
_MONTHS_TEXT = re.compile(r"\d+(\.\d+)?")
_MONTHS = (
    (12, VacantSince.UNDER_1_YEAR),
    (36, VacantSince.OVER_1_YEAR),
    (60, VacantSince.OVER_3_YEARS),
    (120, VacantSince.OVER_5_YEARS),
)


@dataclass
class Location:
    """One location read: our field values, its problems and why it must stay private.

    Attributes
    ----------
    values
        Fields of a ``VacantBuilding`` (``source_id`` ``lsm:<uuid>``, ``lon``/``lat`` when
        given, ``status`` ``demolished`` when demolished), empty if the location is unusable.
    problems
        ``(field, value, allowed)`` of each problem; any problem rejects the location.
    withheld
        Why the location must never be published (``hidden``, ``inactive``), or ``""``.
    unknown
        Keys the format does not have (ignored).
    """

    values: dict[str, Any] = field(default_factory=dict)
    problems: list[tuple[str, str, str]] = field(default_factory=list)
    withheld: str = ""
    unknown: set[str] = field(default_factory=set)


def location_items(doc: Any) -> list[Any] | None:
    """Return the locations of a parsed document, or ``None`` if it holds none.

    Accepts a list of locations, the API's answer ``{"results": [...], ...}`` (or
    ``locations``/``data``/``items``) and a single location object (``/locations/{uuid}``).
    """
    if isinstance(doc, list):
        return doc
    if not isinstance(doc, dict):
        return None
    for key in LIST_KEYS:
        if isinstance(doc.get(key), list):
            return list(doc[key])
    if "title" in doc and ("uuid" in doc or "lonlat" in doc):
        return [doc]
    return None


def read_location(item: Any) -> Location:
    """Map one location object to the values of a ``VacantBuilding``.

    Examples
    --------
    >>> loc = read_location({"uuid": "A1", "title": "Halle", "lonlat": [7.2162, 51.4818],
    ...     "emptySince": "locations.empty_options.recently", "owner": "city"})
    >>> loc.values["vacant_since"], loc.values["owner_type"], loc.values["source_id"]
    ('under_1_year', 'city', 'lsm:a1')
    """
    out = Location()
    if not isinstance(item, dict):
        out.problems.append(("location", repr(item)[:80], "a JSON object"))
        return out
    values: dict[str, Any] = {k: item[k] for k in TEXT_FIELDS if item.get(k) is not None}
    if isinstance(values.get("postcode"), str | int) and not isinstance(values["postcode"], bool):
        values["postcode"] = _postcode(values["postcode"])
    key = next((item[k] for k in ("uuid", "id", "_id") if not _blank(item.get(k))), None)
    if key is not None:
        values["source_id"] = SOURCE_PREFIX + str(key).strip().lower()
    values["building_type"] = BuildingType.OTHER.value
    for option in OPTION_FIELDS:
        _read_option(option, item.get(option.key), values, out.problems)
    flags = {name: _read_flag(name, item.get(name), out.problems) for name in FLAGS}
    if flags["demolished"]:
        values["status"] = VacancyStatus.DEMOLISHED.value
    if flags["demolition_rumor"] is not None:
        values["demolition_rumor"] = flags["demolition_rumor"]
    if flags["hidden"]:
        out.withheld = "hidden"
    elif flags["active"] is False:
        out.withheld = "inactive"
    _read_lonlat(item.get("lonlat"), values, out.problems)
    known = set(TEXT_FIELDS) | {"uuid", "lonlat"} | set(FLAGS) | IGNORED
    out.unknown = set(item) - known - {o.key for o in OPTION_FIELDS}
    out.values = {} if out.problems else values
    return out


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _postcode(value: str | int) -> str:
    text = str(value).strip()
    return text.zfill(5) if text.isdigit() and len(text) == 4 else text


def _read_option(
    option: OptionField, raw: Any, values: dict[str, Any], problems: list[tuple[str, str, str]]
) -> None:
    text = "" if raw is None else str(raw).strip()
    if option.key == "emptySince" and not isinstance(raw, bool) and _MONTHS_TEXT.fullmatch(text):
        values[option.ours] = _from_months(float(text)).value  # older data: months
        return
    if text in ("", UNKNOWN, "unknown"):
        return
    group = f"{PREFIX}{option.group}."
    bare = text.removeprefix(group)
    ours = {v.value: v for v in option.mapping.values()}
    value = None if bare.startswith(PREFIX) else option.mapping.get(bare, ours.get(bare))
    if value is None:
        problems.append((option.key, text, f"one of {option.allowed()} (or without the prefix)"))
        return
    values[option.ours] = value.value


def _from_months(months: float) -> VacantSince:
    for limit, since in _MONTHS:
        if months < limit:
            return since
    return VacantSince.OVER_10_YEARS


def _read_flag(name: str, raw: Any, problems: list[tuple[str, str, str]]) -> bool | None:
    if raw is None or raw == "":
        return None
    value = parse_bool(raw) if isinstance(raw, str) else raw
    if isinstance(value, int) and not isinstance(value, bool) and value in (0, 1):
        value = bool(value)
    if not isinstance(value, bool):
        problems.append((name, str(raw)[:80], "true or false"))
        return None
    return value


def _read_lonlat(raw: Any, values: dict[str, Any], problems: list[tuple[str, str, str]]) -> None:
    if raw is None or raw == "" or raw == []:
        return  # no coordinates: the importer geocodes the address
    pair = raw
    if isinstance(raw, dict):  # {"lon", "lat"} or a GeoJSON point {"coordinates": [lon, lat]}
        pair = raw.get("coordinates", [raw.get("lon"), raw.get("lat")])
    allowed = "[lon, lat]: two numbers, longitude first, e.g. [7.2162, 51.4818]"
    numbers = _numbers(pair)
    if numbers is None:
        problems.append(("lonlat", repr(raw)[:80], allowed))
        return
    lon, lat = numbers
    min_lon, min_lat, max_lon, max_lat = RUHR_BOUNDS
    inside = min_lon <= lon <= max_lon and min_lat <= lat <= max_lat
    if not inside and min_lon <= lat <= max_lon and min_lat <= lon <= max_lat:
        problems.append(("lonlat", repr(raw)[:80], f"{allowed} (this looks like [lat, lon])"))
    elif not inside:
        problems.append(
            (
                "lonlat",
                repr(raw)[:80],
                f"a point in the 53 Ruhr municipalities (lon {min_lon}–{max_lon}, "
                f"lat {min_lat}–{max_lat}); [{lon}, {lat}] lies outside",
            )
        )
    else:
        values["lon"], values["lat"] = lon, lat


def _numbers(pair: Any) -> tuple[float, float] | None:
    if not isinstance(pair, list | tuple) or len(pair) != 2:
        return None
    out = []
    for value in pair:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            return None
        try:
            number = float(value)
        except ValueError:
            return None
        if not math.isfinite(number):
            return None
        out.append(number)
    return out[0], out[1]


# ---------------------------------------------------------------------- writing


_EXPORT_EMPTY_SINCE = {
    VacantSince.UNDER_1_YEAR.value: "less_than_one_year",
    VacantSince.OVER_1_YEAR.value: "min_one_year",
    VacantSince.OVER_3_YEARS.value: "min_three_years",
    VacantSince.OVER_5_YEARS.value: "min_five_years",
    VacantSince.OVER_10_YEARS.value: "more_than_ten_years",
}
EXPORT_STATUSES = (VacancyStatus.VACANT.value, VacancyStatus.DEMOLISHED.value)
"""Statuses exported: the platform records vacancy (and demolition), not rented buildings
or temporary use."""


def location_uuid(record_id: str, source_key: str | None) -> str:
    """Return a record's uuid on the platform.

    A record imported from Leerstandsmelder keeps its uuid (from its source key); any other
    record gets one derived from its id (its id itself when that is 32 hex digits).

    Examples
    --------
    >>> location_uuid("x", "id:lsm:7f7d0c8e-3a4b-4c52-9d0e-1b2c3d4e5f60")
    '7f7d0c8e-3a4b-4c52-9d0e-1b2c3d4e5f60'
    >>> location_uuid("0123456789abcdef0123456789abcdef", None)
    '01234567-89ab-cdef-0123-456789abcdef'
    """
    key = source_key or ""
    for prefix in (f"id:{SOURCE_PREFIX}", SOURCE_PREFIX):
        if key.startswith(prefix):
            return key.removeprefix(prefix)
    try:
        return str(uuidlib.UUID(hex=record_id))
    except ValueError:
        return str(uuidlib.uuid5(uuidlib.NAMESPACE_URL, f"heimatruhr-geo:{record_id}"))


def slug(title: str, location_id: str) -> str:
    """Return the platform's slug: title and the uuid's first five characters, lower-case.

    Examples
    --------
    >>> slug("Alte Brauerei Süd", "7f7d0c8e-3a4b")
    'alte-brauerei-sued-7f7d0'
    """
    text = f"{title} {location_id[:5]}".lower()
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, plain)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def write_location(row: Mapping[str, Any], region_uuid: str = "") -> dict[str, Any]:
    """Return one public record (a row of a ``vacant`` query) as a platform location.

    Contact data are never written (the format has no field for them); fields the platform
    does not record (floor area, rent, availability, utilities) are left out.
    """
    location_id = location_uuid(str(row["id"]), _text(row.get("source_key")) or None)
    out: dict[str, Any] = {
        "uuid": location_id,
        "title": _text(row.get("title")),
        "description": _text(row.get("description")),
        "street": _text(row.get("street")),
        "postcode": _text(row.get("postcode")),
        "city": _text(row.get("city")),
        "lonlat": [round(float(row["lon"]), 7), round(float(row["lat"]), 7)],
        "emptySince": _option("empty_options", _EXPORT_EMPTY_SINCE, row.get("vacant_since")),
        "degree": _option("degree_options", _reverse(DEGREE), row.get("degree")),
        "buildingType": _option(
            "building_type_options", _reverse(BUILDING_TYPE), row.get("building_type")
        ),
        "owner": _option("owner_options", _reverse(OWNER), row.get("owner_type")),
        "demolished": _text(row.get("status")) == VacancyStatus.DEMOLISHED.value,
        "demolition_rumor": row.get("demolition_rumor") is True,
        "hidden": False,
        "active": True,
        "slug": slug(_text(row.get("title")), location_id),
        "created": _timestamp(row.get("created_at")),
        "updated": _timestamp(row.get("updated_at")),
    }
    if region_uuid:
        out["region_uuid"] = region_uuid
    return out


def write_locations(rows: Iterable[Mapping[str, Any]], region_uuid: str = "") -> dict[str, Any]:
    """Return public records as the platform's list answer ``{page, pagesize, total, results}``."""
    results = [write_location(row, region_uuid) for row in rows]
    return {"page": 0, "pagesize": len(results), "total": len(results), "results": results}


def _reverse(mapping: Mapping[str, Any]) -> dict[str, str]:
    return {str(ours.value): theirs for theirs, ours in mapping.items()}


def _option(group: str, mapping: Mapping[str, str], value: Any) -> str:
    text = _text(value)
    return f"{PREFIX}{group}.{mapping[text]}" if text in mapping else UNKNOWN


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    try:
        if value != value:  # pandas NA / NaT
            return ""
    except TypeError:  # pd.NA refuses comparison
        return ""
    return str(value)


def _timestamp(value: Any) -> str | None:
    if value is None or not isinstance(value, datetime) or value != value:
        return None
    moment = value.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
