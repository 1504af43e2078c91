"""How a record's row and its full-text entries are written on SQLite: the row-level half of
the SQLite engine (`sqlite.py` holds its transactions; what both engines share, `sql.py`)."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from casework.model import Record, Status
from casework.render.html import body_text
from casework.search_words import record_key_texts
from casework.store import history as h
from casework.store import postings
from casework.store.prepared import PAGE_COLUMNS, PreparedRecord, page_rows

_RECORD_COLUMNS = (
    "id, slug, status, revision, updated_at, data, title, date, year, category, severity, "
    "posture, ongoing, countries"
)


def _db_time(moment: datetime) -> str:
    # The text SQLAlchemy's SQLite DateTime type stores (naive UTC), so both read alike.
    return h.as_utc(moment).strftime("%Y-%m-%d %H:%M:%S.%f")


def _row(w: PreparedRecord, status: str, revision: int, now: str) -> tuple[Any, ...]:
    return (
        w.slug, status, revision, now, w.data, w.title, w.date, w.year,
        w.category, w.severity, w.posture, int(w.ongoing), w.countries,
    )  # fmt: skip


_NEW_ROW_MARKS = "?, ?, ?, ?, ?, CAST(? AS TEXT), ?, ?, ?, ?, ?, ?, ?, ?"
"""The placeholders of `_new_row`'s values, `id, RECORD_COLUMNS`: `data` is given as its UTF-8
bytes, which SQLite takes as the text they spell (its text is UTF-8), as it stores them.
Decoding ~15 KB of JSON to a str for the driver to encode back cost 41 -> 7 µs a record
written (measured, 500 records into a table of its own)."""


def _new_row(rowid: int, w: PreparedRecord, status: str, now: str) -> tuple[Any, ...]:
    """A new record's row (revision 1), `_NEW_ROW_MARKS`'s values."""
    return (
        rowid, w.slug, status, 1, now, w.data_bytes, w.title, w.date, w.year,
        w.category, w.severity, w.posture, int(w.ongoing), w.countries,
    )  # fmt: skip


_HEAD_INSERT = "(rowid, title, tags, summary, key_points, description) VALUES (?, ?, ?, ?, ?, ?)"


def _index(
    db: sqlite3.Connection,
    items: list[tuple[int, PreparedRecord, Status]],
    *,
    tags: bool = True,
    keys: bool = True,
) -> None:
    """Index records (id, written record, status) in the full-text tables: every one in
    `search_head` and (unless `keys` is false: the caller writes them) `search_postings`, the
    published ones in `search_published` too (the statistics public searches rank with;
    `sqlite_search`'s docstring)."""
    # The keys were made with the record (`prepare_record`), on an import in another process.
    db.executemany(
        f"INSERT INTO search_head {_HEAD_INSERT}", [(r, *w.head_keys) for r, w, _ in items]
    )
    db.executemany(
        f"INSERT INTO search_published {_HEAD_INSERT}",
        [(r, *w.head_keys) for r, w, status in items if status is Status.published],
    )
    if keys:
        postings.change(
            db, [(r, postings.record_keys(w.head_keys, w.all_keys)) for r, w, _ in items]
        )
    if tags:
        db.executemany(
            "INSERT INTO record_tags (record_id, position, tag) VALUES (?, ?, ?)",
            [(rowid, i, tag) for rowid, w, _ in items for i, tag in enumerate(w.tags)],
        )
        db.executemany(
            f"INSERT INTO record_pages ({PAGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [row for rowid, w, status in items for row in page_rows(rowid, w, status)],
        )


def _unindex(
    db: sqlite3.Connection, rowid: int, old: Record, old_status: Status, *, keys: bool = True
) -> set[str]:
    """Take record `rowid`, as it was indexed (`old`, `old_status`), out of the full-text
    tables (and, unless `keys` is false, out of `search_postings`); its keys there are
    returned. Contentless tables forget a row only when given exactly the text it was
    indexed with, and a row is taken out of `search_published` only if it is there: a
    'delete' of a row a table does not hold would corrupt its statistics."""
    head, everything = record_key_texts(h.head_texts(old), body_text(old))
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
    found = postings.record_keys(head, everything)
    if keys:
        postings.change(db, [], [(rowid, found)])
    return found


def _reindex_keys(db: sqlite3.Connection, rowid: int, old: set[str], new: PreparedRecord) -> None:
    """Record `rowid`'s postings after an edit: only the keys it gained or lost are written
    (an edit changes a few words of a record's ~250 keys)."""
    now = postings.record_keys(new.head_keys, new.all_keys)
    postings.change(db, [(rowid, now - old)], [(rowid, old - now)])
