"""Municipality assignment: exact like geopandas.sjoin(within), and the counts per municipality."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest
import shapely

from heimatruhr_geo.errors import InputError
from heimatruhr_geo.spatial import (
    MunicipalityIndex,
    assign_municipalities,
    county_counts,
    municipality_counts,
)

CITY_CENTRES = {
    "05112000": (6.7623, 51.4344),  # Duisburg
    "05113000": (7.0116, 51.4556),  # Essen
    "05117000": (6.8825, 51.4270),  # Mülheim an der Ruhr
    "05119000": (6.8514, 51.4696),  # Oberhausen
    "05512000": (6.9285, 51.5236),  # Bottrop
    "05513000": (7.0857, 51.5177),  # Gelsenkirchen
    "05911000": (7.2162, 51.4818),  # Bochum
    "05913000": (7.4653, 51.5136),  # Dortmund
    "05914000": (7.4633, 51.3671),  # Hagen
    "05915000": (7.8150, 51.6739),  # Hamm
    "05916000": (7.2197, 51.5386),  # Herne
}


def sjoin_reference(
    lon: npt.ArrayLike, lat: npt.ArrayLike, polygons: gpd.GeoDataFrame
) -> npt.NDArray[np.str_]:
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    joined = gpd.sjoin(points, polygons[["ags", "geometry"]], how="left", predicate="within")
    assert joined.index.is_unique, "polygons overlap: a point matched twice"
    return joined["ags"].fillna("").to_numpy(dtype=str)


@pytest.fixture(scope="module")
def toy() -> gpd.GeoDataFrame:
    """Two squares sharing an edge; the second has a hole; a third, detached, triangle."""
    west = shapely.box(7.0, 51.0, 7.1, 51.1)
    east = shapely.Polygon(
        [(7.1, 51.0), (7.2, 51.0), (7.2, 51.1), (7.1, 51.1)],
        holes=[[(7.14, 51.04), (7.16, 51.04), (7.16, 51.06), (7.14, 51.06)]],
    )
    triangle = shapely.Polygon([(7.3, 51.0), (7.4, 51.0), (7.35, 51.0873)])
    return gpd.GeoDataFrame(
        {"ags": ["00000001", "00000002", "00000003"]},
        geometry=[west, east, triangle],
        crs="EPSG:4326",
    )


@pytest.fixture(scope="module")
def toy_index(toy: gpd.GeoDataFrame) -> MunicipalityIndex:
    return MunicipalityIndex.build(toy, cell=0.013)


@pytest.mark.parametrize(
    ("lon", "lat", "expected"),
    [
        (7.05, 51.05, "00000001"),
        (7.18, 51.02, "00000002"),
        (7.15, 51.05, ""),  # in the hole
        (7.14, 51.05, ""),  # on the hole's edge
        (7.1, 51.05, ""),  # on the shared edge
        (7.1, 51.1, ""),  # on a shared corner
        (7.0999999999, 51.05, "00000001"),  # a hair west of the shared edge
        (7.1000000001, 51.05, "00000002"),  # a hair east of it
        (7.35, 51.05, "00000003"),
        (7.25, 51.05, ""),  # between the polygons
        (6.0, 50.0, ""),  # far outside the grid
        (float("nan"), 51.05, ""),
        (7.05, float("nan"), ""),
        (float("inf"), 51.05, ""),
        (7.05, -float("inf"), ""),
    ],
)
def test_toy_points_follow_the_border_rule(
    toy: gpd.GeoDataFrame, toy_index: MunicipalityIndex, lon: float, lat: float, expected: str
) -> None:
    assert toy_index.assign([lon], [lat]).tolist() == [expected]
    assert sjoin_reference([lon], [lat], toy).tolist() == [expected]


def test_toy_random_and_vertex_points_match_sjoin(
    toy: gpd.GeoDataFrame, toy_index: MunicipalityIndex
) -> None:
    rng = np.random.default_rng(7)
    coords = shapely.get_coordinates(toy.geometry.values)
    jitter = rng.choice([0.0, 1e-12, -1e-12, 1e-9, -1e-9, 1e-6], size=(200, 2))
    near = coords[rng.integers(0, len(coords), 200)] + jitter
    lon = np.concatenate([rng.uniform(6.95, 7.45, 20_000), near[:, 0]])
    lat = np.concatenate([rng.uniform(50.95, 51.15, 20_000), near[:, 1]])
    assert (toy_index.assign(lon, lat) == sjoin_reference(lon, lat, toy)).all()


def test_each_county_free_city_centre(municipalities: gpd.GeoDataFrame) -> None:
    lon, lat = np.array(list(CITY_CENTRES.values())).T
    assert assign_municipalities(lon, lat).tolist() == list(CITY_CENTRES)


def _inner_ring_points(municipalities: gpd.GeoDataFrame, metres: float) -> gpd.GeoDataFrame:
    """Points on the line `metres` inside each municipality's border, labelled with its AGS."""
    metric = municipalities.to_crs("EPSG:25832")
    inner = shapely.boundary(shapely.buffer(metric.geometry.values, -metres))
    fractions = np.linspace(0, 1, 40, endpoint=False)
    points = shapely.line_interpolate_point(inner[:, None], fractions[None, :], normalized=True)
    frame = gpd.GeoDataFrame(
        {"ags": np.repeat(metric["ags"].to_numpy(), len(fractions))},
        geometry=points.ravel(),
        crs="EPSG:25832",
    )
    return frame.to_crs("EPSG:4326")


