"""SQLite's postings: for each search key, the ids of the records whose text holds it, kept
compact in `search_postings` (migration 0027; FTS5's `search_all`, which held the same keys,
was dropped by 0028).

Why: "which records hold this word" is the first step of every search, and for a word in
most records FTS5 reads its doclist id by id (~90 ns a rowid: 8-14 ms for a word in ~95,000
of 100,000 records, the most of a first search's time; `facets.Matches` keeps the answer only
until the next write). Here a key's records are bitsets, read as a few blobs and unpacked by
numpy.

Layout: a row per (key, chunk of CHUNK_IDS record ids), so that a write rewrites only the
chunk of each key it touches: at a million records a key's whole bitset would be 125 KB,
rewritten by every save holding it. Chunks of 4,096 ids (rows of at most 517 bytes, never
spilling to overflow pages): a new record's save, its ~370 keys included, cost 14-16 ms of
CPU at 100,000 records (5 ms without postings), 39.5 ms with chunks of 65,536 ids (4 KB rows).
A chunk's blob is whichever is smaller of:
- b"I" then its ids as little-endian uint32 (a key in few records of the chunk);
- b"B" then the uint32 of its first byte, then the bitset from that byte (bit i % 8 of byte
  i // 8 is record id i) up to the last byte holding an id.
Every write path of the SQLite engine keeps it in the same transaction as the FTS5 tables
(`sqlite_rows`): a record's keys (`record_keys`: every key of its text, and its short
fields' marked by field, as PostgreSQL's `record_words.search`) added when it is indexed,
taken out when it is unindexed, and only the keys that changed on an edit. It holds every
record, drafts too: searches cut what they find to the query's status
(`FacetIndex.allowed`) and a public search's ranking tiers to published records
(`FacetIndex.counted`), as on PostgreSQL.
"""

from __future__ import annotations

import sqlite3
import struct
import sys
from array import array
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from casework.store.facets import IntArray

CHUNK_BITS = 12
CHUNK_IDS = 1 << CHUNK_BITS  # ids a row covers: a bitset of at most 512 bytes
_BASE = struct.Struct("<I")
_SELECT_BATCH = 500  # keys a SELECT asks for at once (SQLite's bound parameters)


def encode(ids: Sequence[int] | IntArray) -> bytes:
    """The blob of ascending `ids` (one chunk's, or any; a list or a numpy array)."""
    low, high = int(ids[0]) >> 3, int(ids[-1]) >> 3
    if 4 * len(ids) <= high - low + 1 + 4:
        return _ids_blob(ids)
    if len(ids) > 4096:  # a backfill's common key: set in numpy
        import numpy as np

        flags = np.zeros((high - low + 1) * 8, dtype=np.bool_)
        flags[np.asarray(ids, dtype=np.int64) - low * 8] = True
        return b"B" + _BASE.pack(low) + np.packbits(flags, bitorder="little").tobytes()
    bits = bytearray(high - low + 1)
    for rowid in ids:
        bits[(rowid >> 3) - low] |= 1 << (rowid & 7)
    return b"B" + _BASE.pack(low) + bits


def _ids_blob(ids: Sequence[int] | IntArray) -> bytes:
    packed = array("I", [int(rowid) for rowid in ids])
    if sys.byteorder == "big":
        packed.byteswap()
    return b"I" + packed.tobytes()


def decode(blob: bytes) -> IntArray:
    """The ascending ids of a blob `encode` made, as numpy reads them (a search)."""
    import numpy as np

    if blob[:1] == b"I":
        return np.frombuffer(blob, dtype="<u4", offset=1).astype(np.int64)
    low: int = _BASE.unpack_from(blob, 1)[0]
    flags = np.unpackbits(np.frombuffer(blob, dtype=np.uint8, offset=5), bitorder="little")
    found: IntArray = np.flatnonzero(flags).astype(np.int64) + low * 8
    return found


TITLE, TAGS, HEAD = "t:", "g:", "h:"
"""Marks of the keys of a record's title, tags and short fields (every field but the body),
each a row of its own beside the plain key (every field and the body), as PostgreSQL's
`record_words.search` marks its title's and tags' words: the ranking tiers and the title
matches are found here too (keys are letters and digits: a mark is never a key's start)."""


