"""The limits kept in the database (forms and sign-in), and who the client is.

Every database test runs on SQLite and on PostgreSQL (the backend fixtures of test_store).
A "restart" is a new :class:`Limiter` on a new engine over the same database; a "new
process" is a Python subprocess that opens the same database.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher, extract_parameters

from heimatruhr_geo import abuse
from heimatruhr_geo.abuse import CLIENT_LIMIT, admit_submission
from heimatruhr_geo.auth import (
    BASE_LOCKOUT_S,
    FREE_FAILURES,
    MAX_LOCKOUT_S,
    NAME_MAX_WAIT_S,
    Moderators,
    SignInGuard,
    hash_password,
)
from heimatruhr_geo.config import PROJECT_DIR
from heimatruhr_geo.errors import InputError
from heimatruhr_geo.limits import Limiter, Rule, client_address, parse_networks
from heimatruhr_geo.schema import APP_SECRETS, LIMIT_EVENTS
from heimatruhr_geo.store import Store

PASSWORD = "ein langes Moderationspasswort"
STRANGER, NEIGHBOUR, MODERATOR = "198.51.100.66", "198.51.100.77", "203.0.113.10"


class Clock:
    def __init__(self) -> None:
        self.now = 1_900_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = Store(store_url)
    yield opened
    with opened.engine.begin() as conn:  # leave the shared PostgreSQL database empty
        conn.execute(LIMIT_EVENTS.delete())
        conn.execute(APP_SECRETS.delete())
    opened.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def limiter(store: Store, clock: Clock) -> Limiter:
    return Limiter(store.engine, clock=clock)


def restarted(store: Store, clock: Clock) -> Limiter:
    """A limiter of a freshly started app over the same database (new engine, new key cache)."""
    return Limiter(Store(store.url, upgrade=False).engine, clock=clock)


@pytest.fixture(scope="module")
def team() -> Moderators:
    strong = PasswordHasher(time_cost=3, memory_cost=65_536, parallelism=2).hash(PASSWORD)
    return Moderators({"alice": hash_password(PASSWORD, fast=True), "bob": strong})


# --------------------------------------------------------------------------- client address

LOCAL = parse_networks("127.0.0.1, ::1")


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "expected"),
    [
        ("203.0.113.7", None, (), "203.0.113.7"),
        (None, None, (), "127.0.0.1"),  # Streamlit reports loopback as no address
        # an untrusted peer's header is ignored, however it looks
        ("203.0.113.7", "127.0.0.1", LOCAL, "203.0.113.7"),
        ("203.0.113.7", "198.51.100.1", LOCAL, "203.0.113.7"),
        (None, "198.51.100.1", (), "127.0.0.1"),  # no trusted proxies configured
        # behind the trusted proxy: the right-most untrusted hop
        (None, "198.51.100.1", LOCAL, "198.51.100.1"),
        (None, "6.6.6.6, 198.51.100.1", LOCAL, "198.51.100.1"),  # left hop forged
        (None, ["6.6.6.6", "198.51.100.1"], LOCAL, "198.51.100.1"),  # two header lines
        ("::1", "198.51.100.1, 127.0.0.1", LOCAL, "198.51.100.1"),  # proxy chain
        (None, "127.0.0.1", LOCAL, "127.0.0.1"),  # only proxies: the left-most
        (None, "not-an-ip, 198.51.100.1", LOCAL, "198.51.100.1"),
        (None, "not-an-ip", LOCAL, "127.0.0.1"),  # malformed: stay at the proxy
        (None, "198.51.100.1:5555", LOCAL, "198.51.100.1"),
        (None, "[2001:db8::1]:443", LOCAL, "2001:db8::/64"),
        ("2001:db8:aa:bb:1:2:3:4", None, (), "2001:db8:aa:bb::/64"),
        ("::ffff:203.0.113.7", None, (), "203.0.113.7"),
        ("10.1.2.3", "198.51.100.1", parse_networks("10.0.0.0/8"), "198.51.100.1"),
    ],
)
def test_client_address(
    peer: str | None, forwarded: str | list[str] | None, trusted: tuple, expected: str
) -> None:
    assert client_address(peer, forwarded, trusted) == expected


def test_trusted_proxies_setting_is_checked() -> None:
    with pytest.raises(InputError, match="'localhost'"):
        parse_networks("127.0.0.1, localhost")
    assert parse_networks("") == ()


# --------------------------------------------------------------------------- limiter


def test_quota_survives_a_restart_and_forgets_after_the_window(
    store: Store, limiter: Limiter, clock: Clock
) -> None:
    rule = Rule("test_quota", limit=3, window_s=100)
    assert [limiter.acquire(rule, "client:a") for _ in range(4)] == [0, 0, 0, 100.0]
    assert limiter.acquire(rule, "client:b") == 0  # another subject is not affected
    again = restarted(store, clock)
    assert again.acquire(rule, "client:a") == 100.0
    clock.now += 100
    assert again.acquire(rule, "client:a") == 0


def test_subjects_are_stored_as_keyed_hashes_and_old_rows_deleted(
    store: Store, limiter: Limiter, clock: Clock
) -> None:
    rule = Rule("test_hash", limit=5, window_s=60)
    limiter.acquire(rule, "client:203.0.113.7")
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(LIMIT_EVENTS)).mappings().all()
    assert len(rows) == 1
    assert "203.0.113.7" not in json.dumps([dict(r) for r in rows])
    assert rows[0]["subject"] == limiter.subject("client:203.0.113.7")
    other_key = Limiter(store.engine, secret="another key")
    assert other_key.subject("client:203.0.113.7") != rows[0]["subject"]
    assert restarted(store, clock).subject("client:203.0.113.7") == rows[0]["subject"]
    clock.now += 61 + 60  # past the window, and past the sweep interval
    limiter.acquire(rule, "client:198.51.100.1")
    with store.engine.connect() as conn:
        left = conn.execute(sa.select(LIMIT_EVENTS.c.subject)).scalars().all()
    assert left == [limiter.subject("client:198.51.100.1")]


def test_parallel_acquires_never_exceed_the_limit(limiter: Limiter) -> None:
    rule = Rule("test_parallel", limit=10, window_s=3600)
    granted: list[float] = []

    def work() -> None:
        for _ in range(5):
            granted.append(limiter.acquire(rule, "client:a"))

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(1 for wait in granted if wait == 0) == 10


# --------------------------------------------------------------------------- forms


def test_a_client_stores_five_per_hour_others_are_not_affected(
    store: Store, limiter: Limiter, clock: Clock
) -> None:
    assert [admit_submission(limiter, STRANGER) for _ in range(CLIENT_LIMIT)] == [0.0] * 5
    assert admit_submission(limiter, STRANGER) == 3600.0
    assert admit_submission(restarted(store, clock), STRANGER) > 0  # a restart keeps it
    assert admit_submission(limiter, MODERATOR) == 0.0
    clock.now += 3600
    assert admit_submission(limiter, STRANGER) == 0.0


def test_a_flood_from_many_clients_only_slows_everyone_down(
    limiter: Limiter, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(abuse, "BUSY_THRESHOLD", 20)
    for bot in range(10):  # 10 addresses, 5 each: 50 submissions within the hour
        for _ in range(CLIENT_LIMIT):
            admit_submission(limiter, f"192.0.2.{bot}")
    assert admit_submission(limiter, "192.0.2.200") == 0.0  # a newcomer is never refused
    clock.now += 1
    wait = admit_submission(limiter, "192.0.2.200")  # … but is slowed down now
    assert 0 < wait <= abuse.BUSY_SPACING_S


def test_a_new_process_sees_the_counts(store: Store, limiter: Limiter) -> None:
    for _ in range(CLIENT_LIMIT):
        assert admit_submission(Limiter(store.engine), STRANGER) == 0.0
    code = (
        "import sys; from heimatruhr_geo.store import Store; "
        "from heimatruhr_geo.limits import Limiter; "
        "from heimatruhr_geo.abuse import admit_submission; "
        f"print(admit_submission(Limiter(Store(sys.argv[1]).engine), {STRANGER!r}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, store.url],
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
        timeout=120,
        check=True,
    )
    assert float(done.stdout.strip()) > 0, done.stderr


# --------------------------------------------------------------------------- sign-in


def test_guesses_across_names_lock_the_client_not_the_names(
    store: Store, limiter: Limiter, clock: Clock, team: Moderators
) -> None:
    guard = SignInGuard(limiter)
    for name in ["alice", "bob", "carol", "dave", "erin"][:FREE_FAILURES]:
        assert not guard.attempt(team, name, "wrong", STRANGER).ok
    refused = guard.attempt(team, "alice", PASSWORD, STRANGER)  # even the right password
    assert not refused.ok and not refused.checked
    assert refused.wait_s == pytest.approx(BASE_LOCKOUT_S)
    # a new session, a restart or another process of the app: still locked
    assert SignInGuard(restarted(store, clock)).wait_s(None, STRANGER) > 0
    # the moderator signs in from her own address at once
    assert guard.attempt(team, "alice", PASSWORD, MODERATOR).ok
    clock.now += BASE_LOCKOUT_S
    assert guard.attempt(team, "zed", "wrong", STRANGER).wait_s == 2 * BASE_LOCKOUT_S
    for _ in range(12):
        clock.now += MAX_LOCKOUT_S
        last = guard.attempt(team, "zed", "wrong", STRANGER)
    assert last.wait_s == MAX_LOCKOUT_S


def test_a_stranger_never_locks_a_moderator_out(
    limiter: Limiter, clock: Clock, team: Moderators
) -> None:
    guard = SignInGuard(limiter)
    for bot in range(60):  # many addresses guessing one name
        clock.now += 1
        guard.attempt(team, "alice", "wrong", f"192.0.2.{bot}")
    wait = guard.wait_s("alice", MODERATOR)
    assert wait <= NAME_MAX_WAIT_S  # a slowdown of seconds, not a lock
    clock.now += wait
    assert guard.attempt(team, " alice", PASSWORD, MODERATOR).ok
    assert guard.wait_s("alice", MODERATOR) == 0.0  # her success ends the slowdown


def test_parallel_sessions_of_one_client_cannot_slip_past_the_lock(
    limiter: Limiter, team: Moderators
) -> None:
    guard = SignInGuard(limiter)
    results = []

    def work() -> None:
        results.append(guard.attempt(team, "alice", "wrong", STRANGER))

    threads = [threading.Thread(target=work) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(1 for r in results if r.checked) == FREE_FAILURES


def test_unknown_names_are_checked_against_every_parameter_set(team: Moderators) -> None:
    configured = {repr(extract_parameters(h)) for h in team.hashes.values()}
    assert len(configured) == 2  # alice is cheap, bob is expensive
    strongest = team.parameter_sets()[0]
    assert strongest == extract_parameters(team.hashes["bob"])
    for name in ("alice", "bob", "mallory", "root"):
        targets = team.targets(name)
        assert {repr(extract_parameters(h)) for h in targets} == configured, name
        assert len(targets) == len(configured)
    assert team.hashes["alice"] in team.targets("alice")
    assert team.hashes["bob"] not in team.targets("mallory")
    assert team.verify("bob", PASSWORD) and team.verify("alice", PASSWORD)
    assert not team.verify("mallory", PASSWORD)


def test_purge_contacts_also_deletes_expired_limit_rows(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from heimatruhr_geo.cli import main

    past = Clock()
    past.now = time.time() - 2 * 3600  # two hours ago: the form limit's hour has passed
    admit_submission(Limiter(store.engine, clock=past), STRANGER)
    admit_submission(Limiter(store.engine), NEIGHBOUR)  # now: still counts
    monkeypatch.setenv("HEIMATRUHR_DATABASE_URL", store.url)
    assert main(["purge-contacts"]) == 0
    with store.engine.connect() as conn:
        left = list(conn.execute(sa.select(LIMIT_EVENTS.c.subject)).scalars())
    limiter = Limiter(store.engine)
    assert len(left) == 3  # the neighbour's three rows (client, busy spacing, all clients)
    assert set(left) == {limiter.subject(f"client:{NEIGHBOUR}"), limiter.subject("*")}
