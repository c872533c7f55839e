"""Benchmark: cache hits and a 10,000-row batch that needs no network.

Run: ``.venv/bin/python benchmarks/bench_geocode.py [--rows 10000] [--hits 20000]``.

1. Fill a fresh cache in a temporary folder with ``rows / 2`` distinct addresses by
   asking a loopback HTTP server that speaks Nominatim's jsonv2 (minimum interval 0: the
   1 request/s rule is for public servers; this one is ours).
2. Cache hit: time ``Geocoder.geocode`` on cached addresses (mean and 99th percentile).
3. Batch: ``geocode_many`` with the network switched off on ``rows`` distinct rows, half
   cached addresses and half addresses that only the gazetteer resolves (street +
   municipality or district name).

The script exits non-zero if any row is not found or comes from the wrong step.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from heimatruhr_geo.config import Settings
from heimatruhr_geo.geocoding import Geocoder

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.support.http import json_handler, serving

PLACES = ["Bochum", "Essen", "Dortmund", "Wattenscheid", "Hörde", "Mülheim a.d. Ruhr", "Buer"]


NOMINATIM_ANSWER = [{"lat": "51.4858", "lon": "7.2214", "display_name": "Bochum", "place_rank": 30}]
"""What the stand-in Nominatim answers to every search: one house in Bochum."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--hits", type=int, default=20_000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    half = args.rows // 2
    cached = [f"Rottstraße {i}, 44793 Bochum" for i in range(half)]
    offline_only = [f"Hauptstraße {i}, {PLACES[i % len(PLACES)]}" for i in range(args.rows - half)]

    with tempfile.TemporaryDirectory() as tmp, serving(json_handler(NOMINATIM_ANSWER)) as url:
        settings = Settings(
            cache_dir=Path(tmp),
            nominatim_url=url,
            contact="bench@example.org",
            database_url=f"sqlite:///{Path(tmp) / 'bench.sqlite'}",  # where turns are booked
        )
        start = time.perf_counter()
        online = Geocoder(settings, min_interval=0.0)
        print(
            f"geocoder start-up (boundaries, grid, GeoNames): {time.perf_counter() - start:.2f} s"
        )
        start = time.perf_counter()
        filled = online.geocode_many(cached)
        print(
            f"filled the cache over loopback: {half:,} requests "
            f"in {time.perf_counter() - start:.1f} s"
        )
        ok = all(r.source == "nominatim" for r in filled)

        offline = Geocoder(dataclasses.replace(settings, offline=True))
        sample = random.Random(1).choices(cached, k=args.hits)
        times = []
        for query in sample:
            t0 = time.perf_counter()
            offline.geocode(query)
            times.append(time.perf_counter() - t0)
        times.sort()
        print(
            f"cache hit: mean {statistics.fmean(times) * 1e6:.0f} µs, "
            f"p99 {times[int(len(times) * 0.99)] * 1e6:.0f} µs over {args.hits:,} calls"
        )

        rows = cached + offline_only
        random.Random(2).shuffle(rows)
        start = time.perf_counter()
        results = offline.geocode_many(rows)
        elapsed = time.perf_counter() - start
        sources = {r.source for r in results}
        ok &= all(r.found for r in results) and sources == {"cache", "gazetteer"}
        print(
            f"batch of {len(rows):,} distinct rows ({half:,} cached, {len(rows) - half:,} "
            f"gazetteer), network off: {elapsed:.2f} s ({len(rows) / elapsed:,.0f} rows/s)"
        )
        online.close()
        offline.close()
    print("all rows found from the expected step:", ok)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
