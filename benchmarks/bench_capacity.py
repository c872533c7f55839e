"""Capacity: N concurrent visitor sessions against one app process and two behind nginx.

    .venv/bin/python benchmarks/bench_capacity.py [--sessions 10 25 50] [--setups one two]
                                                  [--seed 5000] [--ramp 0]

Each visitor is a thin client of Streamlit's own protocol (what the browser does, without
drawing): it loads the page's HTML, opens the websocket ``/_stcore/stream``, asks for a
script run of the map page (a ``BackMsg`` ``rerun_script`` with the query string), reads
``ForwardMsg``s until ``script_finished`` and fetches the content-named map files the page
names (``/app/static/generated/points-….json``, ``borders-….json``: a first visit has them
in no cache). That is "page ready". Then it changes a filter, the survey measure under the
map (the radio's widget state in a second ``rerun_script``), and waits for that run to
finish. Then it stays connected, idle, until every visitor is done: the memory of N idle
sessions is the server processes' resident memory then, minus before, divided by N.

Setups: ``one`` – one app process, visitors connect to it directly; ``two`` – two app
processes behind nginx (``deploy/nginx``; the sticky cookie set by nginx's first answer is
sent with the websocket and the file requests, like a browser). Both over one PostgreSQL
database with ``--seed`` demo records (``tests/support/cluster.py`` starts everything on
loopback and waits for each process's warm-up; outside hosts are never contacted). Before
measuring, ``--burn-in`` visitors (25) use each process, as in a process that has served
for a while. All N visitors start at once
(``--ramp S`` spreads their arrivals evenly over S seconds instead).

Prints one row per setup and N: p50/p95 page ready, p50/p95 filter change, errors, the
server processes' CPU time per session (both steps; robust against other load on the
machine) and memory per idle session. Figures in ``benchmarks/README.md`` (section "Capacity").
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import re
import statistics
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

import websockets  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from heimatruhr_geo.i18n import t  # noqa: E402
from heimatruhr_geo.ui.map_page import MEASURE_KEY, SURVEY_MEASURES  # noqa: E402
from tests.support.cluster import Cluster, cluster  # noqa: E402
from tests.support.postgres import throwaway_database  # noqa: E402

logger = logging.getLogger("bench_capacity")

GENERATED = re.compile(rb"/app/static/generated/[A-Za-z0-9_.-]+\.json")
STICKY_COOKIE = "heimatruhr_node"
LANG = "de"
TIMEOUT_S = 120.0
"""A visitor that waits longer than this for one step counts as an error."""


@dataclass
class Visit:
    """What one visitor measured."""

    ready_s: float = float("nan")
    filter_s: float = float("nan")
    error: str = ""
    files: list[str] = field(default_factory=list)


class Visitor:
    """One browser session, spoken in Streamlit's protocol."""

    def __init__(self, base: str, pool: ThreadPoolExecutor) -> None:
        self.base = base
        self.pool = pool
        self.cookie = ""
        self.ws: Any = None
        self.radio_id = ""

    async def get(self, path: str) -> bytes:
        """GET ``path`` like a browser (with the sticky cookie once nginx has set it)."""
        return await asyncio.get_running_loop().run_in_executor(self.pool, self._get, path)

    def _get(self, path: str) -> bytes:
        request = urllib.request.Request(self.base + path)
        if self.cookie:
            request.add_header("Cookie", self.cookie)
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as resp:
            for header in resp.headers.get_all("Set-Cookie") or []:
                if header.startswith(STICKY_COOKIE + "="):
                    self.cookie = header.split(";")[0]
            return bytes(resp.read())

    async def open(self) -> list[str]:
        """Load the map page until ready; return the generated files it fetched."""
        await self.get(f"/?lang={LANG}")
        url = "ws" + self.base.removeprefix("http") + "/_stcore/stream"
        headers = {"Cookie": self.cookie} if self.cookie else {}
        self.ws = await websockets.connect(
            url,
            subprotocols=["streamlit"],  # type: ignore[list-item]
            origin=self.base,  # type: ignore[arg-type]
            additional_headers=headers,
            max_size=None,
            open_timeout=TIMEOUT_S,
        )
        payload = await self.run({})
        files = sorted({m.decode() for m in GENERATED.findall(payload)})
        if not any("points-" in f for f in files):
            raise RuntimeError("the page named no points file")
        for path in files:
            await self.get(path)
        return files

    async def change_filter(self) -> None:
        """Choose the second survey measure under the map; wait for the run to finish."""
        if not self.radio_id:
            raise RuntimeError(f"no radio {MEASURE_KEY!r} on the page")
        await self.run({self.radio_id: t(f"measure_{SURVEY_MEASURES[1]}", LANG)})

    async def run(self, widgets: dict[str, str]) -> bytes:
        """Ask for a script run with ``widgets``; return every message's bytes until it ends."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = f"lang={LANG}"
        state.page_script_hash = ""
        state.context_info.timezone = "Europe/Berlin"
        state.context_info.locale = "de-DE"
        state.context_info.url = f"{self.base}/?lang={LANG}"
        for widget_id, value in widgets.items():
            widget = state.widget_states.widgets.add()
            widget.id = widget_id
            widget.string_value = value
        await self.ws.send(msg.SerializeToString())
        received: list[bytes] = []
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), TIMEOUT_S)
            received.append(raw)
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "delta" and not self.radio_id:
                self._find_radio(fwd)
            if kind == "script_finished":
                status = fwd.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue
                if status != ForwardMsg.FINISHED_SUCCESSFULLY:
                    raise RuntimeError(f"script finished with status {status}")
                return b"".join(received)
            if kind == "delta" and fwd.delta.new_element.WhichOneof("type") == "exception":
                raise RuntimeError(f"the page raised: {fwd.delta.new_element.exception.message}")

    def _find_radio(self, fwd: ForwardMsg) -> None:
        element = fwd.delta.new_element
        if element.WhichOneof("type") == "radio" and element.radio.id.endswith(MEASURE_KEY):
            self.radio_id = element.radio.id

    async def close(self) -> None:
        """Close the websocket (the session ends)."""
        if self.ws is not None:
            await self.ws.close()


async def _visit(
    base: str,
    pool: ThreadPoolExecutor,
    delay: float,
    stepped: asyncio.Event,
    done: asyncio.Event,
    visitors: list[Visitor],
) -> Visit:
    """Open the page, change the filter, then stay connected until ``done``."""
    await asyncio.sleep(delay)
    visit, visitor = Visit(), Visitor(base, pool)
    visitors.append(visitor)
    try:
        start = time.perf_counter()
        visit.files = await visitor.open()
        visit.ready_s = time.perf_counter() - start
        start = time.perf_counter()
        await visitor.change_filter()
        visit.filter_s = time.perf_counter() - start
    except Exception as exc:  # every failure of one visitor is counted, never fatal
        visit.error = f"{type(exc).__name__}: {exc}"[:200]
    stepped.set()
    await done.wait()
    return visit


def cpu_s(pids: list[int]) -> float:
    """Return the CPU time (user + system) the processes ``pids`` have used, in seconds."""
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def rss_kib(pids: list[int]) -> int:
    """Return the resident memory of ``pids`` together (KiB, from /proc)."""
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


async def settled_rss_kib(pids: list[int], within_kib: int = 512, quiet_s: float = 3.0) -> int:
    """Return the resident memory of ``pids`` once it has stopped moving.

    A process returns freed memory to the system some time after its work (the warm-up,
    the last visitors): wait until it stays within ``within_kib`` for ``quiet_s`` (at most
    30 s).
    """
    deadline = time.monotonic() + 30.0
    last, since = rss_kib(pids), time.monotonic()
    while time.monotonic() < deadline:
        await asyncio.sleep(0.5)
        now = rss_kib(pids)
        if abs(now - last) > within_kib:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            return now
    return rss_kib(pids)


async def measure(running: Cluster, base: str, n: int, ramp_s: float) -> dict[str, Any]:
    """Run ``n`` concurrent visitors against ``base``; return their figures."""
    pool = ThreadPoolExecutor(max_workers=max(8, n))
    done = asyncio.Event()
    stepped = [asyncio.Event() for _ in range(n)]
    visitors: list[Visitor] = []
    before = await settled_rss_kib(running.pids)
    cpu_before = cpu_s(running.pids)
    tasks = [
        asyncio.create_task(_visit(base, pool, ramp_s * i / n, stepped[i], done, visitors))
        for i in range(n)
    ]
    await asyncio.gather(*(event.wait() for event in stepped))
    cpu_after = cpu_s(running.pids)
    after = await settled_rss_kib(running.pids)  # every visitor connected and idle
    done.set()
    visits = await asyncio.gather(*tasks)
    for visitor in visitors:
        await visitor.close()
    pool.shutdown(wait=False)
    found = _summary(visits, n, before, after)
    found["cpu_ms_per_session"] = (cpu_after - cpu_before) * 1000 / n
    return found


def _summary(visits: list[Visit], n: int, before: int, after: int) -> dict[str, Any]:
    ready = sorted(v.ready_s for v in visits if not v.error)
    changed = sorted(v.filter_s for v in visits if not v.error)
    errors = [v.error for v in visits if v.error]
    return {
        "n": n,
        "ready_p50": _quantile(ready, 0.5),
        "ready_p95": _quantile(ready, 0.95),
        "filter_p50": _quantile(changed, 0.5),
        "filter_p95": _quantile(changed, 0.95),
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:3],
        "mib_per_session": (after - before) / 1024 / n,
        "rss_mib": after / 1024,
    }


def _quantile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return float(statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1])


async def warm(bases: list[str], burn_in: int) -> None:
    """Warm each process like one that has been serving for a while.

    One visitor first (its run fills what the warm-up left), then ``burn_in`` visitors at
    once: the garbage of the start-up is collected by Python's own collector only after
    enough new allocations, and returning it to the system would otherwise show up as
    negative memory per session in the first measurement.
    """
    pool = ThreadPoolExecutor(max_workers=max(4, burn_in))
    for base in bases:
        visitors = [Visitor(base, pool)]
        await visitors[0].open()
        await visitors[0].change_filter()
        visitors += [Visitor(base, pool) for _ in range(burn_in)]
        await asyncio.gather(*(v.open() for v in visitors[1:]))
        await asyncio.gather(*(v.change_filter() for v in visitors[1:]))
        for visitor in visitors:
            await visitor.close()
    pool.shutdown()


def _sessions_per_process(running: Cluster, skip: int) -> dict[str, int]:
    """Count the websockets per app process in nginx's access log after line ``skip``."""
    counts: dict[str, int] = {}
    for request, upstream, _ in running.upstreams()[skip:]:
        if request.startswith("GET /_stcore/stream"):
            counts[upstream] = counts.get(upstream, 0) + 1
    return counts


