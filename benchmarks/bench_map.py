"""Benchmark the map's data layers: build, render, page size and drawing in a browser.

    .venv/bin/python benchmarks/bench_map.py [--sizes 10000 50000] [--repeat 3] [--no-browser]

For each size, reproducible demo records (``demo_records``, seed 1) go through a throw-away
SQLite store, so the frames are exactly what ``Store.query`` gives the app (spaces and
vacant buildings in the demo's 4:3 ratio). Timed: ``build_map`` with all five point layers
and a choropleth, ``get_root().render()``, the HTML size, and, in headless Debian chromium
(``/usr/bin/chromium`` via Playwright's ``executable_path``; never a downloaded browser),
the time from navigation start until every cluster layer has added its markers (the flag
the layers' script sets). Pages load only from a loopback server; outside requests are
aborted. Best and median of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import geopandas as gpd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from heimatruhr_geo.config import DEFAULT_STATIC_DIR, Settings
from heimatruhr_geo.demo import LAYER_SHARES, demo_records
from heimatruhr_geo.mapview import Choropleth, build_map, load_drawing_municipalities
from heimatruhr_geo.store import Store
from tests.support.http import serving_files

CHROMIUM = Path("/usr/bin/chromium")
SETTINGS = Settings(tile_url="/app/static/blank-tile.png", tile_attribution="benchmark")
TARGETS = {10_000: (0.3, 2.0, 3.0), 50_000: (1.0, 6.0, 3.0)}
"""records -> (build + render s, HTML MB, browser draw s), from issue 5."""
ALL_DRAWN = "() => Object.keys((window.heimatruhr || {drawn: {}}).drawn).length === 5"


def frames(n: int, folder: Path) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Return ``n`` public records (spaces and vacant) as the store returns them."""
    share = LAYER_SHARES["spaces"] + LAYER_SHARES["vacant"]
    store = Store(f"sqlite:///{folder}/bench_{n}.sqlite")
    try:
        store.add_many(demo_records(round(n / share * 1.15) + 20, seed=1))
        spaces, vacant = store.query("spaces"), store.query("vacant")
    finally:
        store.close()
    k = round(n * LAYER_SHARES["spaces"] / share)
    return spaces.iloc[:k], vacant.iloc[: n - k]


def timed(fn: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    """Run ``fn`` ``repeat`` times; return the durations and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return times, result


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve ``root`` (with ``app/static`` linked to the project's static/) on loopback."""
    (root / "app").mkdir(exist_ok=True)
    link = root / "app" / "static"
    if not link.exists():
        link.symlink_to(DEFAULT_STATIC_DIR, target_is_directory=True)
    with serving_files(root) as base:
        yield base


def draw_times(browser: Any, url: str, repeat: int) -> list[float]:
    """Seconds from navigation start until all cluster layers have added their markers."""
    times = []
    for _ in range(repeat):
        context = browser.new_context(viewport={"width": 1000, "height": 700})
        context.route(
            "**/*",
            lambda r: (
                r.continue_() if urlparse(r.request.url).hostname == "127.0.0.1" else r.abort()
            ),
        )
        try:
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
            page.goto(url, wait_until="commit")
            page.wait_for_function(ALL_DRAWN, timeout=60_000, polling=50)
            drawn_ms = page.evaluate("() => Math.max(...Object.values(heimatruhr.drawn))")
            if errors:
                raise RuntimeError(f"page errors: {errors}")
            times.append(drawn_ms / 1000)
        finally:
            context.close()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args(argv)
    drawing = load_drawing_municipalities(SETTINGS)
    keys = sorted(drawing["ags"])
    choropleth = Choropleth(
        {a: (i * 3.7 if i % 6 else None) for i, a in enumerate(keys)}, "Antworten", "zu wenige"
    )
    rows = []
    with tempfile.TemporaryDirectory() as tmp, contextmanager(_browser)(args.no_browser) as browser:
        root = Path(tmp)
        with serve(root) as base_url:
            for n in args.sizes:
                start = time.perf_counter()
                spaces, vacant = frames(n, root)
                print(
                    f"{len(spaces):,} spaces + {len(vacant):,} vacant prepared in "
                    f"{time.perf_counter() - start:.1f} s",
                    flush=True,
                )

                def build(spaces: Any = spaces, vacant: Any = vacant) -> Any:
                    return build_map(
                        drawing, SETTINGS, spaces=spaces, vacant=vacant, choropleth=choropleth
                    )

                build(), build().get_root().render()  # warm-up (imports, caches)
                build_s, m = timed(build, args.repeat)
                render_s, html = timed(m.get_root().render, args.repeat)
                total_s = [b + r for b, r in zip(build_s, render_s, strict=True)]
                st_s, _ = timed(functools.partial(streamlit_script, m), args.repeat)
                (root / f"map_{n}.html").write_text(html, encoding="utf-8")
                draw_s = (
                    draw_times(browser, f"{base_url}/map_{n}.html", args.repeat) if browser else []
                )
                size_mb = len(html.encode()) / 1e6
                rows.append((n, build_s, render_s, total_s, st_s, size_mb, draw_s))
    print_table(rows)
    return 0


def _browser(disabled: bool) -> Iterator[Any]:
    if disabled or not CHROMIUM.is_file():
        if not disabled:
            print(f"{CHROMIUM} missing: no browser figures (apt-get install -y chromium)")
        yield None
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            yield browser
        finally:
            browser.close()


def _fmt(values: list[float]) -> str:
    if not values:
        return "–"
    return f"{min(values):.3f} / {statistics.median(values):.3f}"


def streamlit_script(m: Any) -> str:
    """What ``st_folium`` does with a map before sending it (render, extract the scripts)."""
    from streamlit_folium import generate_leaflet_string

    m.render()
    return str(generate_leaflet_string(m))


def print_table(rows: list[tuple[Any, ...]]) -> None:
    """Print a Markdown table (best / median seconds) with the targets."""
    print()
    print(
        "| records | build s | render s | build+render s | st_folium script s | HTML MB "
        "| drawn in chromium s | target |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for n, build_s, render_s, total_s, st_s, size_mb, draw_s in rows:
        target = TARGETS.get(n)
        goal = f"< {target[0]} s, < {target[1]} MB, < {target[2]} s" if target else ""
        print(
            f"| {n:,} | {_fmt(build_s)} | {_fmt(render_s)} | {_fmt(total_s)} | {_fmt(st_s)} | "
            f"{size_mb:.2f} | {_fmt(draw_s)} | {goal} |"
        )
    print("\n(best / median of the runs)")


if __name__ == "__main__":
    raise SystemExit(main())
