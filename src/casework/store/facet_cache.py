"""A store's current facet index (`facets.FacetIndex`), shared by its threads.

Apart from `facets.py` because a store holds one from the moment it opens, while the index
itself, and numpy with it (~0.1 s to import), is needed only once something searches: a
command that only reads or writes records loads neither.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from casework.store.facets import FacetIndex

PATCH_LIMIT = 5_000  # records written at once that the facet index is patched for


class FacetCache:
    """A store's current FacetIndex, shared by its threads: rebuilt when a search finds it
    older than the search's snapshot, patched after the store's own writes (either engine)."""

    def __init__(self) -> None:
        self._index: FacetIndex | None = None
        self._lock = threading.Lock()

    @property
    def current(self) -> FacetIndex | None:
        return self._index

    def forget(self) -> None:
        """Drop the index (a record left the store: patching cannot take a row out); the
        next search rebuilds it."""
        with self._lock:
            self._index = None

    def for_search(
        self,
        generation: int,
        build: Callable[[], FacetIndex],
        follow: Callable[[FacetIndex], FacetIndex | None] | None = None,
    ) -> FacetIndex:
        """The index for a snapshot at `generation`, built by `build` if the one in memory is
        older, unless `follow` patches it up to the snapshot (change_feed.followed: the
        records other processes wrote since, read from the change feed; None when it cannot).
        One newer than the snapshot (patched by a write that committed since it began) is
        used as it is: rebuilding it would go back in time."""
        with self._lock:
            current = self._index
            if current is None or current.generation < generation:
                patched = follow(current) if current is not None and follow else None
                current = self._index = patched if patched is not None else build()
            return current

    def patched(
        self,
        generation: int,
        touched: list[int],
        read: Callable[[list[int]], tuple[list[Any], list[Any]]],
    ) -> FacetIndex | None:
        """The index with a write's records `touched` (read by `read` inside the write), when
        the one in memory was current just before it (else None: the next search rebuilds
        it). Big writes are left to the rebuild, which costs less than patching most of it."""
        with self._lock:
            current = self._index
        if current is None or current.generation != generation - 1:
            return None
        if len(touched) > max(PATCH_LIMIT, current.count // 4):
            return None
        return current.patched(generation, read, touched)

    def install(self, patched: FacetIndex | None) -> None:
        """Keep `patched` (made by `patched` before the write committed) unless a newer
        index is already in place."""
        if patched is None:
            return
        with self._lock:
            if self._index is None or self._index.generation < patched.generation:
                self._index = patched
