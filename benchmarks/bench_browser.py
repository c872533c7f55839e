"""Benchmark the map as a visitor feels it: the running app in Debian's Chromium.

    .venv/bin/python benchmarks/bench_browser.py [--records 50000 5000] [--repeat 5]
        [--first-visits 2] [--out results.json] [--steps reload zoom ...]
        [--app worktree|FOLDER|REVISION] [--map-path /]

The app runs from a copy in a temporary folder (``--app``: this checkout's files as they
are, another checkout, or a git revision such as the commit before a change), so edits in
the checkout during a run do not reach the measured app; ``static/node_modules`` (a link
in the helpers' worktrees) is copied with its links resolved.

For each size in ``--records`` (alias ``--n``) the script seeds that many demo records into a
fresh SQLite database in a temporary folder (``python -m heimatruhr_geo seed-demo --n N``),
starts ``streamlit run app.py`` on a free loopback port with the environment of the browser
tests (offline, blank local tiles, no outside request: ``tests/support``) and times
in headless Debian Chromium (``/usr/bin/chromium`` through Playwright; never a downloaded
browser), ``--repeat`` times each, median and max:

reload / reload_first
    The map page reloaded (``--map-path``, default ``/``: the map is the default page, and
    ``/karte`` answered "Page not found" before issue 10): navigation start until all
    markers are drawn (streamlit-folium: every cluster layer on the map has added its last
    chunk; the new map: ``data-state="ready"`` with markers), and until the first markers
    are in the page.
zoom
    ``setZoom(z ± 1, {animate: false})`` on the Leaflet map: the call until the first frame
    drawn after the markers were updated (``moveend``, then, for the new map, the next
    ``data-serial``, then ``requestAnimationFrame`` and a message after it). Each repeat
    steps three levels in and three out again.
measure
    A rerun: the other survey measure is chosen in the radio above the map; the click until
    a municipality's choropleth fill has changed in the page (with markers on the map).
filter / filter_all
    ``/planung``: one municipality chosen in the sidebar (the Enter key) until the map has
    drawn a different set of points (streamlit-folium: the records in the cluster layers;
    the new map: a new ``data-serial`` with another ``data-markers``, the number of drawn
    markers and clusters); then removed again (Backspace) until all points are back.
cluster
    A click on the largest cluster in the map until the map has zoomed (``moveend``) and
    drawn its markers.
wheel / wheel_done
    One mouse-wheel step out over the map (zoomed two levels in): the wheel event until the
    map starts zooming (``zoomstart``), and until it has zoomed and drawn. Then the same
    right after a click on the survey measure started a rerun (``wheel_busy``); a step the
    map lost because the rerun replaced it is counted (``wheel_busy_lost``).
first_visit
    Once per ``--first-visits``: ``streamlit run`` on an EMPTY database (the app seeds the
    demo data itself) and the map page opened as soon as the health endpoint answers:
    navigation start until markers (and, apart, the process start until markers).

Both map front ends are recognised: streamlit-folium (an ``iframe`` titled
``streamlit_folium.st_folium``; the Leaflet map is folium's ``map_<id>`` variable in it,
which streamlit-folium renames ``map``;
markers ``.leaflet-marker-icon``) and the in-page component (root ``.hr-map`` with
``data-state="ready"``, ``data-markers``, ``data-serial`` counting redraws and the map as
``_hrMap``; markers ``.hr-marker``, clusters ``.hr-cluster``). Every time is taken with the
page's own clock (``performance.timeOrigin + performance.now()`` or an event's
``timeStamp``), so Playwright's round trips are not in the figures. The load average is
recorded before and after every step: other work on the machine shows in the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from heimatruhr_geo.i18n import t  # noqa: E402
from tests.support import app_process  # noqa: E402
from tests.support.app_process import app_env  # noqa: E402
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, block_outside  # noqa: E402

logger = logging.getLogger("bench_browser")

FOLIUM_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
HR_MAP = ".hr-map"
VIEWPORT = {"width": 1280, "height": 1000}
STEP_TIMEOUT_MS = 180_000
NO_OUTSIDE_HOSTS = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"
"""Chromium resolves no host but the app's: no request leaves the machine, cache kept."""
STEPS = ("reload", "zoom", "measure", "filter", "cluster", "wheel", "first_visit")
FILTER_MUNICIPALITY = "Bochum"
LABELS = {
    "reload": "reload the map page until all markers drawn",
    "reload_first": "reload the map page until the first markers",
    "zoom": "zoom step ±1 until drawn",
    "measure": "survey measure: click until fill changes",
    "filter": "planner: one municipality until shown",
    "filter_all": "planner: back to all until shown",
    "cluster": "cluster click until zoomed and drawn",
    "wheel": "mouse wheel out until map responds",
    "wheel_done": "mouse wheel out until zoomed and drawn",
    "wheel_busy": "mouse wheel out during a rerun until zoomstart",
    "wheel_busy_lost": "… wheel steps lost in the rerun (count)",
    "first_visit": "first visit, empty DB: navigation until markers",
    "first_visit_first": "first visit, empty DB: until the first markers",
    "first_visit_spawn": "first visit, empty DB: process start until markers",
}

