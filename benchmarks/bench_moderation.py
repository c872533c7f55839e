"""Benchmark moderation: sign-in check, queue, decisions, edits, data deletion, audit log.

Run: ``.venv/bin/python benchmarks/bench_moderation.py [--n 500] [--postgres URL |
--no-postgres] [--page 5]``.

1. The argon2id check of one sign-in with the default cost of ``hash-password``
   (64 MiB, 3 iterations): deliberately slow, it bounds password guessing.
2. For each database (SQLite in a temporary folder; PostgreSQL in a fresh database that
   the script creates and drops), store ``n`` pending records of each of the three layers
   (with contacts) and ``n`` published projects, then time: reading the queue of one layer
   (``pending``, 30 shown), ``decide`` (publish or reject, with its audit entry),
   ``update_record`` (two fields), ``delete_contact_data`` by e-mail, ``audit_entries``
   (the newest 200), and ``purge_expired_contacts`` over all decided records.
3. With ``--page N`` (default 5; 0 skips), the signed-in page in Streamlit's AppTest with
   30 pending records per layer (the page shows 10 of each): a rerun, a click on
   *publish*, and opening one edit form, median of N.

The script exits non-zero if a decision or deletion does not take effect.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from heimatruhr_geo.auth import Moderators, hash_password
from heimatruhr_geo.models import CreativeSpace, Record, SurveyResponse, VacantBuilding
from heimatruhr_geo.store import Store

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PASSWORD = "a long benchmark password"
REPEAT = 30


def records(n: int, seed: int = 0) -> list[Record]:
    """``n`` pending records of each layer and ``n`` published projects around Essen."""
    out: list[Record] = []
    for i in range(n):
        lon, lat = 6.95 + (i % 40) * 0.01, 51.42 + (i // 40 % 20) * 0.005
        mail = f"person{i % (n // 2 or 1)}@example.org"
        out.append(
            CreativeSpace(
                title=f"Vorschlag {seed}-{i}",
                description="Ein heller Raum. " * 40,
                project_type="studio",
                lon=lon,
                lat=lat,
                contact_name="Ana",
                contact_email=mail,
            )
        )
        out.append(
            VacantBuilding(
                title=f"Leerstand {i}",
                building_type="industrial",
                lon=lon,
                lat=lat,
                contact_email=mail,
            )
        )
        out.append(SurveyResponse(discipline="music", lon=lon, lat=lat, places_text="Kaue"))
        out.append(
            CreativeSpace(
                title=f"Projekt {i}",
                project_type="gallery",
                lon=lon,
                lat=lat,
                moderation="published",
            )
        )
    return out


def timed(work: Callable[[], Any], repeat: int = REPEAT) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return times


def line(label: str, times: list[float]) -> None:
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 20 else max(times)
    print(
        f"  {label:<34} median {statistics.median(times):8.1f} ms   "
        f"p95 {p95:8.1f} ms   max {max(times):8.1f} ms"
    )


def bench_store(url: str, n: int) -> None:
    store = Store(url)
    store.add_many(records(n))
    pending = iter(list(store.pending("spaces")["id"]))
    vacant = iter(list(store.pending("vacant")["id"]))
    line("pending('spaces', limit=30)", timed(lambda: store.pending("spaces", limit=30)))
    line("pending_counts()", timed(store.pending_counts))
    line("decide publish", timed(lambda: store.decide(next(pending), "publish", "alice")))
    line(
        "decide reject (reason)",
        timed(lambda: store.decide(next(vacant), "reject", "alice", "Dublette")),
    )
    edit = iter(list(store.pending("spaces")["id"]))
    line(
        "update_record (2 fields)",
        timed(
            lambda: store.update_record(next(edit), {"title": "Neu", "funding_year": "2026"}, "a")
        ),
    )
    mails = iter(f"person{i}@example.org" for i in range(n))
    line("delete_contact_data(e-mail)", timed(lambda: store.delete_contact_data(next(mails), "a")))
    line("audit_entries(limit=200)", timed(lambda: store.audit_entries(limit=200)))
    later = datetime.now(UTC) + timedelta(days=400)
    line("purge_expired_contacts (once)", timed(lambda: store.purge_expired_contacts(later), 1))
    if store.count("spaces", public=True) != n + REPEAT:
        sys.exit("publish did not take effect")
    if store.purge_expired_contacts(later) != 0:
        sys.exit("purge left expired contacts")
    store.close()


def bench_page(url: str, runs: int) -> None:
    from streamlit.testing.v1 import AppTest

    hashed = hash_password(PASSWORD)
    os.environ["HEIMATRUHR_DATABASE_URL"] = url
    os.environ["HEIMATRUHR_MODERATORS"] = f"alice:{hashed}"
    os.environ["HEIMATRUHR_OFFLINE"] = "1"
    store = Store(url)
    store.add_many(records(30, seed=1))

    def page() -> None:
        from heimatruhr_geo.ui import moderation_page

        moderation_page.render()

    at = AppTest.from_function(page, default_timeout=300)
    at.run()
    at.text_input(key="mod_username").set_value("alice")
    at.text_input(key="mod_password").set_value(PASSWORD)
    at.button(key="mod_sign_in").click().run()
    assert not at.exception, at.exception
    line("page rerun (3 x 10 pending shown)", timed(lambda: at.run(), runs))
    ids = iter(list(store.pending("spaces")["id"]))
    line(
        "page: click publish",
        timed(lambda: at.button(key=f"mod_publish_{next(ids)}").click().run(), runs),
    )
    edits = iter(list(store.pending("spaces")["id"]))
    line(
        "page: open an edit form",
        timed(lambda: at.toggle(key=f"mod_editing_{next(edits)}").set_value(True).run(), runs),
    )
    store.close()


def postgres_database(admin_url: str) -> tuple[str, Callable[[], None]]:
    name = f"heimatruhr_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()

    return sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False), drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500, help="records per layer (default 500)")
    parser.add_argument("--postgres", default=POSTGRES, help="admin URL of a PostgreSQL server")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--page", type=int, default=5, help="AppTest runs (0 skips)")
    args = parser.parse_args()

    team = Moderators.parse(f"alice:{hash_password(PASSWORD)}")
    print("sign-in check (argon2id, 64 MiB, t=3)")
    team.verify("mallory", PASSWORD)  # makes the dummy hash of unknown names once
    known: list[float] = []
    unknown: list[float] = []
    for _ in range(10):  # interleaved, so that load on the machine hits both alike
        known += timed(lambda: team.verify("alice", PASSWORD), 1)
        unknown += timed(lambda: team.verify("mallory", PASSWORD), 1)
    line("verify right password", known)
    line("verify unknown name", unknown)
    with tempfile.TemporaryDirectory() as tmp:
        print(f"SQLite, {args.n} pending per layer + {args.n} published")
        bench_store(f"sqlite:///{Path(tmp) / 'bench.sqlite'}", args.n)
        if not args.no_postgres:
            url, drop = postgres_database(args.postgres)
            try:
                print(f"PostgreSQL, {args.n} pending per layer + {args.n} published")
                bench_store(url, args.n)
            finally:
                drop()
        if args.page:
            print(f"page (AppTest, SQLite), median of {args.page}")
            bench_page(f"sqlite:///{Path(tmp) / 'page.sqlite'}", args.page)


if __name__ == "__main__":
    main()
