"""PostgreSQL: each record's short-field length stored beside its vectors, and the big
columns compressed the cheap way. No change on SQLite (FTS5 keeps its own lengths).

- `record_words.head_length`: the record's |D| for `search_rank.bm25`, the number of search
  keys in its short fields (title, tags, summary, key points, description). The ranking read
  it as the head vector's last position, which meant unnesting every candidate's vector, and
  every record's once per generation for the population's mean length. Filled here from those
  last positions (what the ranking read so far, so no score moves).
- `records.data` compressed with lz4 where the server has it: the JSON of a record is TOASTed
  (past ~2 KB), and pglz cost a fifth of the server's CPU time in a bulk import (measured:
  9.1 -> 7.2 s of the backend's CPU for 20,000 records).
- `revisions.data` is stored without a second compression (STORAGE EXTERNAL): it is zlib's
  already, and pglz only spent time finding that out.

Revision ID: 0019
Revises: 0017 (0018 once merged: another branch makes it)
Create Date: 2026-12-04
"""

from __future__ import annotations

from alembic import op

revision = "0019"
down_revision = "0017"  # no 0018: the number was set aside for a migration not needed
branch_labels = None
depends_on = None

_LAST_POSITION = (
    "coalesce((SELECT max(x.positions[array_upper(x.positions, 1)]) FROM unnest(search_head) x), 0)"
)


def _has_lz4() -> bool:
    found = op.get_bind().exec_driver_sql(
        "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
    )
    row = found.fetchone()
    return bool(row and row[0])


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE record_words ADD COLUMN head_length integer NOT NULL DEFAULT 0")
    op.execute(f"UPDATE record_words SET head_length = {_LAST_POSITION}")
    if _has_lz4():
        op.execute("ALTER TABLE records ALTER COLUMN data SET COMPRESSION lz4")
    op.execute("ALTER TABLE revisions ALTER COLUMN data SET STORAGE EXTERNAL")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE revisions ALTER COLUMN data SET STORAGE EXTENDED")
    op.execute("ALTER TABLE records ALTER COLUMN data SET COMPRESSION default")
    op.execute("ALTER TABLE record_words DROP COLUMN head_length")
