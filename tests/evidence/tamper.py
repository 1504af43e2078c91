"""What a forger with write access to the database does, in SQL on either engine: rewrite
revisions and recompute every hash a per-record chain holds, cut histories, delete records,
and, the strongest, recompute the whole revision log from what is left."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, create_engine, text

from casework.evidence import ledger
from casework.store import history as h
from casework.store.migrate import sqlalchemy_url

COLUMNS = "slug, number, action, author, message, created_at, status, data, prev_hash, hash"


@contextmanager
def database(url: str) -> Iterator[Connection]:
    engine = create_engine(sqlalchemy_url(url))
    try:
        with engine.begin() as connection:
            yield connection
    finally:
        engine.dispose()


def _time(value: Any) -> datetime:
    return h.as_utc(datetime.fromisoformat(value) if isinstance(value, str) else value)


def revisions(db: Connection, slug: str) -> list[dict[str, Any]]:
    """`slug`'s revisions, each with the JSON of its record's row when the record is at it
    ("in_record": where the bytes of a revision stored as `history.IN_RECORD` are)."""
    columns = ", ".join(f"v.{column.strip()}" for column in COLUMNS.split(","))
    rows = db.execute(
        text(
            f"SELECT {columns}, r.data AS in_record FROM revisions v LEFT JOIN records r"
            " ON r.slug = v.slug AND r.revision = v.number WHERE v.slug = :s ORDER BY v.number"
        ),
        {"s": slug},
    ).mappings()
    return [dict(row) for row in rows]


def rewrite_history(db: Connection, slug: str, history: list[dict[str, Any]]) -> None:
    """Replace `slug`'s revisions with `history` (records as JSON text in "json"), every hash
    of its chain recomputed, and its current record set to the last one: what
    `verify_history` alone cannot tell from the real thing."""
    db.execute(text("DELETE FROM revisions WHERE slug = :s"), {"s": slug})
    prev = ""
    for number, rev in enumerate(history, 1):
        data = rev["json"]
        digest = h.revision_hash(
            slug=slug, number=number, action=rev["action"], author=rev["author"],
            message=rev["message"], created_at=_time(rev["created_at"]), status=rev["status"],
            data=data, prev_hash=prev,
        )  # fmt: skip
        db.execute(
            text(
                f"INSERT INTO revisions ({COLUMNS}) VALUES (:slug, :number, :action, :author,"
                " :message, :created_at, :status, :data, :prev_hash, :hash)"
            ),
            {**{k: rev[k] for k in ("action", "author", "message", "created_at", "status")},
             "slug": slug, "number": number, "data": h.compress(data), "prev_hash": prev,
             "hash": digest},
        )  # fmt: skip
        prev = digest
    last = history[-1]
    db.execute(
        text("UPDATE records SET data = :d, revision = :n, status = :st WHERE slug = :s"),
        {"d": last["json"], "n": len(history), "st": last["status"], "s": slug},
    )


def with_json(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**row, "json": h.revision_json(row["data"], row["in_record"])} for row in rows]


def forge_edit(db: Connection, slug: str, old: str, new: str) -> None:
    """Change words in every revision of `slug`, recomputing its chain."""
    history = with_json(revisions(db, slug))
    for rev in history:
        rev["json"] = rev["json"].replace(old, new)
    rewrite_history(db, slug, history)


def cut_tail(db: Connection, slug: str, keep: int) -> None:
    rewrite_history(db, slug, with_json(revisions(db, slug))[:keep])


def delete_record(db: Connection, slug: str) -> None:
    db.execute(text("DELETE FROM revisions WHERE slug = :s"), {"s": slug})
    if db.dialect.name == "postgresql":
        db.execute(
            text(
                "DELETE FROM record_words"
                " WHERE record_id IN (SELECT id FROM records WHERE slug = :s)"
            ),
            {"s": slug},
        )
    db.execute(
        text("DELETE FROM record_tags WHERE record_id IN (SELECT id FROM records WHERE slug = :s)"),
        {"s": slug},
    )
    db.execute(text("DELETE FROM records WHERE slug = :s"), {"s": slug})


def swap_histories(db: Connection, a: str, b: str) -> None:
    """Give record `a` the history of `b` and `b` that of `a` (contents kept, slugs fixed up,
    every hash recomputed)."""
    first, second = with_json(revisions(db, a)), with_json(revisions(db, b))
    for rev in first:
        rev["json"] = rev["json"].replace(f'"slug":"{a}"', f'"slug":"{b}"')
    for rev in second:
        rev["json"] = rev["json"].replace(f'"slug":"{b}"', f'"slug":"{a}"')
    rewrite_history(db, a, second)
    rewrite_history(db, b, first)


def rewrite_log(db: Connection) -> None:
    """Recompute the whole revision log from the revisions there are now, in its order (those
    gone dropped, those new appended): a log that agrees with the tampered store in every
    hash. Only a signed checkpoint can tell."""
    logged = db.execute(text("SELECT slug, number FROM revision_log ORDER BY seq")).all()
    rows = {
        (r[0], r[1]): r
        for r in db.execute(
            text(
                "SELECT v.slug, v.number, v.hash, v.status, v.created_at, v.data, r.data"
                " FROM revisions v LEFT JOIN records r ON r.slug = v.slug"
                " AND r.revision = v.number"
            )
        )
    }
    order = [key for key in logged if key in rows]
    order += sorted(set(rows) - set(order))
    entries = []
    for key in order:
        slug, number, digest, status, created_at, data, in_record = rows[key]
        content = None
        if status == "published":
            content = ledger.stored_content_digest(h.revision_json(data, in_record))
        entries.append(
            ledger.Entry(slug, number, digest, h.canonical_time(_time(created_at)), content)
        )
    db.execute(text("DELETE FROM revision_log"))
    for row in ledger.log_rows(None, entries, {}):
        db.execute(
            text(
                "INSERT INTO revision_log (seq, slug, number, revision_hash, head, public_number,"
                " public_leaf) VALUES (:a, :b, :c, :d, :e, :f, :g)"
            ),
            dict(zip("abcdefg", row, strict=True)),
        )
