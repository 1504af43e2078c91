"""Reading the `renames` table (migration 0014): which slugs a record had before.

A rename is written by the store (`Store.rename`, one transaction with the record's move and
its first revision under the new slug) and decided by the editing service (`Editing.rename`).
This module only reads: the whole story of a record (`chain`) and what a slug became
(`target`). Through the store's SQL engine, as `casework.store.notes` does, so that both
engines share it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, text

from casework.store import history as h


@dataclass(frozen=True)
class Rename:
    old: str
    new: str
    at: str  # canonical time
    author: str
    last_number: int  # the old slug's last revision


def _time(value: Any) -> str:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return h.canonical_time(h.as_utc(moment))


def read_all(engine: Engine) -> dict[str, Rename]:
    """old slug → its rename."""
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT old_slug, new_slug, renamed_at, author, last_number FROM renames")
        ).all()
    return {
        str(old): Rename(str(old), str(new), _time(at), str(author), int(last))
        for old, new, at, author, last in rows
    }


def chain(engine: Engine, slug: str) -> list[Rename]:
    """The renames that led to `slug`, oldest first (empty: it always had this slug). A
    merge (`Editing.merge`) leads a second slug to a record, so this is every slug whose
    story ends in `slug`, in the order they ended."""
    by_new: dict[str, list[Rename]] = {}
    for rename in read_all(engine).values():
        by_new.setdefault(rename.new, []).append(rename)
    found: list[Rename] = []
    seen = {slug}
    waiting = [slug]
    while waiting:
        for rename in by_new.get(waiting.pop(), []):
            if rename.old in seen:  # cannot happen (a used slug is refused); never loop
                continue
            found.append(rename)
            seen.add(rename.old)
            waiting.append(rename.old)
    return sorted(found, key=lambda r: r.at)


def target(engine: Engine, slug: str) -> str | None:
    """What `slug` is called now, if it was renamed (followed through later renames)."""
    return follow(read_all(engine), slug)


def follow(renamed: dict[str, Rename], slug: str) -> str | None:
    """`slug`'s name now through `renamed` (old slug → rename), None if it was not renamed."""
    seen = {slug}
    current = None
    while slug in renamed:
        slug = renamed[slug].new
        if slug in seen:
            break
        seen.add(slug)
        current = slug
    return current
