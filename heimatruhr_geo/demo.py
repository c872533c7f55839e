"""Reproducible demo data for the three layers, spread over the 53 municipalities.

Records are shared out by (approximate) population, so the big cities get more; their
points are drawn inside the municipality polygons (sample in the bounds, keep the points
that :func:`~heimatruhr_geo.spatial.assign_municipalities` puts in the wanted AGS). Every
record is ``source="demo"`` and ``published`` and has a stable ``source_key``, so seeding
the same ``n`` and ``seed`` twice stores nothing new. Survey responses are anonymous; the
three smallest municipalities get fewer than five, so the k-anonymity rule shows. Every
second vacant building has a public contact, and the first one in Bochum is a showcase
for the space finder (:data:`SHOWCASE_VACANT`).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely

from heimatruhr_geo.boundaries import default_path, load_municipalities
from heimatruhr_geo.config import DEFAULT_DATA_DIR
from heimatruhr_geo.errors import InputError
from heimatruhr_geo.models import (
    BuildingType,
    CreativeSpace,
    Discipline,
    OwnerType,
    ProjectType,
    Record,
    RentBand,
    SurveyResponse,
    VacancyDegree,
    VacancyStatus,
    VacantBuilding,
    VacantSince,
)
from heimatruhr_geo.store import Store, WriteCounts

logger = logging.getLogger(__name__)

DEFAULT_N = 5000
MAX_N = 1_000_000
LAYER_SHARES = {"spaces": 0.4, "vacant": 0.3, "survey": 0.3}
SMALL_SURVEY_MUNICIPALITIES = 3
"""How many of the smallest municipalities get fewer than k = 5 survey responses."""
_BASE_TIME = datetime(2025, 1, 1, tzinfo=UTC)
SHOWCASE_AGS = "05911000"
SHOWCASE_VACANT: dict[str, Any] = {
    "lon": 7.2120,
    "lat": 51.4720,
    "floor_area_m2": 120.0,
    "rent_band": "free",
    "available_from": date(2026, 1, 1),
    "available_until": None,
    "power": True,
    "water": True,
    "heating": True,
    "step_free": True,
    "status": "vacant",
    "contact_public": "kulturraum-bochum@example.org",
}
"""Fields of the first vacant building in Bochum: about 1 km from Bochum Hauptbahnhof, free,
step-free, 120 m², with a public contact, so the space finder always has a showcase."""

POPULATION_K: dict[str, float] = {
    "05112000": 503, "05113000": 584, "05117000": 172, "05119000": 211,
    "05170004": 12.7, "05170008": 68, "05170012": 27.5, "05170016": 13.7,
    "05170020": 37.5, "05170024": 104, "05170028": 27, "05170032": 31,
    "05170036": 13.7, "05170040": 8.8, "05170044": 36, "05170048": 61,
    "05170052": 22, "05512000": 117, "05513000": 263, "05562004": 74,
    "05562008": 35, "05562012": 75, "05562014": 76, "05562016": 38,
    "05562020": 62, "05562024": 85, "05562028": 31, "05562032": 111,
    "05562036": 29.5, "05911000": 364, "05913000": 593, "05914000": 189,
    "05915000": 180, "05916000": 157, "05954004": 9, "05954008": 30,
    "05954012": 31, "05954016": 54, "05954020": 22.5, "05954024": 28.5,
    "05954028": 25, "05954032": 27.5, "05954036": 96, "05978004": 49,
    "05978008": 18, "05978012": 20.5, "05978016": 17.5, "05978020": 43,
    "05978024": 86, "05978028": 46, "05978032": 26, "05978036": 59,
    "05978040": 29.5,
}  # fmt: skip
"""Approximate inhabitants in thousands (rounded, around 2022); used only to weight demo data."""

_SPACE_WORDS = {
    "studio": ["Atelier", "Atelierhaus", "Malschule"],
    "gallery": ["Galerie", "Kunstraum", "Ausstellungshalle"],
    "stage": ["Kulturbühne", "Theater", "Spielstätte"],
    "music": ["Klangraum", "Proberaum", "Musikwerkstatt"],
    "workshop": ["Makerspace", "Offene Werkstatt", "Repair-Café"],
    "meeting_place": ["Stadtteiltreff", "Kulturcafé", "Nachbarschaftshaus"],
    "public_art": ["Kunstpfad", "Wandbild", "Lichtkunst"],
    "coworking": ["Kreativquartier", "Co-Working", "Designbüro"],
    "festival": ["Sommerfestival", "Hoffest", "Zwischennutzung"],
}
_PLACES = [
    "Alte Kaue", "Lokschuppen", "Wasserturm", "Kohlenwäsche", "Hinterhof", "Markthalle",
    "am Kanal", "an der Ruhr", "im Hafen", "Zechenhaus", "Malakowturm", "Bahnhof Nord",
    "Kirchviertel", "Gartenstadt", "Hüttenwerk", "Schacht 2",
]  # fmt: skip
_VACANT_WORDS = {
    "residential": ["Leerstehendes Wohnhaus", "Zechenhaus", "Altbau"],
    "commercial": ["Ehemaliges Ladenlokal", "Früheres Kaufhaus", "Leere Gaststätte"],
    "industrial": ["Lagerhalle", "Werkhalle", "Ehemalige Schlosserei"],
    "historical": ["Alte Villa", "Denkmalgeschützte Mühle", "Ehemalige Zechenkaue"],
    "public_works": ["Alte Schule", "Ehemaliges Postamt", "Frühere Stadtbücherei"],
    "other": ["Verwaiste Kirche", "Alter Kiosk", "Ehemaliges Kino"],
}
_SPACE_TEXT = "Demo-Datensatz: ausgedachtes Projekt für die Vorschau der Karte."
_VACANT_TEXT = "Demo-Datensatz: ausgedachter Leerstand für die Vorschau der Karte."
_STREETS = [
    "Bahnhofstraße", "Hauptstraße", "Kirchstraße", "Schulstraße", "Zechenstraße",
    "Hüttenweg", "Am Markt", "Kanalstraße", "Ruhrstraße", "Hellweg", "Lindenallee",
    "Grubenweg",
]  # fmt: skip
_IDENTITY_TEXTS = [
    "Die Zechengeschichte prägt meine Arbeit.",
    "Heimat ist für mich die Nachbarschaft, nicht die Stadtgrenze.",
    "Ich arbeite mit Menschen aus dem Viertel.",
    "Lokale Identität ist mir weniger wichtig als gute Arbeitsbedingungen.",
    "",
]
_PLACES_TEXTS = [
    "Bezahlbare Ateliers in leeren Ladenlokalen.",
    "Offene Industriehallen für große Formate.",
    "Orte, an denen man proben und zeigen kann.",
    "Räume mit Strom, Heizung und barrierefreiem Zugang.",
    "",
]


def demo_records(
    n: int = DEFAULT_N, seed: int = 1, data_dir: Path = DEFAULT_DATA_DIR
) -> list[Record]:
    """Generate ``n`` validated demo records over the three layers.

    Parameters
    ----------
    n
        Total number of records (1 to 1,000,000), shared out by :data:`LAYER_SHARES`.
    seed
        Seed of the numpy random generator; the same ``n`` and ``seed`` give the same data.
    data_dir
        Folder with the municipality boundaries.

    Returns
    -------
    list of Record
        Published records with ``source="demo"`` and stable ``source_key`` values.
    """
    return _generate(n, seed, data_dir)[0]


def _generate(n: int, seed: int, data_dir: Path) -> tuple[list[Record], npt.NDArray[np.object_]]:
    """Return the demo records and, per record, the AGS of the municipality it was drawn in."""
    if not 1 <= n <= MAX_N:
        raise InputError(f"n={n} is not allowed; use 1 to {MAX_N:,}")
    rng = np.random.default_rng(seed)
    municipalities = load_municipalities(default_path(data_dir))
    keys = [str(a) for a in municipalities["ags"]]
    weights = np.array([POPULATION_K[a] for a in keys], dtype=float)
    weights /= weights.sum()
    sizes = _layer_sizes(n)
    names = dict(zip(keys, municipalities["name"], strict=True))
    records: list[Record] = []
    drawn_in: list[npt.NDArray[np.object_]] = []
    for layer, size in sizes.items():
        per_muni = rng.multinomial(size, weights)
        if layer == "survey":
            per_muni = _few_in_smallest(per_muni, weights, rng)
        ags = np.repeat(np.array(keys, dtype=object), per_muni)
        lon, lat = _points_in(municipalities, per_muni, rng)
        drawn_in.append(ags)
        builder = {"spaces": _spaces, "vacant": _vacant, "survey": _survey}[layer]
        records += builder(_Draw(lon, lat, ags, names, rng, seed))
    logger.info("generated %d demo records (seed %d): %s", len(records), seed, sizes)
    return records, np.concatenate(drawn_in)


def seed_demo(store: Store, n: int = DEFAULT_N, seed: int = 1) -> WriteCounts:
    """Generate demo data and store it (idempotent for the same ``n`` and ``seed``).

    The generator knows the municipality of every point it drew, so the store only checks
    those (vectorized, per municipality) instead of searching all 53 for each point.
    """
    start = time.perf_counter()
    records, ags = _generate(n, seed, store.data_dir)
    generated = time.perf_counter()
    counts = store.import_records(records, ags=ags)
    logger.info(
        "demo data: %d records generated in %.2f s, stored in %.2f s",
        len(records),
        generated - start,
        time.perf_counter() - generated,
    )
    return counts


def seed_if_empty(store: Store, n: int = DEFAULT_N, seed: int = 1) -> bool:
    """Seed the demo data when the store holds no record at all; return whether it did.

    The app calls this on start so that a fresh installation shows a living map.
    """
    if not store.is_empty():
        return False
    counts = seed_demo(store, n, seed)
    logger.info("empty database seeded with %d demo records", counts.inserted)
    return True


def _layer_sizes(n: int) -> dict[str, int]:
    spaces = round(n * LAYER_SHARES["spaces"])
    vacant = round(n * LAYER_SHARES["vacant"])
    return {"spaces": spaces, "vacant": vacant, "survey": n - spaces - vacant}


def _few_in_smallest(
    counts: npt.NDArray[np.int64], weights: npt.NDArray[np.float64], rng: np.random.Generator
) -> npt.NDArray[np.int64]:
    """Cap the smallest municipalities below k = 5 and give the surplus to the largest."""
    out = counts.copy()
    smallest = np.argsort(weights, kind="stable")[:SMALL_SURVEY_MUNICIPALITIES]
    capped = np.minimum(out[smallest], rng.integers(1, 5, size=len(smallest)))
    surplus = int((out[smallest] - capped).sum())
    out[smallest] = capped
    out[int(np.argmax(weights))] += surplus
    return out


def _points_in(
    municipalities: Any, counts: npt.NDArray[np.int64], rng: np.random.Generator
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Draw ``counts[i]`` uniform points inside municipality ``i`` (rejection sampling).

    Each batch is tested against the one polygon with a prepared ``contains_xy``: points
    on a border are rejected, exactly as :func:`~heimatruhr_geo.spatial.assign_municipalities`
    assigns them to no municipality, so the points do not depend on which of the two is used.
    """
    lons, lats = [], []
    for geometry, want, bounds in zip(
        municipalities.geometry, counts, municipalities.geometry.bounds.to_numpy(), strict=True
    ):
        shapely.prepare(geometry)
        got_lon: list[npt.NDArray[np.float64]] = []
        got_lat: list[npt.NDArray[np.float64]] = []
        have = 0
        while have < want:
            batch = max(64, int((want - have) * 3))
            x = rng.uniform(bounds[0], bounds[2], batch)
            y = rng.uniform(bounds[1], bounds[3], batch)
            inside = shapely.contains_xy(geometry, x, y)
            got_lon.append(x[inside])
            got_lat.append(y[inside])
            have += int(inside.sum())
        lons.append(np.concatenate(got_lon)[:want] if got_lon else np.empty(0))
        lats.append(np.concatenate(got_lat)[:want] if got_lat else np.empty(0))
    lon = np.round(np.concatenate(lons), 6).astype(np.float64)
    lat = np.round(np.concatenate(lats), 6).astype(np.float64)
    return lon, lat


