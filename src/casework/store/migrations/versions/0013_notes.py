"""`notes`: internal notes on a record (`casework note`, the editor's record page). Never
published: no public page, file, export or API answer reads this table. Append-only: a note
is a remark in a conversation between editors, kept as it was written.

No foreign key to `records`: a note outlives a record renamed or deleted, as the log does.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("slug", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_notes"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_notes_slug", "notes", ["slug"])


def downgrade() -> None:
    op.drop_index("ix_notes_slug", table_name="notes")
    op.drop_table("notes")
