"""What every engine does the same way: the revision hash chain, the stored JSON, search text.

A revision's hash is the SHA-256 of the canonical JSON array

    [slug, number, action, author, message, created_at, status, record, prev_hash]

(compact separators, non-ASCII kept, `created_at` as `2026-01-02T03:04:05.123456Z`, `record`
exactly the stored record JSON). Each record's revisions form a chain through `prev_hash`;
changing any stored byte of a revision, or removing one, breaks it.

A record's bytes are stored once. The revision a record is at keeps no copy of them: its
`data` is empty (`IN_RECORD`) and its record JSON is the record row's `data`, the one the hash
was made over. When a later revision (an edit, a rename, a retirement, a deletion) replaces
the row's JSON, the revision it leaves behind gets its bytes first, in the same transaction
(`SQLStore._keep_history`). Revisions written before this (and by any writer that still
does) hold their bytes even while current; readers take either (`revision_json`).

The bytes of a revision no longer current are stored zlib-compressed (level 1): history is
written once and read rarely; level 1 shrinks JSON about threefold at a few hundred MB/s.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import zlib
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

from casework.model import Record
from casework.model.places import place_text
from casework.render.html import body_text

_orjson: ModuleType | None
try:  # optional: only speed depends on it
    _orjson = importlib.import_module("orjson")
except ImportError:  # pragma: no cover
    _orjson = None


def record_json(record: Record) -> str:
    """The stored form of a record: compact JSON of `record.to_storage()`, key order kept
    (unknown keys of nested parts are put back by their order, so it must not be sorted)."""
    return record_json_bytes(record).decode("utf-8")


def record_json_bytes(record: Record) -> bytes:
    """`record_json` as UTF-8 bytes, made once for the row, the hash and the compression.

    orjson, when installed, writes the very bytes `json.dumps(ensure_ascii=False,
    separators=(",", ":"))` writes for a record, 3-4x faster; what it refuses (lone
    surrogates, integers past 64 bits) goes to the json module. (It would write NaN as null:
    casework's readers refuse NaN, and records hold no floats of their own.)"""
    data = record.to_storage()
    if _orjson is not None:
        try:
            return bytes(_orjson.dumps(data))
        except (TypeError, ValueError):
            pass
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def record_from_json(text: str | bytes) -> Record:
    """A stored record read back; orjson parses (what it refuses, as in `record_json_bytes`,
    goes to the json module)."""
    if _orjson is not None:
        try:
            return Record.from_storage(_orjson.loads(text))
        except _orjson.JSONDecodeError:
            pass
    return Record.from_storage(json.loads(text))


def compress(text: str | bytes) -> bytes:
    """zlib level 1 of `text` (UTF-8 bytes of it when given a str)."""
    return zlib.compress(text if isinstance(text, bytes) else text.encode("utf-8"), 1)


def decompress(blob: bytes) -> str:
    return zlib.decompress(blob).decode("utf-8")


IN_RECORD = b""
"""A revision's `data` while it is the revision its record is at: the bytes are the record
row's (no zlib stream is empty, so it never stands for stored bytes)."""


def revision_json(blob: bytes, in_record: str | None) -> str:
    """A revision's record JSON: its own bytes, or (`IN_RECORD`) the JSON of the record row
    at that revision, `in_record` (None when no such row: the history is broken, and the
    JSON is empty for `verify_history` to report)."""
    if blob == IN_RECORD:
        return in_record or ""
    return decompress(blob)


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """A datetime read back from a database, as an aware UTC time (SQLite keeps it naive)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def canonical_time(moment: datetime) -> str:
    return as_utc(moment).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def revision_hash(
    *,
    slug: str,
    number: int,
    action: str,
    author: str,
    message: str,
    created_at: datetime,
    status: str,
    data: str | bytes,
    prev_hash: str,
) -> str:
    """SHA-256 (hex) of the canonical JSON of one revision; `data` is the stored record JSON
    (or its UTF-8 bytes, which hash alike without a second encoding)."""

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    head = dump([slug, number, action, author, message, canonical_time(created_at), status])
    digest = hashlib.sha256((head[:-1] + ",").encode("utf-8"))
    digest.update(data if isinstance(data, bytes) else data.encode("utf-8"))
    digest.update(("," + dump(prev_hash) + "]").encode("utf-8"))
    return digest.hexdigest()


def head_texts(record: Record) -> tuple[str, str, str, str, str]:
    """The short fields the ranking index holds, in `schema.FTS_HEAD_COLUMNS` order. The
    description's column also holds the record's places in their public form (place names,
    admin areas, countries: `model.places.place_text`), so that a search finds a record by
    where it happened but never by a place name an editor chose not to publish."""
    description = record.description
    if record.locations:
        description += "\n" + place_text([loc.to_wire() for loc in record.locations])
    return (
        record.title,
        "\n".join(record.tags),
        record.summary,
        "\n".join(record.key_points),
        description,
    )


def all_text(record: Record, body: str | None = None) -> str:
    """Everything full-text search matches against: the short fields and the body."""
    return "\n".join((*head_texts(record), body_text(record) if body is None else body))
