"""The HTTP/1.1 protocol `casework serve` runs: uvicorn's httptools protocol, with the limits
it lacks. Neither of uvicorn's protocols times out a request in progress (only the idle wait
between requests, `timeout_keep_alive`), and llhttp, under httptools, takes request heads of
any size (1 MB headers were accepted, and buffered). So a client that opens connections and
sends its headers a byte at a time, or never finishes a body, held them for good.

`GuardedHttpTools` adds, per connection:

- a request's head (request line and headers) must arrive within HEAD_TIMEOUT seconds of the
  connection opening or of the head's first byte, else the connection is closed;
- a head over MAX_HEAD_BYTES gets 431 and the connection is closed: bytes are fed to the
  parser only up to that size while a head is being read, so no more is ever held;
- while a request body is incomplete, BODY_IDLE_TIMEOUT seconds without a byte of it close
  the connection (not counted while the app has paused reading: its own pace is not the
  client's fault);

and keeps uvicorn's idle keep-alive timeout between requests (`timeout_keep_alive`, set by
web/server.py). Measured cost: see README ("Deploying behind TLS": the server's limits).
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

HEAD_TIMEOUT = 10.0
BODY_IDLE_TIMEOUT = 20.0
MAX_HEAD_BYTES = 16 * 1024


class GuardedHttpTools(HttpToolsProtocol):
    """uvicorn's httptools protocol with head and body time limits and a head size limit.

    The timers are set only when a read leaves a head or a body unfinished (and at a new
    connection), so that a request that arrives whole, as most do, costs none."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._reading_head = True  # the bytes that come next belong to a request's head
        self._head_started = False  # a head's first byte has come, its end not yet
        self._head_bytes = 0
        self._head_timer: asyncio.TimerHandle | None = None
        self._body_timer: asyncio.TimerHandle | None = None

    # --- the connection ------------------------------------------------------------------
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._head_timer = self.loop.call_later(HEAD_TIMEOUT, self._head_too_slow)

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_timers()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if not self._reading_head or len(data) <= MAX_HEAD_BYTES - self._head_bytes:
            # The common case, in one piece: a body, or what may all be a head.
            self._head_bytes += len(data) if self._reading_head else 0
            super().data_received(data)
        else:
            self._feed_in_pieces(data)
        if self.transport.is_closing():
            return
        if self._head_started and self._head_timer is None:
            self._head_timer = self.loop.call_later(HEAD_TIMEOUT, self._head_too_slow)
        elif not self._reading_head:  # a body under way: it must keep coming
            if self._body_timer is not None:
                self._body_timer.cancel()
            self._body_timer = self.loop.call_later(BODY_IDLE_TIMEOUT, self._body_too_slow)

    def _feed_in_pieces(self, data: bytes) -> None:
        """Feed `data` to the parser no further than a head may go; past it, 431."""
        while data and not self.transport.is_closing():
            if self._reading_head:
                room = MAX_HEAD_BYTES - self._head_bytes
                if room <= 0:
                    self._refuse_head()
                    return
                chunk, data = data[:room], data[room:]
                self._head_bytes += len(chunk)
            else:
                chunk, data = data, b""
            super().data_received(chunk)

    # --- the parser's events -------------------------------------------------------------
    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._head_started = True

    def on_headers_complete(self) -> None:
        self._reading_head = self._head_started = False
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._reading_head, self._head_bytes = True, 0
        if self._body_timer is not None:
            self._body_timer.cancel()
            self._body_timer = None
        super().on_message_complete()

    # --- the limits ----------------------------------------------------------------------
    def _cancel_timers(self) -> None:
        for timer in (self._head_timer, self._body_timer):
            if timer is not None:
                timer.cancel()
        self._head_timer = self._body_timer = None

    def _head_too_slow(self) -> None:
        self._head_timer = None
        self._close()

    def _body_too_slow(self) -> None:
        self._body_timer = None
        if self.flow is not None and self.flow.read_paused:
            # The app is not reading: not the client's doing. Wait on.
            self._body_timer = self.loop.call_later(BODY_IDLE_TIMEOUT, self._body_too_slow)
            return
        self._close()

    def _refuse_head(self) -> None:
        """431 and close, unless an earlier request's answer is still being sent (its
        bytes must not be interleaved with another answer): then close alone."""
        if self.cycle is None or self.cycle.response_complete:
            message = b"Request header fields too large."
            self.transport.write(
                b"".join(
                    (
                        STATUS_LINE[431],
                        b"content-type: text/plain; charset=utf-8\r\n",
                        b"content-length: %d\r\n" % len(message),
                        b"connection: close\r\n\r\n",
                        message,
                    )
                )
            )
        self._close()

    def _close(self) -> None:
        self._cancel_timers()
        if not self.transport.is_closing():
            self.transport.close()
