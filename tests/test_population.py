"""Population per municipality: matching GeoNames places, the shipped table, its loader."""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from heimatruhr_geo.boundaries import RUHR_AGS
from heimatruhr_geo.cli import main
from heimatruhr_geo.config import DEFAULT_DATA_DIR
from heimatruhr_geo.errors import DataError
from heimatruhr_geo.population import (
    COLUMNS,
    build_population,
    load_population,
    population_path,
    validate_population,
)
from heimatruhr_geo.spatial import default_index

# Spellings GeoNames uses for municipalities whose official names carry a qualifier.
SHORT_NAMES = {
    "05117000": "Mülheim",
    "05170044": "Voerde",
    "05954032": "Wetter",
    "05978012": "Fröndenberg",
    "05562016": "Haltern",
}


def _places(municipalities: gpd.GeoDataFrame) -> pd.DataFrame:
    """One place per municipality, at a point inside it, named as GeoNames would."""
    points = shapely.point_on_surface(municipalities.geometry.values)
    pairs = zip(municipalities["ags"], municipalities["name"], strict=True)
    names = [SHORT_NAMES.get(a, n) for a, n in pairs]
    return pd.DataFrame(
        {
            "geonames_id": range(1000, 1000 + len(municipalities)),
            "name": names,
            "lon": shapely.get_x(points),
            "lat": shapely.get_y(points),
            "population": range(10_000, 10_000 + len(municipalities)),
        }
    )


def test_every_municipality_matched_by_its_short_name(municipalities: gpd.GeoDataFrame) -> None:
    places = _places(municipalities)
    table = build_population(municipalities, places, default_index(DEFAULT_DATA_DIR))
    assert list(table.columns) == COLUMNS
    assert table["ags"].tolist() == municipalities["ags"].tolist()
    assert table["population"].tolist() == places["population"].tolist()
    assert table["geonames_id"].tolist() == places["geonames_id"].tolist()


def test_namesake_elsewhere_or_in_another_municipality_is_not_taken(
    municipalities: gpd.GeoDataFrame,
) -> None:
    places = _places(municipalities)
    bochum = places.index[municipalities["ags"] == "05911000"][0]
    decoys = pd.DataFrame(
        {
            "geonames_id": [1, 2, 3],
            # Wetter in Hesse; "Wetter" inside Bochum; a bigger "Bochum" district inside Bochum
            "name": ["Wetter", "Wetter", "Bochum"],
            "lon": [8.72366, places.at[bochum, "lon"], places.at[bochum, "lon"]],
            "lat": [50.90254, places.at[bochum, "lat"], places.at[bochum, "lat"]],
            "population": [9_000_000, 9_000_000, 9_000_001],
        }
    )
    table = build_population(
        municipalities, pd.concat([places, decoys]), default_index(DEFAULT_DATA_DIR)
    ).set_index("ags")
    assert table.at["05954032", "geonames_id"] != 1  # not Hesse's Wetter
    assert table.at["05954032", "geonames_id"] != 2  # not a place inside Bochum
    assert table.at["05911000", "geonames_id"] == 3  # the most populous namesake inside wins
    assert table.at["05911000", "population"] == 9_000_001


def test_missing_match_is_an_error_naming_the_municipality(
    municipalities: gpd.GeoDataFrame,
) -> None:
    places = _places(municipalities)
    places = places[places["name"] != "Sonsbeck"]
    with pytest.raises(DataError, match="05170040 Sonsbeck"):
        build_population(municipalities, places, default_index(DEFAULT_DATA_DIR))


def test_place_without_population_does_not_count(municipalities: gpd.GeoDataFrame) -> None:
    places = _places(municipalities)
    places.loc[places["name"] == "Selm", "population"] = 0
    with pytest.raises(DataError, match="Selm"):
        build_population(municipalities, places, default_index(DEFAULT_DATA_DIR))


def test_shipped_table_is_valid() -> None:
    table = load_population(DEFAULT_DATA_DIR)
    assert len(table) == 53
    assert sorted(table["ags"]) == sorted(RUHR_AGS)
    assert (table["population"] > 0).all() and table["population"].dtype == "int64"
    big = table.set_index("name")["population"]
    assert big["Dortmund"] > big["Bochum"] > big["Sonsbeck"]
    assert 4_500_000 < table["population"].sum() < 5_600_000  # RVR: about 5.1 million


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.drop(index=3), "missing"),
        (lambda t: pd.concat([t, t.iloc[[0]]]), "repeated"),
        (lambda t: t.assign(population=t["population"].where(t.index != 5, 0)), "population"),
        (lambda t: t.assign(population=t["population"].astype(str).where(t.index != 5, "1.5")),
         "population"),
        (lambda t: t.assign(population=t["population"].astype(str).where(t.index != 5, "viele")),
         "population"),
        (lambda t: t.drop(columns="geonames_id"), "geonames_id"),
        (lambda t: t.assign(ags=t["ags"].where(t.index != 0, "05999000")), "unknown"),
    ],
)  # fmt: skip
def test_broken_table_is_refused(change: object, message: str, tmp_path: Path) -> None:
    table = load_population(DEFAULT_DATA_DIR)
    broken = change(table)  # type: ignore[operator]
    broken.to_csv(population_path(tmp_path), index=False)
    with pytest.raises(DataError, match=message):
        load_population(tmp_path)
    with pytest.raises(DataError, match=message):
        validate_population(broken)


def test_missing_file_names_the_rebuild_command(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="build-population"):
        load_population(tmp_path)


def test_cli_rebuilds_the_shipped_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("ruhr_municipalities.gpkg",):
        shutil.copy(DEFAULT_DATA_DIR / name, tmp_path / name)
    assert main(["build-population", "--data-dir", str(tmp_path)]) == 0
    assert "53 municipalities" in capsys.readouterr().out
    assert population_path(tmp_path).read_text("utf-8") == population_path(
        DEFAULT_DATA_DIR
    ).read_text("utf-8")
