"""SQLite: `search_postings`, each search key's records as compact bitsets, a row per key and
chunk of 4,096 record ids (`store/postings.py` says why and how they are laid out), so that
a search finds the records holding a common word without reading FTS5's doclist id by id
(issue 17: p99 <= 20 ms at 100,000 records). Filled here from what `search_all` and
`search_head` hold (the short fields' keys marked by field), read through fts5vocab tables:
the keys exactly as FTS5 indexed them, without stemming any record again (at 100,000
generated records: 33 s of CPU, 32 MB). No change on PostgreSQL, whose GIN indexes answer the
same questions.

Revision ID: 0027
Revises: 0025
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

_CHUNK_BITS = 12  # as postings.CHUNK_BITS when this was written (a migration is fixed)
_BATCH = 2000


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    import numpy as np

    from casework.store.postings import encode

    op.execute(
        "CREATE TABLE search_postings (key TEXT NOT NULL, chunk INTEGER NOT NULL,"
        " ids BLOB NOT NULL, PRIMARY KEY (key, chunk)) WITHOUT ROWID"
    )
    op.execute(
        "CREATE VIRTUAL TABLE temp.casework_all_instances USING fts5vocab(main, search_all,"
        " instance)"
    )
    op.execute(
        "CREATE VIRTUAL TABLE temp.casework_head_instances USING fts5vocab(main, search_head,"
        " instance)"
    )
    bind = op.get_bind()
    insert = sa.text("INSERT INTO search_postings (key, chunk, ids) VALUES (:key, :chunk, :ids)")
    # Each key's ids in each chunk, joined by SQLite: every key of search_all, and the short
    # fields' keys marked as `postings.record_keys` marks them (t: title, g: tags, h: any).
    for select in (
        "SELECT term, doc >> {bits} AS chunk, group_concat(doc)"
        " FROM temp.casework_all_instances GROUP BY term, chunk",
        "SELECT 't:' || term AS key, doc >> {bits} AS chunk, group_concat(doc)"
        " FROM temp.casework_head_instances WHERE col = 'title' GROUP BY key, chunk",
        "SELECT 'g:' || term AS key, doc >> {bits} AS chunk, group_concat(doc)"
        " FROM temp.casework_head_instances WHERE col = 'tags' GROUP BY key, chunk",
        "SELECT 'h:' || term AS key, doc >> {bits} AS chunk, group_concat(doc)"
        " FROM temp.casework_head_instances GROUP BY key, chunk",
    ):
        batch: list[dict[str, object]] = []
        for key, chunk, joined in bind.execute(sa.text(select.format(bits=_CHUNK_BITS))):
            ids = np.unique(np.array(joined.split(","), dtype=np.int64))
            batch.append({"key": key, "chunk": chunk, "ids": encode(ids)})
            if len(batch) >= _BATCH:
                bind.execute(insert, batch)
                batch = []
        if batch:
            bind.execute(insert, batch)
    op.execute("DROP TABLE temp.casework_all_instances")
    op.execute("DROP TABLE temp.casework_head_instances")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_postings")
