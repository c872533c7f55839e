"""Cached, process-wide resources of the app: settings, store, boundaries, geocoder, data.

Streamlit hashes GeoDataFrames badly, so everything here is keyed on plain values and
shared with ``st.cache_resource``; callers must not change the frames they get.

Caches of public data hold no time limit: they are current while the database's data
version (:meth:`heimatruhr_geo.store.Store.data_version`) is the one this process saw
last. The app reads it once per rerun (:func:`sync_data_version`, one indexed row) and
forgets every cache registered with :func:`derived_from_public_data` when it moved, so a
change made by any process or by the CLI shows on the next rerun of every process.
"""

from __future__ import annotations

import functools
import logging
import threading
import weakref
from collections.abc import Callable
from typing import Any, TypeVar, cast

import geopandas as gpd
import pandas as pd
import streamlit as st

from heimatruhr_geo.boundaries import default_path, load_municipalities
from heimatruhr_geo.config import Settings
from heimatruhr_geo.demo import seed_if_empty
from heimatruhr_geo.errors import DataError
from heimatruhr_geo.geocoding import Geocoder
from heimatruhr_geo.i18n import t
from heimatruhr_geo.limits import Limiter
from heimatruhr_geo.mapdata import PointsDocument, encode_borders, encode_points
from heimatruhr_geo.mapview import load_drawing_municipalities
from heimatruhr_geo.planning import survey_columns as _survey_columns
from heimatruhr_geo.population import load_population
from heimatruhr_geo.store import Store
from heimatruhr_geo.survey_release import PublicSurvey, public_survey, release_if_due

logger = logging.getLogger(__name__)

_F = TypeVar("_F", bound=Callable[..., Any])
_DERIVED: list[Callable[[], None]] = []
_SEEN: dict[str, int] = {}
"""``{"version": v}``: the data version the public caches of this process belong to."""
_SEEN_LOCK = threading.Lock()


def derived_from_public_data(cached: _F) -> _F:
    """Register a cached page function whose results derive from the published records.

    Use it on top of ``st.cache_data`` / ``st.cache_resource``. The cache is forgotten
    when the data version moves (:func:`sync_data_version`); a result computed while it
    moved is returned but not kept, so a slow call that read the old data cannot
    outlive the change.
    """
    clear = cached.clear  # type: ignore[attr-defined]
    _DERIVED.append(clear)

    def call(*args: Any, **kwargs: Any) -> Any:
        seen = _SEEN.get("version")
        result = cached(*args, **kwargs)
        if _SEEN.get("version") != seen:
            clear()
        return result

    functools.update_wrapper(call, cached)
    call.clear = clear  # type: ignore[attr-defined]
    return cast(_F, call)


def sync_data_version(*, force: bool = False) -> int:
    """Read the data version; forget the public caches when it moved since the last read.

    Called once per rerun by the app (before any page). ``force`` forgets them anyway
    (after this process changed data itself, so that the change shows at once).

    Returns
    -------
    int
        The data version the caches now belong to.
    """
    current = store().data_version()
    with _SEEN_LOCK:
        moved = _SEEN.get("version") != current
        _SEEN["version"] = current  # first, so that running calls drop what they compute
    if moved or force:
        if moved:
            logger.info("data version %d: page caches renewed", current)
        for clear in _DERIVED:
            clear()
    return current


def refresh_public_data() -> None:
    """Forget the published records and everything derived from them, now.

    A moderator's decision raises the data version, which every process notices on its
    next rerun; this makes the deciding process show it in the same rerun.
    """
    sync_data_version(force=True)


@st.cache_resource
def settings() -> Settings:
    """Return the settings, read once per process."""
    return Settings.from_env()


@st.cache_resource(show_spinner=False)
def store() -> Store:
    """Return the one store of the process; seed demo data into an empty database."""
    opened = Store.from_settings(settings())
    if seed_if_empty(opened):
        logger.info("first start: demo data seeded")
    return opened


_LIMITERS: weakref.WeakKeyDictionary[Store, Limiter] = weakref.WeakKeyDictionary()
_LIMITERS_LOCK = threading.Lock()


def limiter() -> Limiter:
    """Return the rate limiter on the database of :func:`store` (one per store)."""
    opened = store()
    with _LIMITERS_LOCK:
        found = _LIMITERS.get(opened)
        if found is None:
            found = _LIMITERS[opened] = Limiter(opened.engine, secret=settings().limits_secret)
        return found


