"""`record_pages`' ("timeline", year) rows name how many of the record's events are in that
year (in decimal; they named nothing before), and a record with a location gains a ("map",
"") row naming how many points the map draws of it at their published precision
(`prepared.published_points`). The timeline's index, which counts a year's events, and the
map's pages, which count the located records and their points and list them newest first
(publish/plan.py `timeline_pages`, `map_pages`), are then grouped walks of the indexes on
(family, term, status, …) (`SQLStore.page_sums`, `page_counts`, `paged`), not every record's
card (issue 17: a million records). Every write of a record writes its rows again (both
engines); the upgrade writes the stored records' rows of both families again.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from casework.store.prepared import fill_pages

    bind = op.get_bind()
    bind.execute(sa.text("DELETE FROM record_pages WHERE family IN ('timeline', 'map')"))
    fill_pages(bind, ("timeline", "map"))


def downgrade() -> None:
    bind = op.get_bind()
    bind.execute(sa.text("DELETE FROM record_pages WHERE family = 'map'"))
    bind.execute(sa.text("UPDATE record_pages SET name = '' WHERE family = 'timeline'"))
