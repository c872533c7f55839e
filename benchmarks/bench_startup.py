"""Benchmark a new app process: from its start until it serves the map page, in Chromium.

    .venv/bin/python benchmarks/bench_startup.py [--records 5000] [--starts 3]
        [--app worktree|FOLDER|REVISION] [--thin] [--out results.json]

The situation of a deployment that starts (or adds) an app process: the database is
seeded once (``python -m heimatruhr_geo seed-demo --n N``, as an earlier process or
``init-db`` would have done), then ``streamlit run app.py`` is started ``--starts`` times,
each a new process on the same data and cache folders, with the environment of the
browser tests (offline, blank local tiles: ``tests/support``). Each start is timed:

health
    process start (``Popen``) until ``/_stcore/health`` answers;
data
    process start until the process holds the map page's data (the warm-up's log line
    "map page data ready"; none for a revision without warm-up);
page
    process start until the map page, opened in headless Debian Chromium as soon as the
    health endpoint answers, has drawn all its markers (the readiness probe of
    ``bench_browser.py``); with ``--thin``, until a thin client of Streamlit's protocol
    has the page, the map page's script run and its map files (the server's part alone).

The first start runs on an empty cache folder (``HEIMATRUHR_CACHE_DIR``: what a fresh
install or a new machine has), the later ones find what the earlier ones left there.
``--app`` measures another revision the same way (e.g. the commit before a change). The
load average before and after is printed: other work on the machine shows in the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import logging
import math
import re
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
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


DATA_READY = re.compile(r"^(\S+ \S+) INFO heimatruhr_geo.ui.warmup: map page data ready", re.M)


def one_start(browser: Any, app_dir: Path, env: dict[str, str], log: Path) -> dict[str, float]:
    """Start the app once; return seconds until healthy, data ready and page ready.

    ``browser`` None: the page is asked for by a thin client of Streamlit's protocol
    (``bench_capacity.Visitor``: the page, the websocket, the map page's script run and its
    map files), so the figure is the server's alone, without the browser's cold load.
    """
    spawned = time.time()
    with app_process.running_app(env, log, app_dir=app_dir) as url:
        healthy = time.time()
        if browser is None:
            with ThreadPoolExecutor(max_workers=1) as runner:  # Playwright owns this thread's loop
                runner.submit(asyncio.run, _served(url)).result()
            ready = time.time()
        else:
            page = MapPage(browser)
            try:
                nav_ms = page.open(url + "/")
                ready = (page.navigated + nav_ms) / 1000
            finally:
                page.close()
        time.sleep(0.5)  # let the log catch up
        found = DATA_READY.search(log.read_text(errors="replace"))
    data = math.nan
    if found:
        stamp = dt.datetime.strptime(found.group(1), "%Y-%m-%d %H:%M:%S,%f")
        data = stamp.timestamp() - spawned
    return {"health_s": healthy - spawned, "data_s": data, "page_s": ready - spawned}


async def _served(url: str) -> None:
    from bench_capacity import Visitor

    with ThreadPoolExecutor(max_workers=2) as pool:
        visitor = Visitor(url, pool)
        try:
            await visitor.open()
        finally:
            await visitor.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--starts", type=int, default=3)
    parser.add_argument("--app", default="worktree", help="worktree, a folder or a revision")
    parser.add_argument("--out", type=Path, help="write the results as JSON")
    parser.add_argument(
        "--thin", action="store_true", help="ask for the page with a thin protocol client"
    )
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
                client = None if args.thin else browser
                result = one_start(client, app_dir, env, data / f"streamlit{i}.log")
                starts.append(result | {"load": loadavg()[0]})
                logger.info("start %d: %s", i + 1, starts[-1])
        finally:
            browser.close()
    about["load_end"] = loadavg()
    later = starts[1:] or starts
    print(f"{'start':<44} {'health':>8} {'data':>8} {'map page':>9}")
    rows = [("first (empty cache folder)", [starts[0]])]
    rows += [("later starts, median", later), ("later starts, max", later)]
    for name, chosen in rows:
        pick = max if name.endswith("max") else statistics.median
        cells = [pick(s[key] for s in chosen) for key in ("health_s", "data_s", "page_s")]
        print(f"{name:<44} {cells[0]:>7.1f}s {cells[1]:>7.1f}s {cells[2]:>8.1f}s")
    print(f"machine: {about}")
    if args.out:
        args.out.write_text(json.dumps({"machine": about, "starts": starts}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
