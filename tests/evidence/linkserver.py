"""A real HTTP server on 127.0.0.1 whose pages live and change the way cited sources do, for
the link-health tests: captured at edition 1, checked at edition 2, when some have died,
moved, been corrected, retracted or rewritten, walled off, or begun to drip.

Three host names resolve to it (news.test, wire.test, desk.test) through the fetch policy's
resolver — DNS is the one part of a fetch outside the machine — and gone.test resolves to
nothing. The server counts, per Host, how many requests it is answering at once."""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from casework.evidence.links import LINK_CONTENT_TYPES, Captured, LinkSettings
from casework.ingest.fetch import FetchPolicy, fetch
from casework.ingest.readers import read_bytes

HOSTS = ("news.test", "wire.test", "desk.test")

# Our own words, as a regional outlet might put them, typos and all.
LEDE = (
    "Residents of the Varnel district say the municipal water point on Quarry Road was shut "
    "without notice on the morning of 3 February, leaving roughly 2,400 households to queue at "
    "a single tanker that arrived two days later and left before noon."
)
BODY = [
    "Three women who spoke to this paper said guards from a private contractor turned them "
    "away at the gate and told them the pumps were under repair. None of them had recieved the "
    "leaflet the council later said it distributed the week before, and teh notice board at "
    "the clinic carried nothing about a closure.",
    "The council's spokesperson said on Tuesday that the closure was a safety measure after a "
    "pipe burst near the pump house, and that a temporary supply would be set up. Engineers "
    "we contacted could not confirm a burst, and photographs taken by a resident on 4 February "
    "show the pump house intact and its doors chained shut.",
    "A local clinic reported eleven cases of acute diarrhoea among children under five in the "
    "week after the closure, up from two the week before. Its head nurse said families had "
    "started drawing water from the old quarry pond, which has not been tested since 2019.",
    "The district's representative has asked for the contract with the security firm to be "
    "published. The council has not said when the water point will reopen, and did not answer "
    "written questions sent on 6 February about who ordered the closure and why.",
]
CORRECTED = [p.replace("recieved", "received").replace("teh ", "the ") for p in BODY]
RETRACTION = (
    "Editor's note, 12 February: this article has been withdrawn. The council has since shown "
    "that a leaflet was delivered to every household on Quarry Road, and two of the accounts "
    "quoted above could not be confirmed; we regret publishing them without further checks."
)
NEW_LEDE = (
    "The council has defended its decision to suspend the Quarry Road water point, calling it a "
    "precaution taken after engineers flagged contamination risks, and says bottled water was "
    "offered at the community hall to any household that asked for it during the works."
)
PAYWALL = (
    "<html><head><title>Members only</title></head><body><main><h1>Water point closure</h1>"
    "<p>Subscribe to continue reading. Our journalism is paid for by readers like you.</p>"
    "<p>Already a subscriber? Log in.</p></main></body></html>"
)


def page(title: str, lede: str, paragraphs: list[str], tail: str = "") -> bytes:
    parts = "".join(f"<p>{p}</p>\n" for p in [lede, *paragraphs, *([tail] if tail else [])])
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
        "</head><body><nav><a href='/'>Home</a> | <a href='/news'>News</a> | Subscribe</nav>"
        f"<article><h1>{title}</h1>\n{parts}</article>"
        "<footer>© Varnel Courier. All rights reserved.</footer></body></html>"
    ).encode()


TITLE = "Water point shut without warning in Varnel"
ORIGINAL = page(TITLE, LEDE, BODY)


@dataclass
class LinkServer:
    port: int
    edition: int = 1
    requests: Counter[str] = field(default_factory=Counter)  # "host path" → count
    busy: Counter[str] = field(default_factory=Counter)  # host → requests being answered
    most: Counter[str] = field(default_factory=Counter)  # host → the most ever at once
    lock: threading.Lock = field(default_factory=threading.Lock)
    barrier: threading.Barrier | None = None
    together: list[str] = field(default_factory=list)  # how each /together request ended
    not_modified: int = 0  # how many 304s /validated answered

    def answer_together(self, barrier: threading.Barrier) -> list[str]:
        """From now on /together waits at `barrier` before it answers; what each ended with."""
        self.barrier = barrier
        self.together = []
        return self.together

    def url(self, path: str, host: str = "news.test") -> str:
        return f"http://{host}:{self.port}{path}"

    def policy(self, deadline: float = 2.0) -> FetchPolicy:
        return FetchPolicy(
            timeout=deadline,
            deadline=deadline,
            content_types=LINK_CONTENT_TYPES,
            allow_private=frozenset(HOSTS),
            resolve=resolve,
        )

    def settings(self, **changes: Any) -> LinkSettings:
        values: dict[str, Any] = {
            "concurrency": 8,
            "per_host_delay": 0.02,
            "cache_ttl": timedelta(hours=1),
            "fetch": self.policy(),
        }
        values.update(changes)
        return LinkSettings(**values)

    def capture(self, url: str) -> Captured:
        """What a capture of `url` taken now holds: its readable text, as ingest reads it."""
        fetched = fetch(url, policy=self.policy())
        text = read_bytes(fetched.body, fetched.content_type, fetched.url).text
        return Captured.of(text, fetched.fetched_at, fetched.sha256)


