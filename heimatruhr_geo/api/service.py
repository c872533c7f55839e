"""What the API reads, for one process: the store, the rate limiter and cached figures.

:class:`ApiService` opens the store the settings name on first use (seeding the demo data
into an empty database, as the app does on its first start), reads records page by page
through it (:meth:`ApiService.page`, public form only; a selection's ids are kept for
:data:`SELECTION_TTL_S` while a client pages through it) and keeps the municipality table
(counts and released survey figures) while the store's data version stays the same.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import geopandas as gpd
import pandas as pd

from heimatruhr_geo.boundaries import default_path, load_municipalities
from heimatruhr_geo.config import Settings
from heimatruhr_geo.demo import seed_if_empty
from heimatruhr_geo.limits import IPNetwork, Limiter, Rule, client_address, parse_networks
from heimatruhr_geo.operator import Operator
from heimatruhr_geo.population import load_population
from heimatruhr_geo.store import Filters, Store
from heimatruhr_geo.survey import municipality_summary
from heimatruhr_geo.survey_release import answers_from_figures, latest_release

logger = logging.getLogger(__name__)

SELECTION_TTL_S = 30.0
"""The ordered ids of one selection, read afresh for every first page (offset 0), are kept
this long for the pages after it: paging through a selection (GDAL asks for page after
page) slices the same list, so pages neither overlap nor miss records and
``numberMatched`` stays the same on every page."""
MAX_SELECTIONS = 16
"""Selections kept at once (each at most a list of ids: 100,000 ids take about 7 MB)."""
RATE_WINDOW_S = 60.0
"""The window of the per-client request limit (``Settings.api_rate_limit`` per window)."""

SecretsReader = Callable[[], Mapping[str, object]]


@dataclass(frozen=True)
class Page:
    """One page of records and the number of all records that match."""

    frame: gpd.GeoDataFrame
    matched: int


class ApiService:
    """The store, limiter and cached figures behind the API of one process.

    Parameters
    ----------
    settings
        The process settings (database, data folder, operator, limits, proxies).
    store
        An open store to use; opened from ``settings`` on first use when omitted.
    operator_secrets
        Returns the ``[operator]`` section of the app's secrets (filled in where the
        settings leave the operator empty); none when omitted.
    clock
        Seconds (monotonic) for the table's lifetime; tests pass a fake.
    """

    def __init__(
        self,
        settings: Settings,
        store: Store | None = None,
        *,
        operator_secrets: SecretsReader | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self._store = store
        self._secrets = operator_secrets
        self._clock = clock
        self._lock = threading.Lock()
        self._limiter: Limiter | None = None
        self._table: tuple[int, pd.DataFrame] | None = None
        self._selections: dict[tuple[str, Filters], tuple[float, list[str]]] = {}
        self._trusted: tuple[IPNetwork, ...] = parse_networks(settings.trusted_proxies)
        self.rule = Rule("api", limit=settings.api_rate_limit, window_s=RATE_WINDOW_S)

    # ------------------------------------------------------------------ resources

    @property
    def store(self) -> Store:
        """The store (opened, and seeded when empty, on first use)."""
        with self._lock:
            if self._store is None:
                opened = Store.from_settings(self.settings)
                try:
                    if seed_if_empty(opened):
                        logger.info("first start: demo data seeded (by the API)")
                except Exception:  # the pages seed at the same moment: their data count
                    logger.warning("demo seeding by the API failed; continuing", exc_info=True)
                self._store = opened
            return self._store

    @property
    def limiter(self) -> Limiter:
        """The rate limiter on the store's database."""
        store = self.store
        with self._lock:
            if self._limiter is None:
                self._limiter = Limiter(store.engine, secret=self.settings.limits_secret)
            return self._limiter

    def operator(self) -> Operator:
        """Return the operator (settings first, gaps from the secrets)."""
        secrets: Mapping[str, object] = {}
        if self._secrets is not None:
            try:
                secrets = self._secrets()
            except Exception:  # secrets are optional; the catalogue then shows the settings
                logger.warning("operator secrets could not be read", exc_info=True)
        return Operator.from_settings(self.settings, secrets)

    # ------------------------------------------------------------------ limits

    def client(self, peer: str | None, forwarded_for: list[str]) -> str:
        """Return the address that identifies a client (``HEIMATRUHR_TRUSTED_PROXIES`` rule)."""
        return client_address(peer, forwarded_for, self._trusted)

    def wait_s(self, client: str) -> float:
        """Count one request of ``client``; return 0, or the seconds it must wait first."""
        return self.limiter.acquire(self.rule, f"api:{client}")

    # ------------------------------------------------------------------ records

    def page(self, layer: str, filters: Filters) -> Page:
        """Return one page (``filters.limit`` from ``filters.offset``) and how many match.

        The selection's ordered ids come from :meth:`selection`; the page's rows are read
        by primary key (:meth:`~heimatruhr_geo.store.Store.published_by_id`).
        """
        ids = self.selection(layer, filters)
        start = filters.offset
        stop = len(ids) if filters.limit is None else start + filters.limit
        frame = self.store.published_by_id(layer, ids[start:stop])
        return Page(frame, len(ids))

    def selection(self, layer: str, filters: Filters) -> list[str]:
        """Return the ordered ids of all published records of ``layer`` matching ``filters``.

        Read afresh for a first page (offset 0); later pages reuse it for
        :data:`SELECTION_TTL_S` (per layer and filters, paging ignored).
        """
        key = (layer, replace(filters, limit=None, offset=0))
        now = self._clock()
        with self._lock:
            found = self._selections.get(key)
        if filters.offset > 0 and found is not None and now - found[0] < SELECTION_TTL_S:
            return found[1]
        ids = self.store.matching_ids(layer, key[1])
        with self._lock:
            expired = [k for k, (at, _) in self._selections.items() if now - at >= SELECTION_TTL_S]
            for old in expired:
                del self._selections[old]
            while len(self._selections) >= MAX_SELECTIONS:
                del self._selections[next(iter(self._selections))]
            self._selections[key] = (now, ids)
        return ids

    def record(self, layer: str, record_id: str) -> gpd.GeoDataFrame:
        """Return the published record ``record_id`` of ``layer`` (an empty frame if none)."""
        return self.store.published_by_id(layer, [record_id])

    # ------------------------------------------------------------------ municipalities

    def municipalities(self) -> gpd.GeoDataFrame:
        """Return the 53 municipalities at full resolution (shared: do not change)."""
        return load_municipalities(default_path(self.settings.data_dir))

    def municipality_table(self) -> pd.DataFrame:
        """Return per municipality the public record counts and the released survey figures.

        Columns ``ags``, ``population``, ``spaces``, ``vacant``, ``survey_released`` and
        the figures of :func:`heimatruhr_geo.survey.municipality_summary` from the latest
        survey release (k-anonymous; ``<NA>`` where suppressed, and everywhere when no
        release exists). Rebuilt when the data version moved (any process's change).
        """
        version = self.store.data_version()
        cached = self._table
        if cached is not None and cached[0] == version:
            return cached[1]
        table = self._build_table()
        self._table = (version, table)
        return table

    def _build_table(self) -> pd.DataFrame:
        store = self.store
        munis = self.municipalities()
        table = pd.DataFrame({"ags": munis["ags"].astype(str).to_numpy()})
        people = load_population(self.settings.data_dir).set_index("ags")["population"]
        table["population"] = table["ags"].map(people).astype("Int64")
        for layer in ("spaces", "vacant"):
            counts = store.counts_per_municipality(layer).set_index("ags")["count"]
            table[layer] = table["ags"].map(counts).fillna(0).astype(int)
        release = latest_release(store)
        names = pd.DataFrame(munis[["ags", "name", "county"]])
        table["survey_released"] = release is not None
        table["survey_release"] = pd.array(
            [release.number if release else None] * len(table), "Int64"
        )
        figures_of = release.figures if release is not None else {}
        summary = municipality_summary(answers_from_figures(figures_of, names), names)
        figures = summary.drop(columns=["name", "county"]).rename(
            columns=lambda c: c if c == "ags" else f"survey_{c}"
        )
        out = table.merge(figures, on="ags", how="left", validate="1:1")
        if release is None:
            for column in figures.columns.drop("ags"):
                out[column] = pd.NA
        return out

    def close(self) -> None:
        """Close the store's pooled connections (if this service opened it)."""
        if self._store is not None:
            self._store.close()


def plain(value: Any) -> Any:
    """Return a cell as a JSON value (``None`` for missing ones, Python numbers)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item"):
        return value.item()
    return value
