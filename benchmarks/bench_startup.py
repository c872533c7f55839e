"""Benchmark a new app process: from its start until it serves the map page, in Chromium.

    .venv/bin/python benchmarks/bench_startup.py [--records 5000] [--starts 3]
        [--app worktree|FOLDER|REVISION] [--out results.json]

The situation of a deployment that starts (or adds) an app process: the database is
seeded once (``python -m heimatruhr_geo seed-demo --n N``, as an earlier process or
``init-db`` would have done), then ``streamlit run app.py`` is started ``--starts`` times,
each a new process on the same data and cache folders, with the environment of the
browser tests (offline, blank local tiles: ``tests/support``). Each start is timed:

health
    process start (``Popen``) until ``/_stcore/health`` answers;
page
    process start until the map page, opened in headless Debian Chromium as soon as the
    health endpoint answers, has drawn all its markers (the readiness probe of
    ``bench_browser.py``).

The first start runs on an empty cache folder (``HEIMATRUHR_CACHE_DIR``: what a fresh
install or a new machine has), the later ones find what the earlier ones left there.
``--app`` measures another revision the same way (e.g. the commit before a change). The
load average before and after is printed: other work on the machine shows in the figures.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    NO_OUTSIDE_HOSTS,
    MapPage,
    app_env,
    loadavg,
    machine,
    prepare_app,
    seed,
)

from tests.support import app_process

logger = logging.getLogger("bench_startup")


def one_start(browser: Any, app_dir: Path, env: dict[str, str], log: Path) -> dict[str, float]:
    """Start the app once; return seconds until healthy and until the map page is ready."""
    spawned = time.time()
    with app_process.running_app(env, log, app_dir=app_dir) as url:
        healthy = time.time()
        page = MapPage(browser)
        try:
            nav_ms = page.open(url + "/")
            ready = (page.navigated + nav_ms) / 1000
        finally:
            page.close()
    return {"health_s": healthy - spawned, "page_s": ready - spawned}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--starts", type=int, default=3)
    parser.add_argument("--app", default="worktree", help="worktree, a folder or a revision")
    parser.add_argument("--out", type=Path, help="write the results as JSON")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    if not CHROMIUM.is_file():
        print(f"{CHROMIUM} is missing", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    about = machine() | {"app": args.app, "records": args.records, "load_start": loadavg()}
    starts: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="bench_startup") as tmp, sync_playwright() as p:
        app_dir = prepare_app(args.app, Path(tmp) / "app")
        data = Path(tmp) / "data"
        data.mkdir()
        env = app_env(data)
        logger.info("seeded %d records in %.1f s", args.records, seed(app_dir, env, args.records))
        for cached in Path(env["HEIMATRUHR_CACHE_DIR"]).glob("*"):  # a fresh install's cache
            if cached.is_file():
                cached.unlink()
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, NO_OUTSIDE_HOSTS]
        )
        try:
            for i in range(args.starts):
                result = one_start(browser, app_dir, env, data / f"streamlit{i}.log")
                starts.append(result | {"load": loadavg()[0]})
                logger.info("start %d: %s", i + 1, starts[-1])
        finally:
            browser.close()
    about["load_end"] = loadavg()
    later = starts[1:] or starts
    print(f"{'start':<44} {'health':>8} {'map page':>9}")
    first = starts[0]
    print(f"{'first (empty cache folder)':<44} {first['health_s']:>7.1f}s {first['page_s']:>8.1f}s")
    for name, pick in (("later starts, median", statistics.median), ("later starts, max", max)):
        health = pick(s["health_s"] for s in later)
        page = pick(s["page_s"] for s in later)
        print(f"{name:<44} {health:>7.1f}s {page:>8.1f}s")
    print(f"machine: {about}")
    if args.out:
        args.out.write_text(json.dumps({"machine": about, "starts": starts}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
