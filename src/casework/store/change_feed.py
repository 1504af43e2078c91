"""The change feed: how a write in one `casework serve` worker reaches the caches of the
others (issue 17, "Team server") without making them rebuild.

Every write moves `store_meta.generation` and, in the same transaction, writes a `changes`
row (schema.py) per record it changed, under the generation it moved to: kind "created",
"saved", "published", "unpublished", "restored", "renamed", "retired", "deleted" or
"imported", and the record's slug and revision as the write left them (none for a record that
left the store). A write that changed no record (a collection, a capture) writes one row with
no record. So every generation since the oldest row kept has a row, and a worker whose facet
index is at generation g reads the rows after g and patches the index for those records alone
(`followed`); 7.5 s (PostgreSQL) and 28 s (SQLite) at a million records was the rebuild that
every other worker paid for each save before. Only when a generation has no row (pruned, or
moved by a `casework copy` or a migration, which write no row) or a write changed more records
than patching is worth (`BULK`) does it rebuild, as before.

On PostgreSQL the write also says NOTIFY `casework_changes` (delivered at its commit, never
before), which the worker's `Follower` LISTENs for; on SQLite, and on PostgreSQL as a
fallback, the follower polls the generation (one indexed one-row read) every POLL_SECONDS.
The follower patches the caches as soon as a change commits, so that no request waits for it;
a request that comes first patches them itself (the search reads the feed in its own
snapshot), so the feed is an optimisation of what is served, never a condition of it being
right.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import text
from sqlalchemy.engine import Connection

from casework.store.facet_cache import PATCH_LIMIT

if TYPE_CHECKING:
    from casework.store.facets import FacetIndex
    from casework.store.sql import Statements

CHANNEL = "casework_changes"  # PostgreSQL's NOTIFY channel
KEEP_GENERATIONS = 10_000  # generations of rows kept; a worker further behind rebuilds
PRUNE_EVERY = 100  # generations between two prunes
POLL_SECONDS = 0.2  # how often a follower looks at the generation without a NOTIFY
BULK = PATCH_LIMIT  # records written at once past which the feed names none: followers rebuild
NO_RECORD = "other"  # the kind of a write that changed no record
KINDS = frozenset(
    {"created", "saved", "status", "published", "unpublished", "restored", "renamed",
     "retired", "deleted", "imported", "captured", "bulk", NO_RECORD}
)  # fmt: skip


# The kinds of change after which the record keeps the slug it had (a reader of the feed can
# patch what it keeps by slug; a rename, retirement, merge or deletion moves one).
SLUG_KEPT = frozenset(
    {"created", "saved", "published", "unpublished", "restored", "imported", "captured"}
)


class Touched(list[int]):
    """The ids of the records a write changed (what `_write` patches the facet index for),
    and what kind of change it made (the feed's `kind`; "status" is logged as "published" or
    "unpublished")."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        assert kind in KINDS, kind
        self.kind = kind


def log_changes(w: Statements, generation: int, touched: Sequence[int] | None) -> None:
    """The feed's rows for a write that moved the store to `generation` and changed the
    records `touched`, in its transaction (the last statements: see `Touched`); old rows
    pruned now and then."""
    kind = getattr(touched, "kind", "saved") if touched else NO_RECORD
    ids = list(dict.fromkeys(touched or ()))
    if not ids:
        w.execute("INSERT INTO changes (generation, kind) VALUES (?, ?)", (generation, kind))
    elif len(ids) > BULK:
        # A worker rebuilds rather than patch this many (facet_cache.PATCH_LIMIT): no need to
        # name them, which would cost an import a row per record.
        w.execute("INSERT INTO changes (generation, kind) VALUES (?, 'bulk')", (generation,))
    else:
        w.executemany(
            "INSERT INTO changes (generation, record_id, slug, revision, kind) "
            "SELECT ?, ?, (SELECT slug FROM records WHERE id = ?), "
            "(SELECT revision FROM records WHERE id = ?), ?",
            [(generation, i, i, i, _kind(kind, w, i)) for i in ids],
        )
    if generation % PRUNE_EVERY == 0:
        prune(w, generation)


