"""Internal notes on a record: remarks between the people who edit it ("the second source
is the same photographer — ask before citing"), never published.

The rows (`notes` table, migration 0013) are read only by the editor's record page and
`casework notes`; nothing that writes a public byte (the site, its data files, exports, the
API) reads them. Notes are append-only and write no revision: a note is not the record's
content, so it changes neither its history nor its public versions. The act of adding one is
the editing service's (`Editing.add_note`), which checks who may.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, text

from casework.store import history as h

NOTE_CHARS = 5000


@dataclass(frozen=True)
class Note:
    id: int
    slug: str
    created_at: str  # canonical UTC time, as the history shows it
    author: str
    text: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "slug": self.slug,
            "createdAt": self.created_at,
            "author": self.author,
            "text": self.text,
        }


def _time(value: Any) -> str:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return h.canonical_time(h.as_utc(moment))


def read_for(engine: Engine, slug: str) -> list[Note]:
    """`slug`'s notes, oldest first."""
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT id, slug, created_at, author, text FROM notes WHERE slug = :slug"
                " ORDER BY created_at, id"
            ),
            {"slug": slug},
        ).all()
    return [Note(int(i), str(s), _time(at), str(a), str(t)) for i, s, at, a, t in rows]


def add(engine: Engine, slug: str, author: str, words: str) -> Note:
    """Write one note, now; returns it as stored."""
    now = h.utc_now()
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO notes (slug, created_at, author, text)"
                " VALUES (:slug, :at, :author, :text)"
            ),
            {"slug": slug, "at": now, "author": author, "text": words},
        )
    found = read_for(engine, slug)
    return found[-1]


def rename(connection: Any, old: str, new: str) -> None:
    """Move `old`'s notes to `new` (inside the caller's transaction: a rename of the record)."""
    connection.execute(
        text("UPDATE notes SET slug = :new WHERE slug = :old"), {"old": old, "new": new}
    )
