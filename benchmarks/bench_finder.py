"""Benchmark the space finder: queries over 100,000 vacant buildings.

Run on demand (not part of the tests)::

    .venv/bin/python benchmarks/bench_finder.py            # SQLite in a temp folder
    .venv/bin/python benchmarks/bench_finder.py --url postgresql+psycopg://postgres@127.0.0.1:5432/bench_finder

Stores the vacant buildings of the demo generator (spread over the 53 municipalities by
population, so the big cities are dense), then times what the page asks for: the nearest
200 matches plus the number of all matches (:func:`heimatruhr_geo.finder.find_nearest`),
around three centres, for radii from 1 to 25 km and four combinations of needs, both
through the in-memory :class:`~heimatruhr_geo.finder.SpaceIndex` (what the page uses) and
through the database alone. Also times building the index, reading *all* matches and the
suggestions of an empty result.

Target (issue 6): a query over 100,000 vacant buildings answers in < 200 ms (server time).
The PostgreSQL URL must name an existing database; its records are deleted.
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import time
from datetime import date
from pathlib import Path

from timing import runs

from heimatruhr_geo.demo import demo_records
from heimatruhr_geo.finder import (
    Needs,
    SpaceIndex,
    SpaceSearch,
    find_nearest,
    find_spaces,
    suggestions,
)
from heimatruhr_geo.schema import CONTACTS, RECORDS
from heimatruhr_geo.store import Store

CENTRES = {
    "Bochum Hbf": (51.47868, 7.22326),
    "Essen Hbf": (51.45142, 7.01433),
    "Unna": (51.5360, 7.6890),
}
RADII = (1_000, 5_000, 10_000, 25_000)
NEEDS = {
    "none": Needs(),
    "step-free": Needs(step_free=True),
    "free, step-free, >= 80 m2": Needs(80, ("free",), step_free=True),
    "all eight needs": Needs(
        50, ("free", "below_market"), date(2026, 6, 1), True, True, True, True,
        ("industrial", "commercial", "historical"),
    ),
}  # fmt: skip
LIMIT = 200
"""What the page lists and draws (``finder_page.MAX_SHOWN``)."""


def clear(store: Store) -> None:
    with store.engine.begin() as conn:
        conn.execute(CONTACTS.delete())
        conn.execute(RECORDS.delete())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--n", type=int, default=100_000, help="vacant buildings")
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(args.url or f"sqlite:///{Path(tmp) / 'bench.sqlite'}")
        clear(store)
        print(f"backend: {store.engine.dialect.name}")
        start = time.perf_counter()
        vacant = [r for r in demo_records(round(args.n / 0.3), seed=3) if r.layer == "vacant"]
        print(f"generated {len(vacant):,} vacant buildings in {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        store.add_many(vacant)
        print(f"stored them in {time.perf_counter() - start:.1f} s")
        del vacant  # the app process does not hold the record objects either
        gc.collect()

        median, top, index = runs(lambda: SpaceIndex.load(store), 3)
        print(f"read the index of {len(index):,} usable buildings: median {median:.0f} ms")
        median, top, frame = runs(lambda: store.query("vacant"), 1)
        print(f"public query of all vacant buildings (the app holds it): {median:.0f} ms")
        median, top, _ = runs(lambda f=frame: SpaceIndex.from_frame(f), 3)
        print(f"build the index from that frame (what the page does): median {median:.0f} ms")
        del frame
        worst: dict[str, dict[int, float]] = {"memory": {}, "database": {}}
        for via, use in (("memory", index), ("database", None)):
            print(
                f"\npage query via {via}: nearest {LIMIT} + count of all ({args.repeat} runs, ms)"
            )
            for radius in RADII:
                for label, needs in NEEDS.items():
                    for name, (lat, lon) in CENTRES.items():
                        search = SpaceSearch(lat, lon, radius, needs)
                        median, top, found = runs(
                            lambda s=search, i=use: find_nearest(store, s, LIMIT, index=i),
                            args.repeat,
                        )
                        worst[via][radius] = max(worst[via].get(radius, 0.0), median)
                        print(
                            f"{radius / 1000:4.0f} km {label:<26} {name:<10} median {median:6.1f}"
                            f"  max {top:6.1f}  matches {found.total:6,}"
                        )

        print("\nall matches as rows (no limit), needs: none")
        for radius in (5_000, 25_000):
            search = SpaceSearch(*CENTRES["Bochum Hbf"], radius)
            median, top, frame = runs(lambda s=search: find_spaces(store, s), 3)
            print(
                f"{radius / 1000:4.0f} km median {median:7.1f} max {top:7.1f} rows {len(frame):,}"
            )

        print("\nsuggestions for an empty result (each relaxation counted)")
        empty = SpaceSearch(*CENTRES["Bochum Hbf"], 1_000, Needs(900_000, step_free=True))
        for via, use in (("memory", index), ("database", None)):
            median, top, found = runs(lambda i=use: suggestions(store, empty, index=i), 3)
            print(f"   via {via:<8} median {median:6.1f}  max {top:6.1f}  {len(found)} suggestions")
        for via, medians in worst.items():
            print(
                f"worst median per radius via {via}:", {k: round(v, 1) for k, v in medians.items()}
            )
        if args.url:
            clear(store)
        store.close()


if __name__ == "__main__":
    main()
