"""Benchmark the open-data API at /api of the running app.

Run on demand (not part of the tests)::

    .venv/bin/python benchmarks/bench_api.py            # SQLite in a temp folder
    .venv/bin/python benchmarks/bench_api.py --url postgresql+psycopg://postgres@127.0.0.1:5432/bench_api

Stores 50,000 vacant buildings of the demo generator, starts the app with the README's
command (``streamlit run app.py``, the API in the same process) on that database, and times

1. the whole ``vacant`` collection read through GDAL's OAPIF driver
   (``pyogrio.read_dataframe("OAPIF:…/api", layer="vacant")``, what QGIS uses);
2. ``items?limit=1000`` pages (first, middle, last; with a municipality filter; with a
   bbox) as a client sees them (HTTP on loopback, body read);

then adds 50,000 more and times the pages again over 100,000. Also splits one page of
1,000 into its server-side parts (database query, count, GeoJSON) in this process.

Targets (issue 12): ``items?limit=1000`` over 100,000 records < 200 ms; the whole
``vacant`` collection through the OAPIF driver at 50,000 records < 10 s. The PostgreSQL
URL must name an existing database; its records are deleted.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyogrio
from timing import runs

from heimatruhr_geo.api.features import collection_text, feature_texts
from heimatruhr_geo.demo import demo_records
from heimatruhr_geo.schema import CONTACTS, LIMIT_EVENTS, RECORDS
from heimatruhr_geo.store import Filters, Store

PROJECT = Path(__file__).resolve().parents[1]
PAGES = {
    "first page": "limit=1000",
    "middle page": "limit=1000&offset={middle}",
    "last page": "limit=1000&offset={last}",
    "Dortmund": "limit=1000&municipality=05913000",
    "bbox Bochum": "limit=1000&bbox=7.15,51.42,7.3,51.52",
}
"""A first page (offset 0) reads the selection's ids afresh; a later page of a walk
reuses them (``ApiService.selection``): the middle and last pages are timed as the pages
of a walk, after the first page of the same selection."""


def vacant(n: int, seed: int) -> list[Any]:
    records = [r for r in demo_records(round(n / 0.3) + 2_000, seed=seed) if r.layer == "vacant"]
    return records[:n]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_app(url: str, folder: Path) -> Iterator[str]:
    """Start ``streamlit run app.py`` on database ``url``; yield the API's URL."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEIMATRUHR_")}
    env |= {
        "HEIMATRUHR_DATABASE_URL": url,
        "HEIMATRUHR_CACHE_DIR": str(folder / "cache"),
        "HEIMATRUHR_OFFLINE": "1",
        "HEIMATRUHR_API_RATE_LIMIT": "100000",
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
    }
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    log = (folder / "app.log").open("wb")
    proc = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.3)
        yield f"{base}/api"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


def fetch(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=120) as response:
        return dict(json.loads(response.read()))


def time_pages(api: str, total: int, repeat: int) -> None:
    print(f"\nitems pages over {total:,} vacant buildings ({repeat} runs, ms, client side)")
    for label, template in PAGES.items():
        query = template.format(middle=total // 2, last=total - 1000)
        url = f"{api}/collections/vacant/items?{query}"
        median, top, body = runs(lambda u=url: fetch(u), repeat)
        print(
            f"  {label:<12} median {median:6.1f}  max {top:6.1f}  returned "
            f"{body['numberReturned']:5,} of {body['numberMatched']:7,}"
        )


def time_parts(store: Store, repeat: int) -> None:
    print("\none page of 1,000 in this process (median ms)")
    select, _, ids = runs(lambda: store.matching_ids("vacant", Filters()), repeat)
    middle = ids[len(ids) // 2 : len(ids) // 2 + 1000]
    rows, _, frame = runs(lambda: store.published_by_id("vacant", middle), repeat)
    encode, _, _ = runs(lambda: collection_text(feature_texts(frame), len(ids), []), repeat)
    print(
        f"  ids of the selection ({len(ids):,}) {select:.1f}  rows by id {rows:.1f}  "
        f"GeoJSON {encode:.1f}"
    )


def time_gdal(api: str, expected: int, repeat: int) -> None:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        frame = pyogrio.read_dataframe(f"OAPIF:{api}", layer="vacant")
        times.append(time.perf_counter() - start)
        assert len(frame) == expected, (len(frame), expected)
    print(
        f"\nGDAL OAPIF, whole vacant collection ({expected:,} features): "
        f"median {statistics.median(times):.2f} s, max {max(times):.2f} s ({repeat} runs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--n", type=int, default=50_000, help="vacant buildings per step")
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    print(f"load: {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        store = Store(url)
        with store.engine.begin() as conn:
            for table in (CONTACTS, RECORDS, LIMIT_EVENTS):
                conn.execute(table.delete())
        print(f"backend: {store.engine.dialect.name}")
        start = time.perf_counter()
        store.add_many(vacant(args.n, seed=3))
        print(f"stored {args.n:,} vacant buildings in {time.perf_counter() - start:.1f} s")
        with running_app(url, Path(tmp)) as api:
            fetch(api)
            time_gdal(api, args.n, 3)
            time_pages(api, args.n, args.repeat)
            start = time.perf_counter()
            store.add_many(vacant(args.n, seed=4))
            print(f"\nstored {args.n:,} more in {time.perf_counter() - start:.1f} s")
            time_pages(api, 2 * args.n, args.repeat)
            time_parts(store, args.repeat)
        store.close()
    print(f"load: {os.getloadavg()}")


if __name__ == "__main__":
    main()
