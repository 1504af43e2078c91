"""Captures: every attempt `casework archive` (and ingest) made to keep a copy of a source,
failed ones included, pointing at the content-addressed WARC file each successful one wrote.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "captures",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("url_key", sa.String(64), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("captured_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("final_url", sa.Text, nullable=False, server_default=""),
        sa.Column("status", sa.Integer, nullable=False, server_default="0"),
        sa.Column("sha256", sa.String(64), nullable=False, server_default=""),
        sa.Column("text_sha256", sa.String(64), nullable=False, server_default=""),
        sa.Column("content_type", sa.String(200), nullable=False, server_default=""),
        sa.Column("error", sa.Text, nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("id", name="pk_captures"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_captures_url_key_captured_at", "captures", ["url_key", "captured_at"])
    op.create_index("ix_captures_sha256", "captures", ["sha256"])


def downgrade() -> None:
    op.drop_table("captures")
