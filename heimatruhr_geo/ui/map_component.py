"""The public map as a Streamlit custom component (v2): no iframe, mounted once.

The component's inline JavaScript is only a loader: it imports the real ES module,
``static/map/heimatmap.js`` (served at ``/app/static/map/``), with a content hash in its URL
so that a browser never runs a stale copy. The module keeps one Leaflet map per element
across reruns and is handed, per run, only small state (:func:`mount`); the records and
the borders come once per data version as content-hashed files under
``static/generated/`` (:func:`publish_file`).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import streamlit as st

from heimatruhr_geo.config import Settings

logger = logging.getLogger(__name__)

NAME = "heimatruhr_map"
MODULE = "map/heimatmap.js"
CSS = "map/heimatmap.css"
GENERATED = "generated"
KEEP_GENERATED = 4
PRUNE_AGE_S = 3600.0
"""Older generated files of the same kind beyond this many are deleted."""

LOADER_JS = """
export default async function (component) {
  const assets = component.data && component.data.assets;
  if (!assets) { return undefined; }
  // The loader runs from a blob: URL: resolve the module against the page's address.
  const module = await import(new URL(assets.module, window.location.href).href);
  return module.render(component);
}
"""

_mount = st.components.v2.component(NAME, js=LOADER_JS, isolate_styles=False)


def static_url(settings: Settings) -> str:
    """Return the browser path of ``settings.static_dir`` (``/app/static`` by default).

    ``asset_url`` names its ``node_modules`` folder (it follows ``server.baseUrlPath``).
    """
    url = settings.asset_url.rstrip("/")
    return url.rsplit("/", 1)[0] if url.endswith("/node_modules") else "/app/static"


@functools.lru_cache(maxsize=8)
def _file_hash(path: Path, _mtime: float) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def file_version(path: Path) -> str:
    """Return a short content hash of ``path`` (recomputed when the file changes)."""
    try:
        return _file_hash(path, path.stat().st_mtime)
    except OSError:
        logger.warning("map file %s is missing", path)
        return "missing"


def asset_urls(settings: Settings) -> dict[str, str]:
    """Return the browser URLs of the module, its CSS, Leaflet and supercluster."""
    base, static = static_url(settings), settings.static_dir
    modules = f"{base}/node_modules"
    return {
        "module": f"{base}/{MODULE}?v={file_version(static / MODULE)}",
        "css": f"{base}/{CSS}?v={file_version(static / CSS)}",
        "leaflet_js": f"{modules}/leaflet/dist/leaflet.js?v=1.9.3",
        "leaflet_css": f"{modules}/leaflet/dist/leaflet.css?v=1.9.3",
        "supercluster_js": f"{modules}/supercluster/dist/supercluster.min.js?v=9.1.0",
    }


IMMUTABLE_MTIME = 946_684_800.0
"""2000-01-01T00:00:00Z: the modification time of every generated (content-named) file."""


def publish_file(settings: Settings, prefix: str, data: bytes, sha: str) -> str:
    """Write ``data`` once to ``static/generated/<prefix>-<sha>.json``; return its URL.

    The write is atomic (a temporary file renamed into place), so a browser never reads
    a half-written file. Older files with the same prefix beyond :data:`KEEP_GENERATED`
    are removed once they are :data:`PRUNE_AGE_S` old (another process, e.g. on an older
    data version for a moment, may still name them). The file's modification time is set
    far back (:data:`IMMUTABLE_MTIME`): Streamlit's static files carry no
    ``Cache-Control`` and answer no conditional request, so a browser's heuristic
    freshness (a tenth of the file's age) decides whether a reload downloads the 0.6 MB
    again; an old date keeps the content-named file cached.
    """
    folder = settings.static_dir / GENERATED
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{prefix}-{sha[:16]}.json"
    target = folder / name
    if not target.exists():
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
            os.utime(target, (IMMUTABLE_MTIME, IMMUTABLE_MTIME))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _prune(folder, prefix, keep=target)
    return f"{static_url(settings)}/{GENERATED}/{name}"


def _prune(folder: Path, prefix: str, keep: Path) -> None:
    written = {p: p.stat().st_ctime for p in folder.glob(f"{prefix}-*.json") if p != keep}
    newest_first = sorted(written, key=written.__getitem__, reverse=True)  # mtime is set back
    cutoff = time.time() - PRUNE_AGE_S
    for old in newest_first[KEEP_GENERATED - 1 :]:
        if written[old] < cutoff:
            old.unlink(missing_ok=True)


def view_key(focus: Mapping[str, Any] | None, bounds: Sequence[Sequence[float]] | None) -> str:
    """Return a short key of the requested view: the map moves only when it changes."""
    text = repr((dict(focus) if focus else None, [list(b) for b in bounds] if bounds else None))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def mount(data: dict[str, Any], *, key: str) -> str | None:
    """Mount (or update) the map element; return the id of a "Details" click, if any.

    Parameters
    ----------
    data
        The small per-run state (see :func:`heimatruhr_geo.ui.common.show_map`); its
        ``assets`` are added here.
    key
        Stable element key: the same key keeps the same Leaflet map across reruns.
    """
    result = _mount(key=key, data=data, on_detail_change=_ignore, height="content")
    detail = result.get("detail") if result is not None else None
    return str(detail) if detail else None


def _ignore() -> None:
    """Do nothing: the trigger is read from the mount's result."""
