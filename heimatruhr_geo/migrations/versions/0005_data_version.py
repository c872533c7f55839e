"""The data version: one row raised with every change to the data the public sees.

Revision ID: 0005_data_version
Revises: 0004_survey_releases
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_data_version"
down_revision = "0004_survey_releases"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``data_version`` with its one row (``id = 1``, ``version = 1``)."""
    table = op.create_table(
        "data_version",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("version", sa.BigInteger, nullable=False),
    )
    op.bulk_insert(table, [{"id": 1, "version": 1}])


def downgrade() -> None:
    """Drop the data version."""
    op.drop_table("data_version")