def resolve(host: str, port: int) -> list[str]:
    if host in HOSTS:
        return ["127.0.0.1"]
    raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Any

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        state: LinkServer = self.server.state
        host = self.headers.get("Host", "").split(":")[0]
        path = urlsplit(self.path).path
        with state.lock:
            state.requests[f"{host} {path}"] += 1
            state.busy[host] += 1
            state.most[host] = max(state.most[host], state.busy[host])
        try:
            time.sleep(0.01)  # long enough for a second request to the host to overlap
            self.answer(state, host, path)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should have
        finally:
            with state.lock:
                state.busy[host] -= 1

    def send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8",
             **headers: str) -> None:  # fmt: skip
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def answer(self, state: LinkServer, host: str, path: str) -> None:
        later = state.edition >= 2
        if path == "/together" and state.barrier is not None:
            try:
                state.barrier.wait()
            except threading.BrokenBarrierError:
                state.together.append("alone")
                self.send(503, b"<html><body><p>Came alone</p></body></html>")
                return
            state.together.append("together")
            self.send(200, ORIGINAL)
        elif path == "/validated":  # a server that honours conditional requests
            tag = f'"edition-{state.edition}"'
            if self.headers.get("If-None-Match") == tag:
                state.not_modified += 1
                self.send_response(304)
                self.send_header("ETag", tag)
                self.end_headers()
                return
            text = page(TITLE, LEDE, BODY if state.edition < 3 else [RETRACTION, *BODY])
            self.send(200, text, ETag=tag, Last_Modified="Tue, 03 Feb 2026 09:00:00 GMT")
        elif path.startswith("/story/") or path == "/fresh":
            self.send(200, ORIGINAL)
        elif path == "/typo":
            self.send(200, page(TITLE, LEDE, CORRECTED if later else BODY))
        elif path == "/retracted":
            self.send(200, page(TITLE, LEDE, BODY, RETRACTION if later else ""))
        elif path == "/rewritten":
            self.send(200, page(TITLE, NEW_LEDE if later else LEDE, BODY))
        elif path == "/dies":
            self.send(404, b"<html><body><p>Page not found</p></body></html>") if later else (
                self.send(200, ORIGINAL)
            )
        elif path == "/breaks":
            self.send(500, b"<html><body><p>Internal error</p></body></html>") if later else (
                self.send(200, ORIGINAL)
            )
        elif path == "/old-home" and later:
            self.send(301, b"", Location=f"http://wire.test:{state.port}/archive/water-point")
        elif path == "/archive/water-point" or path == "/old-home":
            self.send(200, ORIGINAL)
        elif path == "/secure" and later:  # a trivial move: only a trailing slash added
            self.send(301, b"", Location=f"http://{host}:{state.port}/secure/")
        elif path in ("/secure", "/secure/"):
            self.send(200, ORIGINAL)
        elif path == "/members":
            self.send(403, b"<html><body><p>Forbidden</p></body></html>") if later else (
                self.send(200, ORIGINAL)
            )
        elif path == "/walled":
            self.send(200, PAYWALL.encode()) if later else self.send(200, ORIGINAL)
        elif path == "/drip":
            if not later:
                self.send(200, ORIGINAL)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            stop = time.monotonic() + 6.0
            while time.monotonic() < stop:
                self.wfile.write(b"<")
                self.wfile.flush()
                time.sleep(0.05)
        elif path == "/photo.jpg":
            self.send(200, b"\xff\xd8\xff\xe0not really a jpeg", "image/jpeg")
        else:
            self.send(404, b"<html><body><p>Page not found</p></body></html>")


@contextmanager
def link_server() -> Iterator[LinkServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state = LinkServer(port=int(server.server_address[1]))
    server.state = state  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
