"""`proposals`: what ingested articles propose to add to records (`casework ingest`, the
ingest worker), waiting for an editor (`casework review`, /edit/proposals).

Kept in the database rather than as files in the tracker's folder, so that workers on other
machines, every editor and a PostgreSQL deployment share them, and so that applying a
proposal's accepted items (a record revision) and marking it applied are one transaction.
Never published: no public page, file, export or API answer reads this table.

`data` is the whole proposal as JSON (its source, candidates, and items with the reviewer's
decision on each); `status`, `target`, `created_at` and the decision's who and when are copied
into columns for listing.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "proposals",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("target", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(200), nullable=True),
        sa.Column("data", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_proposals"),
    )
    op.create_index("ix_proposals_status_created_at", "proposals", ["status", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_proposals_status_created_at", table_name="proposals")
    op.drop_table("proposals")
