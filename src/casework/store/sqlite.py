"""The SQLite engine: one file, WAL, synchronous=FULL; the Store protocol in full.

SQLAlchemy owns the connection pool and runs the migrations; statements go to the sqlite3
driver as plain SQL (the bulk paths need executemany without per-row overhead, and the FTS5
tables are SQLite's own anyway). Writes run in `BEGIN IMMEDIATE` transactions, so that two
writers queue on the lock (busy timeout) instead of failing half-way; optimistic concurrency
is still checked in the statement itself (`UPDATE ... WHERE revision = base`), which holds
across processes and engines.
"""

from __future__ import annotations

import sqlite3
import weakref
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, make_url
from sqlalchemy.engine import Engine
from sqlalchemy.pool import ConnectionPoolEntry

from casework.model import Collection, Record, Status
from casework.store import disk_errors, guard
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
from casework.store.engine import ChangesThroughOne, replacement
from casework.store.facet_cache import FacetCache
from casework.store.jobs import Jobs
from casework.store.link_reports import LinkReports
from casework.store.migrate import migrate_engine
from casework.store.prepared import PreparedRecord, prepare_record
from casework.store.private_files import create_private_file
from casework.store.proposals import Proposals
from casework.store.sqlite_rows import (
    _RECORD_COLUMNS,
    _REVISION_COLUMNS,
    ENDED,
    EVER_USED,
    TAKEN,
    RevisionBatch,
    _check_current,
    _check_revision,
    _collections,
    _current,
    _data_or_empty,
    _db_time,
    _index,
    _insert_revisions,
    _prepared,
    _revision,
    _revision_hash,
    _revision_rows,
    _row,
    _stored,
    _unindex,
    renamed_ends,
)

BUSY_TIMEOUT_MS = 30_000
IMPORT_BATCH = 500


def sqlite_url(url_or_path: str | Path) -> str:
    """`sqlite:///path` for a path; a URL is returned as it is."""
    text = str(url_or_path)
    return text if text.startswith("sqlite:") else "sqlite:///" + str(Path(text))


def sqlite_path(url: str) -> Path:
    """The absolute path of the database file of a `sqlite:///` URL."""
    database = make_url(url).database
    if not database:
        raise StoreError(f"{url!r}: names no database file")
    return Path(database).absolute()


