"""The records repository: records of the three layers in and out as GeoDataFrames.

Layout (:mod:`heimatruhr_geo.schema`): one ``records`` table holds the three layers. The
columns that queries filter on (layer, kind, status, funding year, lon/lat, AGS, county,
moderation, source) are real indexed columns; the layer-specific public fields are a JSON
document. Submitter contact data lives in the ``contacts`` table and is read only by full
(moderator) queries.

Public queries (``public=True``, the default) return only ``published`` records, never
projects that were rejected or withdrawn, never contact data, and refuse the survey layer
(individual responses are never public; use :meth:`Records.counts_per_municipality`).

Writes are transactional and retried on lock errors (:meth:`heimatruhr_geo.db.Database.retry`).
Publishing, rejecting and editing records belong to :mod:`heimatruhr_geo.review`, which
writes the audit log.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from heimatruhr_geo.audit import AuditAction, log_change
from heimatruhr_geo.boundaries import default_path, load_municipalities
from heimatruhr_geo.db import Database, chunks
from heimatruhr_geo.errors import DataError, InputError, NotFound
from heimatruhr_geo.models import (
    HIDDEN_PROJECT_STATUSES,
    LAYERS,
    TAXONOMIES,
    Moderation,
    Record,
    Source,
    SurveyResponse,
    build_record,
    model_for,
)
from heimatruhr_geo.radius import (
    check_centre,
    near_condition,
    radius_bbox,
)
from heimatruhr_geo.schema import CONTACTS, RECORDS
from heimatruhr_geo.spatial import (
    MunicipalityIndex,
    assign_municipalities,
    counts_table,
    default_index,
)

logger = logging.getLogger(__name__)


_TAIL_COLUMNS = ["street", "postcode", "city", "lat", "lon", "ags", "municipality", "county"]
PUBLIC_META = ["source", "geocode_precision", "created_at", "updated_at"]
"""Bookkeeping columns of public query results."""
FULL_META = [*PUBLIC_META, "moderation", "source_key", "geocode_source"]
PRIVATE_COLUMNS = ["contact_name", "contact_email"]
"""Columns only full (moderator) results carry."""
_ID_SEPARATOR = "\x1f"
"""Joins ids in one text (record ids are generated: letters and digits only)."""


@dataclass(frozen=True)
class Filters:
    """A selection of records; empty fields select everything.

    Attributes
    ----------
    municipalities
        AGS keys (8 digits).
    counties
        County keys (5 digits, e.g. ``"05978"`` for Kreis Unna).
    kinds
        Values of the layer's type field (project type, building type, discipline).
    statuses
        Values of the layer's status field.
    funding_years
        Funding years (spaces only).
    bbox
        ``(min_lon, min_lat, max_lon, max_lat)`` in WGS84.
    sources
        ``form``, ``import``, ``demo``.
    moderation
        Moderation states; honoured only by full (non-public) queries.
    limit
        At most this many records (ordered by id), ``None`` for all.
    offset
        Skip this many records (ordered by id) before the first one returned (paging).
    """

    municipalities: tuple[str, ...] = ()
    counties: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    funding_years: tuple[int, ...] = ()
    bbox: tuple[float, float, float, float] | None = None
    sources: tuple[str, ...] = ()
    moderation: tuple[str, ...] = ()
    limit: int | None = None
    offset: int = 0


@dataclass
class WriteCounts:
    """What an import into the store did."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    """Records whose source key appeared earlier in the same batch (not stored again)."""
    ids: list[str] = field(default_factory=list)
    """Ids of all records written or found unchanged, in input order."""
    withdrawn: int = 0
    """Published records set back to pending because their source now hides them."""


IMPORT_ACTOR = "import"
"""The audit log's actor of changes an import makes to moderation states."""


