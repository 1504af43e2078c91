"""The first schema: records, tags, revisions, collections, store_meta, full-text search
(FTS5 tables on SQLite, tsvector columns with GIN indexes on PostgreSQL).

Revision ID: 0001
Revises:
Create Date: 2026-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Spelled out here rather than imported from schema.py: a migration is a fixed point in time.
_FTS_TOKENIZE = "unicode61 remove_diacritics 2"
_SQLITE_FTS = (
    "CREATE VIRTUAL TABLE search_head USING fts5(title, tags, summary, key_points, description,"
    f" content='', tokenize='{_FTS_TOKENIZE}')",
    "CREATE VIRTUAL TABLE search_all USING fts5(text, content='', detail=none, columnsize=0,"
    f" tokenize='{_FTS_TOKENIZE}')",
    # `ORDER BY rank` is bm25 with the title weighted highest, then tags, summary, key points.
    "INSERT INTO search_head(search_head, rank) VALUES('rank', 'bm25(10.0, 5.0, 3.0, 2.0, 1.0)')",
)
# PostgreSQL's counterpart, two tsvector columns written by the engine (store/postgres.py makes
# their lexemes in Python, folded like FTS5's unicode61 remove_diacritics 2):
# - `search`: every word of the record, short fields and body, without positions: it only
#   answers "which records hold every word" (what FTS5's `search_all` does);
# - `search_head`: the short fields with positions, weighted title A, tags B, summary and key
#   points C, description D, for ranking and for "in the title" tiers. The body is left out
#   of it so that a body-only match is told apart from a description match, as on SQLite.
_POSTGRES_SEARCH = (
    # Empty by default: rows written without them (`casework copy`) are indexed afterwards.
    "ALTER TABLE records ADD COLUMN search tsvector NOT NULL DEFAULT ''::tsvector",
    "ALTER TABLE records ADD COLUMN search_head tsvector NOT NULL DEFAULT ''::tsvector",
    "CREATE INDEX ix_records_search ON records USING gin (search)",
    "CREATE INDEX ix_records_search_head ON records USING gin (search_head)",
)


def upgrade() -> None:
    op.create_table(
        "records",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("slug", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("date", sa.String(10), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("category", sa.String(100), nullable=False),
        sa.Column("severity", sa.String(100), nullable=False),
        sa.Column("posture", sa.String(100), nullable=False),
        sa.Column("ongoing", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_records"),
        sa.UniqueConstraint("slug", name="uq_records_slug"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_records_status_date", "records", ["status", "date"])
    op.create_table(
        "record_tags",
        sa.Column("record_id", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("tag", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("record_id", "position", name="pk_record_tags"),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["records.id"],
            name="fk_record_tags_record_id_records",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_record_tags_tag", "record_tags", ["tag"])
    op.create_table(
        "revisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("slug", sa.String(200), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_revisions"),
        sa.UniqueConstraint("slug", "number", name="uq_revisions_slug"),
        sa.ForeignKeyConstraint(["slug"], ["records.slug"], name="fk_revisions_slug_records"),
    )
    op.create_table(
        "collections",
        sa.Column("slug", sa.String(200), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("lede", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("slug", name="pk_collections"),
    )
    op.create_table(
        "collection_records",
        sa.Column("collection", sa.String(200), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("record_slug", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("collection", "position", name="pk_collection_records"),
        sa.ForeignKeyConstraint(
            ["collection"],
            ["collections.slug"],
            name="fk_collection_records_collection_collections",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["record_slug"], ["records.slug"], name="fk_collection_records_record_slug_records"
        ),
    )
    store_meta = op.create_table(
        "store_meta",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("generation", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_store_meta"),
    )
    op.bulk_insert(store_meta, [{"id": 1, "generation": 0}])
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in _SQLITE_FTS:
            op.execute(statement)
    elif dialect == "postgresql":
        for statement in _POSTGRES_SEARCH:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_all")
        op.execute("DROP TABLE IF EXISTS search_head")
    for table in (
        "store_meta",
        "collection_records",
        "collections",
        "revisions",
        "record_tags",
        "records",
    ):
        op.drop_table(table)
