"""PostgreSQL: `search_postings`, as on SQLite (migration 0027; `store/postings.py` for the
layout, `store/postgres_postings.py` for PostgreSQL's keys and writes), so that a search
finds the records holding a word by reading a few blobs, where the GIN index visited every
match's row (18-20 ms of server CPU for a word in 99,000 of 100,000 records; issue 17).
Filled here from what the GIN indexes hold: each lexeme of `record_words.search` (marked
title and tag words among them) and each of `search_head`'s marked `h:`, without stemming
any record again. No change on SQLite, which has the table since 0027.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None

_CHUNK_BITS = 12  # as postings.CHUNK_BITS when this was written (a migration is fixed)
_BATCH = 2000


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    import numpy as np

    from casework.store.postings import encode

    op.execute(
        'CREATE TABLE search_postings (key text COLLATE "C" NOT NULL, chunk integer NOT NULL,'
        " ids bytea NOT NULL, PRIMARY KEY (key, chunk))"
    )
    bind = op.get_bind()
    insert = sa.text("INSERT INTO search_postings (key, chunk, ids) VALUES (:key, :chunk, :ids)")
    for select in (
        "SELECT k, record_id >> {bits} AS chunk, array_agg(record_id ORDER BY record_id)"
        " FROM record_words, unnest(tsvector_to_array(search)) AS k GROUP BY k, chunk",
        "SELECT 'h:' || k, record_id >> {bits} AS chunk, array_agg(record_id ORDER BY record_id)"
        " FROM record_words, unnest(tsvector_to_array(search_head)) AS k GROUP BY 1, chunk",
    ):
        batch: list[dict[str, object]] = []
        rows = bind.execute(
            sa.text(select.format(bits=_CHUNK_BITS)).execution_options(
                stream_results=True, yield_per=_BATCH
            )
        )
        for key, chunk, ids in rows:
            batch.append({"key": key, "chunk": chunk, "ids": encode(np.array(ids, dtype=np.int64))})
            if len(batch) >= _BATCH:
                bind.execute(insert, batch)
                batch = []
        if batch:
            bind.execute(insert, batch)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE IF EXISTS search_postings")
