"""What the API reads, for one process: the store, the rate limiter and cached figures.

:class:`ApiService` opens the store the settings name on first use (seeding the demo data
into an empty database, as the app does on its first start), reads records page by page
through it (:meth:`ApiService.page`, public form only) and keeps the municipality table
(counts and released survey figures) for :data:`TABLE_TTL_S`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
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

TABLE_TTL_S = 60.0
"""The municipality table (counts, survey figures) is rebuilt at most this often."""
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
        self._table: tuple[float, pd.DataFrame] | None = None
        self._trusted: tuple[IPNetwork, ...] = parse_networks(settings.trusted_proxies)
        self.rule = Rule("api", limit=settings.api_rate_limit, window_s=RATE_WINDOW_S)

    # ------------------------------------------------------------------ resources

    @property
    def store(self) -> Store:
        """The store (opened, and seeded when empty, on first use)."""
        with self._lock:
            if self._store is None:
                opened = Store.from_settings(self.settings)
                if seed_if_empty(opened):
                    logger.info("first start: demo data seeded (by the API)")
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
        """Return one page of published records of ``layer`` and how many match in all."""
        store = self.store
        frame = store.query(layer, filters)
        if filters.offset == 0 and filters.limit is not None and len(frame) < filters.limit:
            matched = len(frame)  # the whole selection fits the page: no second query
        else:
            matched = store.count_matching(layer, filters)
        return Page(frame, matched)

    def record(self, layer: str, record_id: str) -> gpd.GeoDataFrame:
        """Return the published record ``record_id`` of ``layer`` (an empty frame if none)."""
        return self.store.records.published_by_id(layer, [record_id])

    # ------------------------------------------------------------------ municipalities

    def municipalities(self) -> gpd.GeoDataFrame:
        """Return the 53 municipalities at full resolution (shared: do not change)."""
        return load_municipalities(default_path(self.settings.data_dir))

    def municipality_table(self) -> pd.DataFrame:
        """Return per municipality the public record counts and the released survey figures.

        Columns ``ags``, ``population``, ``spaces``, ``vacant``, ``survey_released`` and
        the figures of :func:`heimatruhr_geo.survey.municipality_summary` from the latest
        survey release (k-anonymous; ``<NA>`` where suppressed, and everywhere when no
        release exists). Kept for :data:`TABLE_TTL_S`.
        """
        now = self._clock()
        cached = self._table
        if cached is not None and now - cached[0] < TABLE_TTL_S:
            return cached[1]
        table = self._build_table()
        self._table = (now, table)
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
        if release is None:
            table["survey_released"] = False
            summary = municipality_summary(answers_from_figures({}, names), names)
        else:
            table["survey_released"] = True
            summary = municipality_summary(answers_from_figures(release.figures, names), names)
            table["survey_release"] = release.number
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