# JavaScript shared by every probe: find the map and its markers in this document.
# ``kind`` is "folium" (run inside the streamlit-folium iframe) or "hrmap" (the page).
JS_HELPERS = r"""
const now = () => performance.timeOrigin + performance.now();
const deepFind = (sel, root) => {
  const hit = root.querySelector(sel);
  if (hit) return hit;
  for (const el of root.querySelectorAll('*')) {
    if (el.shadowRoot) { const found = deepFind(sel, el.shadowRoot); if (found) return found; }
  }
  return null;
};
const hrRoot = () => {
  const cached = window.__benchRoot;
  if (cached && cached.isConnected) return cached;
  window.__benchRoot = deepFind('.hr-map', document);
  return window.__benchRoot;
};
const within = (root, sel) => {
  const out = [...root.querySelectorAll(sel)];
  return root.shadowRoot ? out.concat([...root.shadowRoot.querySelectorAll(sel)]) : out;
};
const foliumMap = () => {
  for (const key of Object.keys(window)) {
    if (/^map(_[0-9a-f]+)?$/.test(key) && window[key] && window[key].getZoom) return window[key];
  }
  return null;
};
const probe = (kind) => {
  if (kind === 'folium') {
    return {map: foliumMap(), root: document.body, serial: () => 0};
  }
  const root = hrRoot();
  return {map: root && root._hrMap, root, serial: () => Number(root.dataset.serial || 0)};
};
const markersShown = (kind, first) => {
  if (kind === 'folium') {
    // folium's cluster layers add their markers in chunks; each notes when it is done
    const shown = !!document.querySelector('.leaflet-marker-icon') && !!foliumMap();
    if (!shown || first) return shown;
    const h = window.heimatruhr || {layers: {}, drawn: {}};
    const drawing = Object.keys(h.layers).filter(
      (k) => h.layers[k]._map && h.layers[k].hrData && h.layers[k].hrData.lat.length);
    return drawing.every((k) => h.drawn[k]);
  }
  const root = hrRoot();
  return !!root && root.dataset.state === 'ready' && Number(root.dataset.markers) > 0
    && within(root, '.hr-marker, .hr-cluster').length > 0 && !!root._hrMap;
};
const pointCount = (kind) => {
  if (kind === 'folium') {
    const layers = (window.heimatruhr || {}).layers || {};
    let n = 0;
    for (const layer of Object.values(layers)) {
      if (layer._map) n += layer.getLayers().length;
    }
    return n;
  }
  const root = hrRoot();
  return root && root.dataset.state === 'ready' ? Number(root.dataset.markers) : -1;
};
const fills = (kind) => {
  const root = kind === 'folium' ? document : hrRoot();
  if (!root) return null;
  return within(kind === 'folium' ? document.body : root,
                '.leaflet-overlay-pane path.leaflet-interactive')
    .map((p) => p.getAttribute('fill')).join(',');
};
const nextPaint = () => new Promise((resolve) => requestAnimationFrame(() => {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => resolve(now());
  channel.port2.postMessage(0);
}));
const redrawn = (kind, root, serial0) => {
  if (kind === 'folium') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => Number(root.dataset.serial || 0) > serial0;
    if (done()) { resolve(); return; }
    const observer = new MutationObserver(() => {
      if (done()) { observer.disconnect(); resolve(); }
    });
    observer.observe(root, {attributes: true, attributeFilter: ['data-serial']});
  });
};
const withTimeout = (promise, ms, what) => Promise.race([promise, new Promise(
  (_, reject) => setTimeout(() => reject(new Error('timeout: ' + what)), ms))]);
"""


def js(body: str, *, sync: bool = False) -> str:
    """Return a page function ``async (arg) => {...}`` with :data:`JS_HELPERS` in scope.

    ``sync`` makes it a plain function (``wait_for_function`` does not await promises).
    """
    return f"{'' if sync else 'async '}(arg) => {{ {JS_HELPERS}\n{body} }}"


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# ----------------------------------------------------------------------------- the app