def open_store(lang: str) -> Store:
    """Return :func:`store`, saying what happens while its first call seeds demo data.

    The app calls this before any page, so a first visitor sees why the first start takes
    a few seconds. Later calls find the store cached: the message shows only after half a
    second, so it never flashes.
    """
    with st.spinner(t("first_start_preparing", lang), show_time=True):
        return store()


@st.cache_resource
def municipalities() -> gpd.GeoDataFrame:
    """Return the 53 municipalities at full resolution (shared: do not change)."""
    return load_municipalities(default_path(settings().data_dir))


@st.cache_resource
def drawing_municipalities() -> gpd.GeoDataFrame:
    """Return the 53 municipalities simplified for drawing (shared: do not change)."""
    return load_drawing_municipalities(settings())


@st.cache_resource
def population() -> pd.DataFrame:
    """Return the population per municipality (shared: do not change)."""
    return load_population(settings().data_dir)


@st.cache_resource
def geocoder() -> Geocoder:
    """Return the one geocoder of the process; its requests take turns in :func:`limiter`."""
    return Geocoder(settings(), limiter=limiter())


TRANSIENT_SERVICE_ISSUES = frozenset({"busy", "unreachable"})
"""Geocoder answers not kept in the page cache: the next search asks again."""


def geocode(query: str) -> dict[str, object]:
    """Geocode ``query`` through the chain (cached per process as plain values).

    An answer given offline because Nominatim was busy or unreachable is not cached.
    """
    result = _geocode_cached(query)
    if result.get("service_issue") in TRANSIENT_SERVICE_ISSUES:
        _geocode_cached.clear(query)
    return result


@st.cache_data(ttl=3600, max_entries=1000, show_spinner=False)
def _geocode_cached(query: str) -> dict[str, object]:
    return geocoder().geocode(query).to_dict()


@derived_from_public_data
@st.cache_resource(max_entries=2, show_spinner=False)
def published(layer: str) -> gpd.GeoDataFrame:
    """Return all published records of ``spaces`` or ``vacant`` (shared: do not change)."""
    return store().query(layer)


def points_document(lang: str) -> tuple[PointsDocument, str]:
    """Return the map's points document of all published records in ``lang`` and its URL.

    Encoded once per data version; the content-named file under ``static/generated/``,
    which browsers fetch (and cache) themselves, is checked on every call and written
    again if another process pruned it. A rerun only sends a selection bitset.
    """
    from heimatruhr_geo.ui.map_component import publish_file

    doc = _points(lang)
    return doc, publish_file(settings(), f"points-{lang}", doc.data, doc.sha)


@derived_from_public_data
@st.cache_resource(max_entries=4, show_spinner=False)
def _points(lang: str) -> PointsDocument:
    return encode_points(published("spaces"), published("vacant"), lang)


def borders_url() -> str:
    """Return the URL of the municipality borders as GeoJSON (encoded once per process)."""
    from heimatruhr_geo.ui.map_component import publish_file

    data, sha = _borders()
    return publish_file(settings(), "borders", data, sha)


@st.cache_resource(show_spinner=False)
def _borders() -> tuple[bytes, str]:
    import hashlib

    data = encode_borders(drawing_municipalities())
    return data, hashlib.sha256(data).hexdigest()


@derived_from_public_data
@st.cache_resource(show_spinner=False)
def survey() -> PublicSurvey:
    """Return everything the app may show of the survey (shared: do not change).

    The one place where survey answers are loaded for display: the demo answers while
    no real answer is published, otherwise the last release, never live answers and
    never a mix (:mod:`heimatruhr_geo.survey_release`). Writes a new release first when
    one is due, so a moderator's decision or an import shows up here with the next data
    version.
    """
    try:
        release_if_due(store(), actor="app")
    except DataError as exc:  # another process keeps releasing: show the last release
        logger.warning("survey release check failed: %s", exc)
    return public_survey(store(), municipalities())


@derived_from_public_data
@st.cache_resource(show_spinner=False)
def survey_answers() -> pd.DataFrame:
    """Return the survey answers the app may aggregate (see :func:`survey`; shared)."""
    return survey().answers


def demo_survey_responses() -> int:
    """Return how many of the survey answers shown are demo data (0 once real ones exist)."""
    shown = survey()
    return len(shown.answers) if shown.demo else 0


@derived_from_public_data
@st.cache_resource(show_spinner=False)
def survey_columns() -> pd.DataFrame:
    """Return the k-anonymous survey columns of the planners' table (shared: do not change).

    They depend on the published answers only, never on a page's filters.
    """
    return _survey_columns(survey_answers(), municipalities(), population())
