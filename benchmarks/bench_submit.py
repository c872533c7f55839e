"""Benchmark one public submission: geocode (cache hit), check, store as pending.

Run: ``.venv/bin/python benchmarks/bench_submit.py [--n 200] [--postgres URL | --no-postgres]``.

1. Fill a fresh geocoding cache with ``n`` distinct addresses over a loopback HTTP server
   that speaks Nominatim's jsonv2 (minimum interval 0: the 1 request/s rule is for public
   servers), then switch the network off.
2. For each database (SQLite in a temporary folder; PostgreSQL in a fresh database that
   the script creates on the given server and drops afterwards), submit ``n`` forms,
   alternating a proposed creative space and a reported vacant building, each the way the
   page's submit button does it: geocode the address (a cache hit), build the
   :class:`~heimatruhr_geo.submissions.Location`, check the form with
   :func:`~heimatruhr_geo.submissions.submission_from_form` (including the point-in-Ruhr
   check) and :meth:`~heimatruhr_geo.store.Store.add` the pending record with its
   private contact, one transaction each.
3. Print median, 95th percentile and maximum of the whole submission and the median of
   each step. Target (issue 6): a submission is stored in < 100 ms.
4. With ``--page N`` (default 20; 0 skips), the page in Streamlit's AppTest: N creative
   space proposals located by a pin, 5 per session (the session limit); the figure is
   the click on the submit button until the page is drawn again (callback, storing and
   the page with its map), median and maximum.

The script exits non-zero if any submission is refused or not stored as pending.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

from heimatruhr_geo.abuse import CLIENT_LIMIT
from heimatruhr_geo.config import Settings
from heimatruhr_geo.geocoding import AddressQuery, Geocoder
from heimatruhr_geo.spatial import default_index
from heimatruhr_geo.store import Filters, Store
from heimatruhr_geo.submissions import FormLayer, Location, submission_from_form

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.support.http import json_handler, serving

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
STEPS = ("geocode", "check", "store")


NOMINATIM_ANSWER = [
    {
        "lat": "51.4818",
        "lon": "7.2162",
        "display_name": "Rottstraße, Bochum",
        "place_rank": 30,
        "addresstype": "building",
    }
]
"""What the stand-in Nominatim answers to every search: one house in Bochum."""


def address(i: int) -> AddressQuery:
    return AddressQuery(street=f"Rottstraße {i}", postcode="44793", city="Bochum")


def form(i: int) -> tuple[FormLayer, dict[str, object]]:
    """The i-th form: spaces and vacant buildings alternate, with contact and long text."""
    common = {
        "title": f"<b>Ort {i}</b> – Atelier & Werkstatt",
        "description": "Ein heller Raum im Erdgeschoss. " * 60,
        "contact_public": "info@atelier.example",
        "contact_name": "Ana Beispiel",
        "contact_email": f"ana{i}@example.org",
        "street": f"Rottstraße {i}",
        "postcode": "44793",
        "city": "Bochum",
    }
    if i % 2 == 0:
        return "spaces", {
            **common,
            "project_type": "studio",
            "website": "https://atelier.example",
        }
    return "vacant", {
        **common,
        "building_type": "industrial",
        "floors": "2",
        "floor_area_m2": "350,5",
        "rent_band": "free",
        "available_from": "01.03.2027",
        "power": True,
    }


def fill_cache(settings: Settings, n: int) -> Settings:
    """Cache ``n`` addresses; return settings that find them there with the network off."""
    with serving(json_handler(NOMINATIM_ANSWER)) as url:
        settings = dataclasses.replace(settings, nominatim_url=url)
        online = Geocoder(settings, min_interval=0.0)
        try:
            results = online.geocode_many([address(i) for i in range(n)])
        finally:
            online.close()
    if not all(r.source == "nominatim" for r in results):
        raise SystemExit("filling the cache failed")
    return dataclasses.replace(settings, offline=True)


def submit_all(store: Store, geocoder: Geocoder, n: int) -> dict[str, list[float]]:
    """Submit ``n`` forms; return the milliseconds of each step and of the whole."""
    index = default_index(geocoder.settings.data_dir)
    times: dict[str, list[float]] = {step: [] for step in (*STEPS, "total")}
    for i in range(n):
        layer, values = form(i)
        t0 = time.perf_counter()
        result = geocoder.geocode(address(i))
        assert result.found and result.lat is not None and result.lon is not None
        location = Location(
            result.lon, result.lat, result.ags, result.municipality,
            result.precision or "", result.source or "", result.label,
        )  # fmt: skip
        t1 = time.perf_counter()
        submission = submission_from_form(layer, values, location, "de", index=index)
        if submission.record is None:
            raise SystemExit(f"form {i} refused: {submission.problems}")
        t2 = time.perf_counter()
        store.add(submission.record)
        t3 = time.perf_counter()
        for step, ms in zip(STEPS, (t1 - t0, t2 - t1, t3 - t2), strict=True):
            times[step].append(ms * 1000)
        times["total"].append((t3 - t0) * 1000)
        if result.source != "cache":
            raise SystemExit(f"address {i} came from {result.source}, not the cache")
    return times


def check_stored(store: Store, n: int) -> None:
    for layer in ("spaces", "vacant"):
        frame = store.query(layer, Filters(), public=False)
        if not (frame["moderation"] == "pending").all():
            raise SystemExit(f"{layer}: a submission is not pending")
        if store.count(layer, public=True):
            raise SystemExit(f"{layer}: a submission is public")
    if store.count() != n:
        raise SystemExit(f"stored {store.count()} records, expected {n}")


def report(name: str, times: dict[str, list[float]]) -> None:
    total = sorted(times["total"])
    p95 = total[max(0, round(len(total) * 0.95) - 1)]
    steps = ", ".join(f"{s} {statistics.median(times[s]):.2f}" for s in STEPS)
    print(
        f"{name}: {len(total)} submissions, median {statistics.median(total):.1f} ms, "
        f"p95 {p95:.1f} ms, max {total[-1]:.1f} ms, first {times['total'][0]:.1f} ms "
        f"(medians: {steps} ms)"
    )


def run_postgres(server_url: str, geocoder: Geocoder, n: int) -> None:
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    name = f"bench_submit_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(server_url).set(database=name).render_as_string(hide_password=False)
    try:
        store = Store(url)
        try:
            times = submit_all(store, geocoder, n)
            check_stored(store, n)
            report("PostgreSQL", times)
        finally:
            store.close()
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def _submit_page() -> None:
    from heimatruhr_geo.ui import state, submit_page

    state.language()
    submit_page.render()


def page(n: int, folder: Path) -> None:
    """Time n submissions through the page in AppTest (SQLite, offline geocoding)."""
    from streamlit.testing.v1 import AppTest

    os.environ["HEIMATRUHR_DATABASE_URL"] = f"sqlite:///{folder / 'page.sqlite'}"
    os.environ["HEIMATRUHR_CACHE_DIR"] = str(folder / "page-cache")
    os.environ["HEIMATRUHR_OFFLINE"] = "1"
    from heimatruhr_geo.ui import resources

    times: list[float] = []
    at = AppTest.from_function(_submit_page, default_timeout=300)
    for i in range(n):
        if i % CLIENT_LIMIT == 0:  # a new visitor: 5 submissions per client and hour
            resources.limiter().reset()
            at = AppTest.from_function(_submit_page, default_timeout=300).run()
        at.session_state["spaces_loc_map"] = {"last_clicked": {"lat": 51.4556, "lng": 7.0116}}
        at.run()
        at.text_input(key="spaces_title").set_value(f"Ort {i}")
        at.selectbox(key="spaces_project_type").set_value("studio")
        start = time.perf_counter()
        at.button(key="spaces_submit").click().run()
        times.append((time.perf_counter() - start) * 1000)
        if at.exception or len(at.success) != 1:
            raise SystemExit(f"page submission {i} failed: {at.exception or at.error}")
    print(
        f"page (AppTest): {n} submissions, click to page drawn: median "
        f"{statistics.median(times):.0f} ms, max {max(times):.0f} ms, first {times[0]:.0f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--postgres", default=POSTGRES, help="server URL (any database)")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--page", type=int, default=20, help="submissions in AppTest; 0 skips")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            cache_dir=Path(tmp) / "cache",
            contact="bench@example.org",
            database_url=f"sqlite:///{Path(tmp) / 'turns.sqlite'}",  # where turns are booked
        )
        geocoder = Geocoder(fill_cache(settings, args.n))
        store = Store(f"sqlite:///{Path(tmp) / 'submit.sqlite'}")
        try:
            times = submit_all(store, geocoder, args.n)
            check_stored(store, args.n)
            report("SQLite", times)
        finally:
            store.close()
        if not args.no_postgres:
            run_postgres(args.postgres, geocoder, args.n)
        geocoder.close()
        if args.page:
            page(args.page, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
