"""How records, revisions and search-index rows are written and read in SQL: the row-level
half of the SQLite engine (`sqlite.py` holds the Store methods and the transactions)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from casework.evidence import ledger
from casework.model import Collection, Record, Status
from casework.search_words import fts_texts
from casework.store import history as h
from casework.store.base import Action, HistoryProblem, Revision, StoredRecord
from casework.store.engine import assemble_collections
from casework.store.prepared import PreparedRecord, prepare_record

_RECORD_COLUMNS = (
    "id, slug, status, revision, updated_at, data, title, date, year, category, severity, "
    "posture, ongoing, countries"
)
_REVISION_COLUMNS = (
    "slug, number, action, author, message, created_at, status, data, prev_hash, hash"
)


def _db_time(moment: datetime) -> str:
    # The text SQLAlchemy's SQLite DateTime type stores (naive UTC), so both read alike.
    return h.as_utc(moment).strftime("%Y-%m-%d %H:%M:%S.%f")


def _read_time(text: str) -> datetime:
    return h.as_utc(datetime.fromisoformat(text))


def _prepared(record: Record | PreparedRecord) -> PreparedRecord:
    return record if isinstance(record, PreparedRecord) else prepare_record(record)


def _row(w: PreparedRecord, status: str, revision: int, now: str) -> tuple[Any, ...]:
    return (
        w.slug, status, revision, now, w.data, w.title, w.date, w.year,
        w.category, w.severity, w.posture, int(w.ongoing), w.countries,
    )  # fmt: skip


def _current(db: sqlite3.Connection, slug: str) -> tuple[int, int, str, str] | None:
    row = db.execute(
        "SELECT id, revision, status, data FROM records WHERE slug = ?", (slug,)
    ).fetchone()
    return None if row is None else (row[0], row[1], row[2], row[3])


def _revision_hash(db: sqlite3.Connection, slug: str, number: int) -> str:
    row = db.execute(
        "SELECT hash FROM revisions WHERE slug = ? AND number = ?", (slug, number)
    ).fetchone()
    return "" if row is None else str(row[0])


def _revision_rows(
    items: list[tuple[PreparedRecord, int, Action, Status, str]],
    author: str,
    message: str,
    now: datetime,
    stored_time: Callable[[datetime], Any] = _db_time,
) -> RevisionBatch:
    """The `revisions` rows for `items` (written record, number, action, status, prev hash):
    hashed and compressed, the time as `stored_time` makes it (SQLite's text by default;
    PostgreSQL keeps the datetime, a timestamptz); and what the revision log needs of each.
    Pure, so that a bulk import can run it on a second core."""
    rows = []
    entries = []
    stamp = stored_time(now)
    published_at = h.canonical_time(now)
    for written, number, action, status, prev in items:
        data = written.data_bytes
        digest = h.revision_hash(
            slug=written.slug, number=number, action=action.value, author=author,
            message=message, created_at=now, status=status.value, data=data, prev_hash=prev,
        )  # fmt: skip
        rows.append(
            (
                written.slug, number, action.value, author, message, stamp,
                status.value, h.compress(data), prev, digest,
            )
        )  # fmt: skip
        content = None
        if status is Status.published:
            content = ledger.stored_content_digest(data)
        entries.append(ledger.Entry(written.slug, number, digest, published_at, content))
    return rows, entries


RevisionBatch = tuple[list[tuple[Any, ...]], list[ledger.Entry]]
"""Revisions rows and their revision log entries, written together (`_insert_revisions`)."""


def _insert_revisions(db: sqlite3.Connection, batch: RevisionBatch) -> None:
    """Insert revisions and append them to the revision log, in the caller's transaction
    (under SQLite's write lock, so the log's last head read here is still the last)."""
    rows, entries = batch
    db.executemany(
        f"INSERT INTO revisions ({_REVISION_COLUMNS}) VALUES ({', '.join('?' * 10)})", rows
    )
    last = db.execute(
        f"SELECT seq, head FROM {ledger.LOG_TABLE} ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    numbers: dict[str, int] = {}
    for slug in ledger.needs_public_numbers(entries):
        found = db.execute(
            f"SELECT max(public_number) FROM {ledger.LOG_TABLE} WHERE slug = ?", (slug,)
        ).fetchone()
        numbers[slug] = int(found[0] or 0)
    db.executemany(
        f"INSERT INTO {ledger.LOG_TABLE} ({ledger.LOG_COLUMNS}) VALUES ({', '.join('?' * 7)})",
        ledger.log_rows(None if last is None else (last[0], last[1]), entries, numbers),
    )


_HEAD_INSERT = "(rowid, title, tags, summary, key_points, description) VALUES (?, ?, ?, ?, ?, ?)"


def _index(
    db: sqlite3.Connection, items: list[tuple[int, PreparedRecord, Status]], *, tags: bool = True
) -> None:
    """Index records (id, written record, status) in the full-text tables: every one in
    `search_head` and `search_all`, the published ones in `search_published` too (the
    statistics public searches rank with; `sqlite_search`'s docstring)."""
    texts = [(rowid, *fts_texts(w.head, w.all_text), status) for rowid, w, status in items]
    db.executemany(f"INSERT INTO search_head {_HEAD_INSERT}", [(r, *h) for r, h, _, _ in texts])
    db.executemany(
        f"INSERT INTO search_published {_HEAD_INSERT}",
        [(rowid, *head) for rowid, head, _, status in texts if status is Status.published],
    )
    db.executemany(
        "INSERT INTO search_all (rowid, text) VALUES (?, ?)",
        [(rowid, everything) for rowid, _, everything, _ in texts],
    )
    if tags:
        db.executemany(
            "INSERT INTO record_tags (record_id, position, tag) VALUES (?, ?, ?)",
            [(rowid, i, tag) for rowid, w, _ in items for i, tag in enumerate(w.tags)],
        )


def _unindex(db: sqlite3.Connection, rowid: int, old: Record, old_status: Status) -> None:
    """Take record `rowid`, as it was indexed (`old`, `old_status`), out of the full-text
    tables. Contentless tables forget a row only when given exactly the text it was indexed
    with, and a row is taken out of `search_published` only if it is there: a 'delete' of
    a row a table does not hold would corrupt its statistics."""
    head, everything = fts_texts(h.head_texts(old), h.all_text(old))
    db.execute(
        "INSERT INTO search_head (search_head, rowid, title, tags, summary, key_points, "
        "description) VALUES ('delete', ?, ?, ?, ?, ?, ?)",
        (rowid, *head),
    )
    if old_status is Status.published:
        db.execute(
            "INSERT INTO search_published (search_published, rowid, title, tags, summary, "
            "key_points, description) VALUES ('delete', ?, ?, ?, ?, ?, ?)",
            (rowid, *head),
        )
    db.execute(
        "INSERT INTO search_all (search_all, rowid, text) VALUES ('delete', ?, ?)",
        (rowid, everything),
    )


def _stored(row: tuple[Any, ...]) -> StoredRecord:
    data, status, revision, updated_at = row
    return StoredRecord(h.record_from_json(data), Status(status), revision, _read_time(updated_at))


def _revision(row: tuple[Any, ...]) -> Revision:
    slug, number, action, author, message, created_at, status, data, prev_hash, digest = row
    return Revision(
        slug=slug,
        number=number,
        action=Action(action),
        author=author,
        message=message,
        created_at=_read_time(created_at),
        status=Status(status),
        record=h.record_from_json(h.decompress(data)),
        prev_hash=prev_hash,
        hash=digest,
    )


def _data_or_empty(blob: bytes) -> str:
    try:
        return h.decompress(blob)
    except Exception:  # corrupt data is reported by _check_revision
        return ""


def _check_revision(
    row: tuple[Any, ...], previous: tuple[str, int, str, str] | None
) -> list[HistoryProblem]:
    slug, number, action, author, message, created_at, status, blob, prev_hash, digest = row
    problems: list[HistoryProblem] = []
    same_chain = previous is not None and previous[0] == slug
    expected_number = previous[1] + 1 if previous is not None and same_chain else 1
    expected_prev = previous[2] if previous is not None and same_chain else ""
    if number != expected_number:
        problems.append(HistoryProblem(slug, number, f"expected revision {expected_number} here"))
    if prev_hash != expected_prev:
        problems.append(
            HistoryProblem(slug, number, "prev_hash does not match the previous revision's hash")
        )
    data = _data_or_empty(blob)
    if not data:
        problems.append(HistoryProblem(slug, number, "the stored record cannot be read"))
        return problems
    recomputed = h.revision_hash(
        slug=slug, number=number, action=action, author=author, message=message,
        created_at=_read_time(created_at), status=status, data=data, prev_hash=prev_hash,
    )  # fmt: skip
    if recomputed != digest:
        problems.append(
            HistoryProblem(slug, number, "hash mismatch: the revision was changed after writing")
        )
    return problems


def _check_current(
    last: tuple[str, int, str, str],
    current: dict[str, tuple[int, str]],
    ended: dict[str, int] | None = None,
) -> list[HistoryProblem]:
    """The chain ending at `last` against its record's row; a renamed slug's or a deleted
    record's chain (`ended`: slug → its last revision number, from `renames` and `deletions`)
    has no row and must end there."""
    slug, number, _digest, data = last
    if ended is not None and slug in ended and slug not in current:
        if ended[slug] != number:
            said = f"its rename or deletion says it ended at {ended[slug]}"
            return [HistoryProblem(slug, number, said)]
        return []
    if slug not in current:
        return [HistoryProblem(slug, number, "revisions of a record that does not exist")]
    revision, current_data = current[slug]
    if revision != number:
        return [HistoryProblem(slug, number, f"the record says it is at revision {revision}")]
    if current_data != data:
        return [HistoryProblem(slug, number, "the current record differs from its last revision")]
    return []


def _collections(db: sqlite3.Connection, slug: str | None) -> list[Collection]:
    where, args = ("WHERE slug = ?", (slug,)) if slug is not None else ("", ())
    heads = db.execute(
        f"SELECT slug, title, lede, description FROM collections {where} ORDER BY slug", args
    ).fetchall()
    members = db.execute(
        "SELECT collection, record_slug FROM collection_records ORDER BY collection, position"
    )
    return assemble_collections(heads, members)


EVER_USED = (
    "SELECT 1 FROM renames WHERE old_slug = {p} UNION ALL SELECT 1 FROM revisions WHERE slug = {p}"
)
"""A slug that was ever a record's (a renamed record's old slug, or any slug with revisions:
a deleted record's included)."""

ENDED = (
    "SELECT old_slug, last_number FROM renames{where_old} "
    "UNION ALL SELECT slug, last_number FROM deletions{where_slug}"
)
"""Chains that end without a record row: renamed slugs and deleted records (old slug → its last
revision number). Formatted with the driver's WHERE clauses, or with empty ones for all."""

TAKEN = "SELECT old_slug FROM renames UNION ALL SELECT slug FROM deletions"
"""Slugs no new record may take although no record row has them: a renamed record's old slug
names a history, and a deleted record's names a tombstone."""


def renamed_ends(rows: Iterable[tuple[Any, Any]]) -> dict[str, int]:
    return {str(old): int(last) for old, last in rows}
