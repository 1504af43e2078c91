"""PostgreSQL's postings: `search_postings` (migration 0029), the same table and blobs as
SQLite's (`postings.py`: each search key's record ids, a row per key and chunk of 4,096 ids),
so that a search finds the records holding a word by reading a few blobs, not by visiting
each match's row through the GIN index (~0.2 µs a match of server CPU, 18-20 ms for a word in
99,000 of 100,000 records, growing with the matches).

The keys are what the GIN indexes hold (`postgres_search.vector_parts`): each lexeme of
`record_words.search` (the title's and tags' words marked `t:` and `g:` among them), and each
of `search_head`'s marked `h:` (`postings.HEAD`). A lookup whose tsquery holds a prefix
(`word*`) stays with the GIN index: its answer is the same, and a prefix's range of keys
would also take in the `h:` keys, which `search` does not hold.

Writes: every write path changes the rows of the keys it adds or takes out in its own
transaction, after taking the revision log's advisory lock (`LOG_LOCK`), which every write
takes anyway and holds until it commits: so two writers never read and rewrite the same row
at once (no lost update), and never wait for each other's rows while holding them (an import
holds that lock from its first batch on: writers locking rows in a fixed order, then waiting
for it, would deadlock with the import's later batches).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import psycopg

from casework.store import postings

if TYPE_CHECKING:
    from casework.store.facets import IntArray
    from casework.store.prepared import PreparedRecord

Connection = psycopg.Connection[Any]

LOG_LOCK = 0x6361736577_6C6F67  # "casewlog": the revision log's advisory lock (postgres.py)


def keys_of(everything: Iterable[str], head: Iterable[str]) -> set[str]:
    """The postings keys of a record whose `search` holds `everything` and `search_head`
    `head`."""
    found = set(everything)
    found.update(postings.HEAD + key for key in head)
    return found


def record_keys(written: PreparedRecord) -> set[str]:
    """The postings keys of a record as its `record_words` row holds them."""
    from casework.store.postgres_search import vector_parts

    everything, positions, _length = vector_parts(written)
    return keys_of(everything, positions)


def stored_keys(db: Connection, rowid: int) -> set[str]:
    """The postings keys of record `rowid` as its stored `record_words` row holds them."""
    row = db.execute(
        "SELECT tsvector_to_array(search), tsvector_to_array(search_head) FROM record_words"
        " WHERE record_id = %s",
        (rowid,),
    ).fetchone()
    return keys_of(row[0], row[1]) if row else set()


def change(
    db: Connection,
    added: Iterable[tuple[int, Iterable[str]]],
    removed: Iterable[tuple[int, Iterable[str]]] = (),
) -> None:
    """Add each record id of `added` to its keys' rows and take each of `removed` out of its
    keys' (`postings.change`, in the caller's write transaction)."""
    plus, minus = postings.grouped(added, removed)
    touched = sorted(set(plus) | set(minus))
    if not touched:
        return
    db.execute("SELECT pg_advisory_xact_lock(%s)", (LOG_LOCK,))
    stored = {
        (key, chunk): bytes(blob)
        for key, chunk, blob in db.execute(
            "SELECT p.key, p.chunk, p.ids FROM search_postings p"
            " JOIN unnest(%s::text[], %s::int[]) AS t(key, chunk)"
            " ON p.key = t.key AND p.chunk = t.chunk",
            [[k for k, _ in touched], [c for _, c in touched]],
        )
    }
    writes, deletes = postings.rewritten(stored, plus, minus)
    if writes:
        db.execute(
            "INSERT INTO search_postings (key, chunk, ids)"
            " SELECT * FROM unnest(%s::text[], %s::int[], %s::bytea[])"
            " ON CONFLICT (key, chunk) DO UPDATE SET ids = excluded.ids",
            [[k for k, _, _ in writes], [c for _, c, _ in writes], [b for _, _, b in writes]],
        )
    if deletes:
        db.execute(
            "DELETE FROM search_postings p USING unnest(%s::text[], %s::int[]) AS t(key, chunk)"
            " WHERE p.key = t.key AND p.chunk = t.chunk",
            [[k for k, _ in deletes], [c for _, c in deletes]],
        )


class Pending:
    """An import's new records whose keys are not in the postings yet: written a chunk's
    worth at a time (`postings.Pending` says why), and before the import reads or rewrites
    a record's postings otherwise (`flush`)."""

    def __init__(self) -> None:
        self._held: list[tuple[int, PreparedRecord]] = []

    def add(self, db: Connection, items: Iterable[tuple[int, PreparedRecord]]) -> None:
        self._held.extend(items)
        if len(self._held) >= postings.CHUNK_IDS:
            self.flush(db)

    def flush(self, db: Connection) -> None:
        held, self._held = self._held, []
        if held:
            change(db, ((rowid, record_keys(written)) for rowid, written in held))


