"""The record store: one facade over the database, the records and the moderation service.

:class:`Store` opens the database that the settings name (:mod:`heimatruhr_geo.db`:
engine, transactions, bounded retry; schema upgraded by the Alembic migrations on
opening) and offers

* the records repository (:mod:`heimatruhr_geo.records`): add, import, delete, read and
  query records as GeoDataFrames, radius search, counts per municipality, statistics;
* the moderation service (:mod:`heimatruhr_geo.review`): edit, publish, reject, delete
  contact data, purge expired contacts, read the audit log. Every such change writes its
  audit entry in the same transaction; the store has no other way to publish a record.

Every committed change to public data raises the data version (:meth:`Store.data_version`),
which page caches in every process are keyed on.

Public queries (``public=True``, the default) return only ``published`` records, never
projects that were rejected or withdrawn, never contact data, and refuse the survey layer
(individual responses are never public; use :meth:`Store.counts_per_municipality`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from sqlalchemy.engine import Engine

from heimatruhr_geo.audit import AuditEntry, Decision
from heimatruhr_geo.config import DEFAULT_DATA_DIR, Settings
from heimatruhr_geo.db import Database, database_url
from heimatruhr_geo.models import CONTACT_RETENTION_DAYS, Record
from heimatruhr_geo.records import (
    FULL_META,
    PRIVATE_COLUMNS,
    PUBLIC_META,
    Filters,
    Records,
    WriteCounts,
)
from heimatruhr_geo.review import ModerationService

__all__ = [
    "FULL_META",
    "PRIVATE_COLUMNS",
    "PUBLIC_META",
    "Filters",
    "Store",
    "WriteCounts",
    "database_url",
]


class Store:
    """Records of the three layers in a SQL database, and their moderation.

    Parameters
    ----------
    url
        SQLAlchemy URL (``sqlite:///path`` or ``postgresql+psycopg://…``).
    data_dir
        Folder with the municipality boundaries (for the AGS and names).
    upgrade
        Run the migrations up to the newest schema on opening (default).
    cache_dir
        Where derived data is kept between processes (the municipality grid).

    Attributes
    ----------
    db
        The database (:class:`~heimatruhr_geo.db.Database`).
    records
        The records repository (:class:`~heimatruhr_geo.records.Records`).
    moderation
        The moderation service (:class:`~heimatruhr_geo.review.ModerationService`).

    Examples
    --------
    >>> store = Store.from_settings(settings)  # doctest: +SKIP
    >>> store.add(record)  # doctest: +SKIP
    >>> store.query("spaces", Filters(municipalities=("05913000",)))  # doctest: +SKIP
    """

    def __init__(
        self,
        url: str,
        *,
        data_dir: Path = DEFAULT_DATA_DIR,
        upgrade: bool = True,
        cache_dir: Path | None = None,
    ):
        self.url = url
        self.data_dir = Path(data_dir)
        self.db = Database(url)
        self.records = Records(self.db, self.data_dir, cache_dir)
        self.moderation = ModerationService(self.records)
        if upgrade:
            self.upgrade()

    @classmethod
    def from_settings(cls, settings: Settings, *, upgrade: bool = True) -> Store:
        """Open the store that ``settings`` names, creating or upgrading its schema."""
        return cls(
            database_url(settings),
            data_dir=settings.data_dir,
            upgrade=upgrade,
            cache_dir=settings.cache_dir,
        )

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (for the rate limiter and the survey releases)."""
        return self.db.engine

    @property
    def is_sqlite(self) -> bool:
        """True on SQLite, False on PostgreSQL."""
        return self.db.is_sqlite

    def close(self) -> None:
        """Close all pooled connections."""
        self.db.close()

    def data_version(self) -> int:
        """Return the data version, raised by every committed change to public data.

        Every write to the records or the survey releases raises it in its own
        transaction, whichever process or command made it (see
        :meth:`heimatruhr_geo.db.Database.data_version`): a page cache built at version
        ``v`` is current while this still returns ``v``.
        """
        return self.db.data_version()

    def upgrade(self, revision: str = "head") -> None:
        """Create or upgrade the schema in place with the packaged Alembic migrations."""
        self.db.upgrade(revision)

    # ------------------------------------------------------------------ records

    def add(self, record: Record) -> str:
        """Store one new record and return its id (see :meth:`Records.add`)."""
        return self.records.add(record)

    def add_many(self, records: Sequence[Record]) -> list[str]:
        """Store new records in one transaction (see :meth:`Records.add_many`)."""
        return self.records.add_many(records)

    def import_records(
        self,
        records: Sequence[Record],
        *,
        ags: Sequence[str] | np.ndarray[Any, Any] | None = None,
    ) -> WriteCounts:
        """Insert or update records by source key (see :meth:`Records.import_records`)."""
        return self.records.import_records(records, ags=ags)

    def import_batches(
        self,
        batches: Callable[[], Iterable[Sequence[Record]]],
        *,
        withheld: Callable[[], Iterable[tuple[str, str, str]]] | None = None,
    ) -> WriteCounts:
        """Insert or update records batch by batch (see :meth:`Records.import_batches`)."""
        return self.records.import_batches(batches, withheld=withheld)

    def source_keys(self, layer: str, ids: Sequence[str]) -> dict[str, str | None]:
        """Return the source key of each stored record among ``ids``."""
        return self.records.source_keys(layer, ids)

    def delete(self, ids: Iterable[str]) -> int:
        """Delete records and their contact data by id (see :meth:`Records.delete`)."""
        return self.records.delete(ids)

    def count(self, layer: str | None = None, *, public: bool = False) -> int:
        """Count the records (see :meth:`Records.count`)."""
        return self.records.count(layer, public=public)

    def is_empty(self) -> bool:
        """Return True when no record of any layer is stored."""
        return self.records.is_empty()

    def get(self, record_id: str, *, public: bool = True) -> dict[str, Any]:
        """Return one record as a flat dict (see :meth:`Records.get`)."""
        return self.records.get(record_id, public=public)

    def query(
        self, layer: str, filters: Filters | None = None, *, public: bool = True
    ) -> gpd.GeoDataFrame:
        """Return the records of ``layer`` that match ``filters`` (see :meth:`Records.query`)."""
        return self.records.query(layer, filters, public=public)

    def matching_ids(self, layer: str, filters: Filters | None = None) -> list[str]:
        """Return the ids of the matching published records, in order (see ``Records``)."""
        return self.records.matching_ids(layer, filters)

    def published_by_id(self, layer: str, ids: Sequence[str]) -> gpd.GeoDataFrame:
        """Return the public form of the published records among ``ids``, in their order."""
        return self.records.published_by_id(layer, ids)

    def counts_per_municipality(
        self, layer: str, filters: Filters | None = None, *, public: bool = True
    ) -> pd.DataFrame:
        """Count records per municipality (see :meth:`Records.counts_per_municipality`)."""
        return self.records.counts_per_municipality(layer, filters, public=public)

    def survey_answers(self, filters: Filters | None = None) -> pd.DataFrame:
        """Return the published survey answers (see :meth:`Records.survey_answers`)."""
        return self.records.survey_answers(filters)

    def stats(self, *, public: bool = False) -> pd.DataFrame:
        """Count records per municipality and layer (see :meth:`Records.stats`)."""
        return self.records.stats(public=public)

    def pending(
        self, layer: str, *, limit: int | None = None, search: str = ""
    ) -> gpd.GeoDataFrame:
        """Return the pending records of ``layer`` (see :meth:`Records.pending`)."""
        return self.records.pending(layer, limit=limit, search=search)

    def pending_counts(self) -> dict[str, int]:
        """Return how many records of each layer wait for a decision."""
        return self.records.pending_counts()

    # ------------------------------------------------------------------ moderation

    def update_record(
        self, record_id: str, changes: Mapping[str, Any], actor: str
    ) -> dict[str, list[Any]]:
        """Edit a record and log it (see :meth:`ModerationService.update_record`)."""
        return self.moderation.update_record(record_id, changes, actor)

    def decide(
        self, record_id: str, decision: Decision | str, actor: str, reason: str = ""
    ) -> None:
        """Publish or reject a record and log it (see :meth:`ModerationService.decide`)."""
        self.moderation.decide(record_id, decision, actor, reason)

    def delete_contact_data(self, who: str, actor: str) -> int:
        """Delete a submitter's contact data (see :meth:`ModerationService.delete_contact_data`)."""
        return self.moderation.delete_contact_data(who, actor)

    def purge_expired_contacts(
        self,
        now: datetime | None = None,
        days: int = CONTACT_RETENTION_DAYS,
        *,
        actor: str = "system",
    ) -> int:
        """Delete expired contacts (see :meth:`ModerationService.purge_expired_contacts`)."""
        return self.moderation.purge_expired_contacts(now, days, actor=actor)

    def audit_entries(
        self,
        record_id: str | None = None,
        *,
        actions: Sequence[str] = (),
        limit: int | None = 200,
    ) -> list[AuditEntry]:
        """Return audit log entries, newest first (see :meth:`ModerationService.audit_entries`)."""
        return self.moderation.audit_entries(record_id, actions=actions, limit=limit)
