"""The published side of the revision log: public versions, their files, the public log.

Read from the store's `revision_log` and `revisions` tables in one snapshot (through the
store's SQL engine; `PublicView.public_log` is how the build and the live site reach it).
What is public here, and why, is in `ledger.py`'s docstring.

Files (built site and live site alike):
- `/incident/{slug}/v/{n}.json`: `{"slug", "version", "publishedAt", "leaf", "index",
  "record"}`: the record as published at public version n (the public wire form, without
  `relatedIncidents`), its public log leaf and the leaf's position. Never changes once written.
  A withdrawn version's file is a tombstone instead, without `record` (`withdrawals.py`).
- `/incident/{slug}/history.json`: `{"slug", "versions": [{"version", "publishedAt", "leaf",
  "url"}]}`; a withdrawn version's entry also has `"withdrawn": {"date", "reason"}`.
- `/data/log.json`: `{"log", "size", "head", "leaves": [...]}`: the public log.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, text

from casework.evidence import ledger
from casework.evidence.withdrawals import Withdrawal, is_tombstone, read_all, read_for, tombstone
from casework.formats import dumps
from casework.store import history as h

LOG_LABEL = "casework public versions"


@dataclass(frozen=True)
class Version:
    slug: str
    version: int
    number: int  # the internal revision number (never published)
    published_at: str
    leaf: str
    index: int  # position of its leaf in the public log, from 0
    revision_hash: str = ""  # the internal revision's hash (never published)
    withdrawn: Withdrawal | None = None  # its words were taken off the site


@dataclass
class PublicLog:
    """The public log's leaves, in order, and each record's public versions; `full` is the
    tracker-wide log's (size, head), which only a checkpoint's commitment may carry."""

    leaves: list[str] = field(default_factory=list)
    versions: dict[str, list[Version]] = field(default_factory=dict)
    full: ledger.LogHead = field(default_factory=lambda: ledger.LogHead(0, ledger.ZERO_HEAD))

    def head(self) -> ledger.LogHead:
        return ledger.public_head(self.leaves)

    def withdrawn_leaves(self) -> list[str]:
        """What a checkpoint signs as `withdrawn` (withdrawals.py)."""
        return sorted(v.leaf for found in self.versions.values() for v in found if v.withdrawn)


def engine_of(store: Any) -> Engine | None:
    engine = getattr(store, "_engine", None)
    return engine if isinstance(engine, Engine) else None


def read_public_log(engine: Engine) -> PublicLog:
    """The public log as the store holds it now, with the published-at times of its versions."""
    found = PublicLog()
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
        last = connection.execute(
            text("SELECT seq, head FROM revision_log ORDER BY seq DESC LIMIT 1")
        ).first()
        if last is not None:
            found.full = ledger.LogHead(int(last[0]), str(last[1]))
        rows = connection.execute(
            text(
                "SELECT l.slug, l.public_number, l.number, r.created_at, l.public_leaf,"
                " l.revision_hash FROM revision_log l LEFT JOIN revisions r"
                " ON r.slug = l.slug AND r.number = l.number"
                " WHERE l.public_leaf IS NOT NULL ORDER BY l.seq"
            )
        )
        withdrawn = read_all(engine)
        for slug, version, number, created_at, leaf, digest in rows:
            when = _published_at(created_at)
            gone = withdrawn.get((slug, int(version)))
            found.versions.setdefault(slug, []).append(
                Version(
                    slug,
                    int(version),
                    int(number),
                    when,
                    str(leaf),
                    len(found.leaves),
                    digest,
                    gone,
                )
            )
            found.leaves.append(str(leaf))
    return found


def read_versions(engine: Engine, slug: str) -> list[Version]:
    """One record's public versions (whether or not it is published now: the caller asks)."""
    found = []
    withdrawn = read_for(engine, slug)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT l.seq, l.public_number, l.number, r.created_at, l.public_leaf"
                " FROM revision_log l LEFT JOIN revisions r"
                " ON r.slug = l.slug AND r.number = l.number"
                " WHERE l.slug = :slug AND l.public_leaf IS NOT NULL ORDER BY l.seq"
            ),
            {"slug": slug},
        ).all()
        for seq, version, number, created_at, leaf in rows:
            index = connection.execute(
                text(
                    "SELECT count(*) FROM revision_log WHERE public_leaf IS NOT NULL AND seq < :seq"
                ),
                {"seq": seq},
            ).scalar_one()
            when = h.canonical_time(_as_time(created_at)) if created_at is not None else ""
            found.append(
                Version(
                    slug,
                    int(version),
                    int(number),
                    when,
                    str(leaf),
                    int(index),
                    withdrawn=withdrawn.get(int(version)),
                )
            )
    return found