@dataclass(frozen=True)
class _Draw:
    """The points drawn for one layer, their municipalities and the shared generator."""

    lon: npt.NDArray[np.float64]
    lat: npt.NDArray[np.float64]
    ags: npt.NDArray[np.object_]
    names: dict[str, str]
    rng: np.random.Generator
    seed: int

    def common(self, i: int, layer: str) -> dict[str, Any]:
        """Return the fields every demo record ``i`` of ``layer`` has."""
        created = _BASE_TIME + timedelta(minutes=int(self.rng.integers(0, 60 * 24 * 600)))
        return {
            "id": f"demo{self.seed}{layer[:2]}{i:07d}",
            "lon": float(self.lon[i]),
            "lat": float(self.lat[i]),
            "source": "demo",
            "source_key": f"demo:{self.seed}:{layer}:{i}",
            "moderation": "published",
            "created_at": created,
            "updated_at": created,
            "geocode_precision": "address",
            "geocode_source": "demo",
        }


def _spaces(draw: _Draw) -> list[Record]:
    count, rng, names, ags = len(draw.ags), draw.rng, draw.names, draw.ags
    types = rng.choice([t.value for t in ProjectType], count)
    statuses = rng.choice(
        ["proposed", "under_review", "funded", "realized", "rejected", "withdrawn"],
        count,
        p=[0.15, 0.10, 0.35, 0.35, 0.03, 0.02],
    )
    amounts = np.round(rng.lognormal(9.6, 0.7, count), -2).clip(500, 250_000)
    years = rng.integers(2019, 2027, count)
    out: list[Record] = []
    for i in range(count):
        kind = str(types[i])
        funded = statuses[i] in ("funded", "realized")
        title = f"{_pick(rng, _SPACE_WORDS[kind])} {_pick(rng, _PLACES)} {names[str(ags[i])]}"
        out.append(
            CreativeSpace.model_validate(
                dict(
                    **draw.common(i, "spaces"),
                    title=title,
                    description=_SPACE_TEXT,
                    project_type=kind,
                    status=str(statuses[i]),
                    funding_program="#heimatruhr" if funded else "",
                    funding_amount_eur=float(amounts[i]) if funded else None,
                    funding_year=int(years[i]) if funded else None,
                    street=_street(rng),
                )
            )
        )
    return out


