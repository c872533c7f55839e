"""Benchmark the survey results: k-anonymous aggregation, CSV export and form checks.

Run: ``.venv/bin/python benchmarks/bench_survey.py [--sizes 1000 10000 100000]``.

For each size, random answers spread over the 53 municipalities by population (a few
small ones below k) are aggregated for three selections (whole region, one discipline,
one county); the figures are the median of ``--repeat`` runs of
:func:`heimatruhr_geo.survey.selection_results` and of
:func:`~heimatruhr_geo.survey.results_csv`. Then the time to check one form
(:func:`heimatruhr_geo.questionnaire.response_from_form`). Last, with ``--page N``
(default 20,000), the survey page in Streamlit's AppTest on a fresh database seeded with
``N`` demo records (30 % survey responses): first run and median rerun after a filter.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from heimatruhr_geo.boundaries import default_path, load_municipalities
from heimatruhr_geo.config import DEFAULT_DATA_DIR
from heimatruhr_geo.demo import POPULATION_K
from heimatruhr_geo.questionnaire import municipality_points, response_from_form
from heimatruhr_geo.survey import (
    ALL_RATINGS,
    DISCIPLINES,
    Selection,
    results_csv,
    selection_results,
)

SELECTIONS = {
    "region": Selection(),
    "discipline": Selection(discipline="music"),
    "county": Selection(counties=("05978",)),
}


def answers(n: int, seed: int = 1) -> pd.DataFrame:
    """Random answers: municipalities weighted by population, 10 % optional ratings blank."""
    rng = np.random.default_rng(seed)
    keys = list(POPULATION_K)
    weights = np.array([POPULATION_K[a] for a in keys], dtype=float) ** 2
    weights /= weights.sum()
    frame = pd.DataFrame(
        {
            "ags": rng.choice(keys, n, p=weights),
            "discipline": rng.choice(DISCIPLINES, n),
            "identity_text": "",
            "places_text": "",
        }
    )
    for rating in ALL_RATINGS:
        values = rng.integers(1, 6, n).astype(float)
        values[rng.random(n) < (0.1 if rating in ("region_rating", "vacancy_rating") else 0)] = (
            np.nan
        )
        frame[rating] = pd.array(values, dtype="Float64").astype("Int64")
    return frame


def median_ms(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--page", type=int, default=20_000, help="demo records; 0 skips")
    args = parser.parse_args()
    municipalities = load_municipalities(default_path(DEFAULT_DATA_DIR))
    print("| answers | selection | hidden municipalities | results | CSV |")
    print("| ---: | --- | ---: | ---: | ---: |")
    for n in args.sizes:
        data = answers(n)
        for name, selection in SELECTIONS.items():
            result = selection_results(data, municipalities, selection)
            took = median_ms(
                lambda d=data, s=selection: selection_results(d, municipalities, s), args.repeat
            )
            csv = median_ms(lambda r=result: results_csv(r), args.repeat)
            hidden = int(result.table["suppressed"].sum())
            print(f"| {n:,} | {name} | {hidden} | {took:.1f} ms | {csv:.1f} ms |")
    points = municipality_points(municipalities)
    form = {
        "discipline": "music",
        "ags": "05978032",
        "identity_rating": 4,
        "space_rating": 2,
        "identity_text": "Die Zeche um die Ecke. " * 80,
        "places_text": "Ein Hof mit offenen Türen. " * 70,
    }
    one = median_ms(lambda: response_from_form(form, points), 200)
    print(f"\nform check (two ~1,900-character texts): {one * 1000:.0f} µs")
    start = time.perf_counter()
    municipality_points(municipalities)
    print(f"municipality points (53, once per process): {time.perf_counter() - start:.3f} s")
    if args.page:
        page(args.page, args.repeat)


def _survey_page() -> None:
    from heimatruhr_geo.ui import state, survey_page

    state.language()
    survey_page.render()


def page(n: int, repeat: int) -> None:
    """Time the survey page on ``n`` demo records (AppTest, no browser)."""
    from streamlit.testing.v1 import AppTest

    from heimatruhr_geo.demo import seed_demo
    from heimatruhr_geo.store import Store

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite"
        os.environ["HEIMATRUHR_DATABASE_URL"] = url
        store = Store(url)
        seed_demo(store, n)
        store.close()
        at = AppTest.from_function(_survey_page, default_timeout=300)
        start = time.perf_counter()
        at.run()
        first = time.perf_counter() - start
        times = []
        for i in range(repeat):
            choice = [None, "music", "design"][i % 3]
            at.selectbox(key="survey_f_discipline").set_value(choice)
            start = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - start)
        assert not at.exception, at.exception
        print(
            f"survey page, {n:,} demo records: first run {first:.2f} s, "
            f"rerun after a filter change {statistics.median(times) * 1000:.0f} ms (median)"
        )


if __name__ == "__main__":
    main()
