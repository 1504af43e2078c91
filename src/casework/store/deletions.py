"""Reading the `deletions` table (migration 0015): records deleted with a tombstone.

A deletion is written by the store (`Store.delete`, one transaction with the row leaving) and
decided by the editing service (`Editing.delete`). This module only reads, through the
store's SQL engine, as `casework.store.renames` does, so that both engines share it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, text

from casework.store import history as h


@dataclass(frozen=True)
class Deletion:
    slug: str
    at: str  # canonical time
    author: str
    reason: str
    last_number: int  # the deleted record's last revision

    @property
    def day(self) -> str:
        return self.at[:10]


def _time(value: Any) -> str:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return h.canonical_time(h.as_utc(moment))


def read_all(engine: Engine) -> dict[str, Deletion]:
    """slug → its deletion."""
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT slug, deleted_at, author, reason, last_number FROM deletions")
        ).all()
    return {
        str(slug): Deletion(str(slug), _time(at), str(author), str(reason), int(last))
        for slug, at, author, reason, last in rows
    }


def read_one(engine: Engine, slug: str) -> Deletion | None:
    with engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT slug, deleted_at, author, reason, last_number FROM deletions "
                "WHERE slug = :slug"
            ),
            {"slug": slug},
        ).first()
    if row is None:
        return None
    slug, at, author, reason, last = row
    return Deletion(str(slug), _time(at), str(author), str(reason), int(last))
