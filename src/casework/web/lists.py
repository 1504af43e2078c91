"""The editors' list of records (the editor's dashboard and the editing API's list share it):
every state, newest first unless words rank, each with its state as stored now."""

from __future__ import annotations

from casework.model import Status
from casework.store.base import Hit, Query, Store, StoredRecord


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
