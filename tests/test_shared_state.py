"""State that several app processes share through the database, on SQLite and PostgreSQL.

Two :class:`Store` objects on one database (two engines, two connection pools) stand in
for two app processes behind a load balancer; the geocoder's politeness is checked with
two real Python processes against a local Nominatim stand-in.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from heimatruhr_geo.abuse import CLIENT_LIMIT, admit_submission
from heimatruhr_geo.auth import FREE_FAILURES, Moderators, SignInGuard, hash_password
from heimatruhr_geo.config import PROJECT_DIR
from heimatruhr_geo.limits import Limiter
from heimatruhr_geo.schema import APP_SECRETS, LIMIT_EVENTS
from heimatruhr_geo.store import Store

PASSWORD = "ein langes Moderationspasswort"
STRANGER, MODERATOR = "198.51.100.66", "203.0.113.10"
ROTTSTRASSE = {
    "place_id": 1,
    "lat": "51.4858",
    "lon": "7.2214",
    "display_name": "5, Rottstraße, Innenstadt, Bochum, 44793, Deutschland",
    "place_rank": 30,
    "addresstype": "place",
}


@pytest.fixture
def processes(store_url: str) -> Iterator[tuple[Store, Store]]:
    """Two app processes' stores on one database."""
    first = Store(store_url)
    second = Store(store_url, upgrade=False)
    yield first, second
    with first.engine.begin() as conn:  # leave the shared PostgreSQL database empty
        conn.execute(LIMIT_EVENTS.delete())
        conn.execute(APP_SECRETS.delete())
    second.close()
    first.close()


def test_a_sign_in_lockout_made_on_one_process_holds_on_the_other(
    processes: tuple[Store, Store],
) -> None:
    team = Moderators({"alice": hash_password(PASSWORD, fast=True)})
    guards = [SignInGuard(Limiter(store.engine)) for store in processes]
    for attempt in range(FREE_FAILURES):  # wrong passwords, alternating between processes
        assert not guards[attempt % 2].attempt(team, "alice", "falsch", STRANGER).ok
    for guard in guards:
        refused = guard.attempt(team, "alice", PASSWORD, STRANGER)
        assert not refused.ok and not refused.checked and refused.wait_s > 0
    assert guards[1].attempt(team, "alice", PASSWORD, MODERATOR).ok  # her own address


def test_a_clients_sixth_submission_is_refused_on_either_process(
    processes: tuple[Store, Store],
) -> None:
    limiters = [Limiter(store.engine) for store in processes]
    for n in range(CLIENT_LIMIT):
        assert admit_submission(limiters[n % 2], STRANGER) == 0.0
    assert admit_submission(limiters[0], STRANGER) > 0
    assert admit_submission(limiters[1], STRANGER) > 0
    assert admit_submission(limiters[1], MODERATOR) == 0.0


# ---------------------------------------------------------------------------- Nominatim

WORKER = """
import json, sys
from pathlib import Path
from heimatruhr_geo.config import Settings
from heimatruhr_geo.geocoding import Geocoder

url, database, cache, name = sys.argv[1:5]
settings = Settings(
    nominatim_url=url, contact="test@example.org", cache_dir=Path(cache),
    offline=False, database_url=database,
)
geocoder = Geocoder(settings, backoff=0.05)
print("ready", flush=True)
sys.stdin.readline()
for i in range(3):
    print(json.dumps(geocoder.geocode(f"Rottstraße {name}{i}, Bochum").to_dict()), flush=True)
geocoder.close()
"""


class Arrivals:
    """The Nominatim stand-in: answers every search, noting when it arrived."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.lock = threading.Lock()

    def __call__(self, _request: Request) -> Response:
        with self.lock:
            self.times.append(time.monotonic())
        return Response(json.dumps([ROTTSTRASSE]), content_type="application/json")


def test_two_processes_ask_nominatim_at_most_once_per_second_in_all(
    store_url: str, tmp_path: Path, httpserver: HTTPServer
) -> None:
    Store(store_url).close()  # the app's schema, as after `init-db`
    arrivals = Arrivals()
    httpserver.expect_request("/search").respond_with_handler(arrivals)
    url = httpserver.url_for("/").rstrip("/")
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, url, store_url, str(tmp_path / f"cache{n}"), str(n)],
            cwd=PROJECT_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in (1, 2)
    ]
    try:
        for worker in workers:  # both started (imports take seconds): now all at once
            assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
        for worker in workers:
            assert worker.stdin is not None
            worker.stdin.write("go\n")
            worker.stdin.flush()
        outputs = [worker.communicate(timeout=120) for worker in workers]
    finally:
        for worker in workers:
            worker.kill()
    for worker, (out, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err
        results = [json.loads(line) for line in out.splitlines()]
        assert [r["source"] for r in results] == ["nominatim"] * 3, results
    starts = sorted(arrivals.times)
    assert len(starts) == 6
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert min(gaps) >= 1.0, gaps
