"""`renames`: records whose slug changed (`casework rename`, `Editing.rename`).

A revision's hash covers its slug, so a rename never rewrites history: the revisions under
the old slug stay as they were, the record row moves to the new slug, and the new slug's
chain starts with a revision saying "Renamed from OLD". This row links the two chains: the old
slug, the new one, when, by whom, and the old chain's last revision number (which
`verify_history` holds the old chain to, as it holds a record's chain to its row).

The old slug's revisions outlive their record row, so the foreign key from `revisions.slug`
to `records.slug` goes (the revision log never had one, for the same reason).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "renames",
        sa.Column("old_slug", sa.String(200), nullable=False),
        sa.Column("new_slug", sa.String(200), nullable=False),
        sa.Column("renamed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("last_number", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("old_slug", name="pk_renames"),
    )
    op.create_index("ix_renames_new_slug", "renames", ["new_slug"])
    with op.batch_alter_table("revisions") as batch:
        batch.drop_constraint("fk_revisions_slug_records", type_="foreignkey")


def downgrade() -> None:
    with op.batch_alter_table("revisions") as batch:
        batch.create_foreign_key("fk_revisions_slug_records", "records", ["slug"], ["slug"])
    op.drop_index("ix_renames_new_slug", table_name="renames")
    op.drop_table("renames")