# --- reading: a lookup's tsquery (as `postgres_search._tsquery` writes them) over postings --

_TOKEN = re.compile(r"\s*(?:'([^']*)'(:\*)?|([&|()]))")
Node = str | tuple[str, list["Node"]]
"""A key, or ("&" | "|", its operands)."""


def _parsed(tsquery: str, mark: str) -> Node | None:
    """The tree of a tsquery literal, each lexeme with `mark` before it; None when it holds
    a prefix (`'word':*`) or anything but lexemes, `&`, `|` and parentheses."""
    tokens: list[str | tuple[str]] = []
    at = 0
    text = tsquery.rstrip()
    while at < len(text):
        found = _TOKEN.match(text, at)
        if found is None or found.group(2):
            return None
        tokens.append((mark + found.group(1),) if found.group(1) is not None else found.group(3))
        at = found.end()
    place = 0

    def expression() -> Node:
        nonlocal place
        parts = [conjunction()]
        while place < len(tokens) and tokens[place] == "|":
            place += 1
            parts.append(conjunction())
        return parts[0] if len(parts) == 1 else ("|", parts)

    def conjunction() -> Node:
        nonlocal place
        parts = [operand()]
        while place < len(tokens) and tokens[place] == "&":
            place += 1
            parts.append(operand())
        return parts[0] if len(parts) == 1 else ("&", parts)

    def operand() -> Node:
        nonlocal place
        item = tokens[place]
        place += 1
        if item == "(":
            inner = expression()
            if tokens[place] != ")":
                raise ValueError(tsquery)
            place += 1
            return inner
        if isinstance(item, tuple):
            return item[0]
        raise ValueError(tsquery)

    try:
        tree = expression()
    except (IndexError, ValueError):
        return None
    return tree if place == len(tokens) and tokens else None


def _leaves(node: Node, into: set[str]) -> set[str]:
    if isinstance(node, str):
        into.add(node)
    else:
        for part in node[1]:
            _leaves(part, into)
    return into


def _evaluated(node: Node, ids: dict[str, IntArray]) -> IntArray:
    if isinstance(node, str):
        return ids.get(node, np.zeros(0, dtype=np.int64))
    operator, parts = node
    found = _evaluated(parts[0], ids)
    for part in parts[1:]:
        other = _evaluated(part, ids)
        # Through a mask of the ids, not np.intersect1d / union1d: those sort both arrays
        # (~5 ms for two of 99,000 ids); these are ascending and unique already.
        size = max(int(found[-1]) if len(found) else -1, int(other[-1]) if len(other) else -1)
        mask = np.zeros(size + 1, dtype=np.bool_)
        mask[found] = True
        if operator == "&":
            found = other[mask[other]]
        else:
            mask[other] = True
            found = np.flatnonzero(mask).astype(np.int64)
    return found


class Plan:
    """A lookup answered from postings: the statement reading its keys' rows, and `ids`,
    which makes the answer of its rows."""

    def __init__(self, tree: Node) -> None:
        self.tree = tree
        self.keys = sorted(_leaves(tree, set()))
        self.statement = (
            "SELECT key, ids FROM search_postings WHERE key = ANY(%s) ORDER BY key, chunk"
        )
        self.args: list[Any] = [self.keys]

    def ids(self, rows: Sequence[tuple[str, bytes]]) -> IntArray:
        blobs: defaultdict[str, list[bytes]] = defaultdict(list)
        for key, blob in rows:
            blobs[key].append(blob)
        ids = {
            key: parts[0] if len(parts) == 1 else np.concatenate(parts)
            for key, found in blobs.items()
            for parts in [[postings.decode(bytes(b)) for b in found]]
        }
        return _evaluated(self.tree, ids)


def plan(column: str, tsquery: str, also: str = "") -> Plan | None:
    """The postings lookup of "`column` of record_words matches `tsquery` (and `search`
    matches `also`)", or None when the GIN index must answer it (a prefix)."""
    mark = postings.HEAD if column == "search_head" else ""
    tree = _parsed(tsquery, mark)
    if tree is None:
        return None
    if also:
        more = _parsed(also, "")
        if more is None:
            return None
        tree = ("&", [tree, more])
    return Plan(tree)
