"""The collection ``municipalities``: the 53 polygons with counts and survey figures.

Each feature is one municipality of the official VG250 boundaries (full resolution,
WGS84; © GeoBasis-DE / BKG, Daten verändert) with ``ags, name, designation,
county_key, county, area_km2, population``, the numbers of published creative spaces and
vacant buildings (``spaces``, ``vacant``) and the survey figures of the latest survey
release (``survey_*``, see :meth:`heimatruhr_geo.api.service.ApiService.municipality_table`):
k-anonymous as the app shows them (no figure of fewer than k = 5 answers), and ``null``
everywhere with ``survey_released: false`` while no release exists.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from heimatruhr_geo.api.params import ItemsQuery
from heimatruhr_geo.api.service import plain
from heimatruhr_geo.boundaries import load_municipalities

PROPERTIES = ("ags", "name", "designation", "county_key", "county", "area_km2")
MEAN_DIGITS = 2


def select(
    municipalities: gpd.GeoDataFrame, table: pd.DataFrame, query: ItemsQuery
) -> tuple[list[dict[str, Any]], int]:
    """Return the page of municipality features that ``query`` asks for and how many match.

    ``municipality``, ``county`` and ``bbox`` (polygons that intersect it) filter; the
    features come in AGS order.
    """
    filters = query.filters
    keep = np.ones(len(municipalities), dtype=bool)
    if filters.municipalities:
        keep &= municipalities["ags"].isin(filters.municipalities).to_numpy()
    if filters.counties:
        keep &= municipalities["county_key"].isin(filters.counties).to_numpy()
    if filters.bbox is not None:
        keep &= shapely.intersects(municipalities.geometry.values, shapely.box(*filters.bbox))
    chosen = municipalities[keep].sort_values("ags")
    matched = len(chosen)
    start = filters.offset
    chosen = chosen.iloc[start : start + query.limit]
    figures = table.set_index("ags").to_dict("index")
    features = [
        _feature(row, figures[str(row["ags"])], geometry)
        for (_, row), geometry in zip(chosen.iterrows(), _geometries(chosen), strict=True)
    ]
    return features, matched


def extent(municipalities: gpd.GeoDataFrame) -> list[float]:
    """Return the bounding box of the region, ``[minLon, minLat, maxLon, maxLat]``."""
    return [round(float(v), 6) for v in municipalities.total_bounds]


def _feature(
    row: pd.Series, figures: Mapping[Any, Any], geometry: dict[str, Any]
) -> dict[str, Any]:
    props = {name: plain(row[name]) for name in PROPERTIES if name in row.index}
    for name, value in figures.items():
        cell = plain(value)
        if isinstance(cell, float) and str(name).endswith("_mean"):
            cell = round(cell, MEAN_DIGITS)
        props[str(name)] = cell
    return {"type": "Feature", "id": str(row["ags"]), "geometry": geometry, "properties": props}


_GEOMETRIES: dict[str, dict[str, Any]] = {}
"""GeoJSON geometry objects by AGS (the shipped boundaries do not change while running)."""


def _geometries(chosen: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    out = []
    for ags, geometry in zip(chosen["ags"].astype(str), chosen.geometry, strict=True):
        found = _GEOMETRIES.get(ags)
        if found is None:
            found = _GEOMETRIES[ags] = json.loads(shapely.to_geojson(geometry))
        out.append(found)
    return out


@lru_cache(maxsize=4)
def region_outline(path: Path) -> dict[str, Any]:
    """Return the outline of the whole region as a GeoJSON geometry (simplified to 500 m)."""
    frame = load_municipalities(path)
    outline = shapely.union_all(frame.to_crs("EPSG:25832").geometry.values)
    shape = gpd.GeoSeries([outline.simplify(500)], crs="EPSG:25832").to_crs("EPSG:4326")
    return dict(json.loads(shapely.to_geojson(shape.iloc[0], indent=None)))
