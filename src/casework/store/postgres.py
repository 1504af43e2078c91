"""The PostgreSQL engine, through psycopg 3: what PostgreSQL does its own way under the Store
protocol that `sql.SQLStore` writes once for both engines.

SQLAlchemy owns the connection pool, runs the migrations and the reads, and serves `Accounts`;
writes go to psycopg as plain SQL, for COPY in bulk imports and for tsvector literals.

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

import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import datetime
from typing import Any, cast

import psycopg
from psycopg.pq import TransactionStatus
from sqlalchemy import create_engine, event, make_url
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.pool import ConnectionPoolEntry

from casework.model import Status
from casework.model.places import using_place_names
from casework.search_words import DEFAULT_LANGUAGE, using
from casework.store import disk_errors, postgres_postings
from casework.store import history as h
from casework.store.accounts import Accounts
from casework.store.base import Action, Query, SearchResult, SlugExists, StoreError
from casework.store.change_feed import CHANNEL, followed
from casework.store.durability import check_durability
from casework.store.facet_cache import FacetCache
from casework.store.jobs import Jobs
from casework.store.link_reports import LinkReports
from casework.store.migrate import migrate_engine, sqlalchemy_url
from casework.store.postgres_search import (
    begin,
    facet_index,
    facet_rows,
    search,
    words_copy_row,
    words_row,
)
from casework.store.prepared import PAGE_COLUMNS, PreparedRecord, page_rows, prepare_record
from casework.store.proposals import Proposals
from casework.store.revision_rows import revision_rows
from casework.store.sql import RECORD_COLUMNS, Current, SQLStore, Statements, md5_hex

Connection = psycopg.Connection[Any]

IMPORT_BATCH = 1000
ANALYZE_AFTER = 1000  # records imported at once after which the tables are analyzed
_WORDS_COLUMNS = "record_id, search, search_head, head_length"
_TAG_COLUMNS = "record_id, position, tag"
# `records`' columns as a binary COPY sends them: id, then RECORD_COLUMNS (`data` as bytes:
# the binary form of text is its bytes; varchar's is text's).
_RECORD_TYPES = [
    "int4", "text", "text", "int4", "timestamptz", "bytea", "text", "text", "int4", "text",
    "text", "text", "bool", "text",
]  # fmt: skip
# Any constant shared by every casework process: the advisory lock that makes writers append to
# the revision log one at a time (READ COMMITTED would let two read the same last head).
_LOG_LOCK = postgres_postings.LOG_LOCK  # "casewlog"
# What each text a write is given is called in the message refusing a NUL in it.
_TEXTS = {
    "author": "the author",
    "message": "the revision message",
    "reason": "the reason",
    "title": "the collection's title",
    "lede": "the collection's lede",
    "description": "the collection's description",
}


class DatabaseUnavailable(StoreError):
    """The PostgreSQL server cannot be reached, or refuses the connection."""


class ReplicaBehind(StoreError):
    """The read replica's schema is not this casework's (the primary not migrated yet, or
    the replica not caught up with its migration)."""


def _check_replica_schema(engine: Engine, shown: str) -> None:
    from casework.store.migrate import at_head

    with engine.connect() as connection:
        if not at_head(connection):
            raise ReplicaBehind(
                f"the read replica {shown} is not at this casework's schema: migrate the "
                "primary (any casework command opening it does) and let the replica catch up"
            )


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
    written: PreparedRecord, status: Status, revision: int, now: datetime, data: Any = None
) -> tuple[Any, ...]:
    """A `records` row but its id; `data` as given (a binary COPY's UTF-8 bytes), else the
    record's JSON as text."""
    return (
        written.slug, status.value, revision, now, written.data if data is None else data,
        _column_text(written.title),
        written.date, written.year, _column_text(written.category),
        _column_text(written.severity), _column_text(written.posture), written.ongoing,
        written.countries,
    )  # fmt: skip


def _words_row(rowid: int, written: PreparedRecord) -> tuple[int, str, str, int]:
    """The record's `record_words` row: its two tsvector literals and its short fields'
    length."""
    return (rowid, *words_row(written))


def _tag_rows(rowid: int, written: PreparedRecord) -> list[tuple[int, int, str]]:
    return [(rowid, i, _column_text(tag)) for i, tag in enumerate(written.tags)]


def _as_is(moment: datetime) -> datetime:
    return moment


def _slug_of_violation(error: psycopg.errors.UniqueViolation) -> str | None:
    """The slug named by a unique violation on records.slug (another writer's record)."""
    if error.diag.constraint_name != "uq_records_slug":
        return None
    detail = error.diag.message_detail or ""  # Key (slug)=(the-slug) already exists.
    start, end = detail.find(")=("), detail.rfind(") already exists")
    return detail[start + 3 : end] if 0 <= start < end else ""


PING_IDLE_S = 1.0
"""A pooled connection unused for longer than this is pinged before it is handed out."""


def _ping_when_idle(engine: Engine) -> None:
    """Ping a pooled connection at checkout only when it sat idle for PING_IDLE_S: a server
    restart or a dropped connection shows up there, as with SQLAlchemy's `pool_pre_ping`, but
    a busy process (the web app's reads, one checkout per request) does not pay a round trip
    per checkout for it. A connection that fails its ping is replaced (the pool tries again
    with a new one)."""

    def checkin(_dbapi: Any, record: ConnectionPoolEntry) -> None:
        record.info["idle_since"] = time.monotonic()

    def checkout(dbapi: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is not None and time.monotonic() - since > PING_IDLE_S:
            try:
                engine.dialect.do_ping(dbapi)
            except psycopg.OperationalError as error:
                raise DisconnectionError(str(error)) from error

    event.listen(engine, "checkin", checkin)
    event.listen(engine, "checkout", checkout)


class PostgresStore(SQLStore):
    """The Store protocol over one PostgreSQL database (migrated when opened)."""

    _marker = "%s"
    _for_update = " FOR UPDATE"
    _import_batch = IMPORT_BATCH
    reads_wait = True  # every statement is a round trip to the server

    def __init__(
        self,
        url: str,
        language: str = DEFAULT_LANGUAGE,
        place_names: Iterable[tuple[str, str]] = (),
        *,
        replica: bool = False,
    ) -> None:
        self.url = sqlalchemy_url(url)
        # A read replica (`[database] replica_url`): opened read-only, never migrated (a
        # standby takes its schema from the primary), and refused while its schema is not
        # the one this casework writes.
        self.replica = replica
        # The tracker's search language: every read and write stems in it (`_read`, `_write`).
        self.language = language
        # Its [places.names]: the search text a write indexes names its codes with them.
        self.place_names = tuple(place_names)
        shown = make_url(url).render_as_string(hide_password=True)  # for messages
        if make_url(self.url).drivername != "postgresql+psycopg":
            raise StoreError(
                f"{shown!r}: casework talks to PostgreSQL through psycopg 3 "
                "(postgresql:// or postgresql+psycopg:// URLs)"
            )
        self._where = shown
        # A replica's sessions refuse writes, as a hot standby's do: a public read that
        # wrote would fail here too, not only on a real standby.
        options = {"options": "-c default_transaction_read_only=on"} if replica else {}
        self._engine: Engine = create_engine(self.url, connect_args=options)
        _ping_when_idle(self._engine)
        disk_errors.listen(self._engine, shown)
        try:
            if replica:
                _check_replica_schema(self._engine, shown)
            else:
                with using(language):  # migration 0017 writes stemmed indexes
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
        # Idle connections kept for `_read_generation` alone, one taken per read at once.
        self._generation_dbs: list[Connection] = []
        self._listener: Connection | None = None  # LISTENs to the change feed (wait_for_change)
        # The generation the listener last heard of (`known_generation`), and whether it is
        # waiting on its socket now: only then is nothing it was told still unread.
        self._heard: int | None = None
        self._listening = False
        self._facets = FacetCache()
        self._generation_lock = threading.Lock()

    # --- connections ---------------------------------------------------------------------
    @contextmanager
    def _read(self) -> Iterator[Connection]:
        """A connection inside a read-only REPEATABLE READ transaction: one snapshot."""
        with (
            disk_errors.mapped(self._where),
            using(self.language),
            using_place_names(self.place_names),
            self._engine.connect().execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            ) as connection,
            connection.begin(),
        ):
            yield cast(Connection, connection.connection.driver_connection)

    @contextmanager
    def _read_one(self) -> Iterator[Connection]:
        """A connection in autocommit, for one statement (its own snapshot): one round trip,
        where `_read`'s BEGIN and COMMIT are two more (a record's API answer made 7)."""
        with (
            disk_errors.mapped(self._where),
            using(self.language),
            using_place_names(self.place_names),
            self._engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection,
        ):
            yield cast(Connection, connection.connection.driver_connection)

    def _stream(self, db: Connection, sql: str, args: Sequence[Any]) -> Iterator[Any]:
        # A server-side cursor: the rows stream in batches, never all in memory.
        with db.cursor(name="casework_stream") as cursor:
            cursor.itersize = 500
            cursor.execute(sql, args)
            yield from cursor

    @staticmethod
    def _read_time(value: datetime) -> datetime:
        return h.as_utc(value)

    @contextmanager
    def _write(self, touched: list[int] | None = None) -> Iterator[Connection]:
        """A READ COMMITTED write transaction: committed on success, rolled back on any
        exception; the generation moves with every committed write. The caller puts the ids
        of the records it wrote in `touched`, so that the facet index in memory can be
        patched for them instead of rebuilt."""
        with (
            disk_errors.mapped(self._where),
            using(self.language),
            using_place_names(self.place_names),
            self._engine.connect() as connection,
        ):
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
                self._logged(db, generation, touched)
                patched = self._facets.patched(generation, touched or [], facet_rows(db))
        self._committed(patched, generation)

    # --- rows ----------------------------------------------------------------------------
    _stored_time = staticmethod(_as_is)  # a timestamptz

    def _allowed(self, **texts: str) -> None:
        for name, value in texts.items():
            _no_nul(_TEXTS[name], value)

    def _record_row(
        self, written: PreparedRecord, status: Status, revision: int, now: datetime
    ) -> tuple[Any, ...]:
        return _record_row(written, status, revision, now)

    def _lock_renames(self, w: Statements) -> None:
        w.execute("LOCK TABLE renames IN EXCLUSIVE MODE")

    def _lock_log(self, w: Statements) -> None:
        # Taken last in the write and held until it commits, so logged order is commit order.
        w.execute("SELECT pg_advisory_xact_lock(?)", (_LOG_LOCK,))

    def _insert_records(
        self, db: Connection, items: list[tuple[PreparedRecord, Status]], now: datetime
    ) -> list[int]:
        ids = []
        for written, status in items:
            row = db.execute(
                f"INSERT INTO records ({RECORD_COLUMNS}) VALUES ({', '.join(['%s'] * 13)}) "
                "ON CONFLICT (slug) DO NOTHING RETURNING id",
                _record_row(written, status, 1, now),
            ).fetchone()
            if row is None:  # another writer's, committed since this one looked
                raise SlugExists(written.slug)
            ids.append(int(row[0]))
            db.execute(
                f"INSERT INTO record_words ({_WORDS_COLUMNS}) VALUES (%s, %s, %s, %s)",
                _words_row(row[0], written),
            )
            postgres_postings.change(db, [(row[0], postgres_postings.record_keys(written))])
            self._bulk_insert(db, "record_tags", _TAG_COLUMNS, _tag_rows(row[0], written))
            self._bulk_insert(db, "record_pages", PAGE_COLUMNS, page_rows(row[0], written, status))
        return ids

    def _reindex(
        self, db: Connection, current: Current, written: PreparedRecord, status: Status
    ) -> None:
        # Only the keys that changed: a save's edit moves a few of a record's ~370.
        old = postgres_postings.stored_keys(db, current.id)
        now = postgres_postings.record_keys(written)
        postgres_postings.change(db, [(current.id, now - old)], [(current.id, old - now)])
        db.execute(
            "UPDATE record_words SET search = %s, search_head = %s, head_length = %s"
            " WHERE record_id = %s",
            (*words_row(written), current.id),
        )
        db.execute("DELETE FROM record_tags WHERE record_id = %s", (current.id,))
        self._bulk_insert(db, "record_tags", _TAG_COLUMNS, _tag_rows(current.id, written))
        db.execute("DELETE FROM record_pages WHERE record_id = %s", (current.id,))
        self._bulk_insert(db, "record_pages", PAGE_COLUMNS, page_rows(current.id, written, status))

    def _drop_row(self, db: Connection, current: Current) -> None:
        old = postgres_postings.stored_keys(db, current.id)
        postgres_postings.change(db, [], [(current.id, old)])
        db.execute("DELETE FROM record_words WHERE record_id = %s", (current.id,))
        db.execute("DELETE FROM record_tags WHERE record_id = %s", (current.id,))
        db.execute("DELETE FROM record_pages WHERE record_id = %s", (current.id,))
        db.execute("DELETE FROM records WHERE id = %s", (current.id,))

    @staticmethod
    def _copy_words(db: Connection, ids: Sequence[int], records: Sequence[PreparedRecord]) -> None:
        """`record_words` rows by a binary COPY: the tsvectors in their binary form
        (`words_copy_row`), which the server reads without parsing (each COPY field is handed
        to its column type's receive function as it is; `bytea`'s form is the bytes
        unchanged)."""
        with (
            db.cursor() as cursor,
            cursor.copy(f"COPY record_words ({_WORDS_COLUMNS}) FROM STDIN (FORMAT BINARY)") as copy,
        ):
            copy.set_types(["int4", "bytea", "bytea", "int4"])
            for rowid, written in zip(ids, records, strict=True):
                copy.write_row((rowid, *words_copy_row(written)))

    def _bulk_insert(
        self, db: Connection, table: str, columns: str, rows: list[tuple[Any, ...]]
    ) -> None:
        if not rows:
            return
        with db.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    @contextmanager
    def _import_writer(
        self, db: Connection, author: str, message: str, now: datetime
    ) -> Iterator[_CopyImport]:
        writer = _CopyImport(self, db, author, message, now)
        yield writer
        writer.settle()

    def _after_import(self, done: int) -> None:
        if done >= ANALYZE_AFTER:
            self._after_bulk_write()

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
            db.execute("ANALYZE records, record_words, record_tags, record_pages, revisions")
            db.commit()

    # --- reads ---------------------------------------------------------------------------
    _bytewise = ' COLLATE "C"'
    # PostgreSQL's md5 of the text's UTF-8 bytes: the bodies stay in the database.
    _current_digest = "md5(data)"

    def _data_digest(self, data: str) -> str:
        return md5_hex(data)

    def known_generation(self) -> int | None:
        """The store's generation without asking the server, when the change feed's listener
        (`wait_for_change`: a `serve` worker's follower thread) is waiting on its socket: every
        write commits with a NOTIFY of its generation (`_announce`), so the last one it heard is
        the generation now, but for a NOTIFY still on its way (the server's delivery, well
        under a millisecond). While the follower is busy with a change (notices may queue
        unread), before it first listens, and after its connection failed: None, the server
        is asked."""
        return self._heard if self._listening else None

    def _hear(self, generation: int) -> None:
        # This process's own write (`_committed`) or the change feed's news of one.
        with self._generation_lock:
            if self._heard is not None and generation > self._heard:
                self._heard = generation

    def _read_generation(self) -> int:
        """As the change feed's listener heard it (`known_generation`), else on a connection
        kept for it alone: the web app asks before every answer it may
        have cached, and a pooled connection with its liveness ping cost three round trips
        (0.67 ms) where this costs one. Each read at once takes its own (they were one,
        behind a lock: with the API's reads in threads, requests queued there for each
        other's round trips); they stay open for the next."""
        known = self.known_generation()
        if known is not None:
            return known
        for attempt in (1, 2):
            db = None
            if attempt == 1:
                with self._generation_lock:
                    db = self._generation_dbs.pop() if self._generation_dbs else None
            try:
                if db is None or db.closed:
                    db = psycopg.connect(self._driver_url(), autocommit=True)
                row = db.execute(
                    "SELECT generation FROM store_meta WHERE id = 1", prepare=True
                ).fetchone()
            except psycopg.OperationalError:
                # The server restarted or dropped the connection: a new one, once (and the
                # others kept are likely gone too).
                with self._generation_lock:
                    dropped, self._generation_dbs = self._generation_dbs, []
                for each in [db, *dropped]:
                    if each is not None:
                        each.close()
                if attempt == 2:
                    raise
                continue
            with self._generation_lock:
                self._generation_dbs.append(db)
            generation = int(row[0]) if row else 0
            # What the server says is never behind what the listener heard: a NOTIFY without
            # the generation (another casework's, or none sent) is made up for here, at the
            # follower's next look at the generation.
            self._hear(generation)
            return generation
        raise AssertionError("unreachable")

    # --- search --------------------------------------------------------------------------
    def search(self, query: Query) -> SearchResult:
        with self._read_one() as db:
            # The snapshot opened here, with its first lookup, in one round trip
            # (`postgres_search.begin`), and committed with the search's last statement.
            try:
                generation, made = begin(db, self._facets.current, query)
                index = self._facet_index(db, generation)
                found = search(db, index, query, generation, made, commit=True)
            except BaseException:
                if db.info.transaction_status != TransactionStatus.IDLE:
                    with suppress(psycopg.Error):  # a broken connection: the pool drops it
                        db.execute("ROLLBACK")
                raise
            if db.info.transaction_status != TransactionStatus.IDLE:
                db.execute("COMMIT")  # no page read (no hits)
            return found

    def _facet_index(self, db: Connection, generation: int | None = None) -> Any:
        if generation is None:
            generation = _generation(db)
        return self._facets.for_search(
            generation,
            lambda: facet_index(db, generation),
            lambda index: followed(index, generation, self._statements(db), facet_rows(db)),
        )

    # --- the change feed -----------------------------------------------------------------
    def _announce(self, w: Statements, generation: int) -> None:
        # Delivered when the write commits, never if it rolls back.
        w.execute("SELECT pg_notify(?, ?)", (CHANNEL, str(generation)))

    def wait_for_change(self, timeout: float) -> None:
        """Wait for a NOTIFY on the change feed's channel, `timeout` seconds at most, on a
        connection LISTENing for it alone (opened on first use, again after it failed).
        A replica only sleeps: a standby takes no LISTEN, and its followers wait on the
        primary's (web/app.py `following`)."""
        if self.replica:
            time.sleep(timeout)
            return
        listener = self._listener
        try:
            if listener is None or listener.closed:
                listener = self._listener = psycopg.connect(self._driver_url(), autocommit=True)
                listener.execute(f"LISTEN {CHANNEL}")
                # Read once LISTEN holds: every write committing after this is heard of.
                row = listener.execute("SELECT generation FROM store_meta WHERE id = 1").fetchone()
                with self._generation_lock:
                    self._heard = int(row[0]) if row else 0
            self._listening = True
            for notice in listener.notifies(timeout=timeout, stop_after=1):
                self._listening = False
                if notice.payload.isdigit():
                    self._hear(int(notice.payload))
        except psycopg.OperationalError:
            with self._generation_lock:
                self._heard = None
            if listener is not None:
                listener.close()
            self._listener = None
            raise
        finally:
            self._listening = False

    def _driver_url(self) -> str:
        return make_url(self.url).set(drivername="postgresql").render_as_string(hide_password=False)

    # --- lifecycle -----------------------------------------------------------------------
    def rebuild_search_index(self) -> None:
        """Every record's search vectors made again from its stored data (after `casework copy`
        wrote the rows directly)."""
        with self._write() as db:
            db.execute("DELETE FROM record_words")
            db.execute("DELETE FROM search_postings")
            pending = postgres_postings.Pending()
            with db.cursor(name="casework_rebuild") as reading:
                reading.execute("SELECT id, data FROM records ORDER BY id")
                # A batch read, then written: no statement may run on a connection mid-COPY.
                while rows := reading.fetchmany(1000):
                    made = [prepare_record(h.record_from_json(d)) for _i, d in rows]
                    self._copy_words(db, [i for i, _d in rows], made)
                    pending.add(db, zip([i for i, _d in rows], made, strict=True))
            pending.flush(db)
        self._after_bulk_write()

    def close(self) -> None:
        with self._generation_lock:
            kept, self._generation_dbs = self._generation_dbs, []
        for db in kept:
            db.close()
        self._heard = None
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        self._engine.dispose()


# The tables a bulk import fills, whose secondary indexes it may build after loading them.
_IMPORTED_TABLES = (
    "records", "record_words", "record_tags", "record_pages", "revisions", "revision_log"
)  # fmt: skip


class _CopyImport:
    """An import's new records on PostgreSQL: rows, words, tags and first revisions by COPY.

    Into empty tables (a new tracker's first import), a batch as large
    as IMPORT_BATCH or more first drops the tables' secondary indexes, which are not unique
    (the GIN indexes of `record_words` most of all), and their foreign keys; `settle` builds
    them again once the rows are in, in the same transaction: each index is built in one sort
    and each foreign key checked in one join, where COPY into the indexed tables added every
    row's words to the GIN pending lists (merged again after the import) and checked every
    row's key with a query of its own. Measured, it saves only a few percent of the server's
    time (the tsvector input itself is most of `record_words`'); a rollback brings the indexes
    back with the empty tables. The unique indexes stay: they check slugs and revision numbers
    as the rows arrive. The cost: DROP INDEX locks those tables against reading until the
    import commits, which only the import's own empty tracker notices."""

    def __init__(
        self, store: PostgresStore, db: Connection, author: str, message: str, now: datetime
    ) -> None:
        self._store, self._db = store, db
        self._author, self._message, self._now = author, message, now
        self._first = True
        self._postings = postgres_postings.Pending()  # the new records' keys, a chunk at a time
        self._dropped: list[str] = []  # the dropped indexes' definitions, to build again

    def _drop_indexes(self) -> None:
        db = self._db
        db.execute(f"LOCK TABLE {', '.join(_IMPORTED_TABLES)} IN ACCESS EXCLUSIVE MODE")
        if db.execute("SELECT EXISTS (SELECT 1 FROM records)").fetchone() != (False,):
            return
        found = db.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i"
            " JOIN pg_class c ON c.oid = i.indexrelid"
            " WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisunique"
            " AND NOT i.indisprimary",
            [list(_IMPORTED_TABLES)],
        ).fetchall()
        for name, definition in found:
            db.execute(f'DROP INDEX "{name}"')
            self._dropped.append(definition)
        # Foreign keys too: checked row by row, `record_tags`' and `record_words`' cost a
        # query each of ~7.5 rows a record; added again, each is checked in one join.
        keys = db.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
            " FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])",
            [list(_IMPORTED_TABLES)],
        ).fetchall()
        for table, name, definition in keys:
            db.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            self._dropped.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')

    def write_new(self, new: list[PreparedRecord], status: Status) -> list[int]:
        if not new:
            return []
        db, store, now = self._db, self._store, self._now
        if self._first:
            self._first = False
            if len(new) >= IMPORT_BATCH:
                self._drop_indexes()
        ids = [
            row[0]
            for row in db.execute(
                "SELECT nextval(pg_get_serial_sequence('records', 'id')) "
                "FROM generate_series(1, %s) ORDER BY 1",
                (len(new),),
            )
        ]
        pairs = list(zip(ids, new, strict=True))
        # Binary: the JSON goes as the UTF-8 bytes it was serialized to (a text's binary form),
        # neither decoded here nor escaped for COPY's text format and parsed again there.
        with (
            db.cursor() as cursor,
            cursor.copy(f"COPY records (id, {RECORD_COLUMNS}) FROM STDIN (FORMAT BINARY)") as copy,
        ):
            copy.set_types(_RECORD_TYPES)
            for rowid, written in pairs:
                copy.write_row((rowid, *_record_row(written, status, 1, now, written.data_bytes)))
        store._copy_words(db, ids, new)
        self._postings.add(db, pairs)
        tags = [row for rowid, written in pairs for row in _tag_rows(rowid, written)]
        store._bulk_insert(db, "record_tags", _TAG_COLUMNS, tags)
        pages = [row for rowid, written in pairs for row in page_rows(rowid, written, status)]
        store._bulk_insert(db, "record_pages", PAGE_COLUMNS, pages)
        items = [(w, 1, Action.import_, status, "") for w in new]
        store._insert_revisions(
            db, revision_rows(items, self._author, self._message, now, _as_is(now))
        )
        return ids

    def settle(self) -> None:
        """Each batch is written whole, the postings of its records too; indexes dropped for
        the load are built again."""
        self._postings.flush(self._db)
        while self._dropped:
            self._db.execute(self._dropped.pop())


def _generation(db: Connection) -> int:
    """store_meta's generation, as the snapshot `db` reads it."""
    row = db.execute("SELECT generation FROM store_meta WHERE id = 1").fetchone()
    return int(row[0]) if row else 0
