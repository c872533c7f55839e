"""Rate-limit events per client and name, and the app's own secrets.

Revision ID: 0003_limits
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_limits"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``limit_events`` (indexed per subject and by expiry) and ``app_secrets``."""
    op.create_table(
        "limit_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("bucket", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(64), nullable=False),
        sa.Column("at", sa.Float, nullable=False),
        sa.Column("expires", sa.Float, nullable=False),
    )
    op.create_index("ix_limit_events_subject", "limit_events", ["bucket", "subject", "at"])
    op.create_index("ix_limit_events_expires", "limit_events", ["expires"])
    op.create_table(
        "app_secrets",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("value", sa.String(128), nullable=False),
    )


def downgrade() -> None:
    """Drop both tables."""
    op.drop_table("app_secrets")
    op.drop_table("limit_events")
