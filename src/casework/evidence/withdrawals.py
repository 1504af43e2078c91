"""Withdrawn public versions: words an editor took off the site (a witness's name, an exact
address) without unpublishing the record and without breaking `casework verify`.

A withdrawn version keeps its leaf in the public log, so the chain and every checkpoint
still verify. Its file `/incident/{slug}/v/{n}.json` becomes a tombstone:

    {"slug", "version", "publishedAt", "leaf", "index", "content",
     "withdrawn": {"date", "reason"}}

with no `record`. `content` is the SHA-256 of the withdrawn record's public JSON (what the
leaf hashes, `ledger.content_digest`): with it a reader recomputes the leaf from the
tombstone, so a tombstone cannot be moved to another slug or version. It tells nothing the
leaf did not: whoever holds a copy of the withdrawn version could already confirm it from
the leaf, its slug, number and date, which were public.

How a reader tells a withdrawal from an attacker deleting content: every checkpoint signed
after a withdrawal carries `withdrawn`, the sorted list of the leaves withdrawn so far
(leaves are public already; no slug of a record taken back is named). A tombstone whose leaf
is not in the newest signed checkpoint's list is a deletion, and `casework verify` says so.

The rows (`withdrawals` table, migration 0011) are the system of record; the act itself is
`Editing.withdraw_versions` (one revision logging who and why).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, text

from casework.store import history as h


@dataclass(frozen=True)
class Withdrawal:
    slug: str
    version: int
    leaf: str
    content: str
    withdrawn_at: str  # canonical time
    author: str
    reason: str

    @property
    def day(self) -> str:
        return self.withdrawn_at[:10]


def _time(value: Any) -> str:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return h.canonical_time(h.as_utc(moment))


_COLUMNS = "slug, version, leaf, content, withdrawn_at, author, reason"


def _rows(
    engine: Engine, where: str = "", params: dict[str, Any] | None = None
) -> list[Withdrawal]:
    with engine.connect() as connection:
        rows = connection.execute(
            text(f"SELECT {_COLUMNS} FROM withdrawals {where} ORDER BY slug, version"),
            params or {},
        ).all()
    return [
        Withdrawal(str(s), int(v), str(leaf), str(c), _time(at), str(a), str(r))
        for s, v, leaf, c, at, a, r in rows
    ]


def read_all(engine: Engine) -> dict[tuple[str, int], Withdrawal]:
    return {(w.slug, w.version): w for w in _rows(engine)}


def read_for(engine: Engine, slug: str) -> dict[int, Withdrawal]:
    return {w.version: w for w in _rows(engine, "WHERE slug = :slug", {"slug": slug})}


def record(engine: Engine, found: list[Withdrawal]) -> None:
    """Write withdrawals (one transaction); a version withdrawn twice is refused by the key."""
    with engine.begin() as connection:
        for w in found:
            connection.execute(
                text(
                    "INSERT INTO withdrawals (slug, version, leaf, content, withdrawn_at, author,"
                    " reason) VALUES (:slug, :version, :leaf, :content, :at, :author, :reason)"
                ),
                {
                    "slug": w.slug,
                    "version": w.version,
                    "leaf": w.leaf,
                    "content": w.content,
                    "at": datetime.fromisoformat(w.withdrawn_at.replace("Z", "+00:00")),
                    "author": w.author,
                    "reason": w.reason,
                },
            )


def remove(engine: Engine, found: list[Withdrawal]) -> None:
    """Take back withdrawals just recorded (their revision could not be written)."""
    with engine.begin() as connection:
        for w in found:
            connection.execute(
                text("DELETE FROM withdrawals WHERE slug = :slug AND version = :version"),
                {"slug": w.slug, "version": w.version},
            )


def signed_leaves(engine: Engine) -> list[str]:
    """What a checkpoint signs as `withdrawn`: every withdrawn leaf, sorted."""
    return sorted({w.leaf for w in _rows(engine)})


def tombstone(
    slug: str, version: int, published_at: str, leaf: str, index: int, withdrawal: Withdrawal
) -> dict[str, Any]:
    return {
        "slug": slug,
        "version": version,
        "publishedAt": published_at,
        "leaf": leaf,
        "index": index,
        "content": withdrawal.content,
        "withdrawn": {"date": withdrawal.day, "reason": withdrawal.reason},
    }


def is_tombstone(document: dict[str, Any]) -> bool:
    return "withdrawn" in document and "record" not in document
