"""One generation read per web request.

Every cache in the web layer (the live snapshot, the API's bodies, `PublicView`'s hidden,
moved and gone sets, the published captures) asks the store's generation before it answers,
and one public request went through three or four of them: on PostgreSQL each ask is a round
trip. Inside `one_read()` (the web app's `OneGenerationRead` middleware, web/caching.py, wraps
each request in it) a store's generation is read once and remembered for the rest of the request.

A request is one moment of the store, as its snapshot already is. A write through the store
in the same request forgets what was remembered (`forget`, called by the stores' write
transactions), so a read after it sees the write. Outside a request (a build, the change
feed's follower thread, a command) nothing is remembered: every ask reads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# id(store) → its generation read in this request. A dict, not a value: a sync endpoint runs
# in a worker thread with a copy of the request's context, which shares this same dict, so
# what the thread reads is remembered for the rest of the request.
_remembered: ContextVar[dict[int, int] | None] = ContextVar("casework_generation", default=None)


@contextmanager
def one_read() -> Iterator[None]:
    """Within this block a store's generation is read at most once (until a write)."""
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def remembered(store: object, read: Callable[[], int]) -> int:
    """`read()` the first time `store` is asked in this request, the same number after."""
    memo = _remembered.get()
    if memo is None:
        return read()
    key = id(store)
    if key not in memo:
        memo[key] = read()
    return memo[key]


def forget() -> None:
    """A write committed: the next ask in this request reads again (every store: a replica
    may have replayed it too)."""
    memo = _remembered.get()
    if memo is not None:
        memo.clear()
