"""Where the time between a save and a `serve` worker showing it goes: timestamps written by
each worker, for change_feed.py's `--trace`.

`install()` (run in each worker at start-up through a sitecustomize.py that change_feed.py
writes, never imported by casework itself) wraps, without changing what they do:

- every HTTP request (`OneGenerationRead`, the innermost middleware): when the app got it,
  when its first piece of work started in the thread pool (the wait before is the pool's
  queue and the event loop's turn), when it ended, the thread CPU it used, the generation it
  read, and how many requests the worker had in flight when it came;
- the change feed's follower (`Follower`): when it saw a new generation and when its
  `on_change` (the facet index patched, the live snapshot refreshed) was done, with its CPU;
- the facet index (`FacetCache.for_search`): a patch or a rebuild, with its CPU;
- the live site: a snapshot refresh (`LiveSite.snapshot` when it made one), a facet listing
  or home page made (`LiveSite._kept`'s make), the page plan (`PlannedPages.planned`).

Each event is one JSON line in $CASEWORK_FEED_TRACE/trace-PID.jsonl, stamped with
time.time() (comparable across processes on one machine) and the thread's CPU clock.
"""

from __future__ import annotations

import contextvars
import functools
import json
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

_lock = threading.Lock()
_out: Any = None
_in_flight = 0
_request: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "feed_trace_request", default=None
)


def emit(event: str, **fields: Any) -> None:
    line = json.dumps({"e": event, "pid": os.getpid(), **fields})
    with _lock:
        _out.write(line + "\n")
        _out.flush()


def _timed(event: str, func: Callable[..., Any], **fields: Any) -> Callable[..., Any]:
    """`func` wrapped: an `event` with its start, end and thread CPU."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start, cpu = time.time(), time.thread_time()
        try:
            return func(*args, **kwargs)
        finally:
            emit(event, start=start, end=time.time(), cpu=time.thread_time() - cpu, **fields)

    return wrapper


def install() -> None:
    global _out
    folder = os.environ.get("CASEWORK_FEED_TRACE")
    if not folder:
        return
    port = sys.argv[sys.argv.index("--port") + 1] if "--port" in sys.argv else str(os.getpid())
    _out = (Path(folder) / f"trace-{port}.jsonl").open("a", buffering=1)

    # The thread pool: each piece of a request's work run there is timed (the first start
    # tells how long the request waited for a thread and the event loop).
    import starlette.concurrency as concurrency

    pooled = concurrency.run_in_threadpool

    async def run_in_threadpool(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        asked = _request.get()

        def timed() -> Any:
            start, cpu = time.time(), time.thread_time()
            try:
                return func(*args, **kwargs)
            finally:
                if asked is not None:
                    asked.setdefault("thread_start", start)
                    asked["thread_end"] = time.time()
                    asked["cpu"] = asked.get("cpu", 0.0) + time.thread_time() - cpu

        return await pooled(timed)

    concurrency.run_in_threadpool = run_in_threadpool  # type: ignore[assignment]

    # The database's round trips (PostgreSQL) or calls (SQLite), and the time in them.
    def counted(func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            asked = _request.get()
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                if asked is not None:
                    asked["queries"] = asked.get("queries", 0) + 1
                    asked["db"] = asked.get("db", 0.0) + time.perf_counter() - start

        return wrapper

    try:
        import psycopg

        for cls, names in ((psycopg.Cursor, ("execute", "executemany")),
                           (psycopg.Connection, ("commit", "rollback"))):  # fmt: skip
            for name in names:
                setattr(cls, name, counted(getattr(cls, name)))
    except ImportError:
        pass

    from casework.store import request_generation
    from casework.web import caching

    inner = caching.OneGenerationRead.__call__

    async def call(self: Any, scope: Any, receive: Any, send: Any) -> None:
        global _in_flight
        if scope["type"] != "http":
            await inner(self, scope, receive, send)
            return
        asked: dict[str, Any] = {"start": time.time(), "in_flight": _in_flight}
        path = scope["path"] + (
            "?" + scope["query_string"].decode() if scope["query_string"] else ""
        )
        token = _request.set(asked)
        _in_flight += 1
        status: list[int] = []

        async def sending(message: Any) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
            await send(message)

        try:
            await inner(self, scope, receive, sending)
        finally:
            _in_flight -= 1
            _request.reset(token)
            emit("request", path=path, end=time.time(), status=status[0] if status else 0,
                 **asked)  # fmt: skip

    caching.OneGenerationRead.__call__ = call  # type: ignore[method-assign]

    remembered = request_generation.remembered

    def remembering(store: object, read: Callable[[], int]) -> int:
        value = remembered(store, read)
        asked = _request.get()
        if asked is not None:
            asked.setdefault("generation", value)
        return value

    request_generation.remembered = remembering  # type: ignore[assignment]

    from casework.store import change_feed

    follower_init = change_feed.Follower.__init__

    def init(self: Any, store: Any, on_change: Callable[[], None]) -> None:
        def changed() -> None:
            start, cpu = time.time(), time.thread_time()
            generation = store.generation()
            try:
                on_change()
            finally:
                emit("follow", start=start, end=time.time(), cpu=time.thread_time() - cpu,
                     generation=generation)  # fmt: skip

        follower_init(self, store, changed)

    change_feed.Follower.__init__ = init  # type: ignore[method-assign]

    from casework.store import facet_cache

    for_search = facet_cache.FacetCache.for_search

    def searching(self: Any, generation: int, build: Any, follow: Any = None) -> Any:
        def built() -> Any:
            return _timed("facets-rebuild", build, generation=generation)()

        def followed(index: Any) -> Any:
            return _timed("facets-patch", follow, generation=generation)(index)

        return for_search(self, generation, built, followed if follow else None)

    facet_cache.FacetCache.for_search = searching  # type: ignore[method-assign]

    from casework.web import live

    snapshot = live.LiveSite.snapshot

    def snapshotting(self: Any) -> Any:
        before = self._current
        start, cpu = time.time(), time.thread_time()
        found = snapshot(self)
        if self._current is not before:
            emit("snapshot", start=start, end=time.time(), cpu=time.thread_time() - cpu,
                 generation=self._current[0], in_request=_request.get() is not None)  # fmt: skip
        return found

    live.LiveSite.snapshot = snapshotting  # type: ignore[method-assign]

    kept = live.LiveSite._kept

    def keeping(self: Any, asked: tuple[str, str, int], make: Callable[[], Any]) -> Any:
        return kept(self, asked, _timed("page-made", make, page=list(asked)))

    live.LiveSite._kept = keeping  # type: ignore[method-assign]
    live.PlannedPages.planned = _timed("planned", live.PlannedPages.planned)  # type: ignore[method-assign]


def sitecustomize(folder: Path, benchmarks: Path) -> Path:
    """A folder holding a sitecustomize.py that installs the trace (put it first on the
    workers' PYTHONPATH)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sitecustomize.py").write_text(
        f"import sys\nsys.path.insert(0, {str(benchmarks)!r})\n"
        "import feed_trace\nfeed_trace.install()\n"
    )
    return folder


