"""The Store protocol in SQL, written once for every engine: `SQLStore` holds the read side
(records, history and its verification, collections), the writes' logic (create, change,
import batching, rename, retire, delete, collections) and the revision log over the shared
schema (`schema.py`, SQLAlchemy Core); an engine subclass (sqlite.py, postgres.py) keeps only
what differs: how a connection is set up and a read or write transaction taken, how a record's
row and its search index are written, bulk inserts, locks, times, generation and search.

The SQL is written once with `?` placeholders (`Statements`) and runs on the driver connection
of the engine's transaction. Not through SQLAlchemy's Connection: for a small read (`get`,
`count`, `history`) that cost 2-17x the time of the statement itself (measured with 2,000
records), and the bulk paths (executemany, COPY) are the engines' own anyway.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from typing import Any, ClassVar, NamedTuple, Protocol

from sqlalchemy.engine import Engine

from casework.evidence import ledger
from casework.model import Collection, Record, Status
from casework.store import history as h
from casework.store import request_generation
from casework.store.base import (
    Action,
    Along,
    CollectionNotFound,
    Conflict,
    HistoryProblem,
    Progress,
    RecordNotFound,
    RecordVersion,
    Replacer,
    Revision,
    RevisionNotFound,
    SearchResult,
    SlugExists,
    StoredRecord,
)
from casework.store.change_feed import SLUG_KEPT, Touched, changed_since, log_changes
from casework.store.facet_cache import FacetCache
from casework.store.prepared import PreparedRecord, prepare_record
from casework.store.revision_rows import (
    REVISION_COLUMNS,
    RevisionBatch,
    RevisionItem,
    prepared,
    revision_rows,
)
from casework.store.verification import Chain, check_current, check_revision, revision_data

RECORD_COLUMNS = (
    "slug, status, revision, updated_at, data, title, date, year, category, severity, "
    "posture, ongoing, countries"
)
"""A `records` row but its id, in the order an engine's `_record_row` gives the values."""

EVER_USED = (
    "SELECT 1 FROM renames WHERE old_slug = ? UNION ALL SELECT 1 FROM revisions WHERE slug = ?"
)
"""A slug that was ever a record's (a renamed record's old slug, or any slug with revisions:
a deleted record's included)."""

TAKEN = "SELECT old_slug FROM renames UNION ALL SELECT slug FROM deletions"
"""Slugs no new record may take although no record row has them: a renamed record's old slug
names a history, and a deleted record's names a tombstone."""

# What the change feed calls a revision's change (change_feed.py; "status" is logged as
# "published" or "unpublished").
_FEED_KINDS = {
    Action.edit: "saved",
    Action.status: "status",
    Action.restore: "restored",
    Action.create: "created",
    Action.import_: "imported",
    Action.rename: "renamed",
}
_ASSIGNMENTS = ", ".join(f"{column.strip()} = ?" for column in RECORD_COLUMNS.split(","))
_STORED = "data, status, revision, updated_at"


_MANY = 500  # slugs a query of `get_many`

# The records' columns a listing page is one value of (publish/plan.py FACET_FAMILIES).
LISTED = ("category", "severity", "posture", "year")


def _status_where(status: Status | None, prefix: str = "") -> tuple[str, tuple[str, ...]]:
    """A WHERE clause for the records of `status` (all: none)."""
    if status is None:
        return "", ()
    return f" WHERE {prefix}status = ?", (status.value,)


# The published records with their lastUpdated day (`record_pages`' "updated" row, one a
# record: migration 0026), for a walk in store order.
_UPDATED_IN_ORDER = (
    "FROM records r JOIN record_pages p ON p.record_id = r.id AND p.family = 'updated'"
    " WHERE r.status = ?"
)


class Current(NamedTuple):
    """A record's row as a write reads it before changing it."""

    id: int
    revision: int
    status: str
    data: str
    slug: str


_REVISION_OF = ", ".join(f"v.{column.strip()}" for column in REVISION_COLUMNS.split(","))
_WITH_RECORD = (
    f"SELECT {_REVISION_OF}, r.data FROM revisions v"
    " LEFT JOIN records r ON r.slug = v.slug AND r.revision = v.number"
)
"""A revision's columns and, last, the JSON of its record's row when the record is at it:
where the bytes of a revision marked `history.IN_RECORD` are."""


