"""Benchmark: assign_municipalities against geopandas.sjoin(within), same points, same run.

Run: ``.venv/bin/python benchmarks/bench_assign.py [--sizes 10000 100000 1000000]``.
``MunicipalityIndex.assign`` is what ``assign_municipalities`` calls on the shipped index.
Random points are uniform in the region's bounding box. Each timing is the best of
``--repeat`` runs; the grid's one-off build time is reported separately. The script
exits non-zero if the two methods disagree on any point.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

import geopandas as gpd
import numpy as np

from heimatruhr_geo.boundaries import default_path, load_municipalities
from heimatruhr_geo.config import DEFAULT_DATA_DIR
from heimatruhr_geo.spatial import MunicipalityIndex


def best_of(repeat: int, run: Callable[..., np.ndarray], *args: object) -> tuple[float, np.ndarray]:
    best, result = float("inf"), np.array([])
    for _ in range(repeat):
        start = time.perf_counter()
        result = run(*args)
        best = min(best, time.perf_counter() - start)
    return best, result


def sjoin_assign(lon: np.ndarray, lat: np.ndarray, polygons: gpd.GeoDataFrame) -> np.ndarray:
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    joined = gpd.sjoin(points, polygons[["ags", "geometry"]], how="left", predicate="within")
    return joined["ags"].fillna("").to_numpy(dtype=object)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    polygons = load_municipalities(default_path(DEFAULT_DATA_DIR))
    start = time.perf_counter()
    index = MunicipalityIndex.build(polygons)
    print(f"grid build: {time.perf_counter() - start:.2f} s (once per process)")
    rng = np.random.default_rng(args.seed)
    x0, y0, x1, y1 = polygons.total_bounds
    print(f"{'points':>10} {'grid pts/s':>12} {'sjoin pts/s':>12} {'ratio':>7} {'inside':>7}")
    ok = True
    for n in args.sizes:
        lon, lat = rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)
        ours, got = best_of(args.repeat, index.assign, lon, lat)
        ref_time, expected = best_of(args.repeat, sjoin_assign, lon, lat, polygons)
        same = bool((got == expected).all())
        ok &= same
        print(
            f"{n:>10,} {n / ours / 1e6:>11.1f}M {n / ref_time / 1e6:>11.2f}M "
            f"{ref_time / ours:>6.1f}x {np.mean(got != ''):>6.1%}" + ("" if same else "  MISMATCH")
        )
    print("results identical to sjoin:", ok)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
