"""`deletions`: records deleted with a tombstone (`casework delete`, `Editing.delete`).

A deleted record's row leaves `records`, but nothing it was is lost: its revisions stay as they
were (its chain ends at `last_number`, which `verify_history` holds it to, as it holds a
renamed slug's chain to its `renames` row), its internal notes stay, and its slug stays taken.
This row says when, by whom and why. When the record was ever public, the reason is published
with its tombstone (the page and JSON answer 410 Gone; docs/design.md, "Deleting a record").

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deletions",
        sa.Column("slug", sa.String(200), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("last_number", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("slug", name="pk_deletions"),
    )


def downgrade() -> None:
    op.drop_table("deletions")
