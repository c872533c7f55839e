"""The map's generated data files, shared by every app process through ``static/generated``."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from heimatruhr_geo.config import Settings
from heimatruhr_geo.ui import map_component
from heimatruhr_geo.ui.map_component import GENERATED, KEEP_GENERATED, PRUNE_AGE_S, publish_file


def _settings(tmp_path: Path) -> Settings:
    return Settings(static_dir=tmp_path, cache_dir=tmp_path / "cache", offline=True)


def test_a_file_another_process_removed_is_written_again(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    url = publish_file(settings, "points-de", b'{"a": 1}', "ab" * 20)
    target = tmp_path / GENERATED / url.rsplit("/", 1)[1]
    target.unlink()  # e.g. pruned by another process
    assert publish_file(settings, "points-de", b'{"a": 1}', "ab" * 20) == url
    assert target.read_bytes() == b'{"a": 1}'


def test_pruning_spares_files_that_other_processes_may_still_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _settings(tmp_path)
    folder = tmp_path / GENERATED
    for i in range(KEEP_GENERATED + 3):  # other processes' data versions, just written
        publish_file(settings, "points-en", b"x", f"{i:016x}" + "0" * 24)
    assert len(list(folder.glob("points-en-*.json"))) == KEEP_GENERATED + 3  # all too young

    later = time.time() + PRUNE_AGE_S + 60  # an hour on, they are all old enough
    monkeypatch.setattr(map_component.time, "time", lambda: later)
    newest = publish_file(settings, "points-en", b"y", "f" * 40)
    left = sorted(p.name for p in folder.glob("points-en-*.json"))
    assert len(left) == KEEP_GENERATED and newest.rsplit("/", 1)[1] in left
    assert list(folder.glob("borders-*.json")) == []  # other prefixes are not touched