def read_current_version(engine: Engine, slug: str) -> int | None:
    """The number of a record's newest public version (None: it has none)."""
    with engine.connect() as connection:
        found = connection.execute(
            text("SELECT max(public_number) FROM revision_log WHERE slug = :slug"),
            {"slug": slug},
        ).scalar_one()
    return None if found is None else int(found)


# SQLite's naive UTC time with microseconds, as SQLAlchemy stores a datetime there.
_SQLITE_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}")


def _published_at(value: Any) -> str:
    """A revision's created_at as the log publishes it (store/history.py canonical_time);
    SQLite's text rewritten as it is (a third of reading the public log at 10,000 records
    was parsing and formatting each time)."""
    if value is None:
        return ""
    if isinstance(value, str) and len(value) == 26 and _SQLITE_TIME.fullmatch(value):
        return f"{value[:10]}T{value[11:]}Z"
    return h.canonical_time(_as_time(value))


def _as_time(value: Any) -> datetime:
    if isinstance(value, str):
        return h.as_utc(datetime.fromisoformat(value))
    return h.as_utc(value)


def read_version_records(
    engine: Engine, wanted: Iterable[Version]
) -> dict[tuple[str, int], dict[str, Any]]:
    """(slug, public version) → the stored record of that version (parsed JSON)."""
    by_slug: dict[str, dict[int, Version]] = {}
    for version in wanted:
        if version.withdrawn is not None:
            continue  # its words are off the site: never read, never written
        by_slug.setdefault(version.slug, {})[version.number] = version
    found: dict[tuple[str, int], dict[str, Any]] = {}
    # A revision's bytes may be its record row's (store/history.py: IN_RECORD).
    query = text(
        "SELECT v.number, v.data, r.data FROM revisions v LEFT JOIN records r"
        " ON r.slug = v.slug AND r.revision = v.number WHERE v.slug = :slug"
    )
    with engine.connect() as connection:
        for slug, numbers in by_slug.items():
            for number, data, in_record in connection.execute(query, {"slug": slug}):
                if number in numbers:
                    stored = h.revision_json(data, in_record)
                    found[(slug, numbers[number].version)] = ledger.loads(stored)
    return found


def version_document(version: Version, stored: dict[str, Any]) -> dict[str, Any]:
    """A version file's content: the public record without `relatedIncidents`. Which related
    records may be named changes as they are published or taken back (the public view leaves
    unpublished ones out), while a version file never changes once written; the current
    record's JSON carries its related records."""
    if version.withdrawn is not None:
        return withdrawn_document(version)
    record = ledger.public_record(stored)
    record.pop(ledger.RELATED_KEY, None)
    return {
        "slug": version.slug,
        "version": version.version,
        "publishedAt": version.published_at,
        "leaf": version.leaf,
        "index": version.index,
        "record": record,
    }


def version_bytes(version: Version, stored: dict[str, Any]) -> str:
    return dumps(version_document(version, stored))


def withdrawn_document(version: Version) -> dict[str, Any]:
    """A withdrawn version's tombstone (nothing of its record but the content digest)."""
    assert version.withdrawn is not None
    return tombstone(
        version.slug,
        version.version,
        version.published_at,
        version.leaf,
        version.index,
        version.withdrawn,
    )


def withdrawn_bytes(version: Version) -> str:
    return dumps(withdrawn_document(version))


def version_url(slug: str, version: int) -> str:
    return f"/incident/{slug}/v/{version}.json"


def history_document(slug: str, versions: list[Version]) -> dict[str, Any]:
    return {
        "slug": slug,
        "versions": [_history_entry(slug, v) for v in versions],
    }


def _history_entry(slug: str, v: Version) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "version": v.version,
        "publishedAt": v.published_at,
        "leaf": v.leaf,
        "url": version_url(slug, v.version),
    }
    if v.withdrawn is not None:
        entry["withdrawn"] = {"date": v.withdrawn.day, "reason": v.withdrawn.reason}
    return entry


def log_document(log: PublicLog) -> dict[str, Any]:
    head = log.head()
    return {"log": LOG_LABEL, "size": head.size, "head": head.head, "leaves": log.leaves}


def leaf_of_document(document: dict[str, Any]) -> str:
    """Recompute a version file's leaf from its content (what a verifier does); a tombstone's
    from the content digest it carries."""
    if is_tombstone(document):
        content = document.get("content")
        if not isinstance(content, str) or len(content) != 64:
            raise ValueError("a tombstone without its content digest")
        return ledger.public_leaf(
            str(document.get("slug")),
            int(document.get("version", 0)),
            str(document.get("publishedAt")),
            content,
        )
    record = document.get("record")
    if not isinstance(record, dict):
        raise ValueError("it holds no record")
    return ledger.public_leaf(
        str(document.get("slug")),
        int(document.get("version", 0)),
        str(document.get("publishedAt")),
        ledger.content_digest(record),
    )
