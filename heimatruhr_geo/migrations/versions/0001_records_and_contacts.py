"""Records of the three layers and the submitters' contact data.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``records`` and ``contacts`` with their indexes."""
    op.create_table(
        "records",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("layer", sa.String(16), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("status", sa.String(32), nullable=True),
        sa.Column("funding_year", sa.Integer, nullable=True),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("ags", sa.String(8), nullable=False),
        sa.Column("county_key", sa.String(5), nullable=False),
        sa.Column("street", sa.String(200), nullable=False),
        sa.Column("postcode", sa.String(5), nullable=False),
        sa.Column("city", sa.String(100), nullable=False),
        sa.Column("moderation", sa.String(16), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("source_key", sa.String(300), nullable=True),
        sa.Column("geocode_precision", sa.String(32), nullable=True),
        sa.Column("geocode_source", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.UniqueConstraint("layer", "source_key", name="uq_records_layer_source_key"),
    )
    op.create_index("ix_records_layer_ags", "records", ["layer", "ags"])
    op.create_index("ix_records_layer_county", "records", ["layer", "county_key"])
    op.create_index("ix_records_layer_kind_status", "records", ["layer", "kind", "status"])
    op.create_index("ix_records_layer_funding_year", "records", ["layer", "funding_year"])
    op.create_index("ix_records_layer_lat_lon", "records", ["layer", "lat", "lon"])
    op.create_index("ix_records_moderation", "records", ["moderation"])
    op.create_table(
        "contacts",
        sa.Column(
            "record_id",
            sa.String(64),
            sa.ForeignKey("records.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    """Drop both tables."""
    op.drop_table("contacts")
    op.drop_table("records")
