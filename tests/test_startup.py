"""A new process reuses what every process shares: the municipality grid and the gazetteer.

Each is kept on disk under a name made of its inputs; a second process reads it instead of
building it, and a changed input (or a damaged file) leads to a fresh build.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest

from heimatruhr_geo.boundaries import default_path
from heimatruhr_geo.config import DEFAULT_DATA_DIR, PROJECT_DIR
from heimatruhr_geo.errors import DataError
from heimatruhr_geo.spatial import MunicipalityIndex, grid_path
from tests.support import app_process

# ---------------------------------------------------------------------------- the grid


def test_a_saved_grid_answers_like_the_built_one(
    municipalities: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    built = MunicipalityIndex.build(municipalities)
    path = tmp_path / "grid.npz"
    built.save(path)
    loaded = MunicipalityIndex.load(path, municipalities)
    rng = np.random.default_rng(7)
    lon, lat = rng.uniform(6.3, 8.0, 20_000), rng.uniform(51.1, 51.9, 20_000)
    assert (loaded.assign(lon, lat) == built.assign(lon, lat)).all()
    assert loaded.shape == built.shape and loaded.origin == built.origin


def test_a_grid_for_other_municipalities_or_a_damaged_file_is_refused(
    municipalities: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    path = tmp_path / "grid.npz"
    MunicipalityIndex.build(municipalities).save(path)
    with pytest.raises(DataError, match="other municipalities"):
        MunicipalityIndex.load(path, municipalities.iloc[1:])
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(DataError, match="cannot be read"):
        MunicipalityIndex.load(path, municipalities)


def test_the_grid_file_is_named_by_the_boundary_file_content(tmp_path: Path) -> None:
    copy = tmp_path / "data" / default_path(DEFAULT_DATA_DIR).name
    copy.parent.mkdir()
    shutil.copy(default_path(DEFAULT_DATA_DIR), copy)
    shipped = grid_path(default_path(DEFAULT_DATA_DIR), tmp_path)
    assert grid_path(copy, tmp_path) == shipped  # same content, same grid
    copy.write_bytes(copy.read_bytes() + b"\0")
    assert grid_path(copy, tmp_path) != shipped


WORKER = """
import logging, sys, time
from pathlib import Path
logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
from heimatruhr_geo.gazetteer import load_gazetteer
from heimatruhr_geo.spatial import default_index
from heimatruhr_geo.config import DEFAULT_DATA_DIR
cache = Path(sys.argv[1])
default_index(DEFAULT_DATA_DIR, cache)
load_gazetteer(DEFAULT_DATA_DIR, cache)
"""


def test_a_second_process_loads_the_grid_and_the_gazetteer_from_the_cache_folder(
    tmp_path: Path,
) -> None:
    def run() -> str:
        done = subprocess.run(
            [sys.executable, "-c", WORKER, str(tmp_path)],
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
        return done.stderr

    first = run()
    assert "municipality grid" in first and " built:" in first
    assert "extracting Ruhr places" in first
    assert len(list(tmp_path.glob("grid-*.npz"))) == 1
    assert len(list(tmp_path.glob("gazetteer-*.json"))) == 1
    second = run()
    assert "municipality grid loaded from" in second
    assert " built:" not in second and "extracting Ruhr places" not in second


# ---------------------------------------------------------------------------- the process


def test_streamlit_run_warms_up_in_the_background(tmp_path: Path) -> None:
    """The server answers before the warm-up ends; the warm-up fills the cache folder."""
    env = app_process.app_env(tmp_path)
    log = tmp_path / "streamlit.log"
    with app_process.running_app(env, log):
        deadline = time.monotonic() + 240
        while "warmed up in" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
    text = log.read_text()
    assert "warmed up in" in text, text
    assert "warm-up failed" not in text
    cache = Path(env["HEIMATRUHR_CACHE_DIR"])
    assert len(list(cache.glob("grid-*.npz"))) == 1
    assert len(list(cache.glob("gazetteer-*.json"))) == 1