class Records:
    """Records of the three layers in a SQL database (create, read, query, import, stats).

    Parameters
    ----------
    db
        The database (its schema already upgraded).
    data_dir
        Folder with the municipality boundaries (for the AGS and names).
    cache_dir
        Where the municipality grid is kept between processes (none: built per process).
    """

    def __init__(self, db: Database, data_dir: Path, cache_dir: Path | None = None):
        self.db = db
        self.data_dir = Path(data_dir)
        self.cache_dir = cache_dir

    def index(self) -> MunicipalityIndex:
        """Return the municipality grid over the boundaries in :attr:`data_dir`."""
        return default_index(self.data_dir, self.cache_dir)

    # ------------------------------------------------------------------ writes

    def add(self, record: Record) -> str:
        """Store one new record and return its id.

        Raises
        ------
        InputError
            If its coordinates lie outside the 53 Ruhr municipalities.
        """
        return self.add_many([record])[0]

    def add_many(self, records: Sequence[Record]) -> list[str]:
        """Store new records in one transaction and return their ids.

        Raises
        ------
        InputError
            If any record lies outside the 53 Ruhr municipalities (nothing is stored).
        """
        if not records:
            return []
        rows, contacts = self.to_rows(records)
        self.db.retry(lambda conn: self._insert(conn, rows, contacts))
        return [r["id"] for r in rows]

    def import_records(
        self,
        records: Sequence[Record],
        *,
        ags: Sequence[str] | np.ndarray[Any, Any] | None = None,
    ) -> WriteCounts:
        """Insert or update records by their ``(layer, source_key)`` in one transaction.

        A record whose key is already stored updates that record (keeping its id,
        creation time and moderation state) if anything changed, and is counted as
        unchanged otherwise; records without a ``source_key`` are always inserted.

        ``ags`` may name, per record, the municipality its point is expected in (e.g. the
        one a generator drew it in). Each is then checked against that one polygon,
        vectorized per municipality, and only points that fail the check are searched in
        all 53: the stored municipalities are the same as without the hint, but an
        import does not need the region-wide grid (about 2 s to build per process).
        """
        counts = WriteCounts()
        if not records:
            return counts
        rows, contacts = self.to_rows(records, ags)
        return self.db.retry(lambda conn: self._upsert(conn, rows, contacts))

    def import_batches(
        self,
        batches: Callable[[], Iterable[Sequence[Record]]],
        *,
        withheld: Callable[[], Iterable[tuple[str, str, str]]] | None = None,
    ) -> WriteCounts:
        """Insert or update records batch by batch, all in one transaction.

        Like :meth:`import_records`, for inputs too large to hold at once: ``batches()``
        yields the records a chunk at a time; a retry after a lock error calls it again
        from the start, so it must be able to produce the same batches twice.

        ``withheld()``, called after the batches, names ``(layer, source_key, reason)`` of
        records the source hides: an import keeps a stored record's moderation state, but
        such a record, if published, is set back to ``pending`` in the same transaction,
        with an audit entry (action ``withhold``, actor ``import``, the reason).
        """

        def run(conn: Connection) -> WriteCounts:
            total = WriteCounts()
            for records in batches():
                if not records:
                    continue
                rows, contacts = self.to_rows(records)
                counts = self._upsert(conn, rows, contacts)
                total.inserted += counts.inserted
                total.updated += counts.updated
                total.unchanged += counts.unchanged
                total.duplicates += counts.duplicates
                total.ids.extend(counts.ids)
            if withheld is not None:
                total.withdrawn = self._withhold(conn, list(withheld()))
            return total

        return self.db.retry(run)

    @staticmethod
    def _withhold(conn: Connection, keys: list[tuple[str, str, str]]) -> int:
        """Set published records with these ``(layer, source_key, reason)`` back to pending."""
        reasons = {(layer, key): reason for layer, key, reason in keys}
        withdrawn = 0
        for layer in sorted({layer for layer, _ in reasons}):
            wanted = [key for lay, key in reasons if lay == layer]
            for chunk in chunks(wanted):
                stmt = sa.select(RECORDS.c.id, RECORDS.c.source_key).where(
                    RECORDS.c.layer == layer,
                    RECORDS.c.source_key.in_(chunk),
                    RECORDS.c.moderation == Moderation.PUBLISHED.value,
                )
                for record_id, key in conn.execute(stmt).all():
                    conn.execute(
                        RECORDS.update()
                        .where(RECORDS.c.id == record_id)
                        .values(moderation=Moderation.PENDING.value, updated_at=datetime.now(UTC))
                    )
                    details = {
                        "moderation": [Moderation.PUBLISHED.value, Moderation.PENDING.value],
                        "reason": reasons[(layer, str(key))],
                    }
                    log_change(conn, IMPORT_ACTOR, AuditAction.WITHHOLD, str(record_id), details)
                    withdrawn += 1
        return withdrawn

    def delete(self, ids: Iterable[str]) -> int:
        """Delete records (and their contact data) by id; return how many were deleted."""
        keys = list(ids)

        def run(conn: Connection) -> int:
            deleted = 0
            for chunk in chunks(keys):
                conn.execute(CONTACTS.delete().where(CONTACTS.c.record_id.in_(chunk)))
                deleted += conn.execute(RECORDS.delete().where(RECORDS.c.id.in_(chunk))).rowcount
            return deleted

        return self.db.retry(run)

    def pending(
        self, layer: str, *, limit: int | None = None, search: str = ""
    ) -> gpd.GeoDataFrame:
        """Return the pending records of ``layer`` in full (contacts too), oldest first.

        ``search`` keeps the records with this id or with it in their title (any case).
        """
        stmt = self._filtered(layer, Filters(moderation=(Moderation.PENDING.value,)), False)
        wanted = search.strip()
        if wanted:
            in_title = sa.func.lower(RECORDS.c.title).contains(wanted.lower(), autoescape=True)
            stmt = stmt.where(sa.or_(RECORDS.c.id == wanted, in_title))
        stmt = stmt.order_by(None).order_by(RECORDS.c.created_at, RECORDS.c.id)
        if limit is not None:
            stmt = stmt.limit(int(limit))
        return self._fetch(layer, stmt, False)

    def pending_counts(self) -> dict[str, int]:
        """Return how many records of each layer wait for a decision."""
        stmt = (
            sa.select(RECORDS.c.layer, sa.func.count())
            .where(RECORDS.c.moderation == Moderation.PENDING.value)
            .group_by(RECORDS.c.layer)
        )
        with self.db.begin() as conn:
            found = {str(layer): int(n) for layer, n in conn.execute(stmt)}
        return {layer: found.get(layer, 0) for layer in LAYERS}

    # ------------------------------------------------------------------ reads

    def count(self, layer: str | None = None, *, public: bool = False) -> int:
        """Count the records (of one layer, optionally only the public ones)."""
        stmt = sa.select(sa.func.count()).select_from(RECORDS)
        if layer is not None:
            model_for(layer)
            stmt = stmt.where(RECORDS.c.layer == layer)
        if public:
            stmt = stmt.where(*_public_conditions())
        with self.db.begin() as conn:
            return int(conn.execute(stmt).scalar_one())

    def is_empty(self) -> bool:
        """Return True when no record of any layer is stored."""
        with self.db.begin() as conn:
            return conn.execute(sa.select(RECORDS.c.id).limit(1)).first() is None

    def get(self, record_id: str, *, public: bool = True) -> dict[str, Any]:
        """Return one record as a flat dict (public form unless ``public=False``).

        Raises
        ------
        NotFound
            If no record has this id, or (public) it is not published.
        """
        stmt = self._select(public).where(RECORDS.c.id == record_id)
        if public:
            stmt = stmt.where(*_public_conditions(), RECORDS.c.layer != "survey")
        with self.db.begin() as conn:
            result = conn.execute(stmt)
            keys, rows = list(result.keys()), result.all()
        if not rows:
            raise NotFound(f"record id={record_id!r} does not exist or is not public")
        frame = self._frame(str(rows[0][keys.index("layer")]), keys, rows, public)
        return {k: _plain(v) for k, v in frame.drop(columns="geometry").iloc[0].items()}

    def query(
        self, layer: str, filters: Filters | None = None, *, public: bool = True
    ) -> gpd.GeoDataFrame:
        """Return the records of ``layer`` that match ``filters`` as a GeoDataFrame.

        Parameters
        ----------
        layer
            ``spaces``, ``vacant`` or ``survey`` (survey only with ``public=False``).
        filters
            The selection; everything when omitted.
        public
            Public form (default): published records only, no contact data, no
            moderation bookkeeping. ``False`` gives moderators everything.

        Returns
        -------
        geopandas.GeoDataFrame
            One row per record in EPSG:4326 with ``id, layer, title``, the layer's fields,
            ``street, postcode, city, lat, lon, ags, municipality, county``, bookkeeping
            columns and point geometries; ordered by id.

        Raises
        ------
        InputError
            For an unknown layer or filter value, or a public survey query.
        """
        return self._fetch(layer, self._filtered(layer, filters or Filters(), public), public)

    def matching_ids(self, layer: str, filters: Filters | None = None) -> list[str]:
        """Return the ids of the published records of ``layer`` that match ``filters``, sorted.

        All of them (``limit`` and ``offset`` are ignored), for paging through a selection
        by slicing the list (rows then by :meth:`published_by_id`). The database joins
        the ids into one text (no row per id to fetch) and Python sorts them (by code
        point, as SQLite's ``ORDER BY id``): about 60 ms for 100,000 ids.

        Raises
        ------
        InputError
            As :meth:`query`.
        """
        wanted = Filters(**{**(filters or Filters()).__dict__, "limit": None, "offset": 0})
        stmt = self._filtered(layer, wanted, True).with_only_columns(RECORDS.c.id)
        inner = stmt.order_by(None).subquery()
        joined = sa.select(sa.func.aggregate_strings(inner.c.id, _ID_SEPARATOR))
        with self.db.begin() as conn:
            text = conn.execute(joined).scalar_one()
        return sorted(str(text).split(_ID_SEPARATOR)) if text else []

    def field_columns(
        self,
        layer: str,
        fields: Sequence[str],
        *,
        statuses: Sequence[str] = (),
        near: tuple[float, float, float] | None = None,
    ) -> dict[str, tuple[Any, ...]]:
        """Return a few fields of the published records, column by column, in one query.

        Reads only ``id, lon, lat, kind`` and ``fields`` (JSON index access on the layer's
        document: no full rows), for searches that keep their candidates in memory.

        Parameters
        ----------
        layer
            ``spaces`` or ``vacant``.
        fields
            Names of the layer's fields (numbers come as floats, yes/no as booleans,
            everything else as text; ``None`` where unknown).
        statuses
            Keep only records in these statuses (all when empty).
        near
            ``(lon, lat, radius_m)``: keep only the candidates of a radius search, a safe
            prefilter (:func:`heimatruhr_geo.radius.near_condition`) that may keep a few
            points just outside and never drops one inside.

        Returns
        -------
        dict
            Column name → tuple of values, ordered by id.

        Raises
        ------
        InputError
            For the survey layer, an unknown field or status, or an invalid centre.
        """
        model = model_for(layer)
        if layer == "survey":
            raise InputError("layer='survey' is never public record by record")
        unknown = sorted(set(fields) - set(model.attribute_fields()))
        if unknown:
            raise InputError(f"fields {unknown} are not fields of layer {layer!r}")
        columns = [RECORDS.c.id, RECORDS.c.lon, RECORDS.c.lat, RECORDS.c.kind]
        columns += [_json_column(model, name).label(name) for name in fields]
        stmt = sa.select(*columns).where(RECORDS.c.layer == layer, *_public_conditions())
        if statuses:
            stmt = stmt.where(*_filter_conditions(model, Filters(statuses=tuple(statuses)), True))
        if near is not None:
            lon, lat, radius_m = near
            check_centre(lon, lat)
            x0, y0, x1, y1 = radius_bbox(lon, lat, radius_m)
            stmt = stmt.where(
                RECORDS.c.lon.between(x0, x1),
                RECORDS.c.lat.between(y0, y1),
                near_condition(RECORDS.c.lon, RECORDS.c.lat, lon, lat, radius_m),
            )
        with self.db.begin() as conn:
            result = conn.execute(stmt.order_by(RECORDS.c.id))
            keys, rows = list(result.keys()), result.all()
        by_column = list(zip(*rows, strict=True)) if rows else [() for _ in keys]
        return dict(zip(keys, by_column, strict=True))

    def source_keys(self, layer: str, ids: Sequence[str]) -> dict[str, str | None]:
        """Return the source key of each stored record of ``layer`` among ``ids``."""
        found: dict[str, str | None] = {}
        stmt = sa.select(RECORDS.c.id, RECORDS.c.source_key).where(RECORDS.c.layer == layer)
        with self.db.begin() as conn:
            for chunk in chunks(list(ids)):
                for record_id, key in conn.execute(stmt.where(RECORDS.c.id.in_(chunk))):
                    found[str(record_id)] = None if key is None else str(key)
        return found

    def published_by_id(
        self, layer: str, ids: Sequence[str], *, statuses: Sequence[str] = ()
    ) -> gpd.GeoDataFrame:
        """Return the public form of the published records of ``layer`` among ``ids``.

        Rows come in the order of ``ids``; ids that are not (or no longer) published
        records of this layer, in one of ``statuses`` if given, are left out. The records
        are read by primary key only, in chunks.

        Raises
        ------
        InputError
            For the survey layer or an unknown layer.
        """
        model_for(layer)
        if layer == "survey":
            raise InputError("layer='survey' is never public record by record")
        hidden = {s.value for s in HIDDEN_PROJECT_STATUSES} if layer == "spaces" else set()
        wanted = set(statuses)
        select = self._select(True)
        keys = list(select.selected_columns.keys())
        found: dict[str, Any] = {}
        with self.db.begin() as conn:
            for chunk in chunks(list(ids)):
                # by primary key only: other conditions here make SQLite pick a worse index
                for row in conn.execute(select.where(RECORDS.c.id.in_(chunk))):
                    item = row._mapping
                    status = item["status"]
                    if (
                        item["layer"] == layer
                        and item["moderation"] == Moderation.PUBLISHED.value
                        and status not in hidden
                        and (not wanted or status in wanted)
                    ):
                        found[str(item["id"])] = row
        rows = [found[i] for i in ids if i in found]
        return self._frame(layer, keys, rows, True)

    def counts_per_municipality(
        self, layer: str, filters: Filters | None = None, *, public: bool = True
    ) -> pd.DataFrame:
        """Count records per municipality: all 53 rows, zeros included.

        Allowed for the survey layer in public mode: it returns counts only.

        Returns
        -------
        pandas.DataFrame
            ``ags, name, county, area_km2, count, per_km2``.
        """
        stmt = self._filtered(layer, filters or Filters(), public, allow_survey=True)
        inner = stmt.with_only_columns(RECORDS.c.ags).order_by(None).limit(None).subquery()
        grouped = sa.select(inner.c.ags, sa.func.count().label("n")).group_by(inner.c.ags)
        with self.db.begin() as conn:
            counts = {str(a): int(n) for a, n in conn.execute(grouped)}
        return counts_table(counts, self._municipalities())

    def survey_answers(self, filters: Filters | None = None) -> pd.DataFrame:
        """Return the published survey answers for aggregation, without locations or ids.

        Returns
        -------
        pandas.DataFrame
            ``ags, municipality, county, discipline, identity_rating, space_rating,
            identity_text, places_text``, one row per response. Callers must apply the
            k-anonymity rule (k = 5) before showing anything per municipality.
        """
        stmt = self._filtered("survey", filters or Filters(), True, allow_survey=True)
        with self.db.begin() as conn:
            result = conn.execute(stmt)
            keys, rows = list(result.keys()), result.all()
        frame = self._frame("survey", keys, rows, True)
        columns = ["ags", "municipality", "county", *SurveyResponse.attribute_fields()]
        return pd.DataFrame(frame[columns]).sort_values("ags", kind="stable", ignore_index=True)

    def stats(self, *, public: bool = False) -> pd.DataFrame:
        """Count records per municipality and layer: ``ags, name, county`` + one per layer."""
        stmt = sa.select(RECORDS.c.ags, RECORDS.c.layer, sa.func.count().label("n")).group_by(
            RECORDS.c.ags, RECORDS.c.layer
        )
        if public:
            stmt = stmt.where(*_public_conditions())
        with self.db.begin() as conn:
            rows = conn.execute(stmt).all()
        table = pd.DataFrame(self._municipalities()[["ags", "name", "county"]]).reset_index(
            drop=True
        )
        counts = pd.DataFrame(rows, columns=["ags", "layer", "n"])
        for layer in LAYERS:
            per = counts[counts["layer"] == layer].set_index("ags")["n"]
            table[layer] = table["ags"].map(per).fillna(0).astype(int)
        return table

    # ------------------------------------------------------------------ internals

    def _municipalities(self) -> gpd.GeoDataFrame:
        return load_municipalities(default_path(self.data_dir))

    def to_rows(
        self, records: Sequence[Record], hint: Sequence[str] | np.ndarray[Any, Any] | None = None
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Return the table rows and contact rows of ``records``, municipalities assigned.

        Raises
        ------
        InputError
            If any record lies outside the 53 Ruhr municipalities.
        """
        lon = np.array([r.lon for r in records], dtype=float)
        lat = np.array([r.lat for r in records], dtype=float)
        if hint is None:
            ags = assign_municipalities(lon, lat, index=self.index())
        else:
            if len(hint) != len(records):
                raise InputError(f"{len(hint)} AGS hints for {len(records)} records")
            ags = self._check_hint(lon, lat, np.asarray(hint, dtype=object))
        outside = [i for i, a in enumerate(ags) if not a]
        if outside:
            r = records[outside[0]]
            raise InputError(
                f"lat/lon {r.lat}, {r.lon} (record {r.id}) lies outside the 53 Ruhr "
                f"municipalities; {len(outside)} of {len(records)} records do"
            )
        rows = [record_row(r, str(a)) for r, a in zip(records, ags, strict=True)]
        contacts = [
            {"record_id": r.id, "name": r.contact_name, "email": r.contact_email}
            for r in records
            if r.contact_name or r.contact_email
        ]
        return rows, contacts

    def _check_hint(
        self, lon: np.ndarray[Any, Any], lat: np.ndarray[Any, Any], hint: np.ndarray[Any, Any]
    ) -> np.ndarray[Any, Any]:
        """Return the AGS of each point: the hinted one where its polygon contains the point.

        Points not in their hinted municipality (or on its border) are tested against all
        53 polygons; a point in none, or on a border, gets ``""`` as from
        :func:`~heimatruhr_geo.spatial.assign_municipalities`.
        """
        munis = self._municipalities()
        shapes = dict(zip(munis["ags"], munis.geometry, strict=True))
        for shape in shapes.values():
            shapely.prepare(shape)
        ags = hint.copy()
        confirmed = np.zeros(len(ags), dtype=bool)
        for key in pd.unique(hint):
            rows = np.flatnonzero(hint == key)
            if key in shapes:
                confirmed[rows] = shapely.contains_xy(shapes[key], lon[rows], lat[rows])
        rest = np.flatnonzero(~confirmed)
        if rest.size:
            found = np.full(rest.size, "", dtype=object)
            for key, shape in shapes.items():
                found[shapely.contains_xy(shape, lon[rest], lat[rest])] = key
            ags[rest] = found
            logger.info(
                "%d of %d points were not in their hinted municipality", rest.size, len(ags)
            )
        return ags

    @staticmethod
    def _insert(
        conn: Connection, rows: list[dict[str, Any]], contacts: list[dict[str, Any]]
    ) -> None:
        for chunk in chunks(rows, 5000):
            conn.execute(RECORDS.insert(), chunk)
        if contacts:
            conn.execute(CONTACTS.insert(), contacts)

    def _upsert(
        self, conn: Connection, rows: list[dict[str, Any]], contacts: list[dict[str, Any]]
    ) -> WriteCounts:
        counts = WriteCounts()
        existing: dict[tuple[str, str], dict[str, Any]] = {}
        for layer in {r["layer"] for r in rows}:
            keys = [r["source_key"] for r in rows if r["layer"] == layer and r["source_key"]]
            for chunk in chunks(keys):
                stmt = sa.select(RECORDS).where(
                    RECORDS.c.layer == layer, RECORDS.c.source_key.in_(chunk)
                )
                for found in conn.execute(stmt).mappings():
                    existing[(layer, str(found["source_key"]))] = dict(found)
        contact_of = {c["record_id"]: c for c in contacts}
        new_rows: list[dict[str, Any]] = []
        new_contacts: list[dict[str, Any]] = []
        seen: set[tuple[str, str]] = set()
        for row in rows:
            key = (row["layer"], row["source_key"])
            old = existing.get(key) if row["source_key"] else None
            if row["source_key"] and key in seen:
                counts.duplicates += 1  # the same source row twice in one batch: keep the first
                continue
            seen.add(key)
            if old is None:
                new_rows.append(row)
                if row["id"] in contact_of:
                    new_contacts.append(contact_of[row["id"]])
                counts.inserted += 1
                counts.ids.append(row["id"])
                continue
            counts.ids.append(str(old["id"]))
            if not _changed(old, row):
                counts.unchanged += 1
                continue
            keep = {"id", "created_at", "moderation", "source"}
            values = {k: v for k, v in row.items() if k not in keep}
            conn.execute(RECORDS.update().where(RECORDS.c.id == old["id"]).values(**values))
            counts.updated += 1
        self._insert(conn, new_rows, new_contacts)
        return counts

    def _select(self, public: bool) -> sa.Select[Any]:
        # JSON and timestamps come raw (text on SQLite) and are parsed in bulk in _frame:
        # per-row type processing costs more than the query itself.
        # PostgreSQL's driver would parse JSON row by row: a CAST makes it send text too.
        raw = {"data": sa.Text, "created_at": sa.String, "updated_at": sa.String}
        columns = [
            (sa.cast if c.name == "data" else sa.type_coerce)(c, raw[c.name]).label(c.name)
            if c.name in raw
            else c
            for c in RECORDS.columns
        ]
        if public:
            return sa.select(*columns)
        return sa.select(
            *columns,
            CONTACTS.c.name.label("contact_name"),
            CONTACTS.c.email.label("contact_email"),
        ).select_from(RECORDS.outerjoin(CONTACTS, CONTACTS.c.record_id == RECORDS.c.id))

    def _filtered(
        self, layer: str, filters: Filters, public: bool, *, allow_survey: bool = False
    ) -> sa.Select[Any]:
        model = model_for(layer)
        if public and layer == "survey" and not allow_survey:
            raise InputError(
                "layer='survey' is never public record by record; use "
                "counts_per_municipality('survey') or query with public=False"
            )
        stmt = self._select(public).where(RECORDS.c.layer == layer)
        if public:
            stmt = stmt.where(*_public_conditions())
        stmt = stmt.where(*_filter_conditions(model, filters, public))
        if filters.limit is not None:
            stmt = stmt.limit(int(filters.limit))
        if filters.offset:
            stmt = stmt.offset(int(filters.offset))
        return stmt.order_by(RECORDS.c.id)

    def _fetch(self, layer: str, stmt: sa.Select[Any], public: bool) -> gpd.GeoDataFrame:
        with self.db.begin() as conn:
            result = conn.execute(stmt)
            keys, rows = list(result.keys()), result.all()
        return self._frame(layer, keys, rows, public)

    def _frame(
        self, layer: str, keys: list[str], rows: Sequence[Any], public: bool
    ) -> gpd.GeoDataFrame:
        model = model_for(layer)
        attributes = model.attribute_fields()
        by_column = list(zip(*rows, strict=True)) if rows else [() for _ in keys]
        base = pd.DataFrame(
            {k: pd.Series(v, dtype=object) for k, v in zip(keys, by_column, strict=True)}
        )
        base[["lon", "lat"]] = base[["lon", "lat"]].astype(float)
        data = pd.DataFrame.from_records(
            _parse_json(base["data"].tolist()), columns=attributes, index=base.index
        )
        for name in attributes:  # whole numbers stay whole even with gaps (nullable Int64)
            if model.model_fields[name].annotation in (int, int | None):
                data[name] = pd.to_numeric(data[name]).astype("Int64")
        derived = ["data", "kind", "status", "funding_year", "county_key", "title"]
        frame = pd.concat([base.drop(columns=derived), data], axis=1)
        if "title" not in frame.columns:
            frame["title"] = base["title"]
        names = self._municipalities().set_index("ags")
        frame["municipality"] = frame["ags"].map(names["name"])
        frame["county"] = frame["ags"].map(names["county"])
        for col in ("created_at", "updated_at"):
            frame[col] = pd.to_datetime(frame[col], utc=True)
        meta = PUBLIC_META if public else FULL_META + PRIVATE_COLUMNS
        if not public:
            for col in PRIVATE_COLUMNS:
                frame[col] = frame[col].fillna("")
        head = ["id", "layer", "title", *[a for a in attributes if a != "title"]]
        columns = head + _TAIL_COLUMNS + meta
        geometry = gpd.points_from_xy(frame["lon"], frame["lat"], crs="EPSG:4326")
        return gpd.GeoDataFrame(frame[columns], geometry=geometry, crs="EPSG:4326")


def locked_row(conn: Connection, record_id: str) -> dict[str, Any]:
    """Return a record's row, locked for the rest of the transaction (PostgreSQL).

    Raises
    ------
    NotFound
        If no record has this id.
    """
    stmt = sa.select(RECORDS).where(RECORDS.c.id == record_id).with_for_update()
    row = conn.execute(stmt).mappings().first()
    if row is None:
        raise NotFound(f"record id={record_id!r} does not exist")
    return dict(row)


def row_record(row: Mapping[str, Any]) -> Record:
    """Rebuild the record object of a stored row (without its contact)."""
    data = row["data"] if isinstance(row["data"], dict) else json.loads(row["data"])
    columns = ["id", "lat", "lon", "street", "postcode", "city", "source", "source_key"]
    columns += ["moderation", "geocode_precision", "geocode_source"]
    values = {**data, **{c: row[c] for c in columns}}
    values.update(created_at=aware(row["created_at"]), updated_at=aware(row["updated_at"]))
    try:
        return build_record(str(row["layer"]), values)
    except InputError as exc:
        raise DataError(f"stored record {row['id']!r} is not valid any more: {exc}") from exc


def aware(value: Any) -> datetime:
    """Return a stored timestamp as an aware UTC datetime (SQLite gives naive ones)."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def json_value(value: Any) -> Any:
    """Return a field value as JSON stores it (enum members by value, dates as ISO text)."""
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return value


def _public_conditions() -> list[sa.ColumnElement[bool]]:
    hidden = [s.value for s in HIDDEN_PROJECT_STATUSES]
    return [
        RECORDS.c.moderation == Moderation.PUBLISHED.value,
        sa.or_(RECORDS.c.layer != "spaces", RECORDS.c.status.not_in(hidden)),
    ]


def _filter_conditions(
    model: type[Record], filters: Filters, public: bool
) -> list[sa.ColumnElement[bool]]:
    conds: list[sa.ColumnElement[bool]] = []
    if filters.municipalities:
        conds.append(RECORDS.c.ags.in_(_check_keys(filters.municipalities, 8, "municipalities")))
    if filters.counties:
        conds.append(RECORDS.c.county_key.in_(_check_keys(filters.counties, 5, "counties")))
    if filters.kinds:
        allowed = _enum_values(model, model.kind_field)
        conds.append(RECORDS.c.kind.in_(check_values(filters.kinds, allowed, "kinds")))
    if filters.statuses:
        if model.status_field is None:
            raise InputError(f"layer {model.layer!r} has no status; remove the status filter")
        allowed = _enum_values(model, model.status_field)
        conds.append(RECORDS.c.status.in_(check_values(filters.statuses, allowed, "statuses")))
    if filters.funding_years:
        conds.append(RECORDS.c.funding_year.in_([int(y) for y in filters.funding_years]))
    if filters.bbox is not None:
        x0, y0, x1, y1 = _check_bbox(filters.bbox)
        conds += [RECORDS.c.lon.between(x0, x1), RECORDS.c.lat.between(y0, y1)]
    if filters.sources:
        allowed = [s.value for s in Source]
        conds.append(RECORDS.c.source.in_(check_values(filters.sources, allowed, "sources")))
    if filters.moderation and not public:
        allowed = [m.value for m in Moderation]
        conds.append(
            RECORDS.c.moderation.in_(check_values(filters.moderation, allowed, "moderation"))
        )
    return conds


def _json_column(model: type[Record], name: str) -> Any:
    """Return the typed JSON index access of field ``name`` on the ``data`` column."""
    annotation = model.model_fields[name].annotation
    element = RECORDS.c.data[name]
    if annotation in (bool, bool | None):
        return element.as_boolean()
    if annotation in (int, int | None, float, float | None):
        return element.as_float()
    return element.as_string()


def _enum_values(model: type[Record], name: str) -> list[str]:
    annotation = model.model_fields[name].annotation
    for enum in TAXONOMIES:
        if annotation is enum or annotation == (enum | None):
            return [e.value for e in enum]
    raise AssertionError(f"{model.__name__}.{name} is not a taxonomy")  # pragma: no cover


def check_values(values: Iterable[str], allowed: list[str], name: str) -> list[str]:
    """Return ``values`` as text, or raise InputError naming the ones not ``allowed``."""
    got = [str(v) for v in values]
    bad = [v for v in got if v not in allowed]
    if bad:
        raise InputError(f"filter {name}={bad} is not allowed; use values from {allowed}")
    return got


def _check_keys(values: Iterable[str], length: int, name: str) -> list[str]:
    got = [str(v) for v in values]
    bad = [v for v in got if len(v) != length or not v.isdigit()]
    if bad:
        raise InputError(f"filter {name}={bad} is not allowed; use {length}-digit keys")
    return got


def _check_bbox(bbox: Sequence[float]) -> tuple[float, float, float, float]:
    if len(bbox) != 4:
        raise InputError(f"bbox={bbox!r} must be (min_lon, min_lat, max_lon, max_lat)")
    x0, y0, x1, y1 = (float(v) for v in bbox)
    if not all(math.isfinite(v) for v in (x0, y0, x1, y1)) or x0 > x1 or y0 > y1:
        raise InputError(
            f"bbox={bbox!r} must be finite with min_lon <= max_lon, min_lat <= max_lat"
        )
    return x0, y0, x1, y1


def record_row(record: Record, ags: str) -> dict[str, Any]:
    """Return the ``records`` table row of ``record`` in municipality ``ags``."""
    funding_year = getattr(record, "funding_year", None)
    return {
        "id": record.id,
        "layer": record.layer,
        "title": getattr(record, "title", ""),
        "kind": record.kind_value(),
        "status": record.status_value(),
        "funding_year": funding_year,
        "lon": float(record.lon),
        "lat": float(record.lat),
        "ags": ags,
        "county_key": ags[:5],
        "street": record.street,
        "postcode": record.postcode,
        "city": record.city,
        "moderation": record.moderation.value,
        "source": record.source.value,
        "source_key": record.source_key,
        "geocode_precision": record.geocode_precision,
        "geocode_source": record.geocode_source,
        "created_at": record.created_at.astimezone(UTC),
        "updated_at": record.updated_at.astimezone(UTC),
        "data": record.public_data(),
    }


_COMPARED = ("title", "kind", "status", "funding_year", "lon", "lat", "street", "postcode", "city")


def _changed(old: dict[str, Any], new: dict[str, Any]) -> bool:
    return any(old[k] != new[k] for k in _COMPARED) or old["data"] != new["data"]


def _parse_json(values: list[Any]) -> list[Any]:
    """Parse JSON documents in one call (SQLite gives text, psycopg parsed objects)."""
    if not values or not isinstance(values[0], str):
        return values
    return list(json.loads("[" + ",".join(values) + "]"))


def _plain(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.generic):
        return value.item()
    if value is pd.NaT or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value