def _vacant(draw: _Draw) -> list[Record]:
    count, rng, names, ags = len(draw.ags), draw.rng, draw.names, draw.ags
    types = rng.choice([t.value for t in BuildingType], count)
    start = date(2026, 1, 1)
    showcase = next((i for i in range(count) if ags[i] == SHOWCASE_AGS), None)
    out: list[Record] = []
    for i in range(count):
        kind = str(types[i])
        available_from = start + timedelta(days=int(rng.integers(0, 365)))
        until = (
            available_from + timedelta(days=int(rng.integers(30, 1000)))
            if rng.random() < 0.6
            else None
        )
        values: dict[str, Any] = dict(
            **draw.common(i, "vacant"),
            title=f"{_pick(rng, _VACANT_WORDS[kind])} {names[str(ags[i])]}",
            description=_VACANT_TEXT,
            building_type=kind,
            owner_type=_pick(rng, _OWNER_TYPES),
            vacant_since=_pick(rng, _VACANT_SINCE),
            degree=_pick(rng, _DEGREES),
            floors=int(rng.integers(1, 7)),
            floor_area_m2=float(np.round(rng.lognormal(5.3, 0.8), 0)),
            rent_band=_pick(rng, _RENT_BANDS),
            available_from=available_from,
            available_until=until,
            power=bool(rng.random() < 0.8),
            water=bool(rng.random() < 0.7),
            heating=bool(rng.random() < 0.5),
            step_free=bool(rng.random() < 0.3),
            status=_VACANCY_STATUSES[int(_STATUS_CDF.searchsorted(rng.random(), side="right"))],
            street=_street(rng),
            contact_public=f"leerstand-{i}@example.org" if i % 2 == 0 else "",
        )
        if i == showcase:
            values |= SHOWCASE_VACANT
        out.append(VacantBuilding.model_validate(values))
    return out