def record_keys(head_keys: Sequence[str], all_keys: str) -> set[str]:
    """The postings keys of a record: each key of its text (`PreparedRecord.all_keys`), and
    each of its short fields' (`head_keys`: title, tags, summary, key points, description)
    marked HEAD, its title's also TITLE and its tags' also TAGS."""
    found = set(all_keys.split())
    for mark, fields in ((TITLE, head_keys[:1]), (TAGS, head_keys[1:2]), (HEAD, head_keys)):
        found.update(mark + key for text in fields for key in text.split())
    return found


def change(
    db: sqlite3.Connection,
    added: Iterable[tuple[int, Iterable[str]]],
    removed: Iterable[tuple[int, Iterable[str]]] = (),
) -> None:
    """Add each record id of `added` to its keys' postings and take each of `removed` out of
    its keys' (inside the caller's write transaction). Each (key, chunk) row is read and
    written once, however many records of the batch hold the key. Plain Python: a write
    loads no numpy (only searches do, `facet_cache`)."""
    plus, minus = grouped(added, removed)
    touched = set(plus) | set(minus)
    if not touched:
        return
    writes, deletes = rewritten(_read(db, touched), plus, minus)
    if writes:
        db.executemany(
            "INSERT OR REPLACE INTO search_postings (key, chunk, ids) VALUES (?, ?, ?)", writes
        )
    if deletes:
        db.executemany("DELETE FROM search_postings WHERE key = ? AND chunk = ?", deletes)


Row = tuple[str, int]
"""A (key, chunk) row of `search_postings`."""


