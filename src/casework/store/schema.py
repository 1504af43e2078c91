"""The store's tables, in SQLAlchemy Core: the one schema every engine shares.

SQLite and PostgreSQL get the same tables from the same migrations; only the full-text index
differs (FTS5 virtual tables on SQLite, created in the migration under a dialect check).

- `records` holds each record's current state: the whole record as JSON (`data`, the
  `Record.to_storage()` form) plus copies of the fields search filters on. `id` is the
  insertion order and doubles as the full-text index's rowid.
- `revisions` is the append-only history; `data` is zlib-compressed JSON (see `history.py`).
- `store_meta` holds one row whose `generation` every write bumps, so that a process can tell
  cheaply whether caches built from the tables (the search facets) are still current.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

# Stable constraint names, so that later migrations can alter them on every engine.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

records = Table(
    "records",
    metadata,
    # AUTOINCREMENT on SQLite: ids are never reused, so an id always names the same record.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("slug", String(200), nullable=False, unique=True),
    Column("status", String(20), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("data", Text, nullable=False),
    # Denormalised from `data` for filters, listings and sorting.
    Column("title", Text, nullable=False),
    Column("date", String(10), nullable=False),
    Column("year", Integer, nullable=False),
    Column("category", String(100), nullable=False),
    Column("severity", String(100), nullable=False),
    Column("posture", String(100), nullable=False),
    Column("ongoing", Boolean, nullable=False),
    sqlite_autoincrement=True,
)
Index("ix_records_status_date", records.c.status, records.c.date)

record_tags = Table(
    "record_tags",
    metadata,
    Column("record_id", Integer, ForeignKey("records.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("tag", String(200), nullable=False),
    PrimaryKeyConstraint("record_id", "position"),
)
Index("ix_record_tags_tag", record_tags.c.tag)

revisions = Table(
    "revisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("slug", String(200), ForeignKey("records.slug"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("action", String(20), nullable=False),
    Column("author", Text, nullable=False),
    Column("message", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("status", String(20), nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    UniqueConstraint("slug", "number"),
)
# Covers a build's "current revision hash of every record" (migration 0002).
Index("ix_revisions_slug_number_hash", revisions.c.slug, revisions.c.number, revisions.c.hash)

collections = Table(
    "collections",
    metadata,
    Column("slug", String(200), primary_key=True),
    Column("title", Text, nullable=False),
    Column("lede", Text, nullable=False),
    Column("description", Text, nullable=False),
)

collection_records = Table(
    "collection_records",
    metadata,
    Column(
        "collection",
        String(200),
        ForeignKey("collections.slug", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("position", Integer, nullable=False),
    Column("record_slug", String(200), ForeignKey("records.slug"), nullable=False),
    PrimaryKeyConstraint("collection", "position"),
)

store_meta = Table(
    "store_meta",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("generation", Integer, nullable=False),
)

# The SQLite full-text tables, created in migration 0001 on SQLite only (outside this metadata).
# Both are contentless: the text lives once, in `records.data`; snippets are cut from it.
# - search_head: the short fields, full detail, ranked with bm25 (weights below);
# - search_all: every field and the body, detail=none: matching only, small and fast.
FTS_HEAD_COLUMNS = ("title", "tags", "summary", "key_points", "description")
FTS_HEAD_WEIGHTS = (10.0, 5.0, 3.0, 2.0, 1.0)
