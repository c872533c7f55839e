"""The radius geometry shared by the store's and the finder's radius searches."""

from __future__ import annotations

import math

import numpy as np
import pytest

from heimatruhr_geo.errors import InputError
from heimatruhr_geo.radius import (
    check_centre,
    distances_m,
    near_condition,
    radius_bbox,
    radius_scale,
    to_metric,
)


@pytest.mark.parametrize("radius", [0.0, 1.0, 500.0, 2_000.0, 25_000.0, 200_000.0])
@pytest.mark.parametrize("centre", [(7.22, 51.48), (6.6, 51.2), (8.0, 51.7)])
def test_prefilter_drops_no_point_inside(centre: tuple[float, float], radius: float) -> None:
    lon, lat = centre
    rng = np.random.default_rng(7)
    reach_deg = radius / 60_000 + 1e-4
    plon = lon + rng.uniform(-reach_deg, reach_deg, 20_000)
    plat = lat + rng.uniform(-reach_deg, reach_deg, 20_000)
    x, y = to_metric(plon, plat)
    inside = distances_m(x, y, lon, lat) <= radius
    x0, y0, x1, y1 = radius_bbox(lon, lat, radius)
    in_box = (plon >= x0) & (plon <= x1) & (plat >= y0) & (plat <= y1)
    kept = near_condition(plon, plat, lon, lat, radius) & in_box
    assert not (inside & ~kept).any()
    distance = distances_m(x, y, lon, lat)
    if radius <= 25_000:  # the finder's radii: it keeps nothing far outside
        assert (distance[kept] <= radius * 1.02 + 2.0).all()


def test_the_cosine_is_clamped_near_the_poles() -> None:
    reach, per_lon, _ = radius_scale(89.99, 5_000)
    assert per_lon > 0 and math.isfinite(reach / per_lon)
    x0, _, x1, _ = radius_bbox(0.0, 89.99, 5_000)
    assert math.isfinite(x0) and math.isfinite(x1) and x0 < x1


@pytest.mark.parametrize("lon, lat", [(math.nan, 51.0), (7.0, math.inf), (7.0, -91.0)])
def test_bad_centres_are_refused(lon: float, lat: float) -> None:
    with pytest.raises(InputError, match="not a valid WGS84 point"):
        check_centre(lon, lat)