def prepare_app(rev: str, target: Path) -> Path:
    """Copy the app to ``target``: ``rev`` is "worktree", a folder or a git revision.

    "worktree" is this checkout's files as they are (tracked and untracked, not ignored);
    a folder is another checkout's files, read the same way.

    The copy gets a real ``static/node_modules`` (links resolved): it must not change
    when the checkout's does.
    """
    target.mkdir(parents=True)
    checkout = PROJECT if rev == "worktree" else Path(rev)
    if checkout.is_dir():
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=checkout,
            capture_output=True,
            check=True,
        ).stdout.decode()
        for name in filter(None, listed.split("\0")):
            source = checkout / name
            if source.is_file():
                (target / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target / name)
    else:
        archive = subprocess.run(
            ["git", "archive", rev], cwd=PROJECT, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    modules = (PROJECT / "static" / "node_modules").resolve()
    if modules.is_dir():
        shutil.copytree(modules, target / "static" / "node_modules", symlinks=False)
    else:
        logger.warning("no static/node_modules: run `npm ci --prefix static`")
    return target


def seed(app_dir: Path, env: dict[str, str], n: int) -> float:
    """Seed ``n`` demo records with the app's CLI; return the seconds it took."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "heimatruhr_geo", "seed-demo", "--n", str(n)],
        cwd=app_dir,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


@contextmanager
def running_app(app_dir: Path, env: dict[str, str], log: Path) -> Iterator[tuple[str, float]]:
    """Start ``streamlit run app.py``; yield its URL and the epoch time (ms) of the start."""
    spawned_ms = time.time() * 1000
    with app_process.running_app(env, log, app_dir=app_dir) as url:
        yield url, spawned_ms


# ----------------------------------------------------------------------------- the page


class MapPage:
    """One browser page of the app and its map, whichever front end it has.

    By default the browser keeps its HTTP cache, as a returning visitor's does; nothing
    leaves the machine because Chromium resolves every host but 127.0.0.1 to nothing
    (:data:`NO_OUTSIDE_HOSTS`). ``cold`` (``--cold``) switches the cache off (DevTools'
    "disable cache"), as for a first-time visitor. ``routed`` (``--routed``) sends every
    request through Playwright, as the browser tests do: that also disables the cache and
    adds a round trip to this script per request.
    """

    cold = False
    routed = False

    def __init__(self, browser: Any) -> None:
        self.context = browser.new_context(viewport=VIEWPORT)
        self.blocked = block_outside(self.context) if self.routed else []
        self.page = self.context.new_page()
        if self.cold:
            devtools = self.context.new_cdp_session(self.page)
            devtools.send("Network.enable")
            devtools.send("Network.setCacheDisabled", {"cacheDisabled": True})
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.kind = ""
        self.navigated = 0.0
        self.first_ms = 0.0

    def close(self) -> None:
        self.context.close()

    # -- where the map lives

    def detect(self) -> str:
        """Wait until the page has a map; return its kind ("folium" or "hrmap")."""
        either = self.page.locator(f"{FOLIUM_FRAME}, {HR_MAP}").first
        either.wait_for(state="attached", timeout=STEP_TIMEOUT_MS)
        self.kind = "folium" if self.page.locator(FOLIUM_FRAME).count() else "hrmap"
        return self.kind

    def frame(self) -> Any:
        """Return the frame whose document holds the Leaflet map."""
        if self.kind == "hrmap":
            return self.page.main_frame
        handle = self.page.wait_for_selector(FOLIUM_FRAME, state="attached")
        frame = handle.content_frame() if handle else None
        if frame is None:
            raise RuntimeError("the map's iframe has no frame")
        return frame

    def evaluate(self, body: str, arg: Any = None) -> Any:
        """Run ``body`` in the map's document once the map is there and drawn.

        A rerun may replace the streamlit-folium document at any moment: then wait for the
        new map and run it there.
        """
        for attempt in range(5):
            try:
                return self.frame().evaluate(js(body), {"kind": self.kind, **(arg or {})})
            except Exception as exc:
                text = str(exc)
                gone = ("destroyed", "detached", "navigat", "of null", "of undefined")
                if attempt == 4 or not any(s in text for s in gone):
                    raise
                self.markers_at()
        raise AssertionError("unreachable")

    def wait_in_map(self, body: str, arg: Any = None) -> Any:
        """Wait (each frame) in the map's document until ``body`` returns a truthy value.

        The streamlit-folium iframe may load a new document meanwhile: then wait in that.
        """
        deadline = time.monotonic() + STEP_TIMEOUT_MS / 1000
        while True:
            remaining = int((deadline - time.monotonic()) * 1000)
            if remaining <= 0:
                raise TimeoutError(f"{body}\n{arg}\nthe map now: {self.snapshot()}")
            try:
                handle = self.frame().wait_for_function(
                    js(body, sync=True),
                    arg={"kind": self.kind, **(arg or {})},
                    polling="raf",
                    timeout=min(remaining, 20_000),
                )
                return handle.json_value()
            except Exception as exc:  # a replaced document or frame: wait in the new one
                text = str(exc)
                retry = ("destroyed", "detached", "navigat", "has no frame", "Timeout ")
                if not any(s in text for s in retry):
                    raise
                time.sleep(0.01)

    def snapshot(self) -> Any:
        """What the map shows now (for the message of a step that timed out)."""
        try:
            return self.evaluate(
                """
                return {markers: markersShown(arg.kind), points: pointCount(arg.kind),
                        fills: fills(arg.kind), serial: probe(arg.kind).serial()};
                """
            )
        except Exception as exc:  # the message is what matters here
            return str(exc)

    def main_epoch(self, body: str = "return now();") -> float:
        return float(self.page.evaluate(js(body), {"kind": self.kind}))

    # -- waits

    def markers_at(self, *, first: bool = False) -> float:
        """Wait until all markers (or the ``first``) show; return when (epoch ms, page clock)."""
        return float(
            self.wait_in_map(
                "return markersShown(arg.kind, arg.first) ? now() : 0;", {"first": first}
            )
        )

    def settled(self) -> None:
        """Wait until the script has finished and the map shows markers."""
        self.page.locator('[data-test-script-state="notRunning"]').wait_for(
            state="attached", timeout=STEP_TIMEOUT_MS
        )
        self.markers_at()

    def open(self, url: str) -> float:
        """Navigate; return navigation start until markers, in ms."""
        self.page.goto(url, wait_until="commit")
        return self._until_markers()

    def reload(self) -> float:
        """Reload; return navigation start until markers, in ms."""
        self.page.reload(wait_until="commit")
        return self._until_markers()

    def _until_markers(self) -> float:
        """Navigation start until all markers are drawn; until the first: ``first_ms``."""
        self.detect()
        self.navigated = self.main_epoch("return performance.timeOrigin;")
        self.first_ms = self.markers_at(first=True) - self.navigated
        return self.markers_at() - self.navigated

    def arm_input_clock(self, events: str) -> None:
        """Record the time of the next of ``events`` (comma separated) in the main page."""
        self.page.evaluate(
            """(events) => {
              window.__benchInput = null;
              for (const name of events.split(',')) {
                document.addEventListener(name, (e) => {
                  if (window.__benchInput === null) {
                    window.__benchInput = performance.timeOrigin + e.timeStamp;
                  }
                }, {capture: true, once: true});
              }
            }""",
            events,
        )

    def input_time(self) -> float:
        return float(self.page.evaluate("() => window.__benchInput"))

    # -- the steps

    def zoom_step(self, dz: int) -> float:
        return float(
            self.evaluate(
                """
                const {map, root, serial} = probe(arg.kind);
                const serial0 = serial();
                const moved = new Promise((resolve) => map.once('moveend', resolve));
                const t0 = now();
                map.setZoom(map.getZoom() + arg.dz, {animate: false});
                await withTimeout(moved, 120000, 'moveend');
                await withTimeout(redrawn(arg.kind, root, serial0), 120000, 'redraw');
                return (await nextPaint()) - t0;
                """,
                {"dz": dz},
            )
        )

    def view(self) -> dict[str, Any]:
        return dict(
            self.evaluate(
                """
                const {map, serial} = probe(arg.kind);
                const c = map.getCenter();
                return {lat: c.lat, lng: c.lng, zoom: map.getZoom(), min: map.getMinZoom(),
                        max: map.getMaxZoom(), serial: serial()};
                """
            )
        )

    def set_view(self, view: dict[str, Any], zoom: int) -> None:
        """Move the map without animation and wait until it has drawn."""
        self.evaluate(
            """
            const {map, root, serial} = probe(arg.kind);
            const c = map.getCenter();
            if (map.getZoom() === arg.zoom && Math.abs(c.lat - arg.lat) < 1e-9
                && Math.abs(c.lng - arg.lng) < 1e-9) return;
            const serial0 = serial();
            const moved = new Promise((resolve) => map.once('moveend', resolve));
            map.setView([arg.lat, arg.lng], arg.zoom, {animate: false});
            await withTimeout(moved, 120000, 'moveend');
            await withTimeout(redrawn(arg.kind, root, serial0), 120000, 'redraw');
            await nextPaint();
            """,
            {"lat": view["lat"], "lng": view["lng"], "zoom": zoom},
        )

    def fill_signature(self) -> str:
        return str(self.evaluate("return fills(arg.kind);") or "")

    def serial(self) -> int:
        return int(self.evaluate("return probe(arg.kind).serial();"))

    def point_count(self) -> int:
        return int(self.evaluate("return pointCount(arg.kind);"))

    def wait_fill_change(self, before: str, serial0: int) -> float:
        return float(
            self.wait_in_map(
                """
                if (!markersShown(arg.kind, true)) return 0;
                if (arg.kind === 'hrmap' && probe(arg.kind).serial() <= arg.serial0) return 0;
                const now_ = fills(arg.kind);
                if (arg.before === '') return now();  // no SVG shapes: the redraw is the sign
                const same = now_ === arg.before;
                const complete = now_ && now_.split(',').length === arg.before.split(',').length;
                return !same && complete ? now() : 0;
                """,
                {"before": before, "serial0": serial0},
            )
        )

    def wait_count_change(self, before: int, serial0: int) -> tuple[float, int]:
        found = self.wait_in_map(
            """
            if (!markersShown(arg.kind)) return 0;
            if (arg.kind === 'hrmap' && probe(arg.kind).serial() <= arg.serial0) return 0;
            const n = pointCount(arg.kind);
            return n > 0 && n !== arg.before ? [now(), n] : 0;
            """,
            {"before": before, "serial0": serial0},
        )
        return float(found[0]), int(found[1])

    def biggest_cluster(self) -> dict[str, float] | None:
        """The page coordinates of the largest cluster well inside the map, if any."""
        box = self.evaluate(
            """
            const {map, root} = probe(arg.kind);
            const area = map.getContainer().getBoundingClientRect();
            const sel = arg.kind === 'folium' ? '.marker-cluster' : '.hr-cluster';
            let best = null;
            for (const el of within(root, sel)) {
              const r = el.getBoundingClientRect();
              const x = r.left + r.width / 2, y = r.top + r.height / 2;
              if (x < area.left + 80 || x > area.right - 80 || y < area.top + 80
                  || y > area.bottom - 80) continue;
              const n = parseInt((el.textContent || '').replace(/[^0-9]/g, ''), 10) || 0;
              if (!best || n > best.n) best = {x, y, n};
            }
            return best;
            """
        )
        if box is None:
            return None
        offset = {"x": 0.0, "y": 0.0}
        if self.kind == "folium":
            frame_box = self.page.locator(FOLIUM_FRAME).first.bounding_box()
            offset = {"x": frame_box["x"], "y": frame_box["y"]}
        x, y = box["x"] + offset["x"], box["y"] + offset["y"]
        if not (0 < x < VIEWPORT["width"] and 0 < y < VIEWPORT["height"]):
            raise RuntimeError(f"the cluster at {x:.0f}, {y:.0f} is outside the window")
        return {"x": x, "y": y, "n": box["n"]}

    def map_in_view(self) -> dict[str, float]:
        """Scroll the map into the window; return its box in page coordinates.

        A rerun may replace the streamlit-folium iframe meanwhile: then ask the new one.
        """
        for attempt in range(10):
            element = self.page.locator(f"{FOLIUM_FRAME}, {HR_MAP}").first
            try:
                element.scroll_into_view_if_needed(timeout=5_000)
                box = element.bounding_box(timeout=5_000)
                if box:
                    return dict(box)
            except Exception:
                if attempt == 9:
                    raise
        raise RuntimeError("the map has no box")

    def arm_map_clock(self, events: str, then: str) -> None:
        """In the map's document: record the next input event and what follows it.

        ``then`` is ``"zoomed"`` (``moveend`` at a higher zoom, then drawn) or ``"wheel"``
        (``zoomstart``, then ``moveend`` and drawn).
        """
        self.evaluate(
            """
            const {map, root, serial} = probe(arg.kind);
            const z0 = map.getZoom(), serial0 = serial();
            window.__benchInput = null;
            window.__benchStart = null;
            for (const name of arg.events.split(',')) {
              document.addEventListener(name, (e) => {
                if (window.__benchInput === null) {
                  window.__benchInput = performance.timeOrigin + e.timeStamp;
                }
              }, {capture: true, once: true});
            }
            map.once('zoomstart', () => { window.__benchStart = now(); });
            window.__benchDone = new Promise((resolve) => {
              const onMove = () => {
                if (map.getZoom() === z0) { map.once('moveend', onMove); return; }
                resolve(map.getZoom());
              };
              map.once('moveend', onMove);
            }).then(async (zoom) => {
              await withTimeout(redrawn(arg.kind, root, serial0), 120000, 'redraw');
              return {done: await nextPaint(), zoom};
            });
            """,
            {"events": events},
        )

    def map_clock(self) -> dict[str, Any]:
        return dict(
            self.evaluate(
                """
                const done = await withTimeout(window.__benchDone, 120000, 'map change');
                return {input: window.__benchInput, start: window.__benchStart, ...done};
                """
            )
        )


# ----------------------------------------------------------------------------- the steps


Runs = dict[str, list[float]]


def _log_step(name: str, values: list[float]) -> None:
    logger.info("%s: %s ms", name, ", ".join(f"{v:.0f}" for v in values))


def bench_map_page(mp: MapPage, url: str, repeat: int, steps: set[str], runs: Runs) -> None:
    """Reload, zoom, survey measure, cluster click and mouse wheel on the map page ``url``."""
    first = mp.open(url)
    logger.info("map front end: %s; first load %.0f ms", mp.kind, first)
    mp.settled()
    if "reload" in steps:
        runs["reload"], runs["reload_first"] = [], []
        for _ in range(repeat):
            runs["reload"].append(mp.reload())
            runs["reload_first"].append(mp.first_ms)
        _log_step("reload", runs["reload"])
        _log_step("reload_first", runs["reload_first"])
        mp.settled()
    home = mp.view()
    logger.info("initial view %s", home)
    if "zoom" in steps:
        values = []
        for _ in range(repeat):
            mp.set_view(home, home["zoom"])
            for dz in (1, 1, 1, -1, -1, -1):
                values.append(mp.zoom_step(dz))
        runs["zoom"] = values
        _log_step("zoom", values)
        mp.set_view(home, home["zoom"])
    if "measure" in steps:
        group = mp.page.locator('[data-testid="stRadio"]').filter(
            has_text=t("survey_measure", "de")
        )
        radios = group.locator('[role="radiogroup"] label')
        values = []
        for i in range(repeat + repeat % 2):  # an even number: back to the first measure
            before, serial0 = mp.fill_signature(), mp.serial()
            mp.arm_input_clock("click")
            radios.nth((i + 1) % 2).click()
            changed = mp.wait_fill_change(before, serial0)
            values.append(changed - mp.input_time())
            mp.settled()
        runs["measure"] = values[:repeat]
        _log_step("measure", values)
    if "cluster" in steps:
        values = []
        for _ in range(repeat):
            mp.set_view(home, home["zoom"])
            mp.map_in_view()
            target = mp.biggest_cluster()
            if target is None:
                logger.warning("no cluster inside the map to click")
                break
            mp.arm_map_clock("click", "zoomed")
            mp.page.mouse.click(target["x"], target["y"])
            clock = mp.map_clock()
            values.append(clock["done"] - clock["input"])
        runs["cluster"] = values
        _log_step("cluster", values)
    if "wheel" in steps:
        responds, done = [], []
        for _ in range(repeat):
            mp.set_view(home, min(home["zoom"] + 2, home["max"]))
            box = mp.map_in_view()
            mp.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            mp.arm_map_clock("wheel", "wheel")
            mp.page.mouse.wheel(0, 300)
            clock = mp.map_clock()
            responds.append(clock["start"] - clock["input"])
            done.append(clock["done"] - clock["input"])
        runs["wheel"], runs["wheel_done"] = responds, done
        _log_step("wheel", responds)
        _log_step("wheel_done", done)
        runs["wheel_busy"], lost = wheel_during_rerun(mp, home, repeat)
        _log_step("wheel_busy", runs["wheel_busy"])
        runs["wheel_busy_lost"] = [float(lost)]
        logger.info("wheel steps lost in a rerun (the map was replaced): %d of %d", lost, repeat)


def wheel_during_rerun(mp: MapPage, home: dict[str, Any], repeat: int) -> tuple[list[float], int]:
    """Wheel out over the map right after a click started a rerun (the survey measure).

    Returns the times from the wheel event until the map started zooming, and how many
    wheel steps were lost: the map that got them was replaced before it zoomed, or it did
    not zoom within 20 s.
    """
    group = mp.page.locator('[data-testid="stRadio"]').filter(has_text=t("survey_measure", "de"))
    radios = group.locator('[role="radiogroup"] label')
    times, lost = [], 0
    for i in range(repeat + repeat % 2):  # an even number: back to the first measure
        mp.set_view(home, min(home["zoom"] + 2, home["max"]))
        mp.arm_map_clock("wheel", "wheel")
        before, serial0 = mp.fill_signature(), mp.serial()
        radios.nth((i + 1) % 2).click()
        box = mp.map_in_view()  # the click may have scrolled the page
        mp.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        mp.page.mouse.wheel(0, 300)
        try:  # not MapPage.evaluate: a replaced document must not be waited for again
            started = mp.frame().evaluate(
                js(
                    """
                    if (window.__benchDone === undefined) return null;  // a new document
                    try {
                      await withTimeout(window.__benchDone, 20000, 'map change');
                    } catch (e) {
                      return null;  // no zoom within 20 s: lost
                    }
                    return window.__benchStart - window.__benchInput;
                    """
                ),
                {"kind": mp.kind},
            )
            if started is None:
                lost += i < repeat
            elif i < repeat:
                times.append(float(started))
        except Exception as exc:
            if not any(s in str(exc) for s in ("destroyed", "detached", "navigat")):
                raise
            lost += i < repeat
        mp.wait_fill_change(before, serial0)
        mp.settled()
    return times, lost


def bench_planner(mp: MapPage, url: str, repeat: int, runs: Runs) -> dict[str, int]:
    """Choose one municipality in the planners' sidebar and remove it again."""
    mp.open(f"{url}/planung")
    mp.settled()
    box = mp.page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
    field = box.locator("input")
    chosen, back = [], []
    counts: dict[str, int] = {}
    for _ in range(repeat):
        before, serial0 = mp.point_count(), mp.serial()
        field.click()
        field.fill(FILTER_MUNICIPALITY)
        mp.page.get_by_role("option", name=FILTER_MUNICIPALITY, exact=True).wait_for()
        mp.arm_input_clock("keydown")
        field.press("Enter")
        at, count = mp.wait_count_change(before, serial0)
        chosen.append(at - mp.input_time())
        counts = {"all": before, FILTER_MUNICIPALITY: count}
        mp.page.keyboard.press("Escape")
        mp.settled()
        before, serial0 = mp.point_count(), mp.serial()
        field.click()
        mp.arm_input_clock("keydown")
        field.press("Backspace")
        at, count = mp.wait_count_change(before, serial0)
        back.append(at - mp.input_time())
        mp.page.keyboard.press("Escape")
        mp.settled()
    runs["filter"], runs["filter_all"] = chosen, back
    _log_step("filter", chosen)
    _log_step("filter_all", back)
    logger.info("points on the map: %s", counts)
    return counts


def bench_first_visit(
    browser: Any, app_dir: Path, map_path: str, folder: Path, times: int, runs: Runs
) -> str:
    """Start the app on an empty database and open the map at once."""
    nav_ms, first_ms, spawn_ms = [], [], []
    kind = ""
    for i in range(times):
        data = folder / f"empty{i}"
        data.mkdir()
        env = app_env(data)
        with running_app(app_dir, env, data / "streamlit.log") as (url, spawned):
            mp = MapPage(browser)
            try:
                nav_ms.append(mp.open(url + map_path))
                first_ms.append(mp.first_ms)
                spawn_ms.append(mp.navigated + nav_ms[-1] - spawned)
                kind = mp.kind
            finally:
                mp.close()
    runs["first_visit"], runs["first_visit_spawn"] = nav_ms, spawn_ms
    runs["first_visit_first"] = first_ms
    _log_step("first_visit", nav_ms)
    _log_step("first_visit_spawn", spawn_ms)
    return kind


# ----------------------------------------------------------------------------- main


def summary(runs: Runs) -> dict[str, dict[str, float]]:
    return {
        name: {
            "median_ms": round(statistics.median(values), 1),
            "max_ms": round(max(values), 1),
            "runs": len(values),
        }
        for name, values in runs.items()
        if values
    }


def print_table(results: list[dict[str, Any]]) -> None:
    sizes = [r["records"] for r in results]
    head = f"{'what':<52}" + "".join(f"{f'{n:,} records':>22}" for n in sizes)
    print(head)
    print(f"{'':<52}" + "".join(f"{'median / max ms':>22}" for _ in sizes))
    for name, label in LABELS.items():
        cells = []
        for r in results:
            s = r["summary"].get(name)
            cells.append(f"{s['median_ms']:>10,.0f} / {s['max_ms']:>7,.0f}" if s else "-")
        if any(c != "-" for c in cells):
            print(f"{label:<52}" + "".join(f"{c:>22}" for c in cells))
    for r in results:
        print(
            f"{r['records']:,} records: map {r['map']}, points {r.get('points')}, "
            f"seeded in {r['seed_s']:.1f} s, load average {r['load']}"
        )


def machine() -> dict[str, Any]:
    chromium = subprocess.run(
        [str(CHROMIUM), "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "host": platform.node(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "chromium": chromium,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


@contextmanager
def load_noted(name: str, load: dict[str, Any]) -> Iterator[None]:
    """Note the load average before and after the block under ``name``."""
    before = loadavg()
    yield
    load[name] = {"before": before, "after": loadavg()}


def bench_size(browser: Any, n: int, folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Seed ``n`` records, start the app and measure the steps on it."""
    steps = set(args.steps)
    folder.mkdir()
    env = app_env(folder)
    seed_s = seed(args.app_dir, env, n)
    logger.info("seeded %d records in %.1f s", n, seed_s)
    runs: Runs = {}
    load: dict[str, Any] = {}
    result: dict[str, Any] = {"records": n, "seed_s": round(seed_s, 2)}
    with running_app(args.app_dir, env, folder / "streamlit.log") as (url, _):
        page_steps = steps - {"filter", "first_visit"}
        if page_steps:
            mp = MapPage(browser)
            try:
                with load_noted("map_page", load):
                    bench_map_page(mp, url + args.map_path, args.repeat, page_steps, runs)
                result |= {"map": mp.kind, "errors": mp.errors, "blocked": mp.blocked}
            finally:
                mp.close()
        if "filter" in steps:
            mp = MapPage(browser)
            try:
                with load_noted("planner", load):
                    result["points"] = bench_planner(mp, url, args.repeat, runs)
                result.setdefault("map", mp.kind)
            finally:
                mp.close()
    return result | {"runs": runs, "summary": summary(runs), "load": load}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", "--n", type=int, nargs="+", default=[50_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--first-visits", type=int, default=2)
    parser.add_argument("--steps", nargs="+", choices=STEPS, default=list(STEPS))
    parser.add_argument(
        "--app",
        default="worktree",
        help="the app to measure: 'worktree' (default: this checkout's files as they are), "
        "another checkout's folder, or a git revision",
    )
    parser.add_argument("--map-path", default="/", help="URL path of the map page")
    parser.add_argument("--out", type=Path, help="write the results as JSON")
    parser.add_argument("--cold", action="store_true", help="no HTTP cache (a first visit)")
    parser.add_argument(
        "--routed",
        action="store_true",
        help="route requests through Playwright, as the browser tests do (no cache either)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    if not CHROMIUM.is_file():
        print(f"{CHROMIUM} is missing", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    results: list[dict[str, Any]] = []
    about = machine() | {"load_start": loadavg(), "app": args.app}
    if args.app != "worktree" and not Path(args.app).is_dir():
        about["app"] = subprocess.run(
            ["git", "rev-parse", args.app], cwd=PROJECT, capture_output=True, text=True, check=True
        ).stdout.strip()
    logger.info("measure: %s (load average %s)", ", ".join(args.steps), about["load_start"])
    with tempfile.TemporaryDirectory(prefix="bench_browser") as tmp, sync_playwright() as p:
        args.app_dir = prepare_app(args.app, Path(tmp) / "app")
        MapPage.cold, MapPage.routed = args.cold, args.routed
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, NO_OUTSIDE_HOSTS]
        )
        try:
            for n in args.records if set(args.steps) - {"first_visit"} else []:
                results.append(bench_size(browser, n, Path(tmp) / f"n{n}", args))
            if "first_visit" in args.steps and args.first_visits > 0:
                runs: Runs = {}
                load: dict[str, Any] = {}
                with load_noted("first_visit", load):
                    kind = bench_first_visit(
                        browser, args.app_dir, args.map_path, Path(tmp), args.first_visits, runs
                    )
                results.append(
                    {"records": "empty database", "map": kind, "seed_s": 0.0, "runs": runs}
                    | {"summary": summary(runs), "load": load}
                )
        finally:
            browser.close()
    about["load_end"] = loadavg()
    print_table([r for r in results if isinstance(r["records"], int)])
    for r in results:
        if not isinstance(r["records"], int):
            for name in ("first_visit", "first_visit_first", "first_visit_spawn"):
                s = r["summary"].get(name)
                if s:
                    print(f"{LABELS[name]:<52} {s['median_ms']:>10,.0f} / {s['max_ms']:>7,.0f} ms")
            print(f"first visits: map {r['map']}, load average {r['load']}")
    print(f"machine: {about}")
    if args.out:
        args.out.write_text(json.dumps({"machine": about, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
