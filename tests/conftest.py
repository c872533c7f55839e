"""Shared fixtures. Module-specific fixtures live in the test module that uses them."""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import pytest

from heimatruhr_geo.boundaries import default_path, load_municipalities
from heimatruhr_geo.config import DEFAULT_DATA_DIR, Settings

REQUIRE_SERVICES = os.environ.get("HEIMATRUHR_REQUIRE_SERVICES") == "1"
"""Set by .ci/run: a missing browser or database fails the test instead of skipping it."""


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
