"""Build what the first page needs when the process starts, not when a visitor waits.

``streamlit run app.py`` serves the ASGI app that ``app.py`` defines; its lifespan
(:func:`lifespan`) starts :func:`warm_up` in a background thread, so that while the first
browser still loads Streamlit's page, the process opens the store, reads the published
records, writes the map's points and borders files and fills the other caches of the
map page. Everything it calls is a cached resource of :mod:`heimatruhr_geo.ui.resources`
(computed once, whoever asks first: a session asking meanwhile waits for the same result).
The module imports nothing heavy at its top, so that an entry point may import it before
the app's modules. What every process shares is kept on disk
(:func:`heimatruhr_geo.spatial.default_index`, the gazetteer, the content-named map
files), so a later process only reads it.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import anyio.to_thread
from starlette.types import ASGIApp, Receive, Scope, Send

# Nothing heavy at import (the app's modules take seconds): they are imported in warm_up.

logger = logging.getLogger(__name__)

LANGS = ("de",)
"""The points files built ahead (German is the default; English is built on demand)."""
_DEFERRED: list[Deferred] = []


class Deferred:
    """An ASGI app built when first asked, or by the warm-up, whichever comes first.

    For parts of the server whose imports take seconds (the open-data API): the server
    answers before them, and the first request waits in a worker thread, never blocking
    the event loop.

    Parameters
    ----------
    factory
        Builds the app (called once).
    """

    def __init__(self, factory: Callable[[], ASGIApp]) -> None:
        self._factory = factory
        self._app: ASGIApp | None = None
        self._lock = threading.Lock()
        _DEFERRED.append(self)

    def build(self) -> ASGIApp:
        """Return the app, building it now if nobody has."""
        with self._lock:
            if self._app is None:
                self._app = self._factory()
            return self._app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one request (building the app first in a worker thread if needed)."""
        app = self._app
        if app is None:
            app = await anyio.to_thread.run_sync(self.build)
        await app(scope, receive, send)


def warm_up() -> None:
    """Fill the map page's caches and the shared files now (errors are logged, not raised).

    A failure here costs the first visitor time, never a page: each page builds what it
    needs on demand as before.
    """
    started = time.perf_counter()
    try:
        from heimatruhr_geo.spatial import default_index
        from heimatruhr_geo.ui import resources
        from heimatruhr_geo.ui.common import selection_figures
        from heimatruhr_geo.viewstate import View

        config = resources.settings()
        resources.store()  # opens, upgrades, seeds an empty database
        resources.sync_data_version()
        for lang in LANGS:
            resources.points_document(lang)
        resources.borders_url()
        selection_figures(View())  # the published records, the survey, the planners' table
        logger.info("map page data ready %.1f s after the warm-up began", _since(started))
        default_index(config.data_dir, config.cache_dir)
        resources.geocoder()  # the gazetteer, for the first search
        for deferred in _DEFERRED:
            deferred.build()
    except Exception:
        logger.exception("warm-up failed; the pages build what they need on demand")
        return
    logger.info("warmed up in %.1f s", _since(started))


def _since(started: float) -> float:
    return time.perf_counter() - started


def start_warm_up() -> threading.Thread:
    """Run :func:`warm_up` in a background (daemon) thread; return the thread."""
    thread = threading.Thread(target=warm_up, name="heimatruhr-warm-up", daemon=True)
    thread.start()
    return thread


@contextlib.asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    """Warm up in the background, then serve (the lifespan of the app's ASGI server)."""
    start_warm_up()
    yield