def test_points_25_m_inside_every_border(municipalities: gpd.GeoDataFrame) -> None:
    points = _inner_ring_points(municipalities, 25.0)
    got = assign_municipalities(points.geometry.x, points.geometry.y)
    wrong = points.loc[got != points["ags"].to_numpy(), "ags"].unique()
    assert len(wrong) == 0, f"misassigned near the border of {wrong}"
    assert set(points["ags"]) == set(municipalities["ags"])


def test_points_25_m_outside_the_region_are_unassigned(municipalities: gpd.GeoDataFrame) -> None:
    region = municipalities.to_crs("EPSG:25832").union_all()
    outer = shapely.get_exterior_ring(shapely.buffer(region, 25.0))
    ring = gpd.GeoSeries(
        shapely.line_interpolate_point(outer, np.linspace(0, 1, 2000), normalized=True),
        crs="EPSG:25832",
    ).to_crs("EPSG:4326")
    assert set(assign_municipalities(ring.x, ring.y)) == {""}


def test_real_borders_match_sjoin_exactly(municipalities: gpd.GeoDataFrame) -> None:
    rng = np.random.default_rng(2024)
    x0, y0, x1, y1 = municipalities.total_bounds
    vertices = shapely.get_coordinates(municipalities.geometry.values)
    midpoints = (vertices[:-1] + vertices[1:]) / 2  # on an edge, up to rounding
    near = vertices + rng.normal(0, 1e-7, vertices.shape)
    sample = np.concatenate(
        [
            np.column_stack([rng.uniform(x0, x1, 50_000), rng.uniform(y0, y1, 50_000)]),
            vertices,
            midpoints,
            near,
        ]
    )
    got = assign_municipalities(sample[:, 0], sample[:, 1])
    expected = sjoin_reference(sample[:, 0], sample[:, 1], municipalities)
    assert (got == expected).all()
    assert (got[50_000 : 50_000 + len(vertices)] == "").all(), "vertices lie on borders"


def test_one_half_nan_point_does_not_spoil_the_others() -> None:
    lon = [7.0116, 7.1, 7.2162, float("nan")]
    lat = [51.4556, float("nan"), 51.4818, 51.5]
    assert assign_municipalities(lon, lat).tolist() == ["05113000", "", "05911000", ""]


@pytest.mark.parametrize(
    ("lon", "lat"),
    [
        (200.0, 51.5),
        (7.1, 95.0),
        (-7.1, -51.5),
        (362_000.0, 5_705_000.0),  # Essen in EPSG:25832: the wrong CRS is not guessed
        (51.4556, 7.0116),  # latitude and longitude swapped
    ],
)
def test_out_of_range_or_wrong_crs_is_unassigned(lon: float, lat: float) -> None:
    assert assign_municipalities([lon], [lat]).tolist() == [""]


def test_empty_input_gives_empty_output() -> None:
    result = assign_municipalities([], [])
    assert result.shape == (0,)


def test_pandas_series_and_scalars_are_accepted() -> None:
    assert assign_municipalities(pd.Series([7.2162]), pd.Series([51.4818])).tolist() == ["05911000"]
    assert assign_municipalities(7.2162, 51.4818).tolist() == ["05911000"]


def test_unequal_lengths_are_an_input_error() -> None:
    with pytest.raises(InputError, match="lon has 2 values and lat has 1"):
        assign_municipalities([7.0, 7.1], [51.4])


def test_text_coordinates_raise_rather_than_guess() -> None:
    with pytest.raises(ValueError):
        assign_municipalities(["seven"], ["51.4"])


def test_counts_cover_all_municipalities_with_zeros(municipalities: gpd.GeoDataFrame) -> None:
    ags = ["05911000"] * 3 + ["05113000"] + ["", "09162000"]
    table = municipality_counts(ags, municipalities)
    assert len(table) == 53
    counts = dict(zip(table["ags"], table["count"], strict=True))
    assert counts["05911000"] == 3
    assert counts["05113000"] == 1
    assert table["count"].sum() == 4
    assert (table["count"] == 0).sum() == 51
    bochum = table.set_index("ags").loc["05911000"]
    assert bochum["per_km2"] == pytest.approx(3 / bochum["area_km2"])


def test_county_counts_sum_the_municipalities(municipalities: gpd.GeoDataFrame) -> None:
    ags = ["05978024", "05978036", "05978036", "05911000"]  # Lünen, Unna x2, Bochum
    counties = county_counts(municipality_counts(ags, municipalities)).set_index("county")
    assert len(counties) == 15
    assert counties.loc["Kreis Unna", "count"] == 3
    assert counties.loc["Bochum", "count"] == 1
    assert counties["area_km2"].sum() == pytest.approx(municipalities["area_km2"].sum())
