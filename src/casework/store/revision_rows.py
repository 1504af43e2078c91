"""A revision as it is written on either engine: its `revisions` row, hashed and compressed,
and the revision log entry that goes with it (`sql.SQLStore._insert_revisions` writes both)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from casework.evidence import ledger
from casework.model import Record, Status
from casework.store import history as h
from casework.store.base import Action
from casework.store.prepared import PreparedRecord, prepare_record

REVISION_COLUMNS = (
    "slug, number, action, author, message, created_at, status, data, prev_hash, hash"
)

RevisionItem = tuple[PreparedRecord, int, Action, Status, str]
"""A revision to write: the written record, its number, action, status and previous hash."""

RevisionBatch = tuple[list[tuple[Any, ...]], list[ledger.Entry]]
"""Revisions rows and their revision log entries, written together."""


def prepared(record: Record | PreparedRecord) -> PreparedRecord:
    return record if isinstance(record, PreparedRecord) else prepare_record(record)


def revision_rows(
    items: list[RevisionItem], author: str, message: str, now: datetime, stamp: Any
) -> RevisionBatch:
    """The `revisions` rows for `items`, hashed, `created_at` given as `stamp` (`now` as the
    engine stores a time: SQLite's text, PostgreSQL's timestamptz); and what the revision log
    needs of each. Each is the revision its record is now at, written with its record's row:
    its bytes are the row's (`history.IN_RECORD`), kept once. Pure, so that a bulk import
    can run it on a second core."""
    rows = []
    entries = []
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
                status.value, h.IN_RECORD, prev, digest,
            )
        )  # fmt: skip
        content = None
        if status is Status.published:
            content = ledger.stored_content_digest(data)
        entries.append(ledger.Entry(written.slug, number, digest, published_at, content))
    return rows, entries
