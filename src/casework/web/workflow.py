"""The editorial workflow's moves and what publishing adds to a record: shared by the editor's
forms (editor.py) and the editors' JSON API (records_api.py), so that both publish alike."""

from __future__ import annotations

from datetime import date

from casework.model import Record, Status, UpdateLogEntry
from casework.store.base import Hit, Query, Store, StoredRecord
from casework.web.permissions import Act

# (from, to) → the act that moves a record so; a pair not here is no move at all.
MOVES: dict[tuple[Status, Status], Act] = {
    (Status.draft, Status.review): Act.submit,
    (Status.review, Status.draft): Act.withdraw,
    (Status.draft, Status.published): Act.publish,
    (Status.review, Status.published): Act.publish,
    (Status.published, Status.draft): Act.unpublish,
}
TARGET = {act: to for (_from, to), act in MOVES.items()}
DEFAULT_MESSAGE = {
    Act.submit: "Submitted for review",
    Act.withdraw: "Returned to draft",
    Act.publish: "Published",
    Act.unpublish: "Unpublished",
}
UPDATE_LOG_CHARS = 2000


def published_change(record: Record, note: str, today: date) -> Record:
    """`record` as publishing (or saving while published) leaves it: `lastUpdated` today and,
    when `note` says something, an `updateLog` entry of today with it."""
    text = " ".join(note.split())[:UPDATE_LOG_CHARS]
    update: dict[str, object] = {"last_updated": today}
    if text:
        entry = UpdateLogEntry.model_validate({"date": today.isoformat(), "summary": text})
        update["update_log"] = [*record.update_log, entry]
    return record.model_copy(update=update)


def every_record(text: str, status: Status | None, page: int, size: int) -> Query:
    """The editors' list: records in any state (or one), newest first unless words rank."""
    return Query(
        text=text,
        status=status,
        sort="relevance" if text else "-date",
        limit=size,
        offset=(page - 1) * size,
        facets=False,
    )


def stored_hits(store: Store, hits: list[Hit]) -> dict[str, StoredRecord]:
    """Each listed record as stored now (its state and revision, which a search hit lacks)."""
    return {hit.slug: store.get(hit.slug) for hit in hits}
