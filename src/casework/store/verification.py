"""How `verify_history` judges a record's chain of revisions, on either engine: each revision
against the one before it and its own hash, and the chain's end against the record's row."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from casework.store import history as h
from casework.store.base import HistoryProblem

Chain = tuple[str, int, str, str]
"""The last revision seen of a chain: slug, number, hash, and the digest of its data (as the
engine compares a record's current data: the data itself, or its MD5)."""


def data_or_empty(blob: bytes) -> str:
    try:
        return h.decompress(blob)
    except Exception:  # corrupt data is reported by check_revision
        return ""


def revision_data(blob: bytes, in_record: str | None) -> str:
    """A revision's record JSON as `verify_history` reads it: its own bytes, or its record
    row's (`history.IN_RECORD`); "" when unreadable (check_revision reports it)."""
    if blob == h.IN_RECORD:
        return in_record or ""
    return data_or_empty(blob)


def check_revision(
    row: Sequence[Any], previous: Chain | None, data: str | None = None
) -> list[HistoryProblem]:
    """One stored revision (its `revisions` columns, `revision_rows.REVISION_COLUMNS`, the time
    read as a datetime) after `previous`, the last one seen; `data`, its record JSON when
    read apart (`revision_data`)."""
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
    if data is None:
        data = data_or_empty(blob)
    if not data:
        problems.append(HistoryProblem(slug, number, "the stored record cannot be read"))
        return problems
    recomputed = h.revision_hash(
        slug=slug, number=number, action=action, author=author, message=message,
        created_at=created_at, status=status, data=data, prev_hash=prev_hash,
    )  # fmt: skip
    if recomputed != digest:
        # A revision whose bytes are its record row's: the row is what changed.
        said = (
            "the current record differs from its last revision"
            if blob == h.IN_RECORD
            else "hash mismatch: the revision was changed after writing"
        )
        problems.append(HistoryProblem(slug, number, said))
    return problems


def check_current(
    last: Chain, current: dict[str, tuple[int, str]], ended: dict[str, int]
) -> list[HistoryProblem]:
    """The chain ending at `last` against its record's row; a renamed slug's or a deleted
    record's chain (`ended`: slug → its last revision number, from `renames` and `deletions`)
    has no row and must end there."""
    slug, number, _digest, data = last
    if slug in ended and slug not in current:
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
