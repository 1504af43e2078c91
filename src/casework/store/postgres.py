"""The PostgreSQL engine: the Store protocol over one PostgreSQL database, through psycopg 3.

SQLAlchemy owns the connection pool, runs the migrations and serves `Accounts`; the record
statements go to psycopg as plain SQL, for COPY in bulk imports and for tsvector literals.

Concurrency: writes run in READ COMMITTED transactions; optimistic concurrency is decided by
the statement `UPDATE records ... WHERE id = ? AND revision = base`: of two writers from the
same base, the second blocks on the row until the first commits, then finds the revision moved
and updates nothing, which is a Conflict. Each write ends by bumping `store_meta.generation`
(the last statement, so that the row lock it takes is held only while committing). Reads that
take more than one statement run in REPEATABLE READ: one snapshot.

History is hashed and stored exactly as on SQLite (`history.py`), so a revision's hash is the
same in either engine and `verify_history` holds across a copy from one to the other.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, cast

import psycopg
from sqlalchemy import create_engine, make_url
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from casework.evidence import ledger
from casework.model import Collection, Record, Status
from casework.store import disk_errors, sqlite_rows
from casework.store import history as h
from casework.store.accounts import Accounts
from casework.store.base import (
    Action,
    Along,
    CollectionNotFound,
    Conflict,
    HistoryProblem,
    Progress,
    Query,
    RecordNotFound,
    RecordVersion,
    Replacer,
    Revision,
    RevisionNotFound,
    SearchResult,
    SlugExists,
    StoredRecord,
    StoreError,
)
from casework.store.durability import check_durability
from casework.store.engine import ChangesThroughOne, assemble_collections, replacement
from casework.store.facet_cache import FacetCache
from casework.store.jobs import Jobs
from casework.store.link_reports import LinkReports
from casework.store.migrate import migrate_engine, sqlalchemy_url
from casework.store.postgres_search import facet_index, facet_rows, search, search_vectors
from casework.store.prepared import PreparedRecord, prepare_record
from casework.store.proposals import Proposals
from casework.store.sqlite_rows import (
    ENDED,
    EVER_USED,
    TAKEN,
    _check_current,
    _check_revision,
    _data_or_empty,
    _revision,
    renamed_ends,
)

Connection = psycopg.Connection[Any]

IMPORT_BATCH = 1000
ANALYZE_AFTER = 1000  # records imported at once after which the tables are analyzed
_RECORD_COLUMNS = (
    "slug, status, revision, updated_at, data, title, date, year, category, severity, "
    "posture, ongoing, countries"
)
_WORDS_COLUMNS = "record_id, search, search_head"
_REVISION_COLUMNS = (
    "slug, number, action, author, message, created_at, status, data, prev_hash, hash"
)


class DatabaseUnavailable(StoreError):
    """The PostgreSQL server cannot be reached, or refuses the connection."""


def _no_nul(what: str, value: str) -> str:
    # PostgreSQL's text cannot hold U+0000 (SQLite's can); refused rather than altered, since
    # these values are hashed into the history.
    if "\x00" in value:
        raise StoreError(f"{what} holds a NUL character (\\x00), which PostgreSQL cannot store")
    return value


def _column_text(value: str) -> str:
    """A copy of a record field kept in its own column (for filters and listings only; the
    record itself is the JSON in `data`, which escapes NUL): NUL shown as U+FFFD there."""
    return value.replace("\x00", "\ufffd") if "\x00" in value else value


def _record_row(
    written: PreparedRecord, status: Status, revision: int, now: datetime
) -> tuple[Any, ...]:
    return (
        written.slug, status.value, revision, now, written.data, _column_text(written.title),
        written.date, written.year, _column_text(written.category),
        _column_text(written.severity), _column_text(written.posture), written.ongoing,
        written.countries,
    )  # fmt: skip


def _words_row(rowid: int, written: PreparedRecord) -> tuple[int, str, str]:
    """The record's `record_words` row: its two tsvector literals."""
    return (rowid, *search_vectors(written))


def _tag_rows(rowid: int, written: PreparedRecord) -> list[tuple[int, int, str]]:
    return [(rowid, i, _column_text(tag)) for i, tag in enumerate(written.tags)]


