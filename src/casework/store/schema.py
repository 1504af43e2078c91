"""The store's tables, in SQLAlchemy Core: the one schema every engine shares.

SQLite and PostgreSQL get the same tables from the same migrations; only the full-text index
differs (FTS5 virtual tables on SQLite, created in the migration under a dialect check).

- `records` holds each record's current state: the whole record as JSON (`data`, the
  `Record.to_storage()` form) plus copies of the fields search filters on. `id` is the
  insertion order and doubles as the full-text index's rowid.
- `record_pages`: a row per page of many records (tag, entity, statute, timeline year and
  event day) a record is on, and one for its lastUpdated (the feed's order).
- `revisions` is the append-only history; `data` is zlib-compressed JSON (see `history.py`).
- `store_meta` holds one row whose `generation` every write bumps, so that a process can tell
  cheaply whether caches built from the tables (the search facets) are still current.
- `users`, `sessions`, `api_tokens`, `login_failures`: accounts (`accounts.py`). They are not
  records: writing them does not bump `generation`.
- `jobs`: the queue of ingestion work (`jobs.py`); not records either.
- `captures`: the index of archived copies of sources (`casework.evidence.captures`); not
  records either: capturing writes no revision.
- `withdrawals`: public versions whose words were taken off the site (`casework withdraw`).
- `notes`: internal notes on a record (`casework note`); never published, never exported.
- `renames`: records whose slug changed (`casework rename`): old slug, new slug, old chain's end.
- `deletions`: records deleted with a tombstone (`casework delete`): when, who, why, chain's end.
- `proposals`: what ingested articles propose to add to records, and each item's decision
  (`proposals.py`); never published.
- `changes`: the change feed, a row per record each write changed under the generation it moved
  to (`change_feed.py`): how one `serve` worker's write reaches the others' caches.
- `link_reports`, `link_checks`: link-health reports and the per-URL cache behind them
  (`link_reports.py`); findings about records, never records.
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
    # The ISO 3166 codes of its locations, comma-joined and sorted (the country facet).
    Column("countries", String(2000), nullable=False, server_default=""),
    sqlite_autoincrement=True,
)
Index("ix_records_status_date", records.c.status, records.c.date)
# A listing page's walk (migration 0023, `SQLStore.listed`).
for _listed in ("category", "severity", "posture", "year"):
    Index(
        f"ix_records_listed_{_listed}",
        records.c.status,
        records.c[_listed],
        records.c.date,
        records.c.slug,
    )

record_tags = Table(
    "record_tags",
    metadata,
    Column("record_id", Integer, ForeignKey("records.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("tag", String(200), nullable=False),
    PrimaryKeyConstraint("record_id", "position"),
)
Index("ix_record_tags_tag", record_tags.c.tag)

# The pages of many records each record is on (migrations 0025, 0026, `prepared.page_terms`):
# a row per (record, family, term) — a tag's slug, an entity's, a statute as cited, a year and
# a day of its timeline, its lastUpdated — with copies of the record's status, date and slug,
# written again with every write of the record, so that a tag's page walks one index in the
# listing's order (`SQLStore.paged`).
record_pages = Table(
    "record_pages",
    metadata,
    Column("record_id", Integer, ForeignKey("records.id", ondelete="CASCADE"), nullable=False),
    Column("family", String(20), nullable=False),
    Column("term", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("date", String(10), nullable=False),
    Column("slug", String(200), nullable=False),
    PrimaryKeyConstraint("record_id", "family", "term"),
)
Index(
    "ix_record_pages_walk",
    record_pages.c.family,
    record_pages.c.term,
    record_pages.c.status,
    record_pages.c.date,
    record_pages.c.slug,
)
# The names a tag's page is spelled with, one probe each (`SQLStore.page_names`).
Index(
    "ix_record_pages_names",
    record_pages.c.family,
    record_pages.c.term,
    record_pages.c.status,
    record_pages.c.name,
)

revisions = Table(
    "revisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # No foreign key (migration 0014): a renamed record's old revisions outlive its row.
    Column("slug", String(200), nullable=False),
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

# Migration 0009: the tracker-wide log chaining every revision of every record, appended in the
# same transaction as each revision (`casework.evidence.ledger` says what the hashes cover).
# No foreign key: a log entry outlives a record deleted behind the store's back, which is the
# point. `public_number`/`public_leaf` are set for revisions whose status is published.
revision_log = Table(
    "revision_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("slug", String(200), nullable=False),
    Column("number", Integer, nullable=False),
    Column("revision_hash", String(64), nullable=False),
    Column("head", String(64), nullable=False),
    Column("public_number", Integer, nullable=True),
    Column("public_leaf", String(64), nullable=True),
)
Index("ix_revision_log_slug_number", revision_log.c.slug, revision_log.c.number)

# Public versions whose words were withdrawn (`casework.evidence.withdrawals`, migration 0011).
# No foreign key either: like the log, a withdrawal outlives what it names.
withdrawals = Table(
    "withdrawals",
    metadata,
    Column("slug", String(200), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("leaf", String(64), nullable=False),
    Column("content", String(64), nullable=False),
    Column("withdrawn_at", DateTime(timezone=True), nullable=False),
    Column("author", String(200), nullable=False),
    Column("reason", Text, nullable=False),
)

# Internal notes on a record (`casework.store.notes`, migration 0013): never published. No
# foreign key: a note outlives its record's rename or deletion.
notes = Table(
    "notes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("slug", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("author", String(200), nullable=False),
    Column("text", Text, nullable=False),
    sqlite_autoincrement=True,
)
Index("ix_notes_slug", notes.c.slug)

# Records whose slug changed (`Editing.rename`, migration 0014): the old slug's chain ends at
# `last_number` and the new slug's chain starts with "Renamed from OLD".
renames = Table(
    "renames",
    metadata,
    Column("old_slug", String(200), primary_key=True),
    Column("new_slug", String(200), nullable=False),
    Column("renamed_at", DateTime(timezone=True), nullable=False),
    Column("author", String(200), nullable=False),
    Column("last_number", Integer, nullable=False),
)
Index("ix_renames_new_slug", renames.c.new_slug)

# Records deleted with a tombstone (`Editing.delete`, migration 0015): the row left `records`,
# the chain ends at `last_number`, the slug stays taken, the reason is the tombstone's.
deletions = Table(
    "deletions",
    metadata,
    Column("slug", String(200), primary_key=True),
    Column("deleted_at", DateTime(timezone=True), nullable=False),
    Column("author", String(200), nullable=False),
    Column("reason", Text, nullable=False),
    Column("last_number", Integer, nullable=False),
)

# Proposals from ingested articles (`casework.store.proposals`, migration 0016): never
# published. `data` is the whole proposal as JSON; the columns are copies for listing. No
# foreign key: a proposal outlives its record's rename or deletion, as a note does.
proposals = Table(
    "proposals",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("status", String(20), nullable=False),  # open | applied | rejected | empty
    Column("target", String(200), nullable=True),  # the record's slug; None: a new draft
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=True),
    Column("decided_by", String(200), nullable=True),
    Column("data", Text, nullable=False),
)
Index("ix_proposals_status_created_at", proposals.c.status, proposals.c.created_at)

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

# The SQLite full-text tables, created in migrations 0001 and 0006 on SQLite only (outside this
# metadata). All are contentless: the text lives once, in `records.data`; snippets are cut from it.
# - search_head: the short fields, full detail, ranked with bm25 (weights below);
# - search_published: the same, published records only: public searches rank with its statistics;
# (search_all, every field and the body for matching, was dropped by 0028: `search_postings`,
# made in Python in the same transactions, answers which records match.)
FTS_HEAD_COLUMNS = ("title", "tags", "summary", "key_points", "description")
FTS_HEAD_WEIGHTS = (10.0, 5.0, 3.0, 2.0, 1.0)

# --- accounts (migration 0003) ---------------------------------------------------------------
# Who may use the web editor and the API. Secrets given out (session and API tokens) are kept
# only as their SHA-256, so a copy of the database lets nobody in; passwords as argon2id hashes.

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(63), nullable=False, unique=True),
    Column("display_name", Text, nullable=False),
    Column("role", String(20), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("disabled", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    sqlite_autoincrement=True,
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # SHA-256 (hex) of the token the browser holds; unique, so a lookup is one index probe.
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked", Boolean, nullable=False),
)
Index("ix_sessions_user_id", sessions.c.user_id)
Index("ix_sessions_expires_at", sessions.c.expires_at)

api_tokens = Table(
    "api_tokens",
    metadata,
    # AUTOINCREMENT: a token's id (what `revoke-token` takes) never names another token later.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_used_at", DateTime(timezone=True), nullable=True),
    Column("revoked", Boolean, nullable=False),
    # Migration 0007: what the token may do ("read" or "write"; tokens made before it are
    # "write") and when it stops working (NULL: never).
    Column("scope", String(10), nullable=False, server_default="write"),
    Column("expires_at", DateTime(timezone=True), nullable=True),
    sqlite_autoincrement=True,
)
Index("ix_api_tokens_user_id", api_tokens.c.user_id)

# One row per login attempt that did not succeed (unknown users included), for throttling by
# username and by remote address; rows older than the throttling window are pruned.
login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(200), nullable=False),
    Column("remote", String(100), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
Index("ix_login_failures_username_at", login_failures.c.username, login_failures.c.at)
Index("ix_login_failures_remote_at", login_failures.c.remote, login_failures.c.at)
Index("ix_login_failures_at", login_failures.c.at)

# --- jobs (migration 0004) -------------------------------------------------------------------
# Work for `casework worker` processes: queued → running (held by one worker until
# `lease_until`) → done, or back to queued after a failure until `max_attempts`, then failed.

jobs = Table(
    "jobs",
    metadata,
    # AUTOINCREMENT: a job's id (what `casework jobs` shows) never names another job later.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(40), nullable=False),
    Column("payload", Text, nullable=False),  # JSON: what the job works on
    Column("status", String(20), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("max_attempts", Integer, nullable=False, server_default="3"),
    Column("error", Text, nullable=True),  # the last failure's one-line message
    Column("proposal_id", String(100), nullable=True),  # the result of a done ingest job
    Column("worker", String(200), nullable=True),  # who holds (or last held) it
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=True),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    Column("lease_until", DateTime(timezone=True), nullable=True),
    sqlite_autoincrement=True,
)
# Claiming looks for the oldest queued job (and running ones whose lease ran out).
Index("ix_jobs_status_created_at", jobs.c.status, jobs.c.created_at)

# --- captures (migration 0008) ---------------------------------------------------------------
# Every attempt to keep a copy of a source (`casework.evidence.captures`), failed ones too: a
# URL with no row was never captured, one whose rows all have an `error` could not be. `sha256`
# names the content-addressed WARC file; `url_key` is the SHA-256 of `url`, what lookups use
# (an index on the URL itself would refuse the longest URLs on PostgreSQL).

captures = Table(
    "captures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url_key", String(64), nullable=False),
    Column("url", Text, nullable=False),
    Column("captured_at", DateTime(timezone=True), nullable=False),
    Column("final_url", Text, nullable=False, server_default=""),
    Column("status", Integer, nullable=False, server_default="0"),  # HTTP status; 0: none came
    Column("sha256", String(64), nullable=False, server_default=""),  # "" when nothing was kept
    Column("text_sha256", String(64), nullable=False, server_default=""),
    Column("content_type", String(200), nullable=False, server_default=""),
    Column("error", Text, nullable=False, server_default=""),  # why the attempt failed, one line
    sqlite_autoincrement=True,
)
Index("ix_captures_url_key_captured_at", captures.c.url_key, captures.c.captured_at)
Index("ix_captures_sha256", captures.c.sha256)
# --- link health (migration 0010) --------------------------------------------------------------
# What `casework check --links` and the worker's "links" job found (casework.evidence.links):
# each run's report, whole, as JSON (the editor's /edit/links shows the latest), and the last
# result for each URL, the cache a re-run within its time-to-live reads instead of fetching.

link_reports = Table(
    "link_reports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("origin", String(200), nullable=False),  # "command line", "job 12"
    Column("report", Text, nullable=False),  # JSON: casework.evidence.links.Report.to_json()
    sqlite_autoincrement=True,
)
Index("ix_link_reports_created_at", link_reports.c.created_at)

link_checks = Table(
    "link_checks",
    metadata,
    # The URL's SHA-256: a URL may be longer than any index key should be.
    Column("url_sha256", String(64), primary_key=True),
    Column("url", Text, nullable=False),
    Column("checked_at", DateTime(timezone=True), nullable=False),
    Column("result", Text, nullable=False),  # JSON: one checked URL, without its records
)

# The change feed (`change_feed.py`, migration 0020): a row per record a committed write changed,
# under the generation the write moved `store_meta` to (a row with no record for a write that
# changed none), written in the write's own transaction. No foreign key: a deleted record's row
# says it was deleted.
changes = Table(
    "changes",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("generation", Integer, nullable=False),
    Column("record_id", Integer, nullable=True),
    Column("slug", String(200), nullable=True),
    Column("revision", Integer, nullable=True),
    Column("kind", String(20), nullable=False),
    sqlite_autoincrement=True,
)
Index("ix_changes_generation", changes.c.generation)
