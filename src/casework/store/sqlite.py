"""The SQLite engine: one file, WAL, synchronous=FULL; what SQLite does its own way under the
Store protocol that `sql.SQLStore` writes once for both engines.

SQLAlchemy owns the connection pool, runs the migrations and the reads; writes go to the sqlite3
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

from casework.model import Status
from casework.model.places import using_place_names
from casework.search_words import DEFAULT_LANGUAGE, using
from casework.store import disk_errors, guard, postings
from casework.store import history as h
from casework.store.accounts import Accounts
from casework.store.base import Action, Query, SearchResult, StoreError
from casework.store.facet_cache import FacetCache
from casework.store.jobs import Jobs
from casework.store.link_reports import LinkReports
from casework.store.migrate import migrate_engine
from casework.store.prepared import PreparedRecord, prepare_record
from casework.store.private_files import create_private_file
from casework.store.proposals import Proposals
from casework.store.revision_rows import RevisionBatch, revision_rows
from casework.store.sql import RECORD_COLUMNS, Current, SQLStore
from casework.store.sqlite_rows import (
    _NEW_ROW_MARKS,
    _db_time,
    _index,
    _new_row,
    _reindex_keys,
    _row,
    _unindex,
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


class SQLiteStore(SQLStore):
    """The Store protocol over one SQLite file (created and migrated when opened)."""

    _versions_index = " INDEXED BY ix_revisions_slug_number_hash"  # covers what it reads
    _import_batch = 500

    def __init__(
        self,
        url_or_path: str | Path,
        language: str = DEFAULT_LANGUAGE,
        place_names: Iterable[tuple[str, str]] = (),
    ) -> None:
        self.url = sqlite_url(url_or_path)
        # The tracker's search language: every read and write stems in it (`_read`, `_write`).
        self.language = language
        # Its [places.names]: the search text a write indexes names its codes with them.
        self.place_names = tuple(place_names)
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
        with using(language):  # migration 0017 writes stemmed indexes
            migrate_engine(self._engine)
        # From here on no Python code in this process may open the file (guard.py says why).
        self._held = guard.hold(self.path)
        self._closed = weakref.finalize(self, guard.release, self._held)
        self.accounts = Accounts(self._engine)
        self.jobs = Jobs(self._engine)
        self.link_reports = LinkReports(self._engine)
        self.proposals = Proposals(self._engine)
        self._facets = FacetCache()
        # Inserted records' postings, written a chunk at a time (postings.Pending): one write
        # transaction at a time holds any (BEGIN IMMEDIATE), and it flushes before it commits.
        self._postings = postings.Pending()

    # --- connections ---------------------------------------------------------------------
    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A connection inside a read transaction: one consistent snapshot."""
        with (
            disk_errors.mapped(self._where),
            using(self.language),
            using_place_names(self.place_names),
        ):
            raw = self._engine.raw_connection()
            db: sqlite3.Connection = raw.driver_connection  # type: ignore[assignment]
            try:
                db.execute("BEGIN")
                yield db
            finally:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raw.close()

    def _stream(self, db: sqlite3.Connection, sql: str, args: Sequence[Any]) -> Iterator[Any]:
        cursor = db.execute(sql, args)
        while rows := cursor.fetchmany(500):
            yield from rows

    @staticmethod
    def _read_time(value: str) -> datetime:
        return h.as_utc(datetime.fromisoformat(value))

    @contextmanager
    def _write(self, touched: list[int] | None = None) -> Iterator[sqlite3.Connection]:
        """A write transaction: committed on success, rolled back on any exception. The caller
        puts the ids of the records it wrote in `touched`, so that the facet index can be
        patched for them instead of rebuilt."""
        # A full disk fails the transaction whole: StorageFull.
        with (
            disk_errors.mapped(self._where),
            using(self.language),
            using_place_names(self.place_names),
        ):
            raw = self._engine.raw_connection()
            db: sqlite3.Connection = raw.driver_connection  # type: ignore[assignment]
            try:
                db.execute("BEGIN IMMEDIATE")
                try:
                    yield db
                    self._postings.flush(db)
                    db.execute("UPDATE store_meta SET generation = generation + 1 WHERE id = 1")
                    generation = db.execute(
                        "SELECT generation FROM store_meta WHERE id = 1"
                    ).fetchone()[0]
                    self._logged(db, generation, touched)
                    patched = None
                    if self._facets.current is not None:  # else there is nothing to patch
                        from casework.store.sqlite_search import sqlite_facet_rows

                        patched = self._facets.patched(
                            generation, touched or [], sqlite_facet_rows(db)
                        )
                    db.execute("COMMIT")
                except BaseException:
                    self._postings.drop()
                    if db.in_transaction:
                        db.execute("ROLLBACK")
                    raise
            finally:
                raw.close()
        self._committed(patched, generation)

    # --- rows ----------------------------------------------------------------------------
    _stored_time = staticmethod(_db_time)

    def _record_row(
        self, written: PreparedRecord, status: Status, revision: int, now: datetime
    ) -> tuple[Any, ...]:
        return _row(written, status.value, revision, _db_time(now))

    def _insert_records(
        self, db: sqlite3.Connection, items: list[tuple[PreparedRecord, Status]], now: datetime
    ) -> list[int]:
        first = db.execute("SELECT coalesce(max(id), 0) + 1 FROM records").fetchone()[0]
        seq = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'records'").fetchone()
        first = max(first, (seq[0] + 1) if seq else 1)  # ids are never reused
        stamp = _db_time(now)
        db.executemany(
            f"INSERT INTO records (id, {RECORD_COLUMNS}) VALUES ({_NEW_ROW_MARKS})",
            [_new_row(first + i, w, s.value, stamp) for i, (w, s) in enumerate(items)],
        )
        _index(db, [(first + i, w, s) for i, (w, s) in enumerate(items)], keys=False)
        self._postings.add(
            db, [(first + i, w.head_keys, w.all_keys) for i, (w, _) in enumerate(items)]
        )
        return list(range(first, first + len(items)))

    def _reindex(
        self, db: sqlite3.Connection, current: Current, written: PreparedRecord, status: Status
    ) -> None:
        self._postings.flush(db)  # the keys `_unindex` finds are the postings'
        old = h.record_from_json(current.data)
        keys = _unindex(db, current.id, old, Status(current.status), keys=False)
        db.execute("DELETE FROM record_tags WHERE record_id = ?", (current.id,))
        db.execute("DELETE FROM record_pages WHERE record_id = ?", (current.id,))
        _index(db, [(current.id, written, status)], keys=False)
        _reindex_keys(db, current.id, keys, written)

    def _drop_row(self, db: sqlite3.Connection, current: Current) -> None:
        self._postings.flush(db)
        _unindex(db, current.id, h.record_from_json(current.data), Status(current.status))
        db.execute("DELETE FROM record_tags WHERE record_id = ?", (current.id,))
        db.execute("DELETE FROM record_pages WHERE record_id = ?", (current.id,))
        db.execute("DELETE FROM records WHERE id = ?", (current.id,))

    def _bulk_insert(
        self, db: sqlite3.Connection, table: str, columns: str, rows: list[tuple[Any, ...]]
    ) -> None:
        marks = ", ".join("?" * (columns.count(",") + 1))
        db.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)

    @contextmanager
    def _import_writer(
        self, db: sqlite3.Connection, author: str, message: str, now: datetime
    ) -> Iterator[_PipelinedImport]:
        writer = _PipelinedImport(self, db, author, message, now)
        with _bulk_load(db):
            try:
                yield writer
            finally:
                writer.close()

    def _read_generation(self) -> int:
        with disk_errors.mapped(self._where):
            raw = self._engine.raw_connection()
            try:
                row = raw.driver_connection.execute(  # type: ignore[union-attr]
                    "SELECT generation FROM store_meta WHERE id = 1"
                ).fetchone()
            finally:
                raw.close()
        return int(row[0])

    # --- search --------------------------------------------------------------------------
    def search(self, query: Query) -> SearchResult:
        # numpy loads with the search code, on a store's first search (facet_cache.py).
        from casework.store.sqlite_search import search

        with self._read() as db:
            generation = db.execute("SELECT generation FROM store_meta WHERE id = 1").fetchone()[0]
            return search(db, self._facet_index(db, generation), query, generation)

    def _facet_index(self, db: sqlite3.Connection, generation: int | None = None) -> Any:
        from casework.store.change_feed import followed
        from casework.store.sqlite_search import sqlite_facet_index_of, sqlite_facet_rows

        if generation is None:
            generation = db.execute("SELECT generation FROM store_meta WHERE id = 1").fetchone()[0]
        return self._facets.for_search(
            generation,
            lambda: sqlite_facet_index_of(self.path, generation, db),
            lambda index: followed(index, generation, self._statements(db), sqlite_facet_rows(db)),
        )

    def rebuild_search_index(self) -> None:
        """Rebuild the full-text tables from the stored records (after a change to how
        search text is made: contentless FTS5 tables delete rows by their original text;
        after `casework copy` wrote the rows directly)."""
        with self._write() as db:
            for table in ("search_head", "search_published"):
                db.execute(f"INSERT INTO {table}({table}) VALUES('delete-all')")
            postings.clear(db)
            cursor = db.execute("SELECT id, status, data FROM records ORDER BY id")
            while rows := cursor.fetchmany(500):
                items = [
                    (rowid, prepare_record(h.record_from_json(data)), Status(status))
                    for rowid, status, data in rows
                ]
                _index(db, items, tags=False)

    # --- lifecycle -----------------------------------------------------------------------
    def close(self) -> None:
        self._engine.dispose()
        self._closed()  # its files are no longer guarded (once, however often close is called)


