"""Survey releases: the only survey figures the app shows (issue 11, point 1).

Revision ID: 0004_survey_releases
Revises: 0003_limits
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_survey_releases"
down_revision = "0003_limits"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``survey_releases``: one row per release, numbered 1, 2, …."""
    op.create_table(
        "survey_releases",
        sa.Column("number", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("responses", sa.Integer, nullable=False),
        sa.Column("figures", sa.JSON, nullable=False),
        sa.Column("members", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    """Drop the survey releases."""
    op.drop_table("survey_releases")
