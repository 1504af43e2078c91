"""HTTP caching for what the live app serves: an ETag (a hash of the body, or a hash the caller
already has, such as a data file's SHA-256) and Cache-Control on every read, and 304 with no
body when the client's If-None-Match names the current ETag.

If-None-Match compares weakly (RFC 9110 §13.1.2: `W/"x"` matches `"x"`): a gzipped answer
carries the weak form of its identity ETag (web/compression.py), and a client holding either
form is answered 304. `strong_match` is the comparison If-Match would need (both strong, equal).

Shared by the JSON API and the public pages, so that both answer conditional requests alike.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Mapping
from hashlib import blake2b
from typing import IO

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from casework.store import request_generation

# Caches may keep a body but must ask again before each use (If-None-Match → 304, no body):
# an editor's publish shows on the next request, and an unchanged page costs no transfer.
CACHE_CONTROL = "public, no-cache"
CHUNK_BYTES = 1 << 16


def etag_of(body: bytes) -> str:
    """A strong ETag for `body`: equal bytes, equal tag."""
    return '"' + blake2b(body, digest_size=16).hexdigest() + '"'


def caching_headers(etag: str) -> dict[str, str]:
    return {"ETag": etag, "Cache-Control": CACHE_CONTROL}


def is_weak(etag: str) -> bool:
    return etag.startswith("W/")


def weak_form(etag: str) -> str:
    """`etag` marked weak (`W/"x"`): what a representation that is not byte-for-byte the
    one `"x"` names (a gzipped body) carries."""
    return etag if is_weak(etag) else "W/" + etag


def _opaque(etag: str) -> str:
    return etag[2:] if is_weak(etag) else etag


def _tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def weak_match(header: str, etag: str) -> bool:
    """Whether an If-None-Match value names `etag` under weak comparison (or is `*`)."""
    tags = _tags(header)
    return tags == ["*"] or _opaque(etag) in {_opaque(tag) for tag in tags}


def strong_match(header: str, etag: str) -> bool:
    """Whether an If-Match value names `etag` under strong comparison: neither weak, equal
    (or `*`)."""
    tags = _tags(header)
    return tags == ["*"] or (not is_weak(etag) and etag in tags)


def client_has(request: Request, etag: str) -> bool:
    """Whether the request's If-None-Match names `etag` (or is `*`), compared weakly."""
    return weak_match(request.headers.get("if-none-match", ""), etag)


def cached_response(
    request: Request,
    body: bytes,
    media_type: str,
    *,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """`body` with an ETag and Cache-Control, or 304 when the client has it already."""
    return respond(request, body, etag_of(body), media_type, headers=headers)


def _read_through(handle: IO[bytes]) -> Iterator[bytes]:
    try:
        while chunk := handle.read(CHUNK_BYTES):
            yield chunk
    finally:
        handle.close()


def cached_file_response(
    request: Request,
    handle: IO[bytes],
    size: int,
    etag: str,
    media_type: str,
    *,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """An open file streamed in chunks (closed when sent, or here for a 304), with `etag`.

    The caller opens the file: a file replaced or removed after that (the next generation's
    data files) is still read whole, as POSIX keeps an open file's bytes."""
    all_headers = caching_headers(etag) | dict(headers or {})
    if client_has(request, etag):
        handle.close()
        return Response(status_code=304, headers=all_headers)
    all_headers["Content-Length"] = str(size)
    return StreamingResponse(_read_through(handle), media_type=media_type, headers=all_headers)


class ResponseCache:
    """Rendered response bodies with their ETags, kept while the store is at the generation
    they were made at, least recently used dropped first past `budget` bytes.

    Reads far outnumber writes on a published tracker, and every write changes the store's
    generation, so a body made at the current generation is still the right answer."""

    def __init__(self, budget: int = 128 << 20) -> None:
        self.budget = budget
        self._entries: OrderedDict[Hashable, tuple[int, bytes, str]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(
        self, key: Hashable, generation: int, kept: Callable[[int], bool] | None = None
    ) -> tuple[bytes, str] | None:
        """The body for `key` if made at `generation` — or made at an older one for which
        `kept(that generation)` says no write since changed it (then it is relabelled)."""
        with self._lock:
            found = self._entries.get(key)
        if found is not None and found[0] != generation:
            made = found
            found = (generation, made[1], made[2]) if kept and kept(made[0]) else None
            if found is not None:
                with self._lock:
                    if self._entries.get(key) is made:  # not replaced meanwhile
                        self._entries[key] = found
        with self._lock:
            if found is None:
                self.misses += 1
                return None
            if key in self._entries:
                self._entries.move_to_end(key)
            self.hits += 1
            return found[1], found[2]

    def made_at(self, key: Hashable) -> int | None:
        """The generation the body kept for `key` was made at (None: none kept); counted
        neither a hit nor a miss."""
        with self._lock:
            found = self._entries.get(key)
        return found[0] if found is not None else None

    def put(self, key: Hashable, generation: int, body: bytes) -> str:
        etag = etag_of(body)
        if len(body) > self.budget:
            return etag  # too big to keep (or the cache is off)
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old[1])
            self._entries[key] = (generation, body, etag)
            self._bytes += len(body)
            while self._bytes > self.budget and self._entries:
                _key, (_gen, dropped, _tag) = self._entries.popitem(last=False)
                self._bytes -= len(dropped)
        return etag


def respond(
    request: Request,
    body: bytes,
    etag: str,
    media_type: str,
    *,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """`body` (whose ETag is `etag`) with caching headers, or 304 when the client has it."""
    all_headers = caching_headers(etag) | dict(headers or {})
    if client_has(request, etag):
        return Response(status_code=304, headers=all_headers)
    return Response(body, media_type=media_type, headers=all_headers)


class OneGenerationRead:
    """Pure ASGI middleware: each HTTP request runs inside `request_generation.one_read()`,
    so that the caches above and `PublicView`'s ask the store's generation once between
    them (one round trip on PostgreSQL, where each ask was one)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with request_generation.one_read():
            await self.app(scope, receive, send)
