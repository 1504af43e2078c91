"""`changes`: the change feed. One row per record a committed write changed (saved, published,
unpublished, renamed, deleted, imported...), written in the write's own transaction under the
`store_meta.generation` that write moved to; a write that changed no record (a collection, the
search index rebuilt) leaves one row with no record. So every generation since the oldest row
kept has a row, and a `casework serve` worker whose caches are at generation g patches them
with the rows after g instead of rebuilding them (`store/change_feed.py`); one that finds a
generation without a row (pruned, or moved by a copy or a migration) rebuilds, as before.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "changes",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("generation", sa.Integer, nullable=False),
        sa.Column("record_id", sa.Integer, nullable=True),
        sa.Column("slug", sa.String(200), nullable=True),
        sa.Column("revision", sa.Integer, nullable=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_changes_generation", "changes", ["generation"])


def downgrade() -> None:
    op.drop_index("ix_changes_generation", table_name="changes")
    op.drop_table("changes")