def grouped(
    added: Iterable[tuple[int, Iterable[str]]], removed: Iterable[tuple[int, Iterable[str]]] = ()
) -> tuple[dict[Row, list[int]], dict[Row, list[int]]]:
    """The ids to add to each (key, chunk) row and those to take out of each (`change`; the
    engine-neutral part, PostgreSQL's `postgres_postings` too)."""
    plus: dict[Row, list[int]] = {}
    minus: dict[Row, list[int]] = {}
    for into, pairs in ((plus, added), (minus, removed)):
        # Grouped by chunk first: a key's ids are appended under the key alone, and the
        # (key, chunk) rows made once a chunk (an import's batch holds a chunk or two).
        by_chunk: defaultdict[int, defaultdict[str, list[int]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for rowid, keys in pairs:
            ids = by_chunk[rowid >> CHUNK_BITS]
            for key in keys:
                ids[key].append(rowid)
        for chunk, ids in by_chunk.items():
            into.update(((key, chunk), found) for key, found in ids.items())
    return plus, minus


def rewritten(
    stored: dict[Row, bytes], plus: dict[Row, list[int]], minus: dict[Row, list[int]]
) -> tuple[list[tuple[str, int, bytes]], list[Row]]:
    """The rows to write (key, chunk, blob) and those to delete, given the `stored` blobs of
    the rows `plus` and `minus` touch, in (key, chunk) order."""
    writes: list[tuple[str, int, bytes]] = []
    deletes: list[Row] = []
    for row in sorted(set(plus) | set(minus)):
        blob = _merged(stored.get(row), plus.get(row, []), minus.get(row, []))
        if blob:
            writes.append((row[0], row[1], blob))
        elif row in stored:
            deletes.append(row)
    return writes, deletes


class Pending:
    """Records written in a transaction whose keys are not in the postings yet (`change`):
    an import's batches of 500 records share a chunk of 4,096 ids, and adding them a batch
    at a time read and wrote each of the chunk's rows eight times (+5.3 s of CPU importing
    10,000 records, +1.1 s a chunk at a time, one run each). `flush` before the transaction
    commits; `drop` when it rolls back."""

    def __init__(self) -> None:
        self._held: list[tuple[int, Sequence[str], str]] = []

    def add(self, db: sqlite3.Connection, items: Iterable[tuple[int, Sequence[str], str]]) -> None:
        """Hold each (record id, its `head_keys`, its `all_keys`); written once a chunk's
        worth is held."""
        self._held.extend(items)
        if len(self._held) >= CHUNK_IDS:
            self.flush(db)

    def flush(self, db: sqlite3.Connection) -> None:
        held, self._held = self._held, []
        if held:
            change(db, ((rowid, record_keys(head, body)) for rowid, head, body in held))

    def drop(self) -> None:
        self._held = []


def _merged(blob: bytes | None, plus: list[int], minus: list[int]) -> bytes:
    """A row's blob after adding the ids `plus` and taking out `minus` (b"" when none is
    left). A bitset's bits are set and cleared in place: a common key's row is 512 bytes, and a
    save of one record changes one bit of it."""
    if blob is None or blob[:1] == b"I":
        ids = set(_ids_of(blob)) if blob else set()
        ids.update(plus)
        ids.difference_update(minus)
        return encode(sorted(ids)) if ids else b""
    low = _BASE.unpack_from(blob, 1)[0]
    bits = bytearray(blob[5:])
    if plus:
        first, last = min(plus) >> 3, max(plus) >> 3
        if first < low:
            bits[0:0] = bytes(low - first)
            low = first
        if last >= low + len(bits):
            bits += bytes(last - low - len(bits) + 1)
        for rowid in plus:
            bits[(rowid >> 3) - low] |= 1 << (rowid & 7)
    for rowid in minus:
        at = (rowid >> 3) - low
        if 0 <= at < len(bits):
            bits[at] &= ~(1 << (rowid & 7)) & 0xFF
    count = int.from_bytes(bits, "little").bit_count()
    if 4 * count <= len(bits) + 4:  # sparse now: as ids (also trims the bitset's zeros)
        return encode(_bit_ids(bits, low)) if count else b""
    return b"B" + _BASE.pack(low) + bits


def _ids_of(blob: bytes) -> list[int]:
    """A blob's ids, in plain Python."""
    if blob[:1] == b"I":
        packed = array("I")
        packed.frombytes(blob[1:])
        if sys.byteorder == "big":
            packed.byteswap()
        return packed.tolist()
    return _bit_ids(blob[5:], _BASE.unpack_from(blob, 1)[0])


def _bit_ids(bits: bytes | bytearray, low: int) -> list[int]:
    return [
        ((low + at) << 3) | bit
        for at, byte in enumerate(bits)
        if byte
        for bit in range(8)
        if byte >> bit & 1
    ]


def _read(db: sqlite3.Connection, rows: set[tuple[str, int]]) -> dict[tuple[str, int], bytes]:
    """The stored blobs of (key, chunk) `rows`, those that exist."""
    by_chunk: defaultdict[int, list[str]] = defaultdict(list)
    for key, chunk in rows:
        by_chunk[chunk].append(key)
    found: dict[tuple[str, int], bytes] = {}
    for chunk, keys in by_chunk.items():
        for at in range(0, len(keys), _SELECT_BATCH):
            part = keys[at : at + _SELECT_BATCH]
            for key, blob in db.execute(
                "SELECT key, ids FROM search_postings WHERE chunk = ? AND key IN "
                f"({','.join('?' * len(part))})",
                (chunk, *part),
            ):
                found[key, chunk] = blob
    return found


def lookup(db: sqlite3.Connection, key: str, prefix: bool = False) -> IntArray:
    """The ids of the records holding `key` (with `prefix`: any key that starts with it),
    ascending."""
    if prefix:
        # Every key from `key` up to `key` followed by the highest code point: those that
        # start with it (keys compare as UTF-8 bytes, and U+10FFFF's are the highest).
        rows = db.execute(
            "SELECT chunk, ids FROM search_postings WHERE key >= ? AND key < ?",
            (key, key + "\U0010ffff"),
        ).fetchall()
    else:
        rows = db.execute(
            "SELECT chunk, ids FROM search_postings WHERE key = ? ORDER BY chunk", (key,)
        ).fetchall()
    import numpy as np

    if not rows:
        return np.zeros(0, dtype=np.int64)
    parts = [decode(blob) for _chunk, blob in rows]
    if prefix and len(parts) > 1:
        return np.unique(np.concatenate(parts))
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def clear(db: sqlite3.Connection) -> None:
    """Empty the table (a rebuild of the search index writes it again)."""
    db.execute("DELETE FROM search_postings")
