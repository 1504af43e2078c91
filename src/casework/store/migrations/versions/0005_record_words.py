"""PostgreSQL: the tsvector columns move from `records` to a narrow table of their own,
`record_words`, whose vectors are kept out of line (TOAST), and `search` gains marked lexemes
for the title (`t:word`) and the tags (`g:word`). No change on SQLite.

Why: a GIN index answers "which rows" but PostgreSQL still visits each matching row's heap
page for its id. In `records` those rows sit beside their JSON, so a word found in most
records cost a scan of every record (570 ms at 100,000 records, 5.6 KB JSON each); in
`record_words` a row is ~50 bytes, ~150 to a page, and the same match reads ~700 pages. The
marks let the "in the title or tags" ranking tiers be GIN lookups too, where matching by
weight would have PostgreSQL read and decompress each candidate's vector.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_UPGRADE = (
    "CREATE TABLE record_words ("
    " record_id integer PRIMARY KEY REFERENCES records (id) ON DELETE CASCADE,"
    " search tsvector NOT NULL DEFAULT ''::tsvector,"
    " search_head tsvector NOT NULL DEFAULT ''::tsvector"
    ") WITH (toast_tuple_target = 128)",
    # Out of line and uncompressed: a match reads only the narrow row, and the ranking of a
    # few thousand candidates reads their head vectors without decompressing them.
    "ALTER TABLE record_words ALTER COLUMN search SET STORAGE EXTERNAL",
    "ALTER TABLE record_words ALTER COLUMN search_head SET STORAGE EXTERNAL",
    # The marks, made from the head's weights: A is the title, B the tags.
    "INSERT INTO record_words (record_id, search, search_head)"
    " SELECT id, search || array_to_tsvector(ARRAY("
    "   SELECT 't:' || u.lexeme FROM unnest(search_head) u WHERE 'A' = ANY(u.weights)"
    "   UNION SELECT 'g:' || u.lexeme FROM unnest(search_head) u WHERE 'B' = ANY(u.weights)"
    " )), search_head FROM records",
    "CREATE INDEX ix_record_words_search ON record_words USING gin (search)",
    "CREATE INDEX ix_record_words_search_head ON record_words USING gin (search_head)",
    "DROP INDEX ix_records_search",
    "DROP INDEX ix_records_search_head",
    "ALTER TABLE records DROP COLUMN search",
    "ALTER TABLE records DROP COLUMN search_head",
)

_DOWNGRADE = (
    "ALTER TABLE records ADD COLUMN search tsvector NOT NULL DEFAULT ''::tsvector",
    "ALTER TABLE records ADD COLUMN search_head tsvector NOT NULL DEFAULT ''::tsvector",
    "UPDATE records r SET search = w.search, search_head = w.search_head"
    " FROM record_words w WHERE w.record_id = r.id",
    "CREATE INDEX ix_records_search ON records USING gin (search)",
    "CREATE INDEX ix_records_search_head ON records USING gin (search_head)",
    "DROP TABLE record_words",
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in _UPGRADE:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in _DOWNGRADE:
            op.execute(statement)