def _revision_rows(
    items: list[tuple[PreparedRecord, int, Action, Status, str]],
    author: str,
    message: str,
    now: datetime,
) -> sqlite_rows.RevisionBatch:
    """The `revisions` rows for `items`, hashed and compressed as on SQLite, the time kept as
    a timestamptz rather than SQLite's text."""
    return sqlite_rows._revision_rows(items, author, message, now, stored_time=_as_is)


def _as_is(moment: datetime) -> datetime:
    return moment


def _as_text_time(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A revisions row with `created_at` as ISO text, the form sqlite_rows' readers parse."""
    return (*row[:5], h.as_utc(row[5]).isoformat(), *row[6:])


def _prepared(record: Record | PreparedRecord) -> PreparedRecord:
    return record if isinstance(record, PreparedRecord) else prepare_record(record)


def _slug_of_violation(error: psycopg.errors.UniqueViolation) -> str | None:
    """The slug named by a unique violation on records.slug (another writer's record)."""
    if error.diag.constraint_name != "uq_records_slug":
        return None
    detail = error.diag.message_detail or ""  # Key (slug)=(the-slug) already exists.
    start, end = detail.find(")=("), detail.rfind(") already exists")
    return detail[start + 3 : end] if 0 <= start < end else ""


class _InWrite:
    """`InWrite` over the write transaction's psycopg connection (`?` placeholders become
    psycopg's `%s`; the SQL given holds no other `?` or `%`)."""

    def __init__(self, db: Connection) -> None:
        self._db = db

    def execute(self, sql: str, params: Sequence[Any] = ()) -> psycopg.Cursor[Any]:
        return self._db.execute(sql.replace("?", "%s"), list(params))


class PostgresStore(ChangesThroughOne):
    """The Store protocol over one PostgreSQL database (migrated when opened)."""

    def __init__(self, url: str) -> None:
        self.url = sqlalchemy_url(url)
        shown = make_url(url).render_as_string(hide_password=True)  # for messages
        if make_url(self.url).drivername != "postgresql+psycopg":
            raise StoreError(
                f"{shown!r}: casework talks to PostgreSQL through psycopg 3 "
                "(postgresql:// or postgresql+psycopg:// URLs)"
            )
        self._shown = shown
        self._engine: Engine = create_engine(self.url, pool_pre_ping=True)
        disk_errors.listen(self._engine, shown)
        try:
            migrate_engine(self._engine)
        except OperationalError as error:
            self._engine.dispose()
            reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
            raise DatabaseUnavailable(
                f"cannot open the PostgreSQL database {shown}: {reason}"
            ) from None
        with self._engine.connect() as connection:
            check_durability(connection)  # before anything is written to a server that may lose it
        self.accounts = Accounts(self._engine)
        self.jobs = Jobs(self._engine)
        self.link_reports = LinkReports(self._engine)
        self.proposals = Proposals(self._engine)
        self._generation_db: Connection | None = None
        self._facets = FacetCache()
        self._generation_lock = threading.Lock()

    # --- connections ---------------------------------------------------------------------
    @contextmanager
    def _read(self) -> Iterator[Connection]:
        """A connection inside a read-only REPEATABLE READ transaction: one snapshot."""
        with (
            disk_errors.mapped(self._shown),
            self._engine.connect().execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            ) as connection,
            connection.begin(),
        ):
            yield cast(Connection, connection.connection.driver_connection)

    @contextmanager
    def _write(self, touched: list[int] | None = None) -> Iterator[Connection]:
        """A READ COMMITTED write transaction: committed on success, rolled back on any
        exception; the generation moves with every committed write. The caller puts the ids
        of the records it wrote in `touched`, so that the facet index in memory can be
        patched for them instead of rebuilt."""
        with disk_errors.mapped(self._shown), self._engine.connect() as connection:
            with connection.begin():
                db = cast(Connection, connection.connection.driver_connection)
                try:
                    yield db
                except psycopg.errors.UniqueViolation as error:
                    slug = _slug_of_violation(error)
                    if slug is None:
                        raise
                    raise SlugExists(slug) from None
                row = db.execute(
                    "UPDATE store_meta SET generation = generation + 1 WHERE id = 1 "
                    "RETURNING generation"
                ).fetchone()
                generation = int(row[0]) if row else 0
                patched = self._facets.patched(generation, touched or [], facet_rows(db))
        self._facets.install(patched)

    # --- records -------------------------------------------------------------------------
    def create(
        self,
        record: Record,
        *,
        author: str,
        message: str,
        status: Status = Status.draft,
        along: Along | None = None,
    ) -> StoredRecord:
        _no_nul("the author", author)
        _no_nul("the revision message", message)
        written = prepare_record(record)
        now = h.utc_now()
        touched: list[int] = []
        with self._write(touched) as db:
            taken = f"SELECT 1 FROM ({TAKEN}) t WHERE t.old_slug = %s"
            if db.execute(taken, (record.slug,)).fetchone():
                # A renamed record's old slug, a deleted record's: each stays its own.
                raise SlugExists(record.slug)
            row = db.execute(
                f"INSERT INTO records ({_RECORD_COLUMNS}) VALUES ({', '.join(['%s'] * 13)}) "
                "ON CONFLICT (slug) DO NOTHING RETURNING id",
                _record_row(written, status, 1, now),
            ).fetchone()
            if row is None:
                raise SlugExists(record.slug)
            touched.append(row[0])
            db.execute(
                f"INSERT INTO record_words ({_WORDS_COLUMNS}) VALUES (%s, %s, %s)",
                _words_row(row[0], written),
            )
            self._insert_tags(db, _tag_rows(row[0], written))
            self._insert_revisions(
                db, _revision_rows([(written, 1, Action.create, status, "")], author, message, now)
            )
            if along is not None:
                along(_InWrite(db))
        return StoredRecord(record, status, 1, now)

    def _change(
        self,
        slug: str,
        base_revision: int,
        author: str,
        message: str,
        action: Action,
        *,
        record: Record | None = None,
        status: Status | None = None,
        along: Along | None = None,
    ) -> StoredRecord:
        _no_nul("the author", author)
        _no_nul("the revision message", message)
        now = h.utc_now()
        touched: list[int] = []
        with self._write(touched) as db:
            current = db.execute(
                "SELECT id, revision, status, data FROM records WHERE slug = %s", (slug,)
            ).fetchone()
            if current is None:
                raise RecordNotFound(slug)
            rowid, revision, old_status, old_data = current
            touched.append(rowid)
            if revision != base_revision:
                raise Conflict(slug, base_revision, revision)
            new_status = status or Status(old_status)
            content = record if record is not None else h.record_from_json(old_data)
            written = prepare_record(content)
            self._replace(
                db, rowid, written, new_status, base_revision, now, author, message, action
            )
            if along is not None:
                along(_InWrite(db))
        return StoredRecord(content, new_status, base_revision + 1, now)

    def rename(
        self, old: str, record: Record, *, base_revision: int, author: str, message: str
    ) -> StoredRecord:
        _no_nul("the author", author)
        _no_nul("the revision message", message)
        new = record.slug
        now = h.utc_now()
        touched: list[int] = []
        with self._write(touched) as db:
            # Under the renames table's lock: two renames to one slug cannot both pass.
            db.execute("LOCK TABLE renames IN EXCLUSIVE MODE")
            if db.execute(EVER_USED.format(p="%s"), (new, new)).fetchone():
                raise SlugExists(new)
            if db.execute("SELECT 1 FROM records WHERE slug = %s", (new,)).fetchone():
                raise SlugExists(new)
            current = db.execute(
                "SELECT id, revision, status FROM records WHERE slug = %s FOR UPDATE", (old,)
            ).fetchone()
            if current is None:
                raise RecordNotFound(old)
            rowid, revision, status = current
            touched.append(rowid)
            if revision != base_revision:
                raise Conflict(old, base_revision, revision)
            members = db.execute(
                "SELECT collection, position FROM collection_records WHERE record_slug = %s",
                (old,),
            ).fetchall()
            db.execute("DELETE FROM collection_records WHERE record_slug = %s", (old,))
            # The row is written as "revision 0 + 1": the new slug's chain starts at 1.
            db.execute("UPDATE records SET revision = 0 WHERE id = %s", (rowid,))
            self._replace(
                db, rowid, prepare_record(record), Status(status), 0, now, author, message,
                Action.rename,
            )  # fmt: skip
            db.execute(
                "INSERT INTO renames (old_slug, new_slug, renamed_at, author, last_number) "
                "VALUES (%s, %s, %s, %s, %s)",
                (old, new, now, author, revision),
            )
            for collection, position in members:
                db.execute(
                    "INSERT INTO collection_records (collection, position, record_slug) "
                    "VALUES (%s, %s, %s)",
                    (collection, position, new),
                )
        return StoredRecord(record, Status(status), 1, now)

    def retire(self, old: str, into: str, *, base_revision: int, author: str) -> None:
        _no_nul("the author", author)
        now = h.utc_now()
        with self._write() as db:
            db.execute("LOCK TABLE renames IN EXCLUSIVE MODE")
            if db.execute("SELECT 1 FROM records WHERE slug = %s", (into,)).fetchone() is None:
                raise RecordNotFound(into)
            current = db.execute(
                "SELECT id, revision FROM records WHERE slug = %s FOR UPDATE", (old,)
            ).fetchone()
            if current is None:
                raise RecordNotFound(old)
            rowid, revision = current
            if revision != base_revision:
                raise Conflict(old, base_revision, revision)
            members = db.execute(
                "SELECT collection, position FROM collection_records WHERE record_slug = %s",
                (old,),
            ).fetchall()
            db.execute("DELETE FROM collection_records WHERE record_slug = %s", (old,))
            for collection, position in members:
                if not db.execute(
                    "SELECT 1 FROM collection_records WHERE collection = %s AND record_slug = %s",
                    (collection, into),
                ).fetchone():
                    db.execute(
                        "INSERT INTO collection_records (collection, position, record_slug) "
                        "VALUES (%s, %s, %s)",
                        (collection, position, into),
                    )
            _drop_row(db, rowid)
            db.execute(
                "INSERT INTO renames (old_slug, new_slug, renamed_at, author, last_number) "
                "VALUES (%s, %s, %s, %s, %s)",
                (old, into, now, author, revision),
            )
            # The facet index cannot take a row out by patching: the next search rebuilds it.
            self._facets.forget()

    def delete(self, slug: str, *, base_revision: int, author: str, reason: str) -> None:
        _no_nul("the author", author)
        _no_nul("the reason", reason)
        now = h.utc_now()
        with self._write() as db:
            current = db.execute(
                "SELECT id, revision FROM records WHERE slug = %s FOR UPDATE", (slug,)
            ).fetchone()
            if current is None:
                raise RecordNotFound(slug)
            rowid, revision = current
            if revision != base_revision:
                raise Conflict(slug, base_revision, revision)
            db.execute("DELETE FROM collection_records WHERE record_slug = %s", (slug,))
            _drop_row(db, rowid)
            db.execute(
                "INSERT INTO deletions (slug, deleted_at, author, reason, last_number) "
                "VALUES (%s, %s, %s, %s, %s)",
                (slug, now, author, reason, revision),
            )
            # The facet index cannot take a row out by patching: the next search rebuilds it.
            self._facets.forget()

    def _replace(
        self,
        db: Connection,
        rowid: int,
        written: PreparedRecord,
        status: Status,
        base_revision: int,
        now: datetime,
        author: str,
        message: str,
        action: Action,
    ) -> None:
        """Write `written` over record `rowid` as revision base + 1, if it is still at `base`
        (else Conflict): the statement that decides a race between writers."""
        assignments = ", ".join(f"{column.strip()} = %s" for column in _RECORD_COLUMNS.split(","))
        changed = db.execute(
            f"UPDATE records SET {assignments} WHERE id = %s AND revision = %s",
            (*_record_row(written, status, base_revision + 1, now), rowid, base_revision),
        ).rowcount
        if changed != 1:  # another writer committed a revision since this one read it
            row = db.execute(
                "SELECT revision FROM records WHERE slug = %s", (written.slug,)
            ).fetchone()
            raise Conflict(written.slug, base_revision, row[0] if row else 0)
        db.execute(
            "UPDATE record_words SET search = %s, search_head = %s WHERE record_id = %s",
            (*search_vectors(written), rowid),
        )
        db.execute("DELETE FROM record_tags WHERE record_id = %s", (rowid,))
        self._insert_tags(db, _tag_rows(rowid, written))
        found = db.execute(
            "SELECT hash FROM revisions WHERE slug = %s AND number = %s",
            (written.slug, base_revision),
        ).fetchone()
        prev = "" if found is None else str(found[0])
        self._insert_revisions(
            db,
            _revision_rows(
                [(written, base_revision + 1, action, status, prev)], author, message, now
            ),
        )

    @staticmethod
    def _insert_tags(db: Connection, rows: list[tuple[int, int, str]]) -> None:
        if rows:
            with db.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO record_tags (record_id, position, tag) VALUES (%s, %s, %s)", rows
                )

    @staticmethod
    def _insert_revisions(db: Connection, batch: sqlite_rows.RevisionBatch) -> None:
        rows, entries = batch
        with db.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO revisions ({_REVISION_COLUMNS}) VALUES ({', '.join(['%s'] * 10)})",
                rows,
            )
        _append_log(db, entries)

    def import_records(
        self,
        records: Iterable[Record | PreparedRecord],
        *,
        author: str,
        message: str,
        status: Status = Status.published,
        replace: bool = False,
        replacer: Replacer | None = None,
        progress: Progress | None = None,
    ) -> int:
        _no_nul("the author", author)
        _no_nul("the revision message", message)
        now = h.utc_now()
        done = 0
        touched: list[int] = []
        with self._write(touched) as db:
            existing = {slug for (slug,) in db.execute("SELECT slug FROM records")}
            # A renamed record's old slug names a history: no import may take it.
            retired = {slug for (slug,) in db.execute(TAKEN)}
            batch: list[Record | PreparedRecord] = []
            batch_slugs: set[str] = set()

            def flush() -> None:
                nonlocal done
                new: list[PreparedRecord] = []
                for record in batch:
                    if record.slug in retired:
                        raise SlugExists(record.slug)
                    if record.slug in existing:
                        if not replace:
                            raise SlugExists(record.slug)
                        rowid = self._import_over(
                            db, record, status, author, message, now, replacer
                        )
                        if rowid is not None:
                            touched.append(rowid)
                    else:
                        new.append(_prepared(record))
                        existing.add(record.slug)
                touched.extend(self._copy_new(db, new, status, author, message, now))
                done += len(batch)
                if progress is not None:
                    progress(len(batch))
                batch.clear()
                batch_slugs.clear()

            for record in records:
                if record.slug in batch_slugs:
                    flush()  # the same slug again: its first version is written first
                batch.append(record)
                batch_slugs.add(record.slug)
                if len(batch) >= IMPORT_BATCH:
                    flush()
            flush()
        if done >= ANALYZE_AFTER:
            self._after_bulk_write()
        return done

    def _after_bulk_write(self) -> None:
        """After many rows were written: the GIN indexes' pending lists merged (new entries
        wait there, unsorted, and every search scanned them all: 297 ms a search after
        importing 100,000 records, 15 ms once merged), and fresh planner statistics (until
        autovacuum gets to it, the planner would read the grown tables with the estimates of
        the empty ones)."""
        with self._engine.connect() as connection:
            db = cast(Connection, connection.connection.driver_connection)
            db.execute(
                "SELECT gin_clean_pending_list('ix_record_words_search'::regclass),"
                " gin_clean_pending_list('ix_record_words_search_head'::regclass)"
            )
            db.execute("ANALYZE records, record_words, record_tags, revisions")
            db.commit()

    def _copy_new(
        self,
        db: Connection,
        new: list[PreparedRecord],
        status: Status,
        author: str,
        message: str,
        now: datetime,
    ) -> list[int]:
        """Insert new records, their words, tags and first revisions with COPY; their ids."""
        if not new:
            return []
        ids = [
            row[0]
            for row in db.execute(
                "SELECT nextval(pg_get_serial_sequence('records', 'id')) "
                "FROM generate_series(1, %s) ORDER BY 1",
                (len(new),),
            )
        ]
        with db.cursor() as cursor:
            with cursor.copy(f"COPY records (id, {_RECORD_COLUMNS}) FROM STDIN") as copy:
                for rowid, written in zip(ids, new, strict=True):
                    copy.write_row((rowid, *_record_row(written, status, 1, now)))
            with cursor.copy(f"COPY record_words ({_WORDS_COLUMNS}) FROM STDIN") as copy:
                for rowid, written in zip(ids, new, strict=True):
                    copy.write_row(_words_row(rowid, written))
            with cursor.copy("COPY record_tags (record_id, position, tag) FROM STDIN") as copy:
                for rowid, written in zip(ids, new, strict=True):
                    for row in _tag_rows(rowid, written):
                        copy.write_row(row)
            items = [(w, 1, Action.import_, status, "") for w in new]
            rows, entries = _revision_rows(items, author, message, now)
            with cursor.copy(f"COPY revisions ({_REVISION_COLUMNS}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        _append_log(db, entries)
        return ids

    def _import_over(
        self,
        db: Connection,
        record: Record | PreparedRecord,
        status: Status,
        author: str,
        message: str,
        now: datetime,
        replacer: Replacer | None = None,
    ) -> int | None:
        current = db.execute(
            "SELECT id, revision, status, data FROM records WHERE slug = %s", (record.slug,)
        ).fetchone()
        assert current is not None
        rowid, revision, old_status, old_data = current
        decided = replacement(replacer, record, status, (old_data, old_status, revision), now)
        if decided is None:
            return None
        record, status = decided
        written = _prepared(record)
        self._replace(db, rowid, written, status, revision, now, author, message, Action.import_)
        return int(rowid)

    def get(self, slug: str) -> StoredRecord:
        with self._read() as db:
            row = db.execute(
                "SELECT data, status, revision, updated_at FROM records WHERE slug = %s", (slug,)
            ).fetchone()
        if row is None:
            raise RecordNotFound(slug)
        return _stored(row)

    def exists(self, slug: str) -> bool:
        with self._read() as db:
            return (
                db.execute("SELECT 1 FROM records WHERE slug = %s", (slug,)).fetchone() is not None
            )

    def iter_records(self, *, status: Status | None = None) -> Iterator[StoredRecord]:
        sql = "SELECT data, status, revision, updated_at FROM records"
        args: tuple[str, ...] = ()
        if status is not None:
            sql, args = sql + " WHERE status = %s", (status.value,)
        with self._read() as db:
            # A server-side cursor: the records stream in batches, never all in memory.
            with db.cursor(name="casework_iter_records") as cursor:
                cursor.itersize = 500
                cursor.execute(sql + " ORDER BY id", args)
                for row in cursor:
                    yield _stored(row)

    def count(self, *, status: Status | None = None) -> int:
        with self._read() as db:
            if status is None:
                row = db.execute("SELECT count(*) FROM records").fetchone()
            else:
                row = db.execute(
                    "SELECT count(*) FROM records WHERE status = %s", (status.value,)
                ).fetchone()
        return int(row[0]) if row else 0

    def versions(self, *, status: Status | None = None) -> dict[str, RecordVersion]:
        sql = (
            "SELECT r.slug, v.hash FROM records r"
            " JOIN revisions v ON v.slug = r.slug AND v.number = r.revision"
        )
        args: tuple[str, ...] = ()
        if status is not None:
            sql, args = sql + " WHERE r.status = %s", (status.value,)
        with self._read() as db:
            return {
                slug: RecordVersion(digest)
                for slug, digest in db.execute(sql + " ORDER BY r.id", args)
            }

    def slugs(self, *, status: Status | None = None) -> set[str]:
        sql = "SELECT slug FROM records"
        args: tuple[str, ...] = ()
        if status is not None:
            sql, args = sql + " WHERE status = %s", (status.value,)
        with self._read() as db:
            return {slug for (slug,) in db.execute(sql, args)}

    def generation(self) -> int:
        """store_meta's generation, read on a connection kept for it alone: the web app asks
        before every answer it may have cached, and a pooled connection with its liveness
        ping cost three round trips (0.67 ms) where this costs one."""
        with self._generation_lock:
            for attempt in (1, 2):
                try:
                    if self._generation_db is None or self._generation_db.closed:
                        self._generation_db = psycopg.connect(
                            make_url(self.url)
                            .set(drivername="postgresql")
                            .render_as_string(hide_password=False),
                            autocommit=True,
                        )
                    row = self._generation_db.execute(
                        "SELECT generation FROM store_meta WHERE id = 1", prepare=True
                    ).fetchone()
                    return int(row[0]) if row else 0
                except psycopg.OperationalError:
                    # The server restarted or dropped the connection: one new one, once.
                    if self._generation_db is not None:
                        self._generation_db.close()
                    self._generation_db = None
                    if attempt == 2:
                        raise
        raise AssertionError("unreachable")

    # --- history -------------------------------------------------------------------------
    def history(self, slug: str) -> list[Revision]:
        with self._read() as db:
            rows = db.execute(
                f"SELECT {_REVISION_COLUMNS} FROM revisions WHERE slug = %s ORDER BY number",
                (slug,),
            ).fetchall()
        if not rows:
            raise RecordNotFound(slug)
        return [_revision(_as_text_time(row)) for row in rows]

    def revision(self, slug: str, number: int) -> Revision:
        with self._read() as db:
            row = db.execute(
                f"SELECT {_REVISION_COLUMNS} FROM revisions WHERE slug = %s AND number = %s",
                (slug, number),
            ).fetchone()
            if row is None:
                if db.execute("SELECT 1 FROM records WHERE slug = %s", (slug,)).fetchone():
                    raise RevisionNotFound(slug, number)
                raise RecordNotFound(slug)
        return _revision(_as_text_time(row))

    def verify_history(self, slug: str | None = None) -> list[HistoryProblem]:
        problems: list[HistoryProblem] = []
        where, args = ("WHERE slug = %s", (slug,)) if slug is not None else ("", ())
        with self._read() as db:
            # Current records are compared by the MD5 of their JSON (PostgreSQL's md5 of the
            # text's UTF-8 bytes): the bodies stay in the database.
            current = {
                s: (rev, digest)
                for s, rev, digest in db.execute(
                    f"SELECT slug, revision, md5(data) FROM records {where}", args
                )
            }
            ended = renamed_ends(
                db.execute(
                    ENDED.format(
                        where_old=" WHERE old_slug = %s" if slug is not None else "",
                        where_slug=" WHERE slug = %s" if slug is not None else "",
                    ),
                    args * 2,
                ).fetchall()
            )
            if slug is not None and not current and not ended:
                raise RecordNotFound(slug)
            chain: tuple[str, int, str, str] | None = None  # slug, number, hash, md5 of data
            seen: set[str] = set()
            with db.cursor(name="casework_verify_history") as cursor:
                cursor.itersize = 500
                cursor.execute(
                    f"SELECT {_REVISION_COLUMNS} FROM revisions {where} "
                    'ORDER BY slug COLLATE "C", number',
                    args,
                )
                for raw in cursor:
                    row = _as_text_time(raw)
                    problems.extend(_check_revision(row, chain))
                    seen.add(row[0])
                    if chain is not None and chain[0] != row[0]:
                        problems.extend(_check_current(chain, current, ended))
                    data = _data_or_empty(row[7])
                    chain = (
                        row[0],
                        row[1],
                        row[9],
                        hashlib.md5(data.encode(), usedforsecurity=False).hexdigest(),
                    )
            if chain is not None:
                problems.extend(_check_current(chain, current, ended))
        for missing in sorted(set(current) - seen):
            problems.append(HistoryProblem(missing, 0, "the record has no revisions"))
        return problems

    # --- search --------------------------------------------------------------------------
    def search(self, query: Query) -> SearchResult:
        with self._read() as db:
            row = db.execute("SELECT generation FROM store_meta WHERE id = 1").fetchone()
            generation = int(row[0]) if row else 0
            index = self._facets.for_search(generation, lambda: facet_index(db, generation))
            return search(db, index, query)

    # --- collections ---------------------------------------------------------------------
    def put_collection(self, collection: Collection) -> None:
        for what, value in (
            ("the collection's title", collection.title),
            ("the collection's lede", collection.lede),
            ("the collection's description", collection.description),
        ):
            _no_nul(what, value)
        with self._write() as db:
            found = {
                slug
                for (slug,) in db.execute(
                    "SELECT slug FROM records WHERE slug = ANY(%s)", (list(collection.records),)
                )
            }
            for slug in collection.records:
                if slug not in found:
                    raise RecordNotFound(slug)
            db.execute("DELETE FROM collection_records WHERE collection = %s", (collection.slug,))
            db.execute(
                "INSERT INTO collections (slug, title, lede, description) "
                "VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (slug) DO UPDATE SET title = excluded.title, "
                "lede = excluded.lede, description = excluded.description",
                (collection.slug, collection.title, collection.lede, collection.description),
            )
            with db.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO collection_records (collection, position, record_slug) "
                    "VALUES (%s, %s, %s)",
                    [(collection.slug, i, slug) for i, slug in enumerate(collection.records)],
                )

    def get_collection(self, slug: str) -> Collection:
        with self._read() as db:
            found = _collections(db, slug)
        if not found:
            raise CollectionNotFound(slug)
        return found[0]

    def collections(self) -> list[Collection]:
        with self._read() as db:
            return _collections(db, None)

    def delete_collection(self, slug: str) -> None:
        """Raises CollectionNotFound."""
        with self._write() as db:
            if not db.execute("DELETE FROM collections WHERE slug = %s", (slug,)).rowcount:
                raise CollectionNotFound(slug)

    # --- lifecycle -----------------------------------------------------------------------
    def rebuild_search_index(self) -> None:
        """Every record's search vectors made again from its stored data (after `casework copy`
        wrote the rows directly)."""
        with self._write() as db:
            db.execute("DELETE FROM record_words")
            with db.cursor(name="casework_rebuild") as reading, db.cursor() as writing:
                reading.execute("SELECT id, data FROM records ORDER BY id")
                # A batch read, then written: no statement may run on a connection mid-COPY.
                while rows := reading.fetchmany(1000):
                    made = [_words_row(i, prepare_record(h.record_from_json(d))) for i, d in rows]
                    with writing.copy(f"COPY record_words ({_WORDS_COLUMNS}) FROM STDIN") as copy:
                        for row in made:
                            copy.write_row(row)
        self._after_bulk_write()

    def close(self) -> None:
        with self._generation_lock:
            if self._generation_db is not None:
                self._generation_db.close()
                self._generation_db = None
        self._engine.dispose()


