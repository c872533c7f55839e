"""Offline gazetteer: names, variants, counties and GeoNames districts, no network."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest

from heimatruhr_geo.boundaries import RUHR_AGS
from heimatruhr_geo.config import DEFAULT_DATA_DIR, Settings
from heimatruhr_geo.gazetteer import (
    COUNTY_SEATS,
    Gazetteer,
    load_gazetteer,
    name_variants,
    normalize,
)
from heimatruhr_geo.geocoding import Geocoder
from heimatruhr_geo.spatial import assign_municipalities


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    return load_gazetteer(DEFAULT_DATA_DIR, tmp_path_factory.mktemp("gazetteer-cache"))


@pytest.fixture(scope="module")
def names(municipalities: gpd.GeoDataFrame) -> dict[str, str]:
    return dict(zip(municipalities["ags"], municipalities["name"], strict=True))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mülheim an der Ruhr", "muelheim an der ruhr"),
        ("MUELHEIM AN DER RUHR", "muelheim an der ruhr"),
        ("Mülheim a.d. Ruhr", "muelheim an der ruhr"),
        ("Mülheim a. d. Ruhr", "muelheim an der ruhr"),
        ("Stadt Bochum", "bochum"),
        ("Gemeinde Bönen", "boenen"),
        ("Dortmund-Hörde", "dortmund hoerde"),
        ("  Straße ", "strasse"),
        ("Stadt", "stadt"),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_every_official_name_resolves_to_its_ags(
    gazetteer: Gazetteer, names: dict[str, str]
) -> None:
    assert sorted(names) == sorted(RUHR_AGS)
    wrong = {
        name: getattr(gazetteer.lookup(name), "ags", None)
        for ags, name in names.items()
        if getattr(gazetteer.lookup(name), "ags", None) != ags
    }
    assert wrong == {}


@pytest.mark.parametrize("spelling", [str.upper, str.lower, lambda n: "Stadt " + n])
def test_case_and_prefix_do_not_matter(
    gazetteer: Gazetteer, names: dict[str, str], spelling: object
) -> None:
    assert callable(spelling)
    for ags, name in names.items():
        place = gazetteer.lookup(spelling(name))
        assert place is not None and place.ags == ags, name


def test_umlauts_spelt_out(gazetteer: Gazetteer, names: dict[str, str]) -> None:
    spelt = {
        ags: name.replace("ü", "ue").replace("ö", "oe").replace("ä", "ae")
        for ags, name in names.items()
        if any(u in name for u in "äöü")
    }
    assert len(spelt) >= 5  # Mülheim, Hünxe, Bönen, Fröndenberg, Lünen, Sprockhövel
    for ags, name in spelt.items():
        place = gazetteer.lookup(name)
        assert place is not None and place.ags == ags, name


@pytest.mark.parametrize(
    ("variant", "ags"),
    [
        ("Mülheim", "05117000"),
        ("Mülheim a.d. Ruhr", "05117000"),
        ("Muelheim/Ruhr", "05117000"),
        ("Voerde", "05170044"),
        ("Voerde (Niederrhein)", "05170044"),
        ("Wetter", "05954032"),
        ("Wetter/Ruhr", "05954032"),
        ("Fröndenberg", "05978012"),
        ("Froendenberg/Ruhr", "05978012"),
        ("Haltern", "05562016"),
        ("haltern am see", "05562016"),
        ("Castrop Rauxel", "05562004"),
    ],
)
def test_usual_variants(gazetteer: Gazetteer, variant: str, ags: str) -> None:
    place = gazetteer.lookup(variant)
    assert place is not None
    assert (place.ags, place.kind) == (ags, "municipality")


@pytest.mark.parametrize(
    ("county", "key"),
    [
        ("Kreis Wesel", "05170"),
        ("Kreis Recklinghausen", "05562"),
        ("Ennepe-Ruhr-Kreis", "05954"),
        ("kreis unna", "05978"),
    ],
)
def test_counties_resolve_to_their_seat(gazetteer: Gazetteer, county: str, key: str) -> None:
    place = gazetteer.lookup(county)
    assert place is not None
    assert place.kind == "county"
    assert place.ags == COUNTY_SEATS[key]
    assert place.ags.startswith(key)


@pytest.mark.parametrize(
    ("district", "ags"),
    [
        ("Wattenscheid", "05911000"),
        ("Buer", "05513000"),
        ("Hörde", "05913000"),
        ("Hoerde", "05913000"),
        ("Rheinhausen", "05112000"),
        ("Dortmund-Hörde", "05913000"),
        ("Gelsenkirchen-Buer", "05513000"),
        ("Bochum-Wattenscheid", "05911000"),
    ],
)
def test_geonames_districts(gazetteer: Gazetteer, district: str, ags: str) -> None:
    place = gazetteer.lookup(district)
    assert place is not None
    assert (place.kind, place.ags) == ("district", ags)
    # the point really lies in that municipality
    assert assign_municipalities([place.lon], [place.lat])[0] == ags


def test_every_place_point_lies_in_its_municipality(gazetteer: Gazetteer) -> None:
    places = gazetteer.places()
    assert len(places) > 100
    lon = [p.lon for p in places]
    lat = [p.lat for p in places]
    assert list(assign_municipalities(lon, lat)) == [p.ags for p in places]


def test_district_prefixed_with_another_city_is_not_taken(gazetteer: Gazetteer) -> None:
    # Hörde is in Dortmund; "Bochum-Hörde" names Bochum, not Dortmund's district.
    place = gazetteer.lookup("Bochum-Hörde")
    assert place is not None and place.ags == "05911000" and place.kind == "municipality"


@pytest.mark.parametrize(
    ("parts", "city", "ags", "kind"),
    [
        (["Rottstraße 5, 44793 Bochum"], "", "05911000", "municipality"),
        (["Huyssenallee 53, 45128 Essen"], "", "05113000", "municipality"),
        (["Rottstraße 5 44793 Bochum"], "", "05911000", "municipality"),
        (["Hauptstraße 1, Wattenscheid"], "", "05911000", "district"),
        (["Rheinhausen, Duisburg"], "", "05112000", "district"),
        (["Kunst in Buer"], "", "05513000", "district"),
        ([], "44793 Bochum", "05911000", "municipality"),
        ([], "Mülheim a.d. Ruhr", "05117000", "municipality"),
    ],
)
def test_resolve_address_parts(
    gazetteer: Gazetteer, parts: list[str], city: str, ags: str, kind: str
) -> None:
    match = gazetteer.resolve(parts, city=city)
    assert match is not None
    assert (match.place.ags, match.place.kind) == (ags, kind)


@pytest.mark.parametrize(
    "text", ["Berlin", "Köln-Mülheim", "Alexanderplatz 1, 10178 Berlin", "", "44793", "Am Hamm 5"]
)
def test_unknown_names_resolve_to_nothing(gazetteer: Gazetteer, text: str) -> None:
    assert gazetteer.resolve([text]) is None


def test_name_variants_of_qualified_names() -> None:
    assert name_variants("Mülheim an der Ruhr") == {
        "muelheim an der ruhr",
        "muelheim",
        "muelheim ruhr",
    }
    assert "froendenberg" in name_variants("Fröndenberg/Ruhr")


def test_geonames_extraction_is_kept_in_the_cache_folder(tmp_path: Path) -> None:
    load_gazetteer(DEFAULT_DATA_DIR, tmp_path)
    files = list(tmp_path.glob("gazetteer-geonames*.json"))
    assert len(files) == 1
    items = json.loads(files[0].read_text(encoding="utf-8"))
    assert {"Wattenscheid", "Buer", "Hörde", "Rheinhausen"} <= {i["name"] for i in items}
    assert all(i["ags"] in RUHR_AGS for i in items)


def test_offline_geocoder_resolves_all_53_names(settings: Settings, names: dict[str, str]) -> None:
    geocoder = Geocoder(settings)
    results = geocoder.geocode_many(list(names.values()))
    assert [r.ags for r in results] == list(names)
    assert {r.precision for r in results} == {"municipality"}
    assert {r.source for r in results} <= {"gazetteer", "centroid"}
    assert all("offline" in r.reason for r in results)
    geocoder.close()
