"""What readers are told when a published record changes: every change to the public
content of a published record gets a dated `updateLog` entry and moves `lastUpdated` to the
day of the change, whichever entry point made it.

The entry's text is the reviewer's own when one was given; otherwise it is written from the
changed fields ("Updated the summary, key points and sources."), so that no public change
goes unmentioned. `lastUpdated` and `updateLog` are the server's: what an editor sends for
them is never taken (the log of public changes only ever grows).
"""

from __future__ import annotations

from datetime import date

from casework.model import Record, UpdateLogEntry
from casework.model.diff import Change, diff_records

UPDATE_LOG_CHARS = 2000
SERVER_OWNED = ("lastUpdated", "updateLog")

# How a changed field is named to readers, by its top-level key.
_READER_NAMES: dict[str, str] = {
    "title": "the title",
    "date": "the date",
    "summary": "the summary",
    "category": "the category",
    "severity": "the severity",
    "posture": "the record's standing",
    "ongoing": "whether it is ongoing",
    "victims": "the victims",
    "perpetrators": "the perpetrators",
    "structuredVictims": "the victims",
    "structuredPerpetrators": "the perpetrators",
    "legalBasis": "the legal basis",
    "tags": "the tags",
    "keyPoints": "key points",
    "warCrimeClassification": "the legal classification",
    "internationalLaw": "the legal framing",
    "iccRelevance": "the ICC relevance",
    "legalAnalyses": "legal analyses",
    "description": "the description",
    "relatedIncidents": "related incidents",
    "sources": "sources",
    "documents": "documents",
    "timeline": "the timeline",
    "body": "the account",
}


def clean_note(note: str) -> str:
    """An update note as it is logged: one line, at most UPDATE_LOG_CHARS characters."""
    return " ".join(note.split())[:UPDATE_LOG_CHARS]


def public_changes(old: Record, new: Record) -> list[Change]:
    """The changes from `old` to `new` that readers see (all but the server's own fields)."""
    return public_only(diff_records(old, new))


def public_only(changes: list[Change]) -> list[Change]:
    """Of `changes`, those readers see (all but the server's own fields)."""
    return [c for c in changes if _top(c.path) not in SERVER_OWNED]


def _top(path: str) -> str:
    return path.split(".", 1)[0]


def change_note(changes: list[Change]) -> str:
    """A reader's line for `changes`: "Updated the summary, key points and sources."."""
    names: list[str] = []
    for change in changes:
        top = _top(change.path)
        name = _READER_NAMES.get(top, top)
        if name not in names:
            names.append(name)
    if not names:
        return "Updated."
    if len(names) > 1:
        return "Updated " + ", ".join(names[:-1]) + " and " + names[-1] + "."
    return f"Updated {names[0]}."


def with_server_fields(record: Record, current: Record) -> Record:
    """`record` carrying `current`'s lastUpdated and updateLog: what a save may not change."""
    return record.model_copy(
        update={"last_updated": current.last_updated, "update_log": list(current.update_log)}
    )


def logged(record: Record, note: str, today: date) -> Record:
    """`record` with an updateLog entry of `today` saying `note` and lastUpdated `today`."""
    entry = UpdateLogEntry.model_validate({"date": today.isoformat(), "summary": note})
    return record.model_copy(
        update={"last_updated": today, "update_log": [*record.update_log, entry]}
    )
