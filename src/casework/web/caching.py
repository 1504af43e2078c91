"""HTTP caching for what the live app serves: an ETag (a hash of the body, or a hash the caller
already has, such as a data file's SHA-256) and Cache-Control on every read, and 304 with no
body when the client's If-None-Match names the current ETag.

Shared by the JSON API and the public pages, so that both answer conditional requests alike.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from hashlib import blake2b
from typing import IO

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

# Caches may keep a body but must ask again before each use (If-None-Match → 304, no body):
# an editor's publish shows on the next request, and an unchanged page costs no transfer.
CACHE_CONTROL = "public, no-cache"
CHUNK_BYTES = 1 << 16


def etag_of(body: bytes) -> str:
    """A strong ETag for `body`: equal bytes, equal tag."""
    return '"' + blake2b(body, digest_size=16).hexdigest() + '"'


def caching_headers(etag: str) -> dict[str, str]:
    return {"ETag": etag, "Cache-Control": CACHE_CONTROL}


def client_has(request: Request, etag: str) -> bool:
    """Whether the request's If-None-Match names `etag` (or is `*`)."""
    wanted = request.headers.get("if-none-match", "")
    return wanted.strip() == "*" or etag in {tag.strip() for tag in wanted.split(",")}


def cached_response(
    request: Request,
    body: bytes,
    media_type: str,
    *,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """`body` with an ETag and Cache-Control, or 304 when the client has it already."""
    etag = etag_of(body)
    all_headers = caching_headers(etag) | dict(headers or {})
    if client_has(request, etag):
        return Response(status_code=304, headers=all_headers)
    return Response(body, media_type=media_type, headers=all_headers)


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