class _PipelinedImport:
    """An import's new records on SQLite: zlib and SHA-256 release the GIL, so a batch's
    revision rows are made on a second core while this thread serializes the next batch and
    SQLite indexes this one."""

    def __init__(
        self, store: SQLiteStore, db: sqlite3.Connection, author: str, message: str, now: datetime
    ) -> None:
        self._store, self._db = store, db
        self._author, self._message, self._now = author, message, now
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="casework-import")
        self._pending: list[Future[RevisionBatch]] = []

    def write_new(self, new: list[PreparedRecord], status: Status) -> list[int]:
        self.settle()
        if not new:
            return []
        items = [(w, 1, Action.import_, status, "") for w in new]
        stamp = _db_time(self._now)
        self._pending.append(
            self._pool.submit(revision_rows, items, self._author, self._message, self._now, stamp)
        )
        return self._store._insert_records(self._db, [(w, status) for w in new], self._now)

    def settle(self) -> None:
        while self._pending:
            self._store._insert_revisions(self._db, self._pending.pop(0).result())

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


# The secondary indexes of the tables an import fills row by row. Into an empty tracker they
# are dropped and made again once the rows are in: one sort each instead of a B-tree insert
# a row in random order (480 -> 370 µs of the importing process's CPU a record, measured at
# 5,000; a bigger page cache gained nothing more at 10,000 and held 90 MiB).
_DEFERRED_INDEX_TABLES = ("records", "record_tags", "record_pages")


@contextmanager
def _bulk_load(db: sqlite3.Connection) -> Iterator[None]:
    """Inside an import's transaction: when there were no records before, the secondary
    indexes are made after the rows. The transaction's own rollback brings them back if the
    import fails or is killed (SQLite's DDL is transactional): a killed import still changes
    nothing."""
    deferred: list[str] = []
    if db.execute("SELECT 1 FROM records LIMIT 1").fetchone() is None:
        marks = ", ".join("?" * len(_DEFERRED_INDEX_TABLES))
        # An index SQLite made for a constraint (sql IS NULL) stays: uniqueness is checked
        # row by row, and replacing a record finds it by slug.
        for name, sql in db.execute(
            "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL"
            f" AND tbl_name IN ({marks}) ORDER BY name",
            _DEFERRED_INDEX_TABLES,
        ).fetchall():
            db.execute(f'DROP INDEX "{name}"')
            deferred.append(sql)
    yield
    for sql in deferred:
        db.execute(sql)


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
