"""`withdrawals`: public versions whose words were taken off the site (`casework withdraw`,
`casework.evidence.withdrawals`). The version keeps its leaf in the public log; its file
becomes a tombstone built from this row (leaf and content digest: nothing of the record).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "withdrawals",
        sa.Column("slug", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("leaf", sa.String(64), nullable=False),
        sa.Column("content", sa.String(64), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("slug", "version", name="pk_withdrawals"),
    )


def downgrade() -> None:
    op.drop_table("withdrawals")
