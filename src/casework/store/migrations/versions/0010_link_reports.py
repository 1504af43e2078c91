"""Link health: each `casework check --links` (or worker "links" job) report, and the last
result per URL that a re-run within its time-to-live reuses instead of fetching again.

Revision ID: 0010
Revises: 0007
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "link_reports",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("origin", sa.String(200), nullable=False),
        sa.Column("report", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_link_reports"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_link_reports_created_at", "link_reports", ["created_at"])
    op.create_table(
        "link_checks",
        sa.Column("url_sha256", sa.String(64)),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("result", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("url_sha256", name="pk_link_checks"),
    )


def downgrade() -> None:
    op.drop_table("link_checks")
    op.drop_table("link_reports")
