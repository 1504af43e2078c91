"""`record_pages` gains two families: ("day", the day of an event of a record's timeline)
and ("updated", the record's lastUpdated), each YYYY-MM-DD. A timeline year's pages walk
the first in its order (day, then slug; `SQLStore.dated`), 20 records' events a page, and
the feed finds the records updated last by the second (`SQLStore.updated_last`), neither
reading every record (issue 17: a million records). Every write of a record writes its rows
again (both engines); the upgrade fills them from the stored records.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

_FAMILIES = ("day", "updated")


def upgrade() -> None:
    from casework.store.prepared import fill_pages

    fill_pages(op.get_bind(), _FAMILIES)


def downgrade() -> None:
    op.get_bind().execute(sa.text("DELETE FROM record_pages WHERE family IN ('day', 'updated')"))