class Rows(Protocol):
    """What a driver's cursor gives back (sqlite3's and psycopg's alike)."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Statements:
    """The SQL both engines share, run on a write transaction's driver connection: written with
    `?` placeholders (turned into the driver's own), a datetime parameter stored as the engine
    stores times. Also what `along` is given (the `InWrite` protocol)."""

    def __init__(self, db: Any, marker: str, stored_time: Any) -> None:
        self._db = db
        self._marker = marker
        self._stored_time = stored_time

    def _params(self, params: Sequence[Any]) -> list[Any]:
        return [self._stored_time(v) if isinstance(v, datetime) else v for v in params]

    def sql(self, sql: str) -> str:
        """`sql` with the driver's placeholders."""
        return sql if self._marker == "?" else sql.replace("?", self._marker)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Rows:
        result: Rows = self._db.execute(self.sql(sql), self._params(params))
        return result

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        cursor = self._db.cursor()
        try:
            cursor.executemany(self.sql(sql), [self._params(row) for row in rows])
        finally:
            cursor.close()


class ImportWriter(Protocol):
    """How an engine writes an import's new records (rows, index, first revisions)."""

    def write_new(self, new: list[PreparedRecord], status: Status) -> list[int]:
        """Write `new` (their revisions may follow later, by `settle`); their ids."""
        ...

    def settle(self) -> None:
        """Everything `write_new` left for later is written."""
        ...


class SQLStore:
    """The Store protocol over the shared schema; see the module's docstring for what an engine
    subclass provides."""

    _engine: Engine
    _facets: FacetCache
    _where: str  # the database, for messages
    _marker: ClassVar[str] = "?"  # the driver's placeholder
    _for_update: ClassVar[str] = ""  # locks a row read before it is written, where needed
    _versions_index: ClassVar[str] = ""  # an index hint for `versions`
    _import_batch: ClassVar[int] = 500  # records an import writes at once
    # Ordering by a text's bytes: SQLite's default; PostgreSQL's own would follow the locale.
    _bytewise: ClassVar[str] = ""
    # What `verify_history` reads of a record's current data (in SQL), to compare with
    # `_data_digest` of its last revision's data.
    _current_digest: ClassVar[str] = "data"
    # Whether a read waits on another process (a database server's round trips) rather than
    # working in this one: the web app answers such reads off its event loop (web/api.py
    # `answered`), so that a worker takes other requests while one waits.
    reads_wait: ClassVar[bool] = False

    # --- what an engine provides ---------------------------------------------------------
    def _write(self, touched: list[int] | None = None) -> AbstractContextManager[Any]:
        """A write transaction on the driver's connection: committed on success, rolled back
        on any exception; the generation moves. The caller puts the ids of the records it
        wrote in `touched` (the facet index is patched for them)."""
        raise NotImplementedError

    def _read_generation(self) -> int:
        """store_meta's generation, read now (the engine's cheapest way)."""
        raise NotImplementedError

    @staticmethod
    def _stored_time(moment: datetime) -> Any:
        """A time as the engine stores it."""
        raise NotImplementedError

    def _allowed(self, **texts: str) -> None:
        """Refuse what the engine cannot store of a write's texts (author, message, ...)."""

    def _lock_renames(self, w: Statements) -> None:
        """Make renames and retirements, which check and take slugs, one at a time (nothing
        to do where a write transaction holds the database's one write lock)."""

    def _insert_records(
        self, db: Any, items: list[tuple[PreparedRecord, Status]], now: datetime
    ) -> list[int]:
        """Insert new records' rows, search entries and tags (not their revisions); ids."""
        raise NotImplementedError

    def _reindex(self, db: Any, current: Current, written: PreparedRecord, status: Status) -> None:
        """A record's search entries and tags, after its row went from `current` to `written`."""
        raise NotImplementedError

    def _drop_row(self, db: Any, current: Current) -> None:
        """A record's row and what indexes it leave (its revisions stay): a retire, a delete."""
        raise NotImplementedError

    def _bulk_insert(self, db: Any, table: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
        """Insert `rows` (values of `columns`) into `table`, the engine's fastest way."""
        raise NotImplementedError

    def _lock_log(self, w: Statements) -> None:
        """Make writers append to the revision log one at a time, until they commit (nothing
        to do under the database's one write lock)."""

    def _record_row(
        self, written: PreparedRecord, status: Status, revision: int, now: datetime
    ) -> tuple[Any, ...]:
        """The values of RECORD_COLUMNS for a record's row."""
        raise NotImplementedError

    def _import_writer(
        self, db: Any, author: str, message: str, now: datetime
    ) -> AbstractContextManager[ImportWriter]:
        raise NotImplementedError

    def _after_import(self, done: int) -> None:
        """After an import of `done` records committed."""

    def _data_digest(self, data: str) -> str:
        return data

    def _read(self) -> AbstractContextManager[Any]:
        """A driver connection inside a read transaction: one consistent snapshot."""
        raise NotImplementedError

    def _stream(self, db: Any, sql: str, args: Sequence[Any]) -> Iterator[Any]:
        """The rows of a long query (the driver's SQL) in batches, never all in memory."""
        raise NotImplementedError

    @staticmethod
    def _read_time(value: Any) -> datetime:
        """A stored time read back, as an aware UTC datetime."""
        raise NotImplementedError

    def _announce(self, w: Statements, generation: int) -> None:
        """Tell other processes that a write at `generation` commits (PostgreSQL's NOTIFY:
        delivered at the commit); nothing where they poll (change_feed.py)."""

    def _facet_index(self, db: Any) -> Any:
        """The facet index for the snapshot `db` reads (its generation's): the one in memory,
        patched through the change feed when it is older, or built."""
        raise NotImplementedError

    def _logged(self, db: Any, generation: int, touched: list[int] | None) -> None:
        """The change feed's rows for a write that moved the store to `generation`, in its
        transaction (every engine's `_write` calls it after moving the generation)."""
        w = self._statements(db)
        log_changes(w, generation, touched)
        self._announce(w, generation)

    def _committed(self, patched: Any, generation: int) -> None:
        """After a write committed at `generation` (every engine's `_write`): its patched
        facet index kept (`FacetCache.install`), the generation known as this process's own
        write (`_hear`), and the request's remembered generation forgotten, so that a read
        after the write, in the same request, sees it — in that order: a generation known is
        one whose facets are installed, and the read after asks for a generation known."""
        self._facets.install(patched)
        self._hear(generation)
        request_generation.forget()

    def _hear(self, generation: int) -> None:
        """Know `generation` without asking the server (PostgreSQL's change feed does; a
        SQLite store asks its file each time, which costs no round trip)."""

    # --- the change feed -------------------------------------------------------------------
    def follow(self) -> None:
        """Bring the facet index in memory up to the store's generation, patched for what
        the change feed says other processes wrote (a `serve` worker's follower calls it
        when a write commits anywhere); nothing while no search has built one."""
        if self._facets.current is None:
            return
        with self._read() as db:
            self._facet_index(db)

    def changes_since(self, since: int) -> tuple[int, dict[str, tuple[Status, str]]] | None:
        """What the writes after generation `since` did to records that keep their slug, as
        the change feed tells: (the generation now, slug → (status, current revision hash)
        of each record they changed), read in one snapshot; or None when the feed cannot say
        (`change_feed.changed_since`) or a write moved a slug (renamed, retired, deleted,
        merged): the caller reads the whole store as before."""
        with self._reading() as r:
            (until,) = r.execute("SELECT generation FROM store_meta WHERE id = 1").fetchone()
            until = int(until)
            if changed_since(r, since, until) is None:
                return None
            rows = r.execute(
                "SELECT kind, slug, record_id FROM changes WHERE generation > ? "
                "AND generation <= ?",
                (since, until),
            ).fetchall()
            # A write that names no record (a collection, a capture) changes what the public
            # sees of records it does not name: the caller reads all.
            if any(kind not in SLUG_KEPT or slug is None for kind, slug, _id in rows):
                return None
            slugs = sorted({slug for _kind, slug, _id in rows})
            found: dict[str, tuple[Status, str]] = {}
            for start in range(0, len(slugs), 500):
                chunk = slugs[start : start + 500]
                marks = ", ".join("?" for _ in chunk)
                for slug, status, digest in r.execute(
                    f"SELECT r.slug, r.status, v.hash FROM records r JOIN revisions v"
                    f"{self._versions_index} ON v.slug = r.slug AND v.number = r.revision "
                    f"WHERE r.slug IN ({marks})",
                    chunk,
                ):
                    found[slug] = (Status(status), digest)
            if len(found) != len(slugs):
                return None  # a record named by the feed is gone since: moved by a later write
            return until, found

    def wait_for_change(self, timeout: float) -> None:
        """Wait `timeout` seconds, or less when a write commits (where the engine can tell:
        PostgreSQL's LISTEN); the follower looks at the generation after it."""
        time.sleep(timeout)

    # --- transactions --------------------------------------------------------------------
    @contextmanager
    def _reading(self) -> Iterator[Statements]:
        """The shared SQL inside a read transaction (`_read`): one consistent snapshot."""
        with self._read() as db:
            yield self._statements(db)

    def _read_one(self) -> AbstractContextManager[Any]:
        """A connection for a read of one statement, which is its own snapshot: the engine's
        `_read` unless it has a cheaper way (PostgreSQL: no BEGIN and COMMIT, two round trips
        of the three)."""
        return self._read()

    @contextmanager
    def _reading_one(self) -> Iterator[Statements]:
        """The shared SQL for one statement (`_read_one`)."""
        with self._read_one() as db:
            yield self._statements(db)

    def _statements(self, db: Any) -> Statements:
        return Statements(db, self._marker, self._stored_time)

    # --- records: writes -----------------------------------------------------------------
    def create(
        self,
        record: Record,
        *,
        author: str,
        message: str,
        status: Status = Status.draft,
        along: Along | None = None,
    ) -> StoredRecord:
        self._allowed(author=author, message=message)
        now = h.utc_now()
        touched = Touched("created")
        with self._write(touched) as db:
            # Prepared inside the write: its search keys are stemmed in the language the
            # write stems in.
            written = prepare_record(record)
            w = self._statements(db)
            if w.execute(EVER_USED, (record.slug, record.slug)).fetchone():
                # A record's, a renamed record's old slug, a deleted record's: each stays its own.
                raise SlugExists(record.slug)
            touched += self._insert_records(db, [(written, status)], now)
            self._add_revisions(db, [(written, 1, Action.create, status, "")], author, message, now)
            if along is not None:
                along(w)
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
        """One revision over record `slug`, which must be at `base_revision`: `save`,
        `set_status` and `restore` are each one of these."""
        self._allowed(author=author, message=message)
        now = h.utc_now()
        touched = Touched(_FEED_KINDS[action])
        with self._write(touched) as db:
            w = self._statements(db)
            current = self._current(w, slug, base_revision)
            touched.append(current.id)
            new_status = status or Status(current.status)
            content = record if record is not None else h.record_from_json(current.data)
            written = prepare_record(content)
            self._rewrite(
                db, current, written, new_status, base_revision, now, author, message, action
            )
            if along is not None:
                along(w)
        return StoredRecord(content, new_status, base_revision + 1, now)

    def save(
        self,
        record: Record,
        *,
        base_revision: int,
        author: str,
        message: str,
        status: Status | None = None,
        along: Along | None = None,
    ) -> StoredRecord:
        return self._change(
            record.slug,
            base_revision,
            author,
            message,
            Action.edit,
            record=record,
            status=status,
            along=along,
        )

    def set_status(
        self, slug: str, status: Status, *, base_revision: int, author: str, message: str
    ) -> StoredRecord:
        return self._change(slug, base_revision, author, message, Action.status, status=status)

    def restore(
        self,
        slug: str,
        number: int,
        *,
        base_revision: int,
        author: str,
        message: str,
        record: Record | None = None,
    ) -> StoredRecord:
        if record is None:
            record = self.revision(slug, number).record
        elif record.slug != slug:
            raise ValueError(f"restoring {slug!r} with the content of {record.slug!r}")
        else:
            self.revision(slug, number)  # RevisionNotFound for a number the record lacks
        return self._change(slug, base_revision, author, message, Action.restore, record=record)

    def rename(
        self, old: str, record: Record, *, base_revision: int, author: str, message: str
    ) -> StoredRecord:
        self._allowed(author=author, message=message)
        new = record.slug
        now = h.utc_now()
        touched = Touched("renamed")
        with self._write(touched) as db:
            w = self._statements(db)
            self._lock_renames(w)  # two renames to one slug cannot both pass
            if w.execute(EVER_USED, (new, new)).fetchone() or self._has_record(w, new):
                raise SlugExists(new)
            current = self._current(w, old, base_revision, lock=True)
            touched.append(current.id)
            # Memberships leave and come back under the new slug (their key names the slug).
            members = self._leave_collections(w, old)
            # The row is written as "revision 0 + 1": the new slug's chain starts at 1.
            w.execute("UPDATE records SET revision = 0 WHERE id = ?", (current.id,))
            status = Status(current.status)
            self._rewrite(
                db, current, prepare_record(record), status, 0, now, author, message, Action.rename
            )
            self._renamed(w, old, new, now, author, current.revision)
            self._join_collections(w, members, new)
        return StoredRecord(record, status, 1, now)

    def retire(self, old: str, into: str, *, base_revision: int, author: str) -> None:
        self._allowed(author=author)
        now = h.utc_now()
        touched = Touched("retired")
        with self._write(touched) as db:
            w = self._statements(db)
            self._lock_renames(w)
            if not self._has_record(w, into):
                raise RecordNotFound(into)
            current = self._current(w, old, base_revision, lock=True)
            touched.append(current.id)  # patched out of the facet index (FacetIndex.patched)
            self._join_collections(w, self._leave_collections(w, old), into)
            self._keep_history(w, current)
            self._drop_row(db, current)
            self._renamed(w, old, into, now, author, current.revision)

    def delete(self, slug: str, *, base_revision: int, author: str, reason: str) -> None:
        self._allowed(author=author, reason=reason)
        now = h.utc_now()
        touched = Touched("deleted")
        with self._write(touched) as db:
            w = self._statements(db)
            current = self._current(w, slug, base_revision, lock=True)
            touched.append(current.id)  # patched out of the facet index (FacetIndex.patched)
            w.execute("DELETE FROM collection_records WHERE record_slug = ?", (slug,))
            self._keep_history(w, current)
            self._drop_row(db, current)
            w.execute(
                "INSERT INTO deletions (slug, deleted_at, author, reason, last_number) "
                "VALUES (?, ?, ?, ?, ?)",
                (slug, now, author, reason, current.revision),
            )

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
        self._allowed(author=author, message=message)
        now = h.utc_now()
        done = 0
        touched = Touched("imported")
        with (
            self._write(touched) as db,
            self._import_writer(db, author, message, now) as writer,
        ):
            w = self._statements(db)
            existing = {slug for (slug,) in w.execute("SELECT slug FROM records")}
            # A renamed record's old slug names a history, a deleted one's a tombstone.
            retired = {slug for (slug,) in w.execute(TAKEN)}
            batch: list[Record | PreparedRecord] = []
            batch_slugs: set[str] = set()

            def flush() -> None:
                nonlocal done
                if not existing.isdisjoint(batch_slugs):
                    writer.settle()  # a replaced record's chain goes on from its last revision
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
                        new.append(prepared(record))
                        existing.add(record.slug)
                touched.extend(writer.write_new(new, status))
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
                if len(batch) >= self._import_batch:
                    flush()
            flush()
            writer.settle()
        self._after_import(done)
        return done

    def _import_over(
        self,
        db: Any,
        record: Record | PreparedRecord,
        status: Status,
        author: str,
        message: str,
        now: datetime,
        replacer: Replacer | None = None,
    ) -> int | None:
        current = self._current(self._statements(db), record.slug)
        stored = (current.data, current.status, current.revision)
        decided = replacement(replacer, record, status, stored, now)
        if decided is None:
            return None
        record, status = decided
        written = prepared(record)
        self._rewrite(
            db, current, written, status, current.revision, now, author, message, Action.import_
        )
        return int(current.id)

    # --- records: rows -------------------------------------------------------------------
    def _current(
        self, w: Statements, slug: str, base_revision: int | None = None, *, lock: bool = False
    ) -> Current:
        """Record `slug`'s row (locked until the write commits, with `lock`, where the engine
        needs it). Raises RecordNotFound, and Conflict when it is not at `base_revision`."""
        row = w.execute(
            "SELECT id, revision, status, data, slug FROM records WHERE slug = ?"
            + (self._for_update if lock else ""),
            (slug,),
        ).fetchone()
        if row is None:
            raise RecordNotFound(slug)
        current = Current(*row)
        if base_revision is not None and current.revision != base_revision:
            raise Conflict(slug, base_revision, current.revision)
        return current

    @staticmethod
    def _renamed(w: Statements, old: str, new: str, now: datetime, author: str, last: int) -> None:
        """The `renames` row: record `old`'s chain ended at `last`, its new home is `new`."""
        w.execute(
            "INSERT INTO renames (old_slug, new_slug, renamed_at, author, last_number) "
            "VALUES (?, ?, ?, ?, ?)",
            (old, new, now, author, last),
        )

    @staticmethod
    def _has_record(w: Statements, slug: str) -> bool:
        return w.execute("SELECT 1 FROM records WHERE slug = ?", (slug,)).fetchone() is not None

    def _rewrite(
        self,
        db: Any,
        current: Current,
        written: PreparedRecord,
        status: Status,
        base_revision: int,
        now: datetime,
        author: str,
        message: str,
        action: Action,
    ) -> None:
        """Write `written` over record `current` as revision base + 1, if it is still at `base`
        (else Conflict: the statement that decides a race between writers), with its search
        entries, tags and revision."""
        w = self._statements(db)
        self._keep_history(w, current)
        changed = w.execute(
            f"UPDATE records SET {_ASSIGNMENTS} WHERE id = ? AND revision = ?",
            (*self._record_row(written, status, base_revision + 1, now), current.id, base_revision),
        ).rowcount
        if changed != 1:  # another writer committed a revision since this one read it
            row = w.execute("SELECT revision FROM records WHERE slug = ?", (written.slug,))
            found = row.fetchone()
            raise Conflict(written.slug, base_revision, found[0] if found else 0)
        self._reindex(db, current, written, status)
        found = w.execute(
            "SELECT hash FROM revisions WHERE slug = ? AND number = ?",
            (written.slug, base_revision),
        ).fetchone()
        prev = "" if found is None else str(found[0])
        self._add_revisions(
            db, [(written, base_revision + 1, action, status, prev)], author, message, now
        )

    @staticmethod
    def _keep_history(w: Statements, current: Current) -> None:
        """The revision record `current` is at gets its own bytes (compressed), before its
        row's JSON, which held them (`history.IN_RECORD`), is replaced or dropped."""
        w.execute(
            "UPDATE revisions SET data = ? WHERE slug = ? AND number = ? AND data = ?",
            (h.compress(current.data), current.slug, current.revision, h.IN_RECORD),
        )

    def _add_revisions(
        self, db: Any, items: list[RevisionItem], author: str, message: str, now: datetime
    ) -> None:
        self._insert_revisions(
            db, revision_rows(items, author, message, now, self._stored_time(now))
        )

    def _insert_revisions(self, db: Any, batch: RevisionBatch) -> None:
        """Insert revisions and append them to the revision log, in the caller's transaction."""
        rows, entries = batch
        self._bulk_insert(db, "revisions", REVISION_COLUMNS, rows)
        if not entries:
            return
        w = self._statements(db)
        self._lock_log(w)  # so that the last head read here stays the last until the commit
        last = w.execute(
            f"SELECT seq, head FROM {ledger.LOG_TABLE} ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        numbers: dict[str, int] = {}
        for slug in ledger.needs_public_numbers(entries):
            found = w.execute(
                f"SELECT max(public_number) FROM {ledger.LOG_TABLE} WHERE slug = ?", (slug,)
            ).fetchone()
            numbers[slug] = int(found[0] or 0)
        log = ledger.log_rows(None if last is None else (last[0], last[1]), entries, numbers)
        self._bulk_insert(db, ledger.LOG_TABLE, ledger.LOG_COLUMNS, log)

    # --- records: reads ------------------------------------------------------------------
    def generation(self) -> int:
        """store_meta's generation: once per web request (store/request_generation.py),
        however many of the web's caches ask; an engine's write forgets it."""
        return request_generation.remembered(self, self._read_generation)

    def get(self, slug: str) -> StoredRecord:
        with self._reading_one() as r:
            row = r.execute(f"SELECT {_STORED} FROM records WHERE slug = ?", (slug,)).fetchone()
        if row is None:
            raise RecordNotFound(slug)
        return self._stored(row)

    def get_many(self, slugs: Iterable[str]) -> dict[str, StoredRecord]:
        """The records of `slugs` that the store holds (slug → record; the others left out),
        read in one snapshot and one query per 500: a page of a listing in one round trip
        rather than one a record."""
        wanted = list(dict.fromkeys(slugs))
        found: dict[str, StoredRecord] = {}
        with self._reading() as r:
            for start in range(0, len(wanted), _MANY):
                chunk = wanted[start : start + _MANY]
                marks = ", ".join("?" for _ in chunk)
                for row in r.execute(
                    f"SELECT slug, {_STORED} FROM records WHERE slug IN ({marks})", chunk
                ):
                    found[row[0]] = self._stored(row[1:])
        return found

    def exists(self, slug: str) -> bool:
        with self._reading() as r:
            return self._has_record(r, slug)

    def iter_records(self, *, status: Status | None = None) -> Iterator[StoredRecord]:
        where, args = _status_where(status)
        with self._read() as db:
            # Streamed in batches (a server-side cursor where there is one), never all at once.
            sql = f"SELECT {_STORED} FROM records{where} ORDER BY id"
            for row in self._stream(db, self._statements(db).sql(sql), args):
                yield self._stored(row)

    def count(self, *, status: Status | None = None) -> int:
        where, args = _status_where(status)
        with self._reading_one() as r:
            return int(r.execute(f"SELECT count(*) FROM records{where}", args).fetchone()[0])

    def versions(self, *, status: Status | None = None) -> dict[str, RecordVersion]:
        # Only columns that precede `data` in a records row, and a covering index on
        # revisions: nothing reads a record's body, so a cold cache costs little.
        where, args = _status_where(status, "r.")
        sql = (
            f"SELECT r.slug, v.hash FROM records r JOIN revisions v{self._versions_index}"
            f" ON v.slug = r.slug AND v.number = r.revision{where} ORDER BY r.id"
        )
        with self._reading() as r:
            return {slug: RecordVersion(digest) for slug, digest in r.execute(sql, args)}

    def slugs(self, *, status: Status | None = None) -> set[str]:
        where, args = _status_where(status)
        with self._reading_one() as r:
            return {slug for (slug,) in r.execute(f"SELECT slug FROM records{where}", args)}

    def listed(
        self, name: str | None, value: str, *, oldest_first: bool, limit: int, offset: int
    ) -> list[str]:
        """The slugs of the published records whose `name` (a LISTED column; None: any) is
        `value`, in a listing's order (newest first: date, then slug, descending; or the
        reverse), from `offset`: one walk of an index on (status, name, date, slug)
        (migration 0023; (status, date) for any), so a listing's page never reads the
        records around it."""
        if name is not None and name not in LISTED:
            raise ValueError(f"not a listed column: {name}")
        way = "ASC" if oldest_first else "DESC"
        where = "status = ?"
        args: list[str | int] = [Status.published.value]
        if name is not None:
            where += f" AND {name} = ?"
            args.append(int(value) if name == "year" else value)
        sql = (
            f"SELECT slug FROM records WHERE {where} "
            f"ORDER BY date {way}, slug{self._bytewise} {way} LIMIT ? OFFSET ?"
        )
        with self._reading_one() as r:
            return [slug for (slug,) in r.execute(sql, (*args, limit, offset))]

    def paged(
        self, family: str, terms: str | Sequence[str], *, limit: int | None, offset: int
    ) -> list[tuple[str, str]]:
        """(slug, name) of the published records on the page of `terms` in `family` (a
        `record_pages` family; a term, or several that share a page: a statute's spellings),
        each record once, newest first (date, then slug, descending), `limit` (None: all) from
        `offset`: one walk of the index on (family, term, status, date, slug) (migration
        0025) for a term, so a tag's page never reads the records around it."""
        terms = (terms,) if isinstance(terms, str) else tuple(terms)
        if not terms:
            return []
        marks = ", ".join("?" * len(terms))
        # Several terms: a record citing two of them is listed once.
        one = len(terms) == 1
        columns, grouped = (
            ("slug, name", "") if one else ("slug, min(name)", " GROUP BY date, slug")
        )
        sql = (
            f"SELECT {columns} FROM record_pages WHERE family = ? AND term IN ({marks})"
            f" AND status = ?{grouped} ORDER BY date DESC, slug{self._bytewise} DESC"
        )
        args: tuple[str | int, ...] = (family, *terms, Status.published.value)
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += (limit, offset)
        elif offset:
            raise ValueError("an offset needs a limit")
        with self._reading() as r:
            return [(slug, name) for slug, name in r.execute(sql, args)]

    def dated(
        self, family: str, low: str, high: str, *, limit: int | None, offset: int
    ) -> tuple[int, list[tuple[str, str]]]:
        """How many rows of `family` (a `record_pages` family of days: "day") of published
        records have a term from `low` up to (not including) `high`, and (term, slug) of
        `limit` of them (None: all) from `offset`, by term then slug: a timeline year's
        record-days in its order, from the index on (family, term, status, ...) alone."""
        where = "WHERE family = ? AND term >= ? AND term < ? AND status = ?"
        args: tuple[str | int, ...] = (family, low, high, Status.published.value)
        sql = f"SELECT term, slug FROM record_pages {where} ORDER BY term, slug{self._bytewise}"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
        elif offset:
            raise ValueError("an offset needs a limit")
        with self._reading() as r:
            total = r.execute(f"SELECT COUNT(*) FROM record_pages {where}", args).fetchone()[0]
            found = r.execute(sql, args if limit is None else (*args, limit, offset))
            return int(total), [(term, slug) for term, slug in found]

    def updated_last(self, limit: int) -> list[tuple[str, str]]:
        """(lastUpdated, slug) of the `limit` published records updated last, as the feed
        orders them (lastUpdated, then date, descending, then slug): from `record_pages`'
        "updated" rows (migration 0026), a probe of its index for each lastUpdated day and
        record date, newest first, then the slugs of one such pair in order, until `limit`
        are found: the feed reads what it shows, never every record (an import writes one
        lastUpdated on all its records, and sorting those took what reading them did)."""
        found: list[tuple[str, str]] = []
        rows = "FROM record_pages WHERE family = 'updated'"
        published = (Status.published.value,)
        with self._reading() as r:
            day = r.execute(f"SELECT max(term) {rows}").fetchone()[0]
            while day is not None and len(found) < limit:
                on_day = f"{rows} AND term = ? AND status = ?"
                dated = r.execute(f"SELECT max(date) {on_day}", (day, *published)).fetchone()[0]
                while dated is not None and len(found) < limit:
                    slugs = r.execute(
                        f"SELECT slug {on_day} AND date = ? ORDER BY slug{self._bytewise} LIMIT ?",
                        (day, *published, dated, limit - len(found)),
                    )
                    found += [(day, slug) for (slug,) in slugs]
                    earlier = f"SELECT max(date) {on_day} AND date < ?"
                    dated = r.execute(earlier, (day, *published, dated)).fetchone()[0]
                day = r.execute(f"SELECT max(term) {rows} AND term < ?", (day,)).fetchone()[0]
        return found

    def page_facets(self, family: str, terms: Sequence[str]) -> SearchResult:
        """How many published records are on the page of `terms` in `family` (`paged`), and
        their facet counts as a search's (`SearchResult.facets`; no hits): the records' ids
        from `record_pages`, counted over the search's facet index of the same snapshot, so
        a page of 20 of them shows the counts of all without reading one."""
        import numpy as np  # with the search code, on first use (facet_cache.py)

        if not terms:
            return SearchResult(0, [])
        marks = ", ".join("?" * len(terms))
        sql = (
            f"SELECT DISTINCT record_id FROM record_pages WHERE family = ? AND term IN ({marks})"
            " AND status = ?"
        )
        with self._read() as db:
            index = self._facet_index(db)
            rows = self._statements(db).execute(sql, (family, *terms, Status.published.value))
            ids = index.counted(np.fromiter((i for (i,) in rows), dtype=np.int64), public=True)
        return SearchResult(len(ids), [], index.counts(ids))

    def page_keys(self, family: str) -> list[str]:
        """Every term of `family` a published record is listed under, sorted: each distinct
        term found by one probe of the index (a recursive walk from term to next term,
        which neither engine does by itself), kept when a published record holds it."""
        sql = (
            "WITH RECURSIVE terms(term) AS ("
            " SELECT min(term) FROM record_pages WHERE family = ?"
            " UNION ALL SELECT (SELECT min(p.term) FROM record_pages p"
            "  WHERE p.family = ? AND p.term > terms.term)"
            " FROM terms WHERE terms.term IS NOT NULL)"
            " SELECT term FROM terms WHERE term IS NOT NULL AND EXISTS (SELECT 1 FROM"
            " record_pages q WHERE q.family = ? AND q.term = terms.term AND q.status = ?)"
        )
        with self._reading() as r:
            rows = r.execute(sql, (family, family, family, Status.published.value))
            return sorted(term for (term,) in rows)

    def page_names(self, family: str, term: str) -> list[str]:
        """The names the published records on that page give it (`paged`), sorted."""
        # From name to next name on (family, term, status, name), one probe each: DISTINCT
        # read every row (383 ms for a tag on each of 100,000 records on PostgreSQL).
        sql = (
            "WITH RECURSIVE names(name) AS ("
            " SELECT min(name) FROM record_pages WHERE family = ? AND term = ? AND status = ?"
            " UNION ALL SELECT (SELECT min(p.name) FROM record_pages p"
            "  WHERE p.family = ? AND p.term = ? AND p.status = ? AND p.name > names.name)"
            " FROM names WHERE names.name IS NOT NULL)"
            " SELECT name FROM names WHERE name IS NOT NULL"
        )
        args = (family, term, Status.published.value)
        with self._reading() as r:
            return sorted(name for (name,) in r.execute(sql, args + args))

    def page_counts(self, family: str) -> dict[str, int]:
        """term → how many published records `paged` lists under it (one `record_pages` row
        a record and term), for every term of `family` a published record holds: one walk of
        the index on (family, term, status, …), grouped, never a record read."""
        sql = (
            "SELECT term, COUNT(*) FROM record_pages WHERE family = ? AND status = ? GROUP BY term"
        )
        with self._reading_one() as r:
            rows = r.execute(sql, (family, Status.published.value))
            return {term: int(count) for term, count in rows}

    def page_sums(self, family: str) -> dict[str, int]:
        """term → the sum of the counts the published records' rows of `family` name: of
        "timeline", a year's events; of "map", the published points (migration 0030). One
        grouped walk of the index on (family, term, status, name), never a record read."""
        sql = (
            "SELECT term, SUM(CAST(name AS INTEGER)) FROM record_pages"
            " WHERE family = ? AND status = ? GROUP BY term"
        )
        with self._reading_one() as r:
            rows = r.execute(sql, (family, Status.published.value))
            return {term: int(count) for term, count in rows}

    def page_years(self, family: str) -> list[str]:
        """The years (YYYY) of the dates of the published records `family` has a row of,
        newest first: the map's year filter (publish/plan.py `map_pages`)."""
        sql = "SELECT DISTINCT substr(date, 1, 4) FROM record_pages WHERE family = ? AND status = ?"
        with self._reading_one() as r:
            rows = r.execute(sql, (family, Status.published.value))
            return sorted((year for (year,) in rows), reverse=True)

    def page_newest(self, family: str) -> list[tuple[str, int, str, str, str]]:
        """(term, how many published records it lists, and the newest of them's slug, name
        and date) of every term of `family` a published record holds: the counts grouped
        as `page_counts`', the newest by one probe of the index on (family, term, status,
        date, slug) a term — what an index page of the family shows (a tag's name as its
        newest record spells it), never a record read."""
        newest = (
            "SELECT q.{} FROM record_pages q WHERE q.family = ? AND q.term = c.term AND"
            f" q.status = ? ORDER BY q.date DESC, q.slug{self._bytewise} DESC LIMIT 1"
        )
        sql = (
            f"SELECT c.term, c.n, ({newest.format('slug')}), ({newest.format('name')}),"
            f" ({newest.format('date')}) FROM (SELECT term, COUNT(*) AS n FROM record_pages"
            " WHERE family = ? AND status = ? GROUP BY term) c"
        )
        with self._reading_one() as r:
            rows = r.execute(sql, (family, Status.published.value) * 4)
            return [(term, int(n), slug, name, day) for term, n, slug, name, day in rows]

    def entity_names(self, slugs: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
        """slug → (entity, name) of each party the published record names an entity by, in
        its order (victims, then perpetrators): from the stored JSON alone, not the record
        made (an entity index names each by its newest record; thousands of records)."""
        import orjson

        found: dict[str, list[tuple[str, str]]] = {}
        wanted = list(dict.fromkeys(slugs))
        with self._reading() as r:
            for start in range(0, len(wanted), _MANY):
                chunk = wanted[start : start + _MANY]
                marks = ", ".join("?" for _ in chunk)
                sql = f"SELECT slug, data FROM records WHERE status = ? AND slug IN ({marks})"
                for slug, data in r.execute(sql, (Status.published.value, *chunk)):
                    try:
                        doc = orjson.loads(data)
                    except orjson.JSONDecodeError:  # as `history.record_from_json`
                        doc = json.loads(data)
                    found[slug] = [
                        (party["entity"], party["name"])
                        for side in ("structuredVictims", "structuredPerpetrators")
                        for party in doc.get(side) or ()
                        if party.get("entity")
                    ]
        return found

    def tag_counts(self) -> dict[str, int]:
        """tag → how many times the published records name it (a record naming one twice,
        twice), as written: the search page's tags (publish/plan.py `top_tags`)."""
        sql = (
            "SELECT t.tag, COUNT(*) FROM record_tags t JOIN records r ON r.id = t.record_id"
            " WHERE r.status = ? GROUP BY t.tag"
        )
        with self._reading_one() as r:
            return {tag: int(n) for tag, n in r.execute(sql, (Status.published.value,))}

    def located(self) -> int:
        """How many published records have a location (every location names its country:
        `records.countries` is not empty)."""
        sql = "SELECT COUNT(*) FROM records WHERE status = ? AND countries <> ''"
        with self._reading_one() as r:
            return int(r.execute(sql, (Status.published.value,)).fetchone()[0])

    def updated_in_order(self, *, after: int, limit: int) -> list[tuple[int, str, str]]:
        """(id, slug, lastUpdated) of `limit` published records in store order (`versions`'),
        from the first whose id is above `after`: their `record_pages` "updated" rows
        (migration 0026) by record id from a key, never their data nor the rows before."""
        sql = f"SELECT r.id, r.slug, p.term {_UPDATED_IN_ORDER} AND r.id > ? ORDER BY r.id LIMIT ?"
        with self._reading_one() as r:
            rows = r.execute(sql, (Status.published.value, after, limit))
            return [(int(rowid), slug, term) for rowid, slug, term in rows]

    def updated_spans(self, shift: int, size: int) -> dict[int, tuple[str, int]]:
        """Of each span of `size` published records in store order, by span number, the
        records numbered from `shift` (span n: numbers n·size to (n+1)·size - 1): its newest
        lastUpdated and its first record's id — a sitemap index's parts' lastmod
        (publish/sitemap.py), where the parts list `shift` pages before the records, and
        where each part's records start (`updated_in_order`)."""
        if size < 1 or shift < 0:
            raise ValueError("a span holds at least one record, from a number >= 0")
        sql = (
            "SELECT (s.n + ?) / ?, MAX(s.term), MIN(s.id) FROM (SELECT ROW_NUMBER() OVER"
            f" (ORDER BY r.id) - 1 AS n, p.term AS term, r.id AS id {_UPDATED_IN_ORDER}) s"
            " GROUP BY 1"
        )
        with self._reading_one() as r:
            rows = r.execute(sql, (shift, size, Status.published.value))
            return {int(span): (term, int(first)) for span, term, first in rows}

    def monthly(self, since: str) -> dict[tuple[str, str], int]:
        """(category, YYYY-MM) → how many published records of that category are dated in
        that month, for the months from `since` (YYYY-MM) on: the home page's chart."""
        sql = (
            "SELECT category, substr(date, 1, 7), COUNT(*) FROM records "
            "WHERE status = ? AND date >= ? GROUP BY category, substr(date, 1, 7)"
        )
        with self._reading() as r:
            rows = r.execute(sql, (Status.published.value, since))
            return {(category, month): count for category, month, count in rows}

    def _stored(self, row: Sequence[Any]) -> StoredRecord:
        data, status, revision, updated_at = row
        return StoredRecord(
            h.record_from_json(data), Status(status), revision, self._read_time(updated_at)
        )

    # --- history -------------------------------------------------------------------------
    def history(self, slug: str) -> list[Revision]:
        with self._reading() as r:
            rows = r.execute(
                f"{_WITH_RECORD} WHERE v.slug = ? ORDER BY v.number", (slug,)
            ).fetchall()
        if not rows:
            raise RecordNotFound(slug)
        return [_revision(self._timed(row)) for row in rows]

    def revision(self, slug: str, number: int) -> Revision:
        with self._reading() as r:
            row = r.execute(
                f"{_WITH_RECORD} WHERE v.slug = ? AND v.number = ?", (slug, number)
            ).fetchone()
            if row is None:
                if self._has_record(r, slug):
                    raise RevisionNotFound(slug, number)
                raise RecordNotFound(slug)
        return _revision(self._timed(row))

    def verify_history(self, slug: str | None = None) -> list[HistoryProblem]:
        problems: list[HistoryProblem] = []
        where, args = (" WHERE slug = ?", (slug,)) if slug is not None else ("", ())
        with self._read() as db:
            r = self._statements(db)
            # Compared by what `_current_digest` reads (on PostgreSQL, the MD5 of its JSON):
            # the bodies may stay in the database.
            current = {
                s: (rev, digest)
                for s, rev, digest in r.execute(
                    f"SELECT slug, revision, {self._current_digest} FROM records{where}", args
                )
            }
            # Chains that end without a record row: renamed slugs and deleted records.
            old_where = " WHERE old_slug = ?" if slug is not None else ""
            ended = {
                str(old): int(last)
                for old, last in r.execute(
                    f"SELECT old_slug, last_number FROM renames{old_where} "
                    f"UNION ALL SELECT slug, last_number FROM deletions{where}",
                    args * 2,
                ).fetchall()
            }
            if slug is not None and not current and not ended:
                raise RecordNotFound(slug)
            chain: Chain | None = None  # slug, number, hash, digest of data
            seen: set[str] = set()
            sql = (
                f"{_WITH_RECORD} AND v.data = ?{where.replace('slug', 'v.slug')} "
                f"ORDER BY v.slug{self._bytewise}, v.number"
            )
            for raw in self._stream(db, r.sql(sql), (h.IN_RECORD, *args)):
                row = self._timed(raw[:10])
                data = revision_data(row[7], raw[10])
                problems.extend(check_revision(row, chain, data))
                seen.add(row[0])
                if chain is not None and chain[0] != row[0]:
                    problems.extend(check_current(chain, current, ended))
                chain = (row[0], row[1], row[9], self._data_digest(data))
            if chain is not None:
                problems.extend(check_current(chain, current, ended))
        for missing in sorted(set(current) - seen):
            problems.append(HistoryProblem(missing, 0, "the record has no revisions"))
        return problems

    def _timed(self, row: Sequence[Any]) -> tuple[Any, ...]:
        """A `revisions` row with `created_at` read as a datetime."""
        return (*row[:5], self._read_time(row[5]), *row[6:])

    # --- collections ---------------------------------------------------------------------
    def put_collection(self, collection: Collection) -> None:
        self._allowed(
            title=collection.title, lede=collection.lede, description=collection.description
        )
        with self._write() as db:
            w = self._statements(db)
            for slug in collection.records:
                if not self._has_record(w, slug):
                    raise RecordNotFound(slug)
            w.execute("DELETE FROM collection_records WHERE collection = ?", (collection.slug,))
            w.execute(
                "INSERT INTO collections (slug, title, lede, description) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (slug) DO UPDATE SET title = excluded.title, "
                "lede = excluded.lede, description = excluded.description",
                (collection.slug, collection.title, collection.lede, collection.description),
            )
            w.executemany(
                "INSERT INTO collection_records (collection, position, record_slug) "
                "VALUES (?, ?, ?)",
                [(collection.slug, i, slug) for i, slug in enumerate(collection.records)],
            )

    def get_collection(self, slug: str) -> Collection:
        with self._reading() as r:
            found = self._collections(r, slug)
        if not found:
            raise CollectionNotFound(slug)
        return found[0]

    def collections(self) -> list[Collection]:
        with self._reading() as r:
            return self._collections(r, None)

    def delete_collection(self, slug: str) -> None:
        """Raises CollectionNotFound."""
        with self._write() as db:
            w = self._statements(db)
            if not w.execute("DELETE FROM collections WHERE slug = ?", (slug,)).rowcount:
                raise CollectionNotFound(slug)

    def _collections(self, r: Statements, slug: str | None) -> list[Collection]:
        where, args = (" WHERE slug = ?", (slug,)) if slug is not None else ("", ())
        heads = r.execute(
            f"SELECT slug, title, lede, description FROM collections{where} "
            f"ORDER BY slug{self._bytewise}",
            args,
        ).fetchall()
        members = r.execute(
            "SELECT collection, record_slug FROM collection_records ORDER BY collection, position"
        )
        return assemble_collections(heads, members)

    @staticmethod
    def _leave_collections(w: Statements, slug: str) -> list[tuple[str, int]]:
        """Record `slug` leaves every collection; where it was (collection, position)."""
        members = w.execute(
            "SELECT collection, position FROM collection_records WHERE record_slug = ?", (slug,)
        ).fetchall()
        w.execute("DELETE FROM collection_records WHERE record_slug = ?", (slug,))
        return [(str(collection), int(position)) for collection, position in members]

    @staticmethod
    def _join_collections(w: Statements, members: list[tuple[str, int]], slug: str) -> None:
        """Record `slug` takes the places `members` (a rename's, a retired record's) in each
        collection it is not already a member of."""
        for collection, position in members:
            if not w.execute(
                "SELECT 1 FROM collection_records WHERE collection = ? AND record_slug = ?",
                (collection, slug),
            ).fetchone():
                w.execute(
                    "INSERT INTO collection_records (collection, position, record_slug) "
                    "VALUES (?, ?, ?)",
                    (collection, position, slug),
                )


def _revision(row: Sequence[Any]) -> Revision:
    """A Revision from a `_WITH_RECORD` row (`created_at` read as a datetime)."""
    slug, number, action, author, message, created_at, status, blob, prev_hash, digest = row[:10]
    return Revision(
        slug=slug,
        number=number,
        action=Action(action),
        author=author,
        message=message,
        created_at=h.as_utc(created_at),
        status=Status(status),
        record=h.record_from_json(h.revision_json(blob, row[10])),
        prev_hash=prev_hash,
        hash=digest,
    )


def md5_hex(data: str) -> str:
    """The MD5 of `data`'s UTF-8 bytes, as PostgreSQL's md5() of a text gives it."""
    return hashlib.md5(data.encode(), usedforsecurity=False).hexdigest()


def replacement(
    replacer: Replacer | None,
    record: Record | PreparedRecord,
    status: Status,
    stored: tuple[str, str, int],
    now: datetime,
) -> tuple[Record | PreparedRecord, Status] | None:
    """What an import writes over a stored record — `stored` is its (JSON data, status,
    revision) — and with which status: the incoming record as it is without a `replacer`,
    else what the replacer decides (None: leave the stored record as it is)."""
    if replacer is None:
        return record, status
    data, stored_status, revision = stored
    incoming = record if isinstance(record, Record) else h.record_from_json(record.data)
    current = StoredRecord(h.record_from_json(data), Status(stored_status), revision, now)
    return replacer(current, incoming)


def assemble_collections(
    heads: Iterable[tuple[str, str, str, str]], members: Iterable[tuple[str, str]]
) -> list[Collection]:
    """Collections from (slug, title, lede, description) rows, in their order, and
    (collection, record slug) rows in each collection's order."""
    by_collection: dict[str, list[str]] = {}
    for collection, record_slug in members:
        by_collection.setdefault(collection, []).append(record_slug)
    return [
        Collection(slug=s, title=t, lede=lede, description=d, records=by_collection.get(s, []))
        for s, t, lede, d in heads
    ]
