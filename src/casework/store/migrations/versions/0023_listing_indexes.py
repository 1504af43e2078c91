"""Indexes a listing page walks: (status, facet, date, slug) for each of category, severity,
posture and year, so that the live site answers a listing's page (`SQLStore.listed`: the
published records of one value, newest or oldest first, a page from an offset) from the index
alone, without planning the site from every record (issue 17: a million records). The slug
is indexed in the database's own collation: on PostgreSQL `listed` orders it bytewise (the
static build's order, whatever the locale), which the planner does as an incremental sort of
the records sharing a date, in the index's date order.

Revision ID: 0023
Revises: 0021
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0023"
down_revision = "0021"
branch_labels = None
depends_on = None

LISTED = ("category", "severity", "posture", "year")


def upgrade() -> None:
    for name in LISTED:
        op.create_index(f"ix_records_listed_{name}", "records", ["status", name, "date", "slug"])


def downgrade() -> None:
    for name in LISTED:
        op.drop_index(f"ix_records_listed_{name}", table_name="records")
