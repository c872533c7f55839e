"""The shipped boundaries, the loader's validation and the rebuild from the source format."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.affinity import scale

from heimatruhr_geo.boundaries import (
    COUNTIES,
    DRAWING_FILE,
    EXPECTED_AREA_KM2,
    RUHR_AGS,
    build_boundaries,
    load_municipalities,
    validate_municipalities,
)
from heimatruhr_geo.errors import DataError

COUNTY_FREE = {
    "05112000": "Duisburg",
    "05113000": "Essen",
    "05117000": "Mülheim an der Ruhr",
    "05119000": "Oberhausen",
    "05512000": "Bottrop",
    "05513000": "Gelsenkirchen",
    "05911000": "Bochum",
    "05913000": "Dortmund",
    "05914000": "Hagen",
    "05915000": "Hamm",
    "05916000": "Herne",
}


def test_shipped_file_holds_the_53_ruhr_municipalities(municipalities: gpd.GeoDataFrame) -> None:
    assert len(municipalities) == 53
    assert sorted(municipalities["ags"]) == sorted(RUHR_AGS)
    assert municipalities["ags"].is_unique
    assert municipalities.crs.to_epsg() == 4326
    assert shapely.is_valid(municipalities.geometry.values).all()


def test_total_area_matches_the_official_figure(municipalities: gpd.GeoDataFrame) -> None:
    metric_area = municipalities.to_crs("EPSG:25832").area.sum() / 1e6
    assert metric_area == pytest.approx(EXPECTED_AREA_KM2, rel=0.001)
    assert municipalities["area_km2"].sum() == pytest.approx(metric_area, abs=0.1)


def test_county_free_cities_and_district_sizes(municipalities: gpd.GeoDataFrame) -> None:
    names = dict(zip(municipalities["ags"], municipalities["name"], strict=True))
    assert {ags: names[ags] for ags in COUNTY_FREE} == COUNTY_FREE
    per_county = municipalities.groupby("county")["ags"].count().to_dict()
    assert per_county["Kreis Wesel"] == 13
    assert per_county["Kreis Recklinghausen"] == 10
    assert per_county["Ennepe-Ruhr-Kreis"] == 9
    assert per_county["Kreis Unna"] == 10
    assert set(municipalities["county"]) == set(COUNTIES.values())
    assert (municipalities["county_key"] == municipalities["ags"].str[:5]).all()


def test_drawing_copy_is_simplified_but_complete(municipalities: gpd.GeoDataFrame) -> None:
    drawing = gpd.read_file(Path(__file__).parent.parent / "data" / DRAWING_FILE)
    assert sorted(drawing["ags"]) == sorted(municipalities["ags"])
    full = shapely.get_num_coordinates(municipalities.geometry.values).sum()
    assert shapely.get_num_coordinates(drawing.geometry.values).sum() < full
    assert drawing.to_crs("EPSG:25832").area.sum() / 1e6 == pytest.approx(
        EXPECTED_AREA_KM2, rel=0.01
    )


def _drop_row(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return gdf.iloc[1:]


def _duplicate_key(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    gdf.loc[1, "ags"] = gdf.loc[0, "ags"]
    return gdf


def _unknown_key(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    gdf.loc[0, "ags"] = "09162000"  # München
    return gdf


def _no_crs(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return gdf.set_crs(None, allow_override=True)


def _bow_tie(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    gdf.loc[0, "geometry"] = shapely.Polygon([(7, 51), (7.1, 51.1), (7.1, 51), (7, 51.1)])
    return gdf


def _a_point(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    gdf.loc[0, "geometry"] = shapely.Point(7, 51.5)
    return gdf


def _too_large(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    gdf.loc[0, "geometry"] = scale(gdf.loc[0, "geometry"], 3, 3)
    return gdf


def _missing_column(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return gdf.drop(columns="county")


@pytest.mark.parametrize(
    ("break_it", "message"),
    [
        (_drop_row, "52 municipalities; expected 53"),
        (_duplicate_key, "duplicate AGS"),
        (_unknown_key, "09162000"),
        (_no_crs, "no CRS"),
        (_bow_tie, "Self-intersection"),
        (_a_point, "non-polygon"),
        (_too_large, "total area"),
        (_missing_column, "missing columns ['county']"),
    ],
)
def test_broken_frames_give_a_clear_data_error(
    municipalities: gpd.GeoDataFrame,
    break_it: Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame],
    message: str,
) -> None:
    broken = break_it(municipalities.copy())
    with pytest.raises(DataError, match=message.replace("[", r"\[").replace("]", r"\]")):
        validate_municipalities(broken)


def test_a_file_that_is_not_geodata_is_a_data_error(tmp_path: Path) -> None:
    fake = tmp_path / "ruhr.gpkg"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    with pytest.raises(DataError, match="cannot be read"):
        load_municipalities(fake)


def test_a_missing_file_says_how_to_rebuild(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="build-boundaries"):
        load_municipalities(tmp_path / "nothing.gpkg")


def test_a_wrong_region_on_disk_is_rejected(
    tmp_path: Path, municipalities: gpd.GeoDataFrame
) -> None:
    path = tmp_path / "wrong.gpkg"
    municipalities.iloc[:40].to_file(path, driver="GPKG")
    with pytest.raises(DataError, match="40 municipalities"):
        load_municipalities(path)


def _as_source_items(gdf: gpd.GeoDataFrame) -> list[dict[str, object]]:
    """Write municipalities in the npm package's layout: loose Features and FeatureCollections."""
    features = []
    for row in gdf.itertuples():
        props = {"AGS": row.ags, "GEN": row.name, "BEZ": row.designation, "GF": 4}
        features.append(
            {"type": "Feature", "properties": props, "geometry": row.geometry.__geo_interface__}
        )
    water = dict(features[0], properties={**features[0]["properties"], "GF": 2})
    munich = {
        "type": "Feature",
        "properties": {"AGS": "09162000", "GEN": "München", "BEZ": "Stadt", "GF": 4},
        "geometry": shapely.box(11.4, 48.0, 11.7, 48.2).__geo_interface__,
    }
    return [{"type": "FeatureCollection", "features": features[:20]}, water, munich, *features[20:]]


def test_rebuild_from_source_layout_reproduces_the_shipped_data(
    tmp_path: Path, municipalities: gpd.GeoDataFrame
) -> None:
    source = tmp_path / "gemeinden.geo.json"
    source.write_text(json.dumps(_as_source_items(municipalities)), encoding="utf-8")
    built = build_boundaries(tmp_path / "out", source=source)
    reloaded = load_municipalities(tmp_path / "out" / "ruhr_municipalities.gpkg")
    assert list(reloaded["ags"]) == list(municipalities["ags"])
    assert list(built["county"]) == list(municipalities["county"])
    assert reloaded["area_km2"].tolist() == pytest.approx(municipalities["area_km2"].tolist())
    assert (tmp_path / "out" / DRAWING_FILE).is_file()


def test_source_that_is_not_a_feature_list_is_rejected(tmp_path: Path) -> None:
    source = tmp_path / "gemeinden.geo.json"
    source.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    with pytest.raises(DataError, match="expected a JSON list"):
        build_boundaries(tmp_path / "out", source=source)
