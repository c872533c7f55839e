"""The space finder on hand-made buildings at known distances, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pytest
from pyproj import Transformer

from heimatruhr_geo.config import Settings
from heimatruhr_geo.demo import demo_records
from heimatruhr_geo.errors import InputError
from heimatruhr_geo.finder import (
    DEFAULT_RADIUS_M,
    MAX_RADIUS_M,
    RESULT_COLUMNS,
    Needs,
    SpaceIndex,
    SpaceSearch,
    Suggestion,
    contact_text,
    count_spaces,
    find_nearest,
    find_spaces,
    format_distance,
    suggestions,
)
from heimatruhr_geo.gazetteer import STATIONS
from heimatruhr_geo.geocoding import Geocoder
from heimatruhr_geo.models import CreativeSpace, Moderation, ProjectType, VacantBuilding
from heimatruhr_geo.spatial import assign_municipalities
from heimatruhr_geo.store import Store

# Every store test runs on SQLite and on PostgreSQL (the backend fixtures of test_store).

HBF = (51.47868, 7.22326)  # Bochum Hauptbahnhof (lat, lon)
_TO_METRIC = Transformer.from_crs("EPSG:4326", "EPSG:25832", always_xy=True)
_TO_WGS = Transformer.from_crs("EPSG:25832", "EPSG:4326", always_xy=True)


def at(east_m: float, north_m: float) -> tuple[float, float]:
    """Return (lon, lat) of the point ``east_m``/``north_m`` metres (EPSG:25832) from HBF."""
    x, y = _TO_METRIC.transform(HBF[1], HBF[0])
    lon, lat = _TO_WGS.transform(x + east_m, y + north_m)
    return float(lon), float(lat)


def building(id_: str, east_m: float, north_m: float = 0.0, **kw: Any) -> VacantBuilding:
    """A published vacant building that meets every need unless ``kw`` says otherwise."""
    lon, lat = at(east_m, north_m)
    values: dict[str, Any] = {
        "id": id_,
        "title": f"Halle {id_}",
        "lon": lon,
        "lat": lat,
        "building_type": "industrial",
        "floor_area_m2": 150,
        "rent_band": "free",
        "available_from": date(2026, 1, 1),
        "available_until": date(2026, 12, 31),
        "power": True,
        "water": True,
        "heating": True,
        "step_free": True,
        "status": "vacant",
        "moderation": "published",
        "contact_public": f"{id_}@example.org",
    }
    values.update(kw)
    return VacantBuilding(**values)


def ids(frame: Any) -> list[str]:
    return [str(i) for i in frame["id"]]


def search(radius_m: int = 1000, **needs: Any) -> SpaceSearch:
    return SpaceSearch(HBF[0], HBF[1], radius_m, Needs(**needs))


@dataclass(frozen=True)
class Finder:
    """Searches through the database or an in-memory index (read or built from a frame)."""

    via: str

    def index(self, store: Store) -> SpaceIndex | None:
        if self.via == "frame":  # what the page does: from the published records it holds
            return SpaceIndex.from_frame(store.query("vacant"))
        return SpaceIndex.load(store) if self.via == "memory" else None

    def find(self, store: Store, s: SpaceSearch, limit: int | None = None) -> pd.DataFrame:
        return find_nearest(store, s, limit, index=self.index(store)).frame

    def count(self, store: Store, s: SpaceSearch) -> int:
        return count_spaces(store, s, index=self.index(store))

    def suggest(self, store: Store, s: SpaceSearch) -> list[Suggestion]:
        return suggestions(store, s, index=self.index(store))


@pytest.fixture(params=["database", "memory", "frame"])
def finder(request: pytest.FixtureRequest) -> Finder:
    return Finder(str(request.param))


# ---------------------------------------------------------------------- distances


def test_radius_edge_999_in_1001_out(finder: Finder, store: Store) -> None:
    store.add_many([building("in999", 999.0), building("out1001", 1001.0)])
    found = finder.find(store, search(1000))
    assert ids(found) == ["in999"]
    assert found["distance_m"].iloc[0] == pytest.approx(999.0, abs=0.01)
    assert ids(finder.find(store, search(1002))) == ["in999", "out1001"]


def test_edges_in_every_direction(finder: Finder, store: Store) -> None:
    # the flat prefilter must not drop buildings just inside the circle, diagonals included
    inside = [(999, 0), (-999, 0), (0, 999), (0, -999), (706, 706), (-706, -706)]
    outside = [(1001, 0), (-1001, 0), (0, 1001), (0, -1001), (708, 708), (-708, 708)]
    store.add_many(
        [building(f"in{i}", e, n) for i, (e, n) in enumerate(inside)]
        + [building(f"out{i}", e, n) for i, (e, n) in enumerate(outside)]
    )
    assert sorted(ids(finder.find(store, search(1000)))) == [f"in{i}" for i in range(6)]
    assert finder.count(store, search(1000)) == 6


def test_nearest_first_ties_by_id(finder: Finder, store: Store) -> None:
    store.add_many(
        [
            building("c", 0, 2500),
            building("a", -300, 0),
            building("b", 0, 300),  # same distance as "a": id order
            building("d", 50, -50),
            building("e", 700, 700),
        ]
    )
    found = finder.find(store, search(5000))
    assert ids(found) == ["d", "a", "b", "e", "c"]
    assert list(found.columns) == RESULT_COLUMNS
    assert np.all(np.diff(found["distance_m"].to_numpy()) >= 0)
    assert found["distance_m"].tolist() == pytest.approx(
        [np.hypot(50, 50), 300, 300, np.hypot(700, 700), 2500], abs=0.01
    )
    assert ids(finder.find(store, search(5000), limit=2)) == ["d", "a"]
    nearest = find_nearest(store, search(5000), 2)
    assert (ids(nearest.frame), nearest.total) == (["d", "a"], 5)
    counted = find_nearest(store, search(500), 0)  # counted, none listed
    assert counted.frame.empty and counted.total == 3
    assert found["municipality"].unique().tolist() == ["Bochum"]


def test_only_published_usable_vacant_buildings(finder: Finder, store: Store) -> None:
    store.add_many(
        [
            building("vacant", 100),
            building("temporary", 200, status="temporary_use"),
            building("rented", 300, status="rented"),
            building("demolished", 400, status="demolished"),
            building("pending", 500, moderation="pending"),
            building("rejected", 600, moderation="rejected"),
            CreativeSpace(
                title="Atelier",
                lon=at(50, 0)[0],
                lat=at(50, 0)[1],
                project_type=ProjectType.STUDIO,
                moderation=Moderation.PUBLISHED,
            ),
        ]
    )
    assert ids(finder.find(store, search(1000))) == ["vacant", "temporary"]


def test_a_stale_index_never_shows_an_unpublished_building(store: Store) -> None:
    store.add_many([building("a", 100), building("b", 200), building("c", 300, status="rented")])
    index = SpaceIndex.load(store)
    assert len(index) == 2
    store.decide("a", "reject", "alice", "not usable any more")
    found = find_nearest(store, search(1000), index=index)
    assert ids(found.frame) == ["b"] and found.total == 2  # counted until the index is rebuilt
    assert found.frame["distance_m"].tolist() == pytest.approx([200.0], abs=0.01)
    assert len(SpaceIndex.load(store)) == 1


# ---------------------------------------------------------------------- needs

NEED_CASES: list[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]] = [
    # (need, values of a building that fails it, values of one that just meets it)
    ({"min_area_m2": 80}, {"floor_area_m2": 79.5}, {"floor_area_m2": 80}),
    ({"min_area_m2": 80}, {"floor_area_m2": None}, {"floor_area_m2": 1000}),
    ({"rent_bands": ("free",)}, {"rent_band": "below_market"}, {"rent_band": "free"}),
    ({"rent_bands": ("free", "market")}, {"rent_band": None}, {"rent_band": "market"}),
    ({"power": True}, {"power": False}, {"power": True}),
    ({"power": True}, {"power": None}, {"power": True}),
    ({"water": True}, {"water": False}, {"water": True}),
    ({"heating": True}, {"heating": None}, {"heating": True}),
    ({"step_free": True}, {"step_free": False}, {"step_free": True}),
    (
        {"building_types": ("historical",)},
        {"building_type": "other"},
        {"building_type": "historical"},
    ),
    (
        {"available_on": date(2026, 3, 1)},
        {"available_from": date(2026, 3, 2)},
        {"available_from": date(2026, 3, 1), "available_until": date(2026, 3, 1)},
    ),
    (
        {"available_on": date(2026, 3, 1)},
        {"available_from": date(2025, 1, 1), "available_until": date(2026, 2, 28)},
        {"available_from": None, "available_until": None},
    ),
]


@pytest.mark.parametrize(("need", "fails", "meets"), NEED_CASES)
def test_each_need(
    finder: Finder, store: Store, need: dict[str, Any], fails: dict[str, Any], meets: dict[str, Any]
) -> None:
    store.add_many([building("fails", 100, **fails), building("meets", 200, **meets)])
    assert ids(finder.find(store, search(1000, **need))) == ["meets"]
    assert ids(finder.find(store, search(1000))) == ["fails", "meets"]  # no need: both


def test_all_needs_together_and_unknown_values(finder: Finder, store: Store) -> None:
    store.add_many(
        [
            building("all", 300),
            building("small", 100, floor_area_m2=20),
            building("unknown", 200, power=None, water=None, heating=None, step_free=None),
        ]
    )
    needs = {
        "min_area_m2": 80, "rent_bands": ("free",), "available_on": date(2026, 6, 1),
        "power": True, "water": True, "heating": True, "step_free": True,
        "building_types": ("industrial",),
    }  # fmt: skip
    assert ids(finder.find(store, search(1000, **needs))) == ["all"]
    found = finder.find(store, search(1000))
    assert found.set_index("id").loc["unknown", "power"] is None
    assert found.set_index("id").loc["all", "available_from"] == "2026-01-01"


# ---------------------------------------------------------------------- suggestions


def test_empty_result_suggests_counted_relaxations(finder: Finder, store: Store) -> None:
    store.add_many(
        [
            building("far", 1500),  # found by doubling the radius
            building("small", 300, floor_area_m2=40, step_free=False),  # two needs fail
            building("warm", 400, heating=False),  # found without the heating need
        ]
    )
    wanted = search(1000, min_area_m2=80, heating=True, step_free=True)
    assert finder.find(store, wanted).empty
    found = {s.change: s.count for s in finder.suggest(store, wanted)}
    assert found == {"radius": 1, "heating": 1, "all_needs": 2}  # "far" only in the wider circle
    first = finder.suggest(store, wanted)[0]
    assert first.change == "all_needs" and first.search.needs == Needs()
    assert len(finder.find(store, first.search)) == first.count


def test_suggestions_at_the_largest_radius(finder: Finder, store: Store) -> None:
    assert finder.suggest(store, search(MAX_RADIUS_M, power=True)) == []
    store.add(building("dark", 100, power=False))
    (only,) = finder.suggest(store, search(MAX_RADIUS_M, power=True))
    assert (only.change, only.count) == ("power", 1)


# ---------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"radius_m": 499}, "radius_m=499"),
        ({"radius_m": 25_001}, "radius_m=25001"),
        ({"radius_m": float("nan")}, "radius_m=nan"),
        ({"lat": 52.5}, "lat=52.5"),
        ({"lon": float("inf")}, "lon=inf"),
        ({"lat": "51.4"}, "lat='51.4'"),
    ],
)
def test_bad_search(kwargs: dict[str, Any], message: str) -> None:
    values: dict[str, Any] = {"lat": HBF[0], "lon": HBF[1], "radius_m": 1000} | kwargs
    with pytest.raises(InputError, match=message.replace("(", r"\(")):
        SpaceSearch(**values)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"min_area_m2": -1}, "min_area_m2=-1"),
        ({"min_area_m2": float("nan")}, "min_area_m2=nan"),
        ({"rent_bands": ("cheap",)}, "rent_bands=\\['cheap'\\]"),
        ({"rent_bands": "free"}, "not the text"),
        ({"building_types": ("castle",)}, "building_types"),
        ({"power": "yes"}, "power='yes'"),
        ({"available_on": "2026-01-01"}, "available_on"),
    ],
)
def test_bad_needs(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError, match=message):
        Needs(**kwargs)


def test_radius_bounds_are_allowed_and_needs_are_canonical() -> None:
    assert SpaceSearch(HBF[0], HBF[1], 500).radius_m == 500
    assert SpaceSearch(HBF[0], HBF[1], 24_999.6).radius_m == 25_000  # type: ignore[arg-type]
    assert Needs(rent_bands=("market", "free")) == Needs(rent_bands=("free", "market", "free"))
    assert Needs(power=True, min_area_m2=10).active() == ("min_area_m2", "power")
    assert Needs(power=True).without("power") == Needs()
    with pytest.raises(InputError, match="need='colour'"):
        Needs().without("colour")
    with pytest.raises(InputError, match="limit=-1"):
        find_spaces(None, search(), limit=-1)  # type: ignore[arg-type]


# ---------------------------------------------------------------------- URL


def test_url_round_trip() -> None:
    full = SpaceSearch(
        51.5, 7.2, 7500,
        Needs(80.5, ("free", "below_market"), date(2026, 5, 1), True, False, True, True,
              ("industrial", "other")),
        place="Kortumstraße 5, Bochum",
    )  # fmt: skip
    params = full.to_query_params()
    assert params["needs"] == "power,heating,step_free"
    assert params["place"] == "Kortumstraße 5, Bochum"
    again, problems = SpaceSearch.from_query_params(params | {"lang": "en"})
    assert (again, problems) == (full, [])
    plain = SpaceSearch(51.5, 7.2)
    assert SpaceSearch.from_query_params(plain.to_query_params()) == (plain, [])
    assert set(plain.to_query_params()) == {"lat", "lon", "radius"}


def test_url_garbage_is_dropped_with_warnings() -> None:
    params = {
        "lat": "51.5", "lon": "7.2", "radius": "99999", "min_area": "-3", "rent": "free,cheap",
        "date": "2026-02-30", "needs": "power,wifi", "types": "<script>", "evil": "1",
    }  # fmt: skip
    found, problems = SpaceSearch.from_query_params(params)
    assert found == SpaceSearch(
        51.5, 7.2, DEFAULT_RADIUS_M, Needs(rent_bands=("free",), power=True)
    )
    text = " ".join(problems)
    for bad in ("radius='99999'", "min_area='-3'", "'cheap'", "date='2026-02-30'", "'wifi'"):
        assert bad in text
    assert "'<script>'" in text and "'evil' is unknown" in text
    assert len(problems) == 7


@pytest.mark.parametrize(
    ("params", "warnings"),
    [({}, 0), ({"lat": "51.5"}, 0), ({"lat": "abc", "lon": "7.2"}, 1),
     ({"lat": "48.1", "lon": "11.5"}, 2), ({"lat": ["51.5", "51.6"], "lon": "7.2"}, 1),
     ({"lat": "nan", "lon": "7.2"}, 1)],
)  # fmt: skip
def test_url_without_a_usable_centre(params: dict[str, Any], warnings: int) -> None:
    found, problems = SpaceSearch.from_query_params(params)
    assert found is None
    assert len(problems) == warnings


def test_url_place_is_clipped() -> None:
    found, _ = SpaceSearch.from_query_params({"lat": "51.5", "lon": "7.2", "place": "x" * 5000})
    assert found is not None and len(found.place) == 200


# ---------------------------------------------------------------------- texts


@pytest.mark.parametrize(
    ("metres", "lang", "text"),
    [
        (0.0, "de", "0 m"), (44.0, "de", "40 m"), (994.9, "en", "990 m"),
        (999.0, "de", "1,0 km"), (1001.0, "en", "1.0 km"), (12_345.0, "de", "12,3 km"),
        (25_000.0, "en", "25.0 km"),
    ],
)  # fmt: skip
def test_format_distance(metres: float, lang: str, text: str) -> None:
    assert format_distance(metres, lang) == text


def test_contact_or_culture_office() -> None:
    assert contact_text(" raum@example.org ", "Bochum", "de") == "raum@example.org"
    assert contact_text("", "Herne", "de") == (
        "Kein öffentlicher Kontakt: beim Kulturamt von Herne nachfragen"
    )
    assert contact_text(None, "Hamm", "en").endswith("culture office of Hamm")


# ---------------------------------------------------------------------- places and demo


@pytest.mark.parametrize("text", ["Bochum Hauptbahnhof", "Bochum Hbf", "Hauptbahnhof Bochum"])
def test_main_station_is_found_offline(settings: Settings, text: str) -> None:
    result = Geocoder(settings).geocode(text)
    assert result.found and result.precision == "address" and result.source == "gazetteer"
    assert (result.lat, result.lon) == pytest.approx(HBF, abs=1e-4)
    assert result.ags == "05911000"


def test_every_station_lies_in_its_city() -> None:
    lon = [lon for _, _, lon in STATIONS.values()]
    lat = [lat for _, lat, _ in STATIONS.values()]
    assert list(assign_municipalities(lon, lat)) == list(STATIONS)
    assert len(STATIONS) == 11


def test_demo_has_a_free_step_free_space_near_bochum_hbf(store: Store, settings: Settings) -> None:
    store.add_many([r for r in demo_records() if r.layer == "vacant"])
    centre = Geocoder(settings).geocode("Bochum Hauptbahnhof")
    assert centre.lat is not None and centre.lon is not None
    needs = Needs(80, ("free",), step_free=True)
    wanted = SpaceSearch(centre.lat, centre.lon, 5000, needs, "Bochum Hbf")
    found = find_spaces(store, wanted)
    assert len(found) >= 1
    assert (found["floor_area_m2"] >= 80).all() and (found["distance_m"] <= 5000).all()
    assert found["contact_public"].str.contains("@").any()
