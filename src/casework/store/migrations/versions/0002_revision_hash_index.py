"""An index covering (slug, number, hash) of revisions.

A build asks for every published record's current revision hash; through the unique index on
(slug, number) each answer read the revision's row, which sits beside its compressed record:
on a cold cache that was most of a no-change build.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_revisions_slug_number_hash", "revisions", ["slug", "number", "hash"])


def downgrade() -> None:
    op.drop_index("ix_revisions_slug_number_hash", table_name="revisions")