class SQLiteStore(ChangesThroughOne):
    """The Store protocol over one SQLite file (created and migrated when opened)."""

    def __init__(self, url_or_path: str | Path) -> None:
        self.url = sqlite_url(url_or_path)
        self.path = sqlite_path(self.url)  # the database file
        self._where = str(self.path)  # for messages
        if not self.path.exists() and self.path.parent.is_dir():
            create_private_file(self.path)  # owner-only; SQLite gives -wal and -shm its mode
        self._engine: Engine = create_engine(
            self.url,
            connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        )
        event.listen(self._engine, "connect", _configure_connection)
        event.listen(self._engine, "begin", _begin)
        disk_errors.listen(self._engine, self._where)
        migrate_engine(self._engine)
        # From here on no Python code in this process may open the file (guard.py says why).
        self._held = guard.hold(self.path)
        self._closed = weakref.finalize(self, guard.release, self._held)
        self.accounts = Accounts(self._engine)
        self.jobs = Jobs(self._engine)
        self.link_reports = LinkReports(self._engine)
        self.proposals = Proposals(self._engine)
        self._facets = FacetCache()

    # --- connections ---------------------------------------------------------------------
    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A connection inside a read transaction: one consistent snapshot."""
        with disk_errors.mapped(self._where):
            raw = self._engine.raw_connection()
            db: sqlite3.Connection = raw.driver_connection  # type: ignore[assignment]
            try:
                db.execute("BEGIN")
                yield db
            finally:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raw.close()

    @contextmanager
    def _write(self, touched: list[int] | None = None) -> Iterator[sqlite3.Connection]:
        """A write transaction: committed on success, rolled back on any exception. The caller
        puts the ids of the records it wrote in `touched`, so that the facet index can be
        patched for them instead of rebuilt."""
        # A full disk fails the transaction whole: StorageFull.
        with disk_errors.mapped(self._where):
            raw = self._engine.raw_connection()
            db: sqlite3.Connection = raw.driver_connection  # type: ignore[assignment]
            try:
                db.execute("BEGIN IMMEDIATE")
                try:
                    yield db
                    db.execute("UPDATE store_meta SET generation = generation + 1 WHERE id = 1")
                    generation = db.execute(
                        "SELECT generation FROM store_meta WHERE id = 1"
                    ).fetchone()[0]
                    patched = None
                    if self._facets.current is not None:  # else there is nothing to patch
                        from casework.store.sqlite_search import sqlite_facet_rows

                        patched = self._facets.patched(
                            generation, touched or [], sqlite_facet_rows(db)
                        )
                    db.execute("COMMIT")
                except BaseException:
                    if db.in_transaction:
                        db.execute("ROLLBACK")
                    raise
            finally:
                raw.close()
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
        written = prepare_record(record)
        now = h.utc_now()
        touched: list[int] = []
        with self._write(touched) as db:
            if db.execute(EVER_USED.format(p="?"), (record.slug, record.slug)).fetchone():
                # A record's, a renamed record's old slug, a deleted record's: each stays its own.
                raise SlugExists(record.slug)
            touched += self._insert_new(db, [(written, status)], _db_time(now))
            self._add_revisions(db, [(written, 1, Action.create, status, "")], author, message, now)
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
        now = h.utc_now()
        touched: list[int] = []
        with self._write(touched) as db:
            current = _current(db, slug)
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
                db, rowid, old_data, Status(old_status), written, new_status, base_revision, now
            )
            prev = _revision_hash(db, slug, base_revision)
            self._add_revisions(
                db, [(written, base_revision + 1, action, new_status, prev)], author, message, now
            )
            if along is not None:
                along(_InWrite(db))
        return StoredRecord(content, new_status, base_revision + 1, now)

    def rename(
        self, old: str, record: Record, *, base_revision: int, author: str, message: str
    ) -> StoredRecord:
        new = record.slug
        now = h.utc_now()
        touched: list[int] = []
        with self._write(touched) as db:
            if db.execute(EVER_USED.format(p="?"), (new, new)).fetchone():
                raise SlugExists(new)
            current = _current(db, old)
            if current is None:
                raise RecordNotFound(old)
            rowid, revision, status, old_data = current
            touched.append(rowid)
            if revision != base_revision:
                raise Conflict(old, base_revision, revision)
            # Memberships leave and come back under the new slug (their key names the slug).
            members = db.execute(
                "SELECT collection, position FROM collection_records WHERE record_slug = ?",
                (old,),
            ).fetchall()
            db.execute("DELETE FROM collection_records WHERE record_slug = ?", (old,))
            # The row is written as "revision 0 + 1": the new slug's chain starts at 1.
            db.execute("UPDATE records SET revision = 0 WHERE id = ?", (rowid,))
            written = prepare_record(record)
            self._replace(db, rowid, old_data, Status(status), written, Status(status), 0, now)
            self._add_revisions(
                db, [(written, 1, Action.rename, Status(status), "")], author, message, now
            )
            db.execute(
                "INSERT INTO renames (old_slug, new_slug, renamed_at, author, last_number) "
                "VALUES (?, ?, ?, ?, ?)",
                (old, new, _db_time(now), author, revision),
            )
            db.executemany(
                "INSERT INTO collection_records (collection, position, record_slug) "
                "VALUES (?, ?, ?)",
                [(c, pos, new) for c, pos in members],
            )
        return StoredRecord(record, Status(status), 1, now)

    def retire(self, old: str, into: str, *, base_revision: int, author: str) -> None:
        now = h.utc_now()
        with self._write() as db:
            if db.execute("SELECT 1 FROM records WHERE slug = ?", (into,)).fetchone() is None:
                raise RecordNotFound(into)
            current = _current(db, old)
            if current is None:
                raise RecordNotFound(old)
            rowid, revision, status, old_data = current
            if revision != base_revision:
                raise Conflict(old, base_revision, revision)
            members = db.execute(
                "SELECT collection, position FROM collection_records WHERE record_slug = ?",
                (old,),
            ).fetchall()
            db.execute("DELETE FROM collection_records WHERE record_slug = ?", (old,))
            for collection, position in members:
                if not db.execute(
                    "SELECT 1 FROM collection_records WHERE collection = ? AND record_slug = ?",
                    (collection, into),
                ).fetchone():
                    db.execute(
                        "INSERT INTO collection_records (collection, position, record_slug) "
                        "VALUES (?, ?, ?)",
                        (collection, position, into),
                    )
            _drop_row(db, rowid, old_data, Status(status))
            db.execute(
                "INSERT INTO renames (old_slug, new_slug, renamed_at, author, last_number) "
                "VALUES (?, ?, ?, ?, ?)",
                (old, into, _db_time(now), author, revision),
            )
            # The facet index cannot take a row out by patching: the next search rebuilds it.
            self._facets.forget()

    def delete(self, slug: str, *, base_revision: int, author: str, reason: str) -> None:
        now = h.utc_now()
        with self._write() as db:
            current = _current(db, slug)
            if current is None:
                raise RecordNotFound(slug)
            rowid, revision, status, data = current
            if revision != base_revision:
                raise Conflict(slug, base_revision, revision)
            db.execute("DELETE FROM collection_records WHERE record_slug = ?", (slug,))
            _drop_row(db, rowid, data, Status(status))
            db.execute(
                "INSERT INTO deletions (slug, deleted_at, author, reason, last_number) "
                "VALUES (?, ?, ?, ?, ?)",
                (slug, _db_time(now), author, reason, revision),
            )
            # The facet index cannot take a row out by patching: the next search rebuilds it.
            self._facets.forget()

    def _replace(
        self,
        db: sqlite3.Connection,
        rowid: int,
        old_data: str,
        old_status: Status,
        written: PreparedRecord,
        status: Status,
        base_revision: int,
        now: datetime,
    ) -> None:
        row = _row(written, status.value, base_revision + 1, _db_time(now))
        changed = db.execute(
            "UPDATE records SET slug = ?, status = ?, revision = ?, updated_at = ?, data = ?, "
            "title = ?, date = ?, year = ?, category = ?, severity = ?, posture = ?, "
            "ongoing = ?, countries = ? WHERE id = ? AND revision = ?",
            (*row, rowid, base_revision),
        ).rowcount
        if changed != 1:  # another writer got there first (cannot happen under the lock)
            current = _current(db, written.slug)
            raise Conflict(written.slug, base_revision, current[1] if current else 0)
        _unindex(db, rowid, h.record_from_json(old_data), old_status)
        db.execute("DELETE FROM record_tags WHERE record_id = ?", (rowid,))
        _index(db, [(rowid, written, status)])

    def _insert_new(
        self, db: sqlite3.Connection, items: list[tuple[PreparedRecord, Status]], now: str
    ) -> list[int]:
        """Insert new records; returns their ids."""
        first = db.execute("SELECT coalesce(max(id), 0) + 1 FROM records").fetchone()[0]
        seq = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'records'").fetchone()
        first = max(first, (seq[0] + 1) if seq else 1)  # ids are never reused
        db.executemany(
            f"INSERT INTO records ({_RECORD_COLUMNS}) VALUES ({', '.join('?' * 14)})",
            [(first + i, *_row(w, s.value, 1, now)) for i, (w, s) in enumerate(items)],
        )
        _index(db, [(first + i, w, s) for i, (w, s) in enumerate(items)])
        return list(range(first, first + len(items)))

    def _add_revisions(
        self,
        db: sqlite3.Connection,
        items: list[tuple[PreparedRecord, int, Action, Status, str]],
        author: str,
        message: str,
        now: datetime,
    ) -> None:
        _insert_revisions(db, _revision_rows(items, author, message, now))

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
        now = h.utc_now()
        stamp = _db_time(now)
        done = 0
        touched: list[int] = []
        # zlib and SHA-256 release the GIL: a batch's revision rows are made on a second
        # core while this thread serializes the next batch and SQLite indexes this one.
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="casework-import")
        pending: list[Future[RevisionBatch]] = []

        def drain(db: sqlite3.Connection) -> None:
            while pending:
                _insert_revisions(db, pending.pop(0).result())

        try:
            with self._write(touched) as db:
                existing = {slug for (slug,) in db.execute("SELECT slug FROM records")}
                # A renamed record's old slug names a history, a deleted one's a tombstone.
                retired = {slug for (slug,) in db.execute(TAKEN)}
                batch: list[Record | PreparedRecord] = []
                batch_slugs: set[str] = set()

                def flush() -> None:
                    nonlocal done
                    if not existing.isdisjoint(batch_slugs):
                        drain(db)  # a replaced record's chain goes on from its last revision
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
                    items = [(w, 1, Action.import_, status, "") for w in new]
                    drain(db)
                    pending.append(pool.submit(_revision_rows, items, author, message, now))
                    touched.extend(self._insert_new(db, [(w, status) for w in new], stamp))
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
                drain(db)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        return done

    def _import_over(
        self,
        db: sqlite3.Connection,
        record: Record | PreparedRecord,
        status: Status,
        author: str,
        message: str,
        now: datetime,
        replacer: Replacer | None = None,
    ) -> int | None:
        current = _current(db, record.slug)
        assert current is not None
        rowid, revision, old_status, old_data = current
        decided = replacement(replacer, record, status, (old_data, old_status, revision), now)
        if decided is None:
            return None
        record, status = decided
        written = _prepared(record)
        self._replace(db, rowid, old_data, Status(old_status), written, status, revision, now)
        prev = _revision_hash(db, record.slug, revision)
        self._add_revisions(
            db, [(written, revision + 1, Action.import_, status, prev)], author, message, now
        )
        return rowid

    def get(self, slug: str) -> StoredRecord:
        with self._read() as db:
            row = db.execute(
                "SELECT data, status, revision, updated_at FROM records WHERE slug = ?", (slug,)
            ).fetchone()
        if row is None:
            raise RecordNotFound(slug)
        return _stored(row)

    def exists(self, slug: str) -> bool:
        with self._read() as db:
            return (
                db.execute("SELECT 1 FROM records WHERE slug = ?", (slug,)).fetchone() is not None
            )

    def iter_records(self, *, status: Status | None = None) -> Iterator[StoredRecord]:
        with self._read() as db:
            sql = "SELECT data, status, revision, updated_at FROM records"
            args: tuple[str, ...] = ()
            if status is not None:
                sql, args = sql + " WHERE status = ?", (status.value,)
            cursor = db.execute(sql + " ORDER BY id", args)
            while rows := cursor.fetchmany(500):
                for row in rows:
                    yield _stored(row)

    def count(self, *, status: Status | None = None) -> int:
        with self._read() as db:
            if status is None:
                return int(db.execute("SELECT count(*) FROM records").fetchone()[0])
            sql = "SELECT count(*) FROM records WHERE status = ?"
            return int(db.execute(sql, (status.value,)).fetchone()[0])

    def versions(self, *, status: Status | None = None) -> dict[str, RecordVersion]:
        # Only columns that precede `data` in a records row, and a covering index on
        # revisions: nothing reads a record's body, so a cold cache costs little.
        sql = (
            "SELECT r.slug, v.hash FROM records r"
            " JOIN revisions v INDEXED BY ix_revisions_slug_number_hash"
            " ON v.slug = r.slug AND v.number = r.revision"
        )
        args: tuple[str, ...] = ()
        if status is not None:
            sql, args = sql + " WHERE r.status = ?", (status.value,)
        with self._read() as db:
            return {
                slug: RecordVersion(hash) for slug, hash in db.execute(sql + " ORDER BY r.id", args)
            }

    def slugs(self, *, status: Status | None = None) -> set[str]:
        sql = "SELECT slug FROM records"
        args: tuple[str, ...] = ()
        if status is not None:
            sql, args = sql + " WHERE status = ?", (status.value,)
        with self._read() as db:
            return {slug for (slug,) in db.execute(sql, args)}

    def generation(self) -> int:
        with disk_errors.mapped(self._where):
            raw = self._engine.raw_connection()
            try:
                row = raw.driver_connection.execute(  # type: ignore[union-attr]
                    "SELECT generation FROM store_meta WHERE id = 1"
                ).fetchone()
            finally:
                raw.close()
        return int(row[0])

    # --- history -------------------------------------------------------------------------
    def history(self, slug: str) -> list[Revision]:
        with self._read() as db:
            rows = db.execute(
                f"SELECT {_REVISION_COLUMNS} FROM revisions WHERE slug = ? ORDER BY number",
                (slug,),
            ).fetchall()
        if not rows:
            raise RecordNotFound(slug)
        return [_revision(row) for row in rows]

    def revision(self, slug: str, number: int) -> Revision:
        with self._read() as db:
            row = db.execute(
                f"SELECT {_REVISION_COLUMNS} FROM revisions WHERE slug = ? AND number = ?",
                (slug, number),
            ).fetchone()
            if row is None:
                if db.execute("SELECT 1 FROM records WHERE slug = ?", (slug,)).fetchone():
                    raise RevisionNotFound(slug, number)
                raise RecordNotFound(slug)
        return _revision(row)

    def verify_history(self, slug: str | None = None) -> list[HistoryProblem]:
        problems: list[HistoryProblem] = []
        where, args = ("WHERE slug = ?", (slug,)) if slug is not None else ("", ())
        with self._read() as db:
            current = {
                s: (rev, data)
                for s, rev, data in db.execute(
                    f"SELECT slug, revision, data FROM records {where}", args
                )
            }
            ended = renamed_ends(
                db.execute(
                    ENDED.format(
                        where_old=" WHERE old_slug = ?" if slug is not None else "",
                        where_slug=" WHERE slug = ?" if slug is not None else "",
                    ),
                    args * 2,
                )
            )
            if slug is not None and not current and not ended:
                raise RecordNotFound(slug)
            cursor = db.execute(
                f"SELECT {_REVISION_COLUMNS} FROM revisions {where} ORDER BY slug, number", args
            )
            chain: tuple[str, int, str, str] | None = None  # slug, number, hash, data
            seen: set[str] = set()
            for row in cursor:
                problems.extend(_check_revision(row, chain))
                seen.add(row[0])
                if chain is not None and chain[0] != row[0]:
                    problems.extend(_check_current(chain, current, ended))
                chain = (row[0], row[1], row[9], _data_or_empty(row[7]))
            if chain is not None:
                problems.extend(_check_current(chain, current, ended))
        for missing in sorted(set(current) - seen):
            problems.append(HistoryProblem(missing, 0, "the record has no revisions"))
        return problems

    # --- search --------------------------------------------------------------------------
    def search(self, query: Query) -> SearchResult:
        # numpy loads with the search code, on a store's first search (facet_cache.py).
        from casework.store.sqlite_search import search, sqlite_facet_index

        with self._read() as db:
            generation = db.execute("SELECT generation FROM store_meta WHERE id = 1").fetchone()[0]
            index = self._facets.for_search(generation, lambda: sqlite_facet_index(generation, db))
            return search(db, index, query)

    def rebuild_search_index(self) -> None:
        """Rebuild the full-text tables from the stored records (after a change to how
        search text is made: contentless FTS5 tables delete rows by their original text;
        after `casework copy` wrote the rows directly)."""
        with self._write() as db:
            for table in ("search_head", "search_published", "search_all"):
                db.execute(f"INSERT INTO {table}({table}) VALUES('delete-all')")
            cursor = db.execute("SELECT id, status, data FROM records ORDER BY id")
            while rows := cursor.fetchmany(500):
                items = [
                    (rowid, prepare_record(h.record_from_json(data)), Status(status))
                    for rowid, status, data in rows
                ]
                _index(db, items, tags=False)

    # --- collections ---------------------------------------------------------------------
    def put_collection(self, collection: Collection) -> None:
        with self._write() as db:
            for slug in collection.records:
                if db.execute("SELECT 1 FROM records WHERE slug = ?", (slug,)).fetchone() is None:
                    raise RecordNotFound(slug)
            db.execute("DELETE FROM collection_records WHERE collection = ?", (collection.slug,))
            db.execute(
                "INSERT INTO collections (slug, title, lede, description) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (slug) DO UPDATE SET title = excluded.title, "
                "lede = excluded.lede, description = excluded.description",
                (collection.slug, collection.title, collection.lede, collection.description),
            )
            db.executemany(
                "INSERT INTO collection_records (collection, position, record_slug) "
                "VALUES (?, ?, ?)",
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
            if not db.execute("DELETE FROM collections WHERE slug = ?", (slug,)).rowcount:
                raise CollectionNotFound(slug)

    # --- lifecycle -----------------------------------------------------------------------
    def close(self) -> None:
        self._engine.dispose()
        self._closed()  # its files are no longer guarded (once, however often close is called)


class _InWrite:
    """`InWrite` over the write transaction's sqlite3 connection: times as SQLAlchemy's
    SQLite DateTime stores them, so that its readers parse them."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        values = [_db_time(v) if isinstance(v, datetime) else v for v in params]
        return self._db.execute(sql, values)


def _configure_connection(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # Transactions are begun by hand (BEGIN / BEGIN IMMEDIATE): the driver's own implicit
    # BEGIN would start writes as deferred transactions that fail to upgrade under load.
    dbapi_connection.isolation_level = None
    for pragma in (
        "PRAGMA journal_mode = WAL",
        "PRAGMA synchronous = FULL",
        "PRAGMA foreign_keys = ON",
        f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
    ):
        dbapi_connection.execute(pragma)


def _begin(connection: Any) -> None:
    # Used by SQLAlchemy-level transactions (the migrations): an explicit BEGIN, since the
    # driver's isolation_level is None.
    connection.exec_driver_sql("BEGIN")


def _drop_row(db: sqlite3.Connection, rowid: int, data: str, status: Status) -> None:
    """A record's row and what indexes it leave (its revisions stay): a retire, a delete."""
    _unindex(db, rowid, h.record_from_json(data), status)
    db.execute("DELETE FROM record_tags WHERE record_id = ?", (rowid,))
    db.execute("DELETE FROM records WHERE id = ?", (rowid,))
