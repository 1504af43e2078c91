"""The tracker-wide revision log: one append-only hash chain over every revision of every record.

Each record's own history is a hash chain (`store/history.py`), but a chain only proves that
what is there fits together: a record deleted with its history, a history cut at its tail, or
an edited revision whose hashes were all recomputed leave a chain that still fits. The log adds
what a per-record chain cannot: one order over all revisions, written in the same transaction as
each revision, whose running head is signed from time to time (`checkpoint.py`). Once a head is
signed and published, nothing that head covers can change or go missing without `casework
verify` noticing.

Entry i of the log (`revision_log`, seq = i, from 1) is

    leaf_i = SHA-256(canonical JSON [slug, number, revision_hash])
    head_i = SHA-256(head_{i-1} bytes || leaf_i bytes), head_0 = 32 zero bytes

(a hash chain, like a Certificate Transparency tree reduced to a list: a verifier who holds the
whole log checks a later log extends an earlier checkpoint by recomputing the prefix; the log is
small — 70 bytes of hashes per revision — so no Merkle proofs are needed).

The public log. The tracker-wide log covers drafts, so neither its leaves nor its size are
published (its size would count draft activity, its leaves would let anyone who guesses a draft's
slug confirm it). Its published revisions form a second chain, the public log: for the n-th
revision of a record whose status is `published` (public version n),

    content = SHA-256(the record's public JSON without relatedIncidents)
    public leaf = SHA-256(canonical JSON [slug, n, publishedAt, content])

chained like the full log, in the full log's order. Its leaves, size and head are public; every
published version file (`/incident/{slug}/v/{n}.json`) can be hashed into its leaf by anyone.
`relatedIncidents` is left out of the content because it names other records, and which of them
may be shown changes as they are published or taken back (`publish/public_view.py`). The
public JSON is the public form: locations at their published precision (`public_record`).
"""

from __future__ import annotations

import hashlib
import importlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from casework.model.places import public_locations

_orjson: ModuleType | None
try:  # optional: only speed depends on it
    _orjson = importlib.import_module("orjson")
except ImportError:  # pragma: no cover
    _orjson = None

ZERO_HEAD = "0" * 64
RELATED_KEY = "relatedIncidents"
EXTERNAL_ID_KEY = "externalId"

LOG_TABLE = "revision_log"
LOG_COLUMNS = "seq, slug, number, revision_hash, head, public_number, public_leaf"


def canonical(value: Any) -> bytes:
    """Compact JSON, non-ASCII kept, key order as given: the bytes every hash here covers
    (orjson writes the same bytes as the json module, faster; what it refuses goes to json)."""
    if _orjson is not None:
        try:
            return bytes(_orjson.dumps(value))
        except (TypeError, ValueError):
            pass
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def loads(data: bytes | str) -> Any:
    if _orjson is not None:
        try:
            return _orjson.loads(data)
        except ValueError:
            pass
    return json.loads(data)


def leaf(slug: str, number: int, revision_hash: str) -> bytes:
    """The full log's leaf for one revision (32 bytes)."""
    return hashlib.sha256(canonical([slug, number, revision_hash])).digest()


def chain(head: str, leaf_bytes: bytes) -> str:
    """The head after appending `leaf_bytes` to a log whose head is `head` (hex)."""
    return hashlib.sha256(bytes.fromhex(head) + leaf_bytes).hexdigest()


def chain_all(leaves: Iterable[bytes], head: str = ZERO_HEAD) -> str:
    digest = bytes.fromhex(head)
    for item in leaves:
        digest = hashlib.sha256(digest + item).digest()
    return digest.hex()


# --- the public form of a version ---------------------------------------------------------------


def public_record(stored: dict[str, Any]) -> dict[str, Any]:
    """A stored record (`Record.to_storage()` as parsed JSON) in its public wire form: without
    the store's own `$` keys (body source, anchors), its locations at their published precision
    (`casework.model.places`), without its `externalId` (the team's spreadsheet bookkeeping): a
    version file, and the content digest its log leaf covers, never carry the stored point of
    a location an editor published more coarsely, nor the row id of the sheet it came from."""
    return public_locations(
        {
            key: value
            for key, value in stored.items()
            if not key.startswith("$") and key != EXTERNAL_ID_KEY
        }
    )


def content_digest(public: dict[str, Any]) -> str:
    """SHA-256 (hex) of a version's public record without `relatedIncidents`."""
    return hashlib.sha256(
        canonical({k: v for k, v in public.items() if k != RELATED_KEY})
    ).hexdigest()


def stored_content_digest(data: bytes | str) -> str:
    """`content_digest` of a record as the store holds it (its JSON)."""
    return content_digest(public_record(loads(data)))


def public_leaf(slug: str, version: int, published_at: str, content: str) -> str:
    """The public log's leaf (hex) for public version `version` of `slug`."""
    return hashlib.sha256(canonical([slug, version, published_at, content])).hexdigest()


# --- appending ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Entry:
    """What the log needs of one revision, made beside its revisions row (`content` is None
    for a revision whose status is not `published`)."""

    slug: str
    number: int
    revision_hash: str
    published_at: str  # canonical time of the revision
    content: str | None


def log_rows(
    last: tuple[int, str] | None,
    entries: Sequence[Entry],
    public_numbers: dict[str, int],
) -> list[tuple[Any, ...]]:
    """The `revision_log` rows appending `entries` after the log's last (seq, head).
    `public_numbers` maps a slug to its last public version number before these entries (a
    record missing from it has none); it is updated."""
    seq, head = last if last is not None else (0, ZERO_HEAD)
    rows = []
    for entry in entries:
        seq += 1
        head = chain(head, leaf(entry.slug, entry.number, entry.revision_hash))
        number: int | None = None
        public: str | None = None
        if entry.content is not None:
            number = public_numbers.get(entry.slug, 0) + 1
            public_numbers[entry.slug] = number
            public = public_leaf(entry.slug, number, entry.published_at, entry.content)
        rows.append((seq, entry.slug, entry.number, entry.revision_hash, head, number, public))
    return rows


def needs_public_numbers(entries: Sequence[Entry]) -> set[str]:
    """The slugs whose last public version number must be read before appending `entries`:
    published revisions past a record's first (a first revision has no earlier version)."""
    return {e.slug for e in entries if e.content is not None and e.number > 1}


# --- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogHead:
    size: int
    head: str


@dataclass(frozen=True)
class PublicEntry:
    slug: str
    version: int
    leaf: str


def public_head(leaves: Sequence[str], size: int | None = None) -> LogHead:
    """The public log's head over its first `size` leaves (all by default)."""
    count = len(leaves) if size is None else size
    return LogHead(count, chain_all(bytes.fromhex(x) for x in leaves[:count]))
