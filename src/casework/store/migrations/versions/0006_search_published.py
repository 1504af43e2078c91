"""SQLite: `search_published`, an FTS5 ranking table of published records' short fields, so
that public searches rank with statistics of published records only (issue 12: bm25 over
`search_head`, which holds drafts too, let anyone count unpublished records holding a word;
`store/sqlite_search.py` says why a table). Filled here from the published records. No change
on PostgreSQL, which counts its ranking statistics over published records in the engine.

Revision ID: 0006
Revises: 0005
Create Date: 2027-01-12
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Spelled out as in 0001 (a migration is a fixed point in time): search_head's columns,
# tokenizer and bm25 weights.
_CREATE = (
    "CREATE VIRTUAL TABLE search_published USING fts5(title, tags, summary, key_points,"
    " description, content='', tokenize='unicode61 remove_diacritics 2')",
    "INSERT INTO search_published(search_published, rank)"
    " VALUES('rank', 'bm25(10.0, 5.0, 3.0, 2.0, 1.0)')",
)
_BATCH = 500


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    # The rows hold exactly the text the engine deletes them with later (a contentless table
    # forgets a row only when given the text it was indexed with), so they are made by the
    # engine's own function rather than a copy of it.
    from casework.store.history import head_texts, record_from_json

    bind = op.get_bind()
    for statement in _CREATE:
        op.execute(statement)
    insert = sa.text(
        "INSERT INTO search_published (rowid, title, tags, summary, key_points, description)"
        " VALUES (:id, :title, :tags, :summary, :key_points, :description)"
    )
    read = sa.text(
        "SELECT id, data FROM records WHERE status = 'published' AND id > :after"
        " ORDER BY id LIMIT :batch"
    )
    after = 0
    while rows := bind.execute(read, {"after": after, "batch": _BATCH}).all():
        made = []
        for rowid, data in rows:
            title, tags, summary, key_points, description = head_texts(record_from_json(data))
            made.append(
                {"id": rowid, "title": title, "tags": tags, "summary": summary,
                 "key_points": key_points, "description": description}
            )  # fmt: skip
        bind.execute(insert, made)
        after = rows[-1][0]


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_published")
