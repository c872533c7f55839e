"""The database schema: one table of records, their private contacts, the audit log.

The migrations in ``heimatruhr_geo/migrations`` create and change these tables; this
module is what queries are written against.
"""

from __future__ import annotations

import sqlalchemy as sa

METADATA = sa.MetaData()

RECORDS = sa.Table(
    "records",
    METADATA,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("layer", sa.String(16), nullable=False),
    sa.Column("title", sa.String(200), nullable=False, default=""),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("status", sa.String(32), nullable=True),
    sa.Column("funding_year", sa.Integer, nullable=True),
    sa.Column("lon", sa.Float, nullable=False),
    sa.Column("lat", sa.Float, nullable=False),
    sa.Column("ags", sa.String(8), nullable=False),
    sa.Column("county_key", sa.String(5), nullable=False),
    sa.Column("street", sa.String(200), nullable=False, default=""),
    sa.Column("postcode", sa.String(5), nullable=False, default=""),
    sa.Column("city", sa.String(100), nullable=False, default=""),
    sa.Column("moderation", sa.String(16), nullable=False),
    sa.Column("source", sa.String(16), nullable=False),
    sa.Column("source_key", sa.String(300), nullable=True),
    sa.Column("geocode_precision", sa.String(32), nullable=True),
    sa.Column("geocode_source", sa.String(64), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
    sa.UniqueConstraint("layer", "source_key", name="uq_records_layer_source_key"),
    sa.Index("ix_records_layer_ags", "layer", "ags"),
    sa.Index("ix_records_layer_county", "layer", "county_key"),
    sa.Index("ix_records_layer_kind_status", "layer", "kind", "status"),
    sa.Index("ix_records_layer_funding_year", "layer", "funding_year"),
    sa.Index("ix_records_layer_lat_lon", "layer", "lat", "lon"),
    sa.Index("ix_records_moderation", "moderation"),
)

CONTACTS = sa.Table(
    "contacts",
    METADATA,
    sa.Column(
        "record_id",
        sa.String(64),
        sa.ForeignKey("records.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("name", sa.String(200), nullable=False, default=""),
    sa.Column("email", sa.String(200), nullable=False, default=""),
)

AUDIT_LOG = sa.Table(
    "audit_log",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.String(100), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("record_id", sa.String(64), nullable=True),
    sa.Column("details", sa.JSON, nullable=False),
    sa.Index("ix_audit_log_at", "at"),
    sa.Index("ix_audit_log_record", "record_id", "at"),
    sa.Index("ix_audit_log_action", "action", "record_id"),
)
"""Who changed what and when; written in the same transaction as the change."""

LIMIT_EVENTS = sa.Table(
    "limit_events",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("bucket", sa.String(32), nullable=False),
    sa.Column("subject", sa.String(64), nullable=False),
    sa.Column("at", sa.Float, nullable=False),
    sa.Column("expires", sa.Float, nullable=False),
    sa.Index("ix_limit_events_subject", "bucket", "subject", "at"),
    sa.Index("ix_limit_events_expires", "expires"),
)
"""Counted events of the rate limits (:mod:`heimatruhr_geo.limits`): form submissions and
failed sign-ins per client or name. ``subject`` is a keyed hash (HMAC), never an address
or a name; ``at`` is seconds since the epoch, ``expires`` when the row stops counting
(``at`` plus its limit's window); expired rows are deleted."""

APP_SECRETS = sa.Table(
    "app_secrets",
    METADATA,
    sa.Column("name", sa.String(32), primary_key=True),
    sa.Column("value", sa.String(128), nullable=False),
)
"""Random secrets the app makes for itself, e.g. the key of the limits' HMAC."""
SURVEY_RELEASES = sa.Table(
    "survey_releases",
    METADATA,
    sa.Column("number", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.String(100), nullable=False),
    sa.Column("responses", sa.Integer, nullable=False),
    sa.Column("figures", sa.JSON, nullable=False),
    sa.Column("members", sa.JSON, nullable=False),
)
"""Survey releases (:mod:`heimatruhr_geo.survey_release`): ``figures`` holds the aggregates
and free texts the app shows, no ids; ``members`` which answers (by id) each release counts,
read only to compute the next release."""

DATA_VERSION = sa.Table(
    "data_version",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("version", sa.BigInteger, nullable=False),
)
"""One row (``id = 1``): a number raised in the same transaction as every change to the
data the public sees (:data:`PUBLIC_TABLES`), so that every process can tell by reading one
row whether its page caches are still current (:meth:`heimatruhr_geo.db.Database.data_version`)."""

PUBLIC_TABLES = frozenset({RECORDS.name, SURVEY_RELEASES.name})
"""Tables whose changes the public may see: a write to one raises :data:`DATA_VERSION`."""
