"""SQLite: `search_all` dropped. Since 0027 every search finds its matches in
`search_postings` (`store/postings.py`) and ranks in `search_head` / `search_published`;
nothing read `search_all` any more, yet every write still indexed all of a record's text in
it (an import's ~15 µs of the writer's CPU a record, and its share of the file: measured in
README "Benchmarks"). The downgrade makes it again, filled with each stored record's keys as
the engine wrote them (`PreparedRecord.all_keys`), so that 0027's downgrade and upgrade, which
read it, still work. No change on PostgreSQL.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

_BATCH = 500
# As migration 0001 made it (a migration is a fixed point in time).
_SEARCH_ALL = (
    "CREATE VIRTUAL TABLE search_all USING fts5(text, content='', detail=none, columnsize=0,"
    " tokenize='unicode61 remove_diacritics 2')"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_all")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    from casework.store.history import record_from_json
    from casework.store.prepared import prepare_record

    bind = op.get_bind()
    op.execute(_SEARCH_ALL)
    read = sa.text("SELECT id, data FROM records WHERE id > :after ORDER BY id LIMIT :batch")
    insert = sa.text("INSERT INTO search_all (rowid, text) VALUES (:id, :text)")
    after = 0
    while rows := bind.execute(read, {"after": after, "batch": _BATCH}).all():
        bind.execute(
            insert,
            [
                {"id": rowid, "text": prepare_record(record_from_json(data)).all_keys}
                for rowid, data in rows
            ],
        )
        after = rows[-1][0]
