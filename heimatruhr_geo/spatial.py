"""Which municipality a point lies in, fast and exact, and counts per municipality.

Assignment answers exactly what ``geopandas.sjoin(points, municipalities,
predicate="within")`` answers on the full-resolution polygons, at a fraction of its
cost: a lookup grid over the region's bounding box answers every cell that lies wholly
inside one municipality (or wholly outside all), and only points in cells that a
border crosses are tested exactly with ``shapely.contains_xy``.

Border rule: like ``within``, a point lies in a municipality only if it lies in its
interior. A point exactly on a border (shared or outer) therefore belongs to no
municipality and gets ``""``, as do points outside the region and points with a
NaN, infinite or out-of-range coordinate.

Building the grid over the shipped boundaries takes seconds; :func:`default_index` builds
it once per process and, given a cache folder, once per machine: the grid's arrays are
kept in ``grid-<key>.npz``, named by the boundary file's content, the grid parameters
and the GEOS version, so a new process loads them in milliseconds.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from heimatruhr_geo.boundaries import default_path, file_key, load_municipalities
from heimatruhr_geo.config import DEFAULT_DATA_DIR
from heimatruhr_geo.errors import DataError, InputError

logger = logging.getLogger(__name__)

CELL_DEG = 0.002
"""Grid cell edge in degrees (about 140 m east-west, 220 m north-south here)."""
REFINE = 4
"""Each cell that a border crosses is split into REFINE x REFINE sub-cells."""
_EDGE_EPS = 1e-9
"""Cells are widened by this much (≈0.1 mm) so that rounding in the cell index never
puts a point into a cell whose classification does not cover it."""
_PAD = 2
_OUTSIDE = -1
_MIXED = -2
GRID_FORMAT = 1
"""Layout of the cached grid file; bump when :class:`MunicipalityIndex` changes."""
_ARRAYS = ("cells", "sub", "mixed_sub", "candidates")
_INDEXES: dict[str, MunicipalityIndex] = {}
_INDEXES_LOCK = threading.Lock()


@dataclass(frozen=True)
class MunicipalityIndex:
    """A two-level lookup grid over municipality polygons; build it with :meth:`build`.

    Attributes
    ----------
    keys
        The AGS of each polygon, in polygon order, as Python strings.
    polygons
        The polygons (EPSG:4326), in the same order.
    origin, cell, shape
        Grid origin (lon, lat), cell edge in degrees and (rows, columns).
    cells
        Per cell: the polygon index it lies wholly inside, ``-1`` for wholly outside
        all, or ``-2 - b`` when a border crosses it and block ``b`` of ``sub`` refines it.
    sub
        Per crossed cell, its ``REFINE * REFINE`` sub-cells, labelled like ``cells``
        but with ``-2`` for sub-cells that a border crosses.
    mixed_sub, candidates
        Flat indices into ``sub`` of the crossed sub-cells (sorted) and, for each, which
        polygons touch it (boolean matrix, one column per polygon).
    """

    keys: npt.NDArray[np.object_]
    polygons: npt.NDArray[np.object_]
    origin: tuple[float, float]
    cell: float
    shape: tuple[int, int]
    cells: npt.NDArray[np.int32]
    sub: npt.NDArray[np.int16]
    mixed_sub: npt.NDArray[np.int64]
    candidates: npt.NDArray[np.bool_]

    @classmethod
    def build(cls, municipalities: gpd.GeoDataFrame, cell: float = CELL_DEG) -> MunicipalityIndex:
        """Build the grid for ``municipalities`` (columns ``ags`` and ``geometry``, any CRS)."""
        gdf = municipalities.to_crs("EPSG:4326") if municipalities.crs else municipalities
        polygons = np.asarray(gdf.geometry.values, dtype=object)
        shapely.prepare(polygons)
        edges = _segments(shapely.get_parts(shapely.boundary(polygons)))
        x0, y0, x1, y1 = shapely.total_bounds(polygons)
        # Two cells of padding: the outermost ring of cells never touches a polygon, so
        # points far outside can be clipped onto it and still come out as outside.
        x0, y0 = x0 - _PAD * cell, y0 - _PAD * cell
        shape = (int(np.ceil((y1 - y0) / cell)) + _PAD, int(np.ceil((x1 - x0) / cell)) + _PAD)
        rows, cols = np.divmod(np.arange(shape[0] * shape[1]), shape[1])
        labels = _classify(x0 + cols * cell, y0 + rows * cell, cell, polygons, edges)
        cells = labels.astype(np.int32)
        crossed = np.flatnonzero(cells == _MIXED)
        cells[crossed] = _MIXED - np.arange(len(crossed))
        sub_row, sub_col = np.divmod(np.arange(REFINE * REFINE), REFINE)
        sub_x = x0 + (cols[crossed, None] + sub_col / REFINE) * cell
        sub_y = y0 + (rows[crossed, None] + sub_row / REFINE) * cell
        sub = _classify(sub_x.ravel(), sub_y.ravel(), cell / REFINE, polygons, edges)
        mixed_sub = np.flatnonzero(sub == _MIXED)
        boxes = _cell_boxes(sub_x.ravel()[mixed_sub], sub_y.ravel()[mixed_sub], cell / REFINE)
        box_i, poly_i = shapely.STRtree(polygons).query(boxes, predicate="intersects")
        candidates = np.zeros((len(mixed_sub), len(polygons)), dtype=bool)
        candidates[box_i, poly_i] = True
        logger.info(
            "municipality grid %dx%d built: %d cells crossed by a border, %d sub-cells",
            shape[0],
            shape[1],
            len(crossed),
            len(mixed_sub),
        )
        return cls(
            keys=np.array([str(k) for k in gdf["ags"]] + [""], dtype=object)[:-1],
            polygons=polygons,
            origin=(float(x0), float(y0)),
            cell=cell,
            shape=shape,
            cells=cells,
            sub=sub.reshape(len(crossed), REFINE * REFINE),
            mixed_sub=mixed_sub,
            candidates=candidates,
        )

    def save(self, path: Path) -> None:
        """Write the grid's arrays to ``path`` (``.npz``), atomically (keys and polygons not)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".npz")
        try:
            with os.fdopen(fd, "wb") as out:
                np.savez(
                    out,
                    origin=np.array(self.origin),
                    cell=np.array(self.cell),
                    shape=np.array(self.shape),
                    keys=self.keys.astype(str),
                    **{name: getattr(self, name) for name in _ARRAYS},
                )
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path, municipalities: gpd.GeoDataFrame) -> MunicipalityIndex:
        """Read a grid written by :meth:`save` for ``municipalities`` (the same polygons).

        Raises
        ------
        DataError
            If the file is unreadable or was built for other municipalities.
        """
        gdf = municipalities.to_crs("EPSG:4326") if municipalities.crs else municipalities
        keys = np.array([str(k) for k in gdf["ags"]] + [""], dtype=object)[:-1]
        try:
            with np.load(path, allow_pickle=False) as saved:
                if list(saved["keys"]) != list(keys):
                    raise DataError(f"grid file {path} belongs to other municipalities")
                arrays = {name: saved[name] for name in _ARRAYS}
                origin, cell, shape = saved["origin"], saved["cell"], saved["shape"]
        except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile) as exc:
            raise DataError(f"grid file {path} cannot be read: {exc}") from exc
        polygons = np.asarray(gdf.geometry.values, dtype=object)
        shapely.prepare(polygons)
        return cls(
            keys=keys,
            polygons=polygons,
            origin=(float(origin[0]), float(origin[1])),
            cell=float(cell),
            shape=(int(shape[0]), int(shape[1])),
            **arrays,
        )

    def locate(self, lon: npt.ArrayLike, lat: npt.ArrayLike) -> npt.NDArray[np.intp]:
        """Return per point the polygon index that contains it, or ``-1``."""
        x, y = _as_coordinates(lon, lat)
        fx = (x - self.origin[0]) * (1.0 / self.cell)
        fy = (y - self.origin[1]) * (1.0 / self.cell)
        with np.errstate(invalid="ignore"):  # NaN and inf cast to arbitrary integers
            col = np.clip(fx.astype(np.int64), 0, self.shape[1] - 1)
            row = np.clip(fy.astype(np.int64), 0, self.shape[0] - 1)
        # Clipped, NaN and infinite points land on the padding ring, which is outside.
        result = self.cells[row * self.shape[1] + col].astype(np.intp)
        crossed = np.flatnonzero(result <= _MIXED)
        if crossed.size:
            result[crossed] = self._refine(
                x[crossed],
                y[crossed],
                _MIXED - result[crossed],
                fx[crossed] - col[crossed],
                fy[crossed] - row[crossed],
            )
        return result

    def _refine(
        self,
        x: npt.NDArray[np.float64],
        y: npt.NDArray[np.float64],
        block: npt.NDArray[np.intp],
        frac_x: npt.NDArray[np.float64],
        frac_y: npt.NDArray[np.float64],
    ) -> npt.NDArray[np.intp]:
        sub_col = np.minimum((frac_x * REFINE).astype(np.int64), REFINE - 1)
        sub_row = np.minimum((frac_y * REFINE).astype(np.int64), REFINE - 1)
        flat = block * REFINE * REFINE + sub_row * REFINE + sub_col
        found = self.sub.ravel()[flat].astype(np.intp)
        todo = np.flatnonzero(found == _MIXED)
        found[todo] = self._exact(x[todo], y[todo], flat[todo])
        return found

    def _exact(
        self, x: npt.NDArray[np.float64], y: npt.NDArray[np.float64], flat: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.intp]:
        found = np.full(len(x), _OUTSIDE, dtype=np.intp)
        cand = self.candidates[np.searchsorted(self.mixed_sub, flat)]
        for poly in np.flatnonzero(cand.any(axis=0)):
            sel = np.flatnonzero(cand[:, poly] & (found == _OUTSIDE))
            hit = shapely.contains_xy(self.polygons[poly], x[sel], y[sel])
            found[sel[hit]] = poly
        return found

    def assign(self, lon: npt.ArrayLike, lat: npt.ArrayLike) -> npt.NDArray[np.object_]:
        """Return per point the AGS of the containing municipality, or ``""``."""
        lookup = np.append(self.keys, np.array([""], dtype=object))  # index -1 picks ""
        return lookup[self.locate(lon, lat)]


