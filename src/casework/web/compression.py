"""gzip for what anyone may cache: HTML pages, JSON, CSV and XML, when the client's
Accept-Encoding takes gzip, with `Vary: Accept-Encoding` so that a shared cache keeps the two
forms apart.

- Only answers marked `Cache-Control: public` (web/caching.py's, and the static site's files):
  they hold nothing secret, so compressing them gives a BREACH-style attack (reading a secret
  through the compressed length) nothing to find. The editor's pages, with their CSRF tokens,
  and every refusal and not-found answer stay as they are, so an unpublished record's slug
  and one that never existed get the same bytes, compressed or not.
- Not a body under MIN_BYTES: gzip's header and the extra header lines would eat what it saves.
- A gzipped answer's ETag becomes weak (`W/"x"`, RFC 9110 §8.8.1): it is not the bytes `"x"`
  names. If-None-Match compares weakly (caching.py), so either form gets 304; a 304 answering
  the weak form says the weak form back.
- A streamed body (a static site's large file) is compressed as it is sent, with no
  Content-Length. The live data files come gzipped already (their gzip form is made once per
  export: web/live.py), with the same weak ETag and Vary; they pass through.

No brotli: no library for it is among casework's dependencies, and gzip at level 6 already
takes a record page or the CSV to a fifth or less of its size (README, "HTTP and URLs").
"""

from __future__ import annotations

import zlib

import anyio.to_thread
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from casework.web.caching import weak_form

MIN_BYTES = 1024
LEVEL = 6  # zlib's default: level 9 costs about twice the time for 1–2 % less
THREAD_BYTES = 128 << 10  # a body this large is compressed off the event loop
COMPRESSIBLE = frozenset({"text/html", "text/csv", "application/json", "application/xml"})
COMPRESSIBLE_SUFFIXES = ("+json", "+xml", "ndjson")


def compressible(content_type: str) -> bool:
    media_type = content_type.partition(";")[0].strip().lower()
    return media_type in COMPRESSIBLE or media_type.endswith(COMPRESSIBLE_SUFFIXES)


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding value takes gzip: named (or `*`) with a q above 0."""
    weights: dict[str, float] = {}
    for item in accept_encoding.split(","):
        coding, _, params = item.partition(";")
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        weights[coding.strip().lower()] = q
    return weights.get("gzip", weights.get("x-gzip", weights.get("*", 0.0))) > 0


def vary_on_encoding(headers: MutableHeaders) -> None:
    """`Vary: Accept-Encoding`, once (a handler may have said it already)."""
    named = {v.strip().lower() for v in headers.get("vary", "").split(",")}
    if "accept-encoding" not in named:
        headers.add_vary_header("Accept-Encoding")


def _public(headers: Headers) -> bool:
    return "public" in headers.get("cache-control", "").lower()


class Compression:
    """Pure ASGI middleware: gzip as this module's docstring says."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Headers(scope=scope)
        await _Responder(
            accepts_gzip(request.get("accept-encoding", "")),
            request.get("if-none-match", ""),
            send,
        ).run(self.app, scope, receive)


class _Responder:
    """One response on its way out: its start held until the first body part says whether
    it is worth compressing."""

    def __init__(self, gzip: bool, if_none_match: str, send: Send) -> None:
        self.gzip = gzip
        self.if_none_match = if_none_match
        self.send = send
        self.start: Message | None = None
        self.compressor: zlib._Compress | None = None

    async def run(self, app: ASGIApp, scope: Scope, receive: Receive) -> None:
        await app(scope, receive, self.on_send)

    async def on_send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            await self.on_start(message)
        elif message["type"] == "http.response.body" and self.start is not None:
            await self.on_first_body(message)
        elif message["type"] == "http.response.body" and self.compressor is not None:
            more = message.get("more_body", False)
            await self.send(
                {**message, "body": await self.compress(message.get("body", b""), more)}
            )
        else:
            await self.send(message)

    async def on_start(self, message: Message) -> None:
        headers = MutableHeaders(scope=message)
        if message["status"] == 304 and _public(headers):
            vary_on_encoding(headers)
            etag = headers.get("etag")
            # The client holds the gzipped form (its weak tag): say the tag it holds back.
            if etag and self.if_none_match and "W/" + etag in self.if_none_match:
                headers["ETag"] = weak_form(etag)
            await self.send(message)
            return
        eligible = (
            message["status"] == 200
            and _public(headers)
            and "content-encoding" not in headers
            and compressible(headers.get("content-type", ""))
        )
        if not eligible:
            await self.send(message)
            return
        vary_on_encoding(headers)
        length = headers.get("content-length")
        if not self.gzip or (length is not None and int(length) < MIN_BYTES):
            await self.send(message)
            return
        self.start = message  # held: the first body part decides

    async def on_first_body(self, message: Message) -> None:
        start, self.start = self.start, None
        assert start is not None
        body: bytes = message.get("body", b"")
        more: bool = message.get("more_body", False)
        if not more and len(body) < MIN_BYTES:
            await self.send(start)
            await self.send(message)
            return
        headers = MutableHeaders(scope=start)
        headers["Content-Encoding"] = "gzip"
        etag = headers.get("etag")
        if etag:
            headers["ETag"] = weak_form(etag)
        if "accept-ranges" in headers:
            del headers["accept-ranges"]  # byte ranges of the identity form, not of this one
        self.compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        compressed = await self.compress(body, more)
        if more:
            del headers["content-length"]
        else:
            headers["Content-Length"] = str(len(compressed))
        await self.send(start)
        await self.send({**message, "body": compressed})

    async def compress(self, body: bytes, more: bool) -> bytes:
        if len(body) >= THREAD_BYTES:
            return await anyio.to_thread.run_sync(self._compress, body, more)
        return self._compress(body, more)

    def _compress(self, body: bytes, more: bool) -> bytes:
        assert self.compressor is not None
        out = self.compressor.compress(body)
        return out + self.compressor.flush(zlib.Z_SYNC_FLUSH if more else zlib.Z_FINISH)
