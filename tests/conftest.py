"""Shared fixtures; shared plain helpers are in ``tests/support``.

Module-specific fixtures live in the test module that uses them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import geopandas as gpd
import pytest

from heimatruhr_geo.boundaries import default_path, load_municipalities
from heimatruhr_geo.config import DEFAULT_DATA_DIR, Settings
from heimatruhr_geo.models import CreativeSpace
from heimatruhr_geo.schema import AUDIT_LOG, CONTACTS, RECORDS
from heimatruhr_geo.store import Store
from tests.support.apptest import clear_app_caches
from tests.support.postgres import ServiceMissing, throwaway_database
from tests.support.records import ESSEN
from tests.support.submit_form import PLACEHOLDER

REQUIRE_SERVICES = os.environ.get("HEIMATRUHR_REQUIRE_SERVICES") == "1"
"""Set by .ci/run: a missing browser or database fails the test instead of skipping it."""


def postgres_or_skip(stack: ExitStack, prefix: str) -> str:
    """Return the URL of a throw-away database dropped when ``stack`` closes; else skip."""
    try:
        return stack.enter_context(throwaway_database(prefix))
    except ServiceMissing as exc:
        skip_or_fail(str(exc))
        raise  # skip_or_fail never returns


def skip_or_fail(reason: str) -> None:
    """Skip on a developer machine that lacks a service; fail in CI."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (HEIMATRUHR_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


@pytest.fixture(scope="session", autouse=True)
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep every test off the developer's database, cache and the network.

    Defaults for the whole session (a test may still override them with monkeypatch):
    a throw-away SQLite database and geocoding cache, offline, and a Nominatim URL on
    which nothing listens. Streamlit caches the app's resources per process, so the
    page tests all see these values.
    """
    root = tmp_path_factory.mktemp("heimatruhr")
    os.environ.setdefault("HEIMATRUHR_DATABASE_URL", f"sqlite:///{root / 'test.sqlite'}")
    os.environ.setdefault("HEIMATRUHR_CACHE_DIR", str(root / "cache"))
    os.environ.setdefault("HEIMATRUHR_OFFLINE", "1")
    os.environ.setdefault("HEIMATRUHR_NOMINATIM_URL", "http://127.0.0.1:9")


@pytest.fixture(scope="session")
def municipalities() -> gpd.GeoDataFrame:
    """The shipped 53 municipalities (shared: copy before changing)."""
    return load_municipalities(default_path(DEFAULT_DATA_DIR))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings on the shipped data with a throw-away cache, offline."""
    return Settings(cache_dir=tmp_path / "cache", offline=True)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped afterwards."""
    with ExitStack() as stack:
        yield postgres_or_skip(stack, "heimatruhr_test")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database: SQLite, then the session's PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A store on ``store_url``; the records are deleted afterwards."""
    s = Store(store_url)
    yield s
    with s.engine.begin() as conn:  # leave the shared PostgreSQL database empty
        conn.execute(CONTACTS.delete())
        conn.execute(RECORDS.delete())
        conn.execute(AUDIT_LOG.delete())
    s.close()


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the CLI at a throw-away SQLite database (returned) and cache, offline."""
    db = tmp_path / "cli.sqlite"
    monkeypatch.setenv("HEIMATRUHR_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("HEIMATRUHR_OFFLINE", "1")
    monkeypatch.setenv("HEIMATRUHR_CACHE_DIR", str(tmp_path / "cache"))
    return db


@pytest.fixture
def app_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """A fresh database that the app's pages use, with the app's caches cleared.

    It holds one pending placeholder record, so that the app seeds no demo data.
    """
    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    monkeypatch.setenv("HEIMATRUHR_DATABASE_URL", url)
    clear_app_caches()
    opened = Store(url)
    opened.add(CreativeSpace(lon=ESSEN[0], lat=ESSEN[1], title=PLACEHOLDER, project_type="studio"))
    yield opened
    opened.close()
    clear_app_caches()
