"""What every engine shares above its own SQL: the three ways of changing a record through one
`_change`, and collections assembled from the rows both engines read alike."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from casework.model import Collection, Record, Status
from casework.store import history as h
from casework.store.base import Action, Along, Replacer, Revision, StoredRecord
from casework.store.prepared import PreparedRecord


class ChangesThroughOne:
    """`save`, `set_status` and `restore` of the Store protocol, each one revision written by
    the engine's `_change` (which checks the base revision and writes the hash-chained row)."""

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
        raise NotImplementedError

    def revision(self, slug: str, number: int) -> Revision:
        raise NotImplementedError

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