def _survey(draw: _Draw) -> list[Record]:
    count, rng = len(draw.ags), draw.rng
    disciplines = rng.choice([d.value for d in Discipline], count)
    identity = rng.choice([1, 2, 3, 4, 5], count, p=[0.05, 0.1, 0.25, 0.35, 0.25])
    space = rng.choice([1, 2, 3, 4, 5], count, p=[0.25, 0.3, 0.25, 0.15, 0.05])
    # the two optional ratings; 0 = not answered
    region = rng.choice([0, 1, 2, 3, 4, 5], count, p=[0.1, 0.05, 0.15, 0.3, 0.3, 0.1])
    vacancy = rng.choice([0, 1, 2, 3, 4, 5], count, p=[0.15, 0.05, 0.1, 0.2, 0.25, 0.25])
    out: list[Record] = []
    for i in range(count):
        common = draw.common(i, "survey")
        common["geocode_precision"] = "municipality"
        out.append(
            SurveyResponse.model_validate(
                dict(
                    **common,
                    discipline=str(disciplines[i]),
                    identity_rating=int(identity[i]),
                    space_rating=int(space[i]),
                    region_rating=int(region[i]) or None,
                    vacancy_rating=int(vacancy[i]) or None,
                    identity_text=_pick(rng, _IDENTITY_TEXTS),
                    places_text=_pick(rng, _PLACES_TEXTS),
                )
            )
        )
    return out


_OWNER_TYPES = [o.value for o in OwnerType]
_VACANT_SINCE = [v.value for v in VacantSince]
_DEGREES = [d.value for d in VacancyDegree]
_RENT_BANDS = [r.value for r in RentBand]
_VACANCY_STATUSES = [s.value for s in VacancyStatus]
_STATUS_CDF = np.cumsum([0.7, 0.15, 0.1, 0.05])
_STATUS_CDF /= _STATUS_CDF[-1]
"""What ``rng.choice(_VACANCY_STATUSES, p=[0.7, 0.15, 0.1, 0.05])`` searches its draw in."""


def _pick(rng: np.random.Generator, values: list[str]) -> str:
    """Return ``str(rng.choice(values))``: the same draw, without converting ``values``.

    ``Generator.choice`` of a flat list without weights draws ``integers(0, len(values))``;
    calling that directly is about 4 times faster per record and keeps the demo data the
    same for the same seed (the test's fingerprint checks it).
    """
    return values[int(rng.integers(0, len(values)))]


def _street(rng: np.random.Generator) -> str:
    return f"{_pick(rng, _STREETS)} {int(rng.integers(1, 120))}"
