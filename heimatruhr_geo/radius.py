"""Radius geometry: safe prefilters in degrees and exact distances in EPSG:25832.

A radius search runs in two steps. The database keeps the candidates inside a bounding
box and a locally flat, slightly enlarged circle (:func:`radius_bbox`,
:func:`near_condition`); those may include a few points just outside, never lose one
inside. Exact distances are then computed in the metric CRS (:func:`distances_m`).
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np
from pyproj import Transformer

from heimatruhr_geo.boundaries import METRIC_CRS
from heimatruhr_geo.errors import InputError

Box = tuple[float, float, float, float]
"""``(min_lon, min_lat, max_lon, max_lat)`` in WGS84."""
_PER_LAT = 110_574.0
"""The shortest length of one degree of latitude, in metres (at the equator)."""
_PER_LON_EQUATOR = 111_320.0


def check_centre(lon: float, lat: float) -> None:
    """Raise :class:`~heimatruhr_geo.errors.InputError` unless ``lon, lat`` is a WGS84 point.

    Examples
    --------
    >>> check_centre(7.0, 51.5)
    >>> check_centre(7.0, 95.0)
    Traceback (most recent call last):
    ...
    heimatruhr_geo.errors.InputError: centre lon=7.0, lat=95.0 is not a valid WGS84 point
    """
    if not (math.isfinite(lon) and math.isfinite(lat)) or not -90 <= lat <= 90:
        raise InputError(f"centre lon={lon!r}, lat={lat!r} is not a valid WGS84 point")


def radius_scale(lat: float, radius_m: float) -> tuple[float, float, float]:
    """Return (reach, metres per degree east, metres per degree north), all on the safe side.

    1 % margin plus 1 m: EPSG:25832's scale factor and the ellipsoid never stretch that
    far; the degree lengths are the smallest anywhere in the box (the cosine clamped away
    from zero near the poles), so distances computed with them never exceed the true ones.

    Examples
    --------
    >>> reach, per_lon, per_lat = radius_scale(51.5, 1000)
    >>> reach, round(per_lon), per_lat
    (1011.0, 69284, 110574.0)
    """
    reach = radius_m * 1.01 + 1.0
    dlat = reach / _PER_LAT
    per_lon = _PER_LON_EQUATOR * max(math.cos(math.radians(abs(lat) + dlat)), 1e-6)
    return reach, per_lon, _PER_LAT


def radius_bbox(lon: float, lat: float, radius_m: float) -> Box:
    """Return a bounding box that holds every point within ``radius_m`` of the centre."""
    reach, per_lon, per_lat = radius_scale(lat, radius_m)
    dlon, dlat = reach / per_lon, reach / per_lat
    return lon - dlon, lat - dlat, lon + dlon, lat + dlat


def near_condition(
    lon_column: Any, lat_column: Any, lon: float, lat: float, radius_m: float
) -> Any:
    """Return ``lon_column, lat_column`` inside the safely enlarged, locally flat circle.

    Works on anything with arithmetic: SQLAlchemy columns (an SQL prefilter that drops
    the corners of the bounding box in the database) or numpy arrays (a boolean mask).

    Examples
    --------
    >>> import numpy as np
    >>> near_condition(np.array([7.0, 7.0]), np.array([51.5, 51.52]), 7.0, 51.5, 1000)
    array([ True, False])
    """
    reach, per_lon, per_lat = radius_scale(lat, radius_m)
    dx = (lon_column - lon) * per_lon
    dy = (lat_column - lat) * per_lat
    return dx * dx + dy * dy <= reach * reach


def to_metric(lon: Any, lat: Any) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Return WGS84 longitudes and latitudes as EPSG:25832 ``x, y`` float arrays."""
    x, y = _transformer().transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


def distances_m(
    x: np.ndarray[Any, Any], y: np.ndarray[Any, Any], lon: float, lat: float
) -> np.ndarray[Any, Any]:
    """Return the distances in metres of metric points ``x, y`` from a WGS84 centre.

    Examples
    --------
    >>> x, y = to_metric([7.0], [51.5])
    >>> distances_m(x, y, 7.0, 51.5).tolist()
    [0.0]
    """
    cx, cy = to_metric([lon], [lat])
    return np.asarray(np.hypot(x - cx[0], y - cy[0]), dtype=float)


@lru_cache(maxsize=1)
def _transformer() -> Transformer:
    return Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