def main() -> None:
    """Parse the arguments, run every setup and size, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[10, 25, 50])
    parser.add_argument("--setups", nargs="+", choices=["one", "two"], default=["one", "two"])
    parser.add_argument("--seed", type=int, default=5000, help="demo records (default 5000)")
    parser.add_argument("--ramp", type=float, default=0.0, help="spread arrivals over S s")
    parser.add_argument(
        "--burn-in", type=int, default=25, help="visitors per process before measuring (25)"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    print(f"load before: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores")
    header = (
        "| setup | sessions | page ready p50 | p95 | filter change p50 | p95 | errors "
        "| server CPU per session | MiB per idle session | server RSS | sessions per process |"
    )
    rows = [header, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for setup in args.setups:
        with (
            tempfile.TemporaryDirectory(prefix="bench-capacity-") as tmp,
            throwaway_database("heimatruhr_deploy") as url,
        ):
            two = setup == "two"
            with cluster(
                Path(tmp),
                url,
                processes=2 if two else 1,
                nginx=two,
                nginx_workers=1,
                seed=args.seed,
            ) as running:
                asyncio.run(warm(running.backends, args.burn_in))
                base = running.nginx_url if two else running.backends[0]
                assert base
                for n in args.sessions:
                    seen = len(running.upstreams())
                    found = asyncio.run(measure(running, base, n, args.ramp))
                    if two:
                        time.sleep(1)  # nginx logs a websocket when it closes
                        found["per_process"] = _sessions_per_process(running, seen)
                    logger.info("%s %s", setup, found)
                    split = " + ".join(str(c) for c in found.get("per_process", {n: n}).values())
                    rows.append(
                        f"| {setup} | {n} | {found['ready_p50']:.2f} s "
                        f"| {found['ready_p95']:.2f} s "
                        f"| {found['filter_p50']:.2f} s | {found['filter_p95']:.2f} s "
                        f"| {found['errors']} | {found['cpu_ms_per_session']:.0f} ms "
                        f"| {found['mib_per_session']:.1f} "
                        f"| {found['rss_mib']:.0f} MiB "
                        f"| {split} |"
                    )
                    time.sleep(3)
    print(f"load after: {os.getloadavg()[0]:.2f} (1 min)")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
