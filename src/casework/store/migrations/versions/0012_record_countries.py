"""`records.countries`: the ISO 3166 codes of a record's locations (comma-joined, sorted), for
the country facet of search (`store/facets.py`). Denormalised from `data` like category and
year. Records stored before have no `locations` key, so nothing is backfilled.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "records",
        sa.Column("countries", sa.String(2000), nullable=False, server_default=""),
    )


def downgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.drop_column("countries")