def _classify(
    x: npt.NDArray[np.float64],
    y: npt.NDArray[np.float64],
    size: float,
    polygons: npt.NDArray[np.object_],
    edges: npt.NDArray[np.object_],
) -> npt.NDArray[np.int16]:
    """Label square cells by lower-left corner: polygon index, -1 outside, -2 crossed.

    A cell is crossed when a border segment touches the widened cell.
    """
    boxes = _cell_boxes(x, y, size)
    labels = np.full(len(boxes), _OUTSIDE, dtype=np.int16)
    crossed = np.unique(shapely.STRtree(boxes).query(edges, predicate="intersects")[1])
    labels[crossed] = _MIXED
    clean = np.flatnonzero(labels != _MIXED)
    centres_x, centres_y = x[clean] + size / 2, y[clean] + size / 2
    pt_i, poly_i = shapely.STRtree(polygons).query(
        shapely.points(centres_x, centres_y), predicate="within"
    )
    labels[clean[pt_i]] = poly_i
    return labels


def _cell_boxes(
    x: npt.NDArray[np.float64], y: npt.NDArray[np.float64], size: float
) -> npt.NDArray[np.object_]:
    """Square boxes with lower-left corners x, y, widened by the rounding margin."""
    return shapely.box(x - _EDGE_EPS, y - _EDGE_EPS, x + size + _EDGE_EPS, y + size + _EDGE_EPS)


