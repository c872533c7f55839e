"""Benchmark the planners' rerun: query + apply_view + municipality_table + with_subtotals.

Run on demand (not part of the tests)::

    .venv/bin/python benchmarks/bench_planning.py [--n 50000] [--repeat 7]

Stores ``n`` demo records (40 % spaces, 30 % vacant, 30 % survey) in an SQLite file in a
temp folder, then times, for several typical filter changes, what the planners' page
computes on a rerun. Two paths:

* ``store``: the three store queries with ``View.store_filters`` + ``apply_view`` + the
  table + subtotals (what a page does without caching the records);
* ``cached``: ``apply_view`` on full frames queried once (what a page does when it keeps
  the public records in ``st.cache_data``) + the table + subtotals.

Target (issue 5): the whole server-side rerun on 50,000 records < 300 ms, so this part
should stay well under that. Prints the median and the slowest of ``repeat`` runs.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from heimatruhr_geo.boundaries import default_path, load_municipalities
from heimatruhr_geo.config import DEFAULT_DATA_DIR
from heimatruhr_geo.demo import demo_records
from heimatruhr_geo.planning import municipality_table, with_subtotals
from heimatruhr_geo.population import load_population
from heimatruhr_geo.store import Store
from heimatruhr_geo.viewstate import View, apply_view

VIEWS = {
    "everything": {},
    "Bochum, funded": {"municipalities": "Bochum", "statuses": "funded"},
    "Kreis Unna, studio+gallery": {"counties": "05978", "project_types": "studio,gallery"},
    "programme + 2024": {"programs": "#heimatruhr", "years": "2024"},
    "rent band free, industrial": {"rent_bands": "free", "building_types": "industrial"},
}


# Timing only. The app computes the survey figures from *all* answers and narrows the rows
# afterwards (k-anonymity must not depend on the filter; see docs/planning.md).
def rerun_store(store: Store, view: View, munis: Any, population: Any) -> Any:
    spaces = apply_view(store.query("spaces", view.store_filters("spaces")), view, "spaces")
    vacant = apply_view(store.query("vacant", view.store_filters("vacant")), view, "vacant")
    survey = store.survey_answers(view.store_filters("survey"))
    return with_subtotals(municipality_table(spaces, vacant, survey, munis, population))


def rerun_cached(frames: dict[str, Any], view: View, munis: Any, population: Any) -> Any:
    spaces = apply_view(frames["spaces"], view, "spaces")
    vacant = apply_view(frames["vacant"], view, "vacant")
    survey = apply_view(frames["survey"], view, "survey")
    return with_subtotals(municipality_table(spaces, vacant, survey, munis, population))


def timings(fn: Callable[[], Any], repeat: int) -> tuple[float, float]:
    fn()  # warm-up (caches, imports)
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs), max(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    munis = load_municipalities(default_path(DEFAULT_DATA_DIR))
    population = load_population(DEFAULT_DATA_DIR)
    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{Path(folder) / 'bench.sqlite'}")
        start = time.perf_counter()
        store.add_many(demo_records(args.n, 1))
        print(f"setup: {args.n:,} demo records stored in {time.perf_counter() - start:.1f} s")
        counts = {layer: store.count(layer, public=True) for layer in ("spaces", "vacant")}
        print(f"public records: {counts}, survey {store.count('survey', public=True)}")
        frames = {
            "spaces": store.query("spaces"),
            "vacant": store.query("vacant"),
            "survey": store.survey_answers(),
        }
        print(f"{'view':<30} {'store median/max ms':>22} {'cached median/max ms':>22}")
        for label, params in VIEWS.items():
            view, warnings = View.from_query_params(params)
            assert not warnings, warnings
            s_med, s_max = timings(
                lambda v=view: rerun_store(store, v, munis, population), args.repeat
            )
            c_med, c_max = timings(
                lambda v=view: rerun_cached(frames, v, munis, population), args.repeat
            )
            print(f"{label:<30} {s_med:>13.0f} / {s_max:<6.0f} {c_med:>13.0f} / {c_max:<6.0f}")
        store.close()


if __name__ == "__main__":
    main()