# --- the report ------------------------------------------------------------------------------
def _load(folder: Path) -> tuple[list[dict[str, Any]], dict[int, list[dict[str, Any]]]]:
    repeats = [json.loads(line) for line in (folder / "bench.jsonl").read_text().splitlines()]
    events: dict[int, list[dict[str, Any]]] = {}
    for path in folder.glob("trace-*.jsonl"):
        port = int(path.stem.split("-", 1)[1])
        events[port] = [json.loads(line) for line in path.read_text().splitlines()]
    return repeats, events


def report(folder: Path) -> None:
    """Per repeat and worker: when the follower saw the save and was done, and for each poll
    of each page type, where its time went (ms after the commit)."""
    repeats, events = _load(folder)
    totals: dict[str, list[float]] = {}
    for rep in repeats:
        c = rep["committed"]
        print(f"repeat {rep['repeat']} (load {rep['load']:.1f})")
        for port, polls in zip(rep["ports"], rep["polls"], strict=True):
            mine = events.get(port, [])
            window = [e for e in mine if e.get("end", 0) >= c and e.get("start", 0) <= c + 120]
            follows = [e for e in window if e["e"] == "follow" and e["start"] >= c - 0.5]
            line = [f"  worker :{port}"]
            if follows:
                f = follows[0]
                line.append(
                    f"follower saw +{(f['start'] - c) * 1000:.0f} done +{(f['end'] - c) * 1000:.0f}"
                    f" ({f['cpu'] * 1000:.0f} ms CPU)"
                )
            for kind in ("snapshot", "facets-patch", "facets-rebuild", "planned"):
                made = [e for e in window if e["e"] == kind and e["start"] >= c - 0.5]
                if made:
                    line.append(
                        f"{kind} x{len(made)} "
                        + ",".join(f"{e['cpu'] * 1000:.0f}" for e in made[:3])
                        + " ms CPU"
                    )
            print("; ".join(line))
            requests = [e for e in mine if e["e"] == "request"]
            for poll in polls:
                served = [
                    e
                    for e in requests
                    if e["path"] == poll["path"]
                    and poll["start"] - 0.01 <= e["start"] <= poll["end"] + 0.01
                ]
                text = (
                    f"    {poll['name']:8} +{(poll['start'] - c) * 1000:6.0f} → "
                    f"+{(poll['end'] - c) * 1000:6.0f} {'shown' if poll['shown'] else 'stale'}"
                )
                if served:
                    r = served[0]
                    start = r.get("thread_start", r["start"])
                    end = r.get("thread_end", r["end"])
                    busy = [
                        o
                        for o in requests
                        if o is not r and o["start"] < r["end"] and o["end"] > r["start"]
                    ]
                    made = [
                        e
                        for e in mine
                        if e["e"] in ("page-made", "snapshot", "facets-patch", "facets-rebuild")
                        and r["start"] <= e["start"] <= r["end"]
                    ]
                    parts = {
                        "to app": r["start"] - poll["start"],
                        "pool wait": start - r["start"],
                        "in thread": end - start,
                        "after": r["end"] - end,
                    }
                    for name, value in parts.items():
                        totals.setdefault(f"{poll['name']} {name}", []).append(value)
                    totals.setdefault(f"{poll['name']} CPU", []).append(r.get("cpu", 0.0))
                    totals.setdefault(f"{poll['name']} in queries", []).append(r.get("db", 0.0))
                    text += (
                        " | "
                        + ", ".join(f"{k} {v * 1000:.0f}" for k, v in parts.items())
                        + f" ms; CPU {r.get('cpu', 0) * 1000:.1f} ms; gen {r.get('generation')}"
                        f"; {r.get('queries', 0)} queries {r.get('db', 0) * 1000:.0f} ms"
                        f"; {r['in_flight']} in flight, {len(busy)} overlapping "
                        f"({sum(o.get('cpu', 0) for o in busy) * 1000:.0f} ms CPU)"
                    )
                    if made:
                        text += "; made: " + ", ".join(
                            f"{e['e']} {e['cpu'] * 1000:.0f} ms CPU" for e in made
                        )
                print(text)
    print("medians (ms):")
    for name, values in sorted(totals.items()):
        values.sort()
        print(f"  {name:22} {values[len(values) // 2] * 1000:8.1f}  (max {values[-1] * 1000:.1f})")


if __name__ == "__main__":
    report(Path(sys.argv[1]))