def _segments(rings: npt.NDArray[np.object_]) -> npt.NDArray[np.object_]:
    """Split line strings into their two-point segments (small envelopes, fast queries)."""
    coords, ring_index = shapely.get_coordinates(rings, return_index=True)
    same_ring = ring_index[1:] == ring_index[:-1]
    starts = coords[:-1][same_ring]
    ends = coords[1:][same_ring]
    return shapely.linestrings(np.stack([starts, ends], axis=1))


def _as_coordinates(
    lon: npt.ArrayLike, lat: npt.ArrayLike
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    x = np.asarray(lon, dtype=np.float64).ravel()
    y = np.asarray(lat, dtype=np.float64).ravel()
    if x.shape != y.shape:
        raise InputError(f"lon has {x.size} values and lat has {y.size}; they must be equally long")
    return x, y


def default_index(
    data_dir: Path = DEFAULT_DATA_DIR, cache_dir: Path | None = None
) -> MunicipalityIndex:
    """Return the index over the shipped boundaries in ``data_dir``, built once per process.

    Parameters
    ----------
    data_dir
        The folder of the boundary file.
    cache_dir
        Where the built grid is kept for later processes (:func:`grid_path`); the first
        call of a process that names it loads the grid from there or builds and writes
        it. Later calls (with or without it) get the process's index.
    """
    boundaries = default_path(data_dir)
    with _INDEXES_LOCK:  # one build per process, even when threads ask at once
        key = str(boundaries.resolve())
        found = _INDEXES.get(key)
        if found is None:
            found = _INDEXES[key] = _load_or_build(boundaries, cache_dir)
        return found


def grid_path(boundaries: Path, cache_dir: Path) -> Path:
    """Return the cache file of the grid over ``boundaries``, named by all its inputs."""
    inputs = f"{file_key(boundaries)}|{CELL_DEG}|{REFINE}|{GRID_FORMAT}|{shapely.geos_version}"
    return cache_dir / f"grid-{hashlib.sha256(inputs.encode()).hexdigest()[:20]}.npz"


def _load_or_build(boundaries: Path, cache_dir: Path | None) -> MunicipalityIndex:
    municipalities = load_municipalities(boundaries)
    if cache_dir is None:
        return MunicipalityIndex.build(municipalities)
    path = grid_path(boundaries, cache_dir)
    if path.is_file():
        try:
            index = MunicipalityIndex.load(path, municipalities)
            logger.info("municipality grid loaded from %s", path)
            return index
        except DataError as exc:
            logger.warning("rebuilding the municipality grid: %s", exc)
    index = MunicipalityIndex.build(municipalities)
    try:
        index.save(path)
    except OSError as exc:  # a read-only cache folder costs time, not correctness
        logger.warning("cannot keep the municipality grid in %s: %s", cache_dir, exc)
    return index


def assign_municipalities(
    lon: npt.ArrayLike, lat: npt.ArrayLike, index: MunicipalityIndex | None = None
) -> npt.NDArray[np.object_]:
    """Return, per point, the AGS of the Ruhr municipality that contains it.

    Parameters
    ----------
    lon, lat
        Array-likes of WGS84 longitudes and latitudes of equal length. Values that do
        not parse as numbers raise; NaN, infinite and out-of-range values are allowed.
    index
        The grid to use; the one over the shipped boundaries when omitted.

    Returns
    -------
    numpy.ndarray
        Eight-character AGS strings (object dtype), ``""`` for points outside the region, exactly on
        a border, or with a NaN, infinite or out-of-range coordinate.

    Raises
    ------
    InputError
        If ``lon`` and ``lat`` differ in length.

    Examples
    --------
    >>> assign_municipalities([7.0116, 6.0], [51.4556, 51.0]).tolist()
    ['05113000', '']
    """
    return (index or default_index()).assign(lon, lat)


def municipality_counts(ags: npt.ArrayLike, municipalities: gpd.GeoDataFrame) -> pd.DataFrame:
    """Count records per municipality: all municipalities, zeros included.

    Parameters
    ----------
    ags
        The AGS of each record (``""`` for records outside the region).
    municipalities
        The frame from :func:`heimatruhr_geo.boundaries.load_municipalities`.

    Returns
    -------
    pandas.DataFrame
        Columns ``ags, name, county, area_km2, count, per_km2``, one row per municipality.
        Records with an empty or unknown AGS are not counted.
    """
    return counts_table(pd.Series(np.asarray(ags, dtype=str)).value_counts(), municipalities)


def counts_table(
    counts: Mapping[str, int] | pd.Series, municipalities: gpd.GeoDataFrame
) -> pd.DataFrame:
    """Spread counts keyed by AGS over all municipalities (zeros included), with per km².

    Returns
    -------
    pandas.DataFrame
        Columns ``ags, name, county, area_km2, count, per_km2``; keys that are not a
        municipality of ``municipalities`` are ignored.
    """
    table = pd.DataFrame(municipalities[["ags", "name", "county", "area_km2"]])
    table["count"] = table["ags"].map(pd.Series(counts, dtype="float64")).fillna(0).astype(int)
    table["per_km2"] = table["count"] / table["area_km2"]
    return table.reset_index(drop=True)


def county_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Sum a :func:`municipality_counts` table per county (Kreis or county-free city)."""
    grouped = table.groupby("county", sort=True)[["count", "area_km2"]].sum().reset_index()
    grouped["per_km2"] = grouped["count"] / grouped["area_km2"]
    return grouped