def _kind(kind: str, w: Statements, record_id: int) -> str:
    """A status change is logged as what it did for the public: published, unpublished."""
    if kind != "status":
        return kind
    row = w.execute("SELECT status FROM records WHERE id = ?", (record_id,)).fetchone()
    return "published" if row is not None and row[0] == "published" else "unpublished"


def log_in_core(connection: Connection) -> None:
    """A row for a write that moved the generation through SQLAlchemy Core and changed no
    record (`Captures.announce`), in its transaction; NOTIFY on PostgreSQL."""
    connection.execute(
        text(
            "INSERT INTO changes (generation, kind) "
            "SELECT generation, 'captured' FROM store_meta WHERE id = 1"
        )
    )
    if connection.dialect.name == "postgresql":  # with the generation, as `_announce`'s
        connection.execute(
            text(f"SELECT pg_notify('{CHANNEL}', generation::text) FROM store_meta WHERE id = 1")
        )


def prune(w: Statements, generation: int, keep: int = KEEP_GENERATIONS) -> None:
    """Drop the rows older than the last `keep` generations."""
    w.execute("DELETE FROM changes WHERE generation <= ?", (generation - keep,))


def changed_since(r: Statements, since: int, until: int) -> list[int] | None:
    """The ids of the records changed by the writes after generation `since` up to `until`
    (read in the caller's snapshot, which is at `until`), or None when the feed cannot tell:
    a generation without a row (pruned; a copy; a migration), or a bulk write."""
    if until - since > BULK:
        return None
    rows = r.execute(
        "SELECT generation, record_id, kind FROM changes WHERE generation > ? AND generation <= ?",
        (since, until),
    ).fetchall()
    if len({row[0] for row in rows}) != until - since or any(row[2] == "bulk" for row in rows):
        return None
    return sorted({int(row[1]) for row in rows if row[1] is not None})


def followed(
    index: FacetIndex,
    generation: int,
    r: Statements,
    read: Callable[[list[int]], tuple[list[Any], list[Any]]],
) -> FacetIndex | None:
    """`index` brought up to `generation` by patching it for the records the feed names
    (`read` reads their facet rows in the same snapshot), or None: rebuild it."""
    ids = changed_since(r, index.generation, generation)
    if ids is None or len(ids) > max(PATCH_LIMIT, index.count // 4):
        return None
    return index.patched(generation, read, ids)


class Followed(Protocol):
    """What a follower watches: a store's generation, and a wait that returns early when a
    write commits where the engine can tell (PostgreSQL's LISTEN)."""

    def generation(self) -> int: ...

    def wait_for_change(self, timeout: float) -> None: ...


class Follower:
    """A daemon thread that calls `on_change()` soon after any write commits to `store`'s
    database, from whichever process: the `serve` worker's caches are patched there, before
    a request asks. Errors are retried at the next change (the requests' own checks stay)."""

    def __init__(self, store: Followed, on_change: Callable[[], None]) -> None:
        self._store = store
        self._on_change = on_change
        self._stop = threading.Event()
        # In the context of whoever follows (its search language, its place names).
        self._thread = threading.Thread(
            target=contextvars.copy_context().run,
            args=(self._run,),
            name="casework-follow",
            daemon=True,
        )
        self.followed = 0  # changes followed, for tests and the benchmark

    def start(self) -> Follower:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        last: int | None = None
        while not self._stop.is_set():
            try:
                now = self._store.generation()
                if last is not None and now != last:
                    self._on_change()
                    self.followed += 1
                last = now
                self._store.wait_for_change(POLL_SECONDS)
            except Exception:
                last = -1  # whatever the generation is then, follow it
                self._stop.wait(1.0)
