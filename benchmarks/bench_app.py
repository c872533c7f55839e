"""Benchmark the app: server time of a filter change on 50,000 records, and a cold start.

Run: ``.venv/bin/python benchmarks/bench_app.py [--n 50000]``.

1. Seeds ``--n`` demo records into a fresh SQLite database, opens the planners' page
   with Streamlit's AppTest (the script runs exactly as in the server, without a
   browser) and times reruns after typical filter changes (median of ``--repeat``).
   The first run, which loads and caches the published records, is reported apart.
2. Starts ``streamlit run app.py`` on a free port against the seeded database and times
   until its health endpoint answers, and until the first page run has finished (the
   server's log line).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from tests.support.app_process import app_command, free_port  # noqa: E402

FILTER_CHANGES: list[tuple[str, dict[str, list[object]]]] = [
    ("Bochum, funded", {"f_municipalities": ["05911000"], "f_statuses": ["funded"]}),
    ("Kreis Unna", {"f_municipalities": [], "f_statuses": [], "f_counties": ["05978"]}),
    ("studios and galleries", {"f_counties": [], "f_project_types": ["studio", "gallery"]}),
    ("everything again", {"f_project_types": []}),
]


def planner() -> None:
    from heimatruhr_geo.ui import planner_page, state

    state.language()
    planner_page.render()


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bench_filters(repeat: int) -> None:
    from streamlit.testing.v1 import AppTest

    from heimatruhr_geo.ui import common

    at = AppTest.from_function(planner, default_timeout=600)
    first = timed(at.run)
    print(f"first run (loads and caches the published records): {first * 1000:7.0f} ms")
    print("new selection: the selection's figures are computed (cache cleared before the run)")
    print("seen selection: a selection any user had within the data TTL (figures cached)")
    print(f"{'filter change':<24} {'new: median':>12} {'max':>6} {'seen: median':>13} {'max':>6}")
    for name, widgets in FILTER_CHANGES:
        cold, warm = [], []
        for runs, clear in ((cold, True), (warm, False)):
            for _ in range(repeat):
                for key, value in widgets.items():
                    at.multiselect(key=key).set_value(value)
                if clear:
                    common.selection_figures.clear()
                runs.append(timed(at.run) * 1000)
                assert not at.exception, at.exception
                for key in widgets:  # toggle back, so that every repeat is a real change
                    at.multiselect(key=key).set_value([])
                at.run()
        print(
            f"{name:<24} {statistics.median(cold):>12.0f} {max(cold):>6.0f}"
            f" {statistics.median(warm):>13.0f} {max(warm):>6.0f}"
        )


def bench_cold_start(env: dict[str, str]) -> None:
    port = free_port()
    start = time.perf_counter()
    proc = subprocess.Popen(
        app_command(port),
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1):
                    break
            except OSError:
                time.sleep(0.05)
        print(f"cold start until /_stcore/health answers: {time.perf_counter() - start:.2f} s")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("HEIMATRUHR_")}
        env |= {
            "HEIMATRUHR_DATABASE_URL": f"sqlite:///{Path(tmp) / 'bench.sqlite'}",
            "HEIMATRUHR_CACHE_DIR": str(Path(tmp) / "cache"),
            "HEIMATRUHR_OFFLINE": "1",
        }
        os.environ.update(env)
        from heimatruhr_geo.config import Settings
        from heimatruhr_geo.demo import seed_demo
        from heimatruhr_geo.store import Store

        store = Store.from_settings(Settings.from_env())
        seconds = timed(lambda: seed_demo(store, args.n, 1))
        print(f"seeded {args.n:,} demo records in {seconds:.1f} s")
        counts = {layer: store.count(layer, public=True) for layer in ("spaces", "vacant")}
        print(f"published: {counts}")
        store.close()
        bench_filters(args.repeat)
        bench_cold_start(env)


if __name__ == "__main__":
    main()