# Any constant shared by every casework process: the advisory lock that makes writers append to
# the revision log one at a time (READ COMMITTED would let two read the same last head).
_LOG_LOCK = 0x6361736577_6C6F67  # "casewlog"


def _append_log(db: Connection, entries: list[ledger.Entry]) -> None:
    """Append `entries` to the revision log in the caller's transaction. The lock is taken
    last in the write and held until it commits, so logged order is commit order."""
    if not entries:
        return
    db.execute("SELECT pg_advisory_xact_lock(%s)", (_LOG_LOCK,))
    last = db.execute(
        f"SELECT seq, head FROM {ledger.LOG_TABLE} ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    numbers: dict[str, int] = {}
    for slug in ledger.needs_public_numbers(entries):
        found = db.execute(
            f"SELECT max(public_number) FROM {ledger.LOG_TABLE} WHERE slug = %s", (slug,)
        ).fetchone()
        numbers[slug] = int(found[0] or 0) if found else 0
    rows = ledger.log_rows(None if last is None else (last[0], last[1]), entries, numbers)
    with db.cursor() as cursor:
        with cursor.copy(f"COPY {ledger.LOG_TABLE} ({ledger.LOG_COLUMNS}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _stored(row: tuple[Any, ...]) -> StoredRecord:
    data, status, revision, updated_at = row
    return StoredRecord(h.record_from_json(data), Status(status), revision, h.as_utc(updated_at))


def _collections(db: Connection, slug: str | None) -> list[Collection]:
    where, args = ("WHERE slug = %s", (slug,)) if slug is not None else ("", ())
    heads = db.execute(
        f'SELECT slug, title, lede, description FROM collections {where} ORDER BY slug COLLATE "C"',
        args,
    ).fetchall()
    members = db.execute(
        "SELECT collection, record_slug FROM collection_records ORDER BY collection, position"
    )
    return assemble_collections(heads, members)


def _drop_row(db: Connection, rowid: int) -> None:
    """A record's row and what indexes it leave (its revisions stay): a retire, a delete."""
    db.execute("DELETE FROM record_words WHERE record_id = %s", (rowid,))
    db.execute("DELETE FROM record_tags WHERE record_id = %s", (rowid,))
    db.execute("DELETE FROM records WHERE id = %s", (rowid,))
