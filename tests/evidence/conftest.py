"""A real store on each engine (the store tests' fixtures: a SQLite file, a fresh PostgreSQL
database), and a real HTTP server on 127.0.0.1 for the sources to capture."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from casework.ingest.fetch import FetchPolicy
from tests.store.conftest import (  # noqa: F401  # fixtures and the engine parametrisation
    engine,
    postgres_url,
    pytest_configure,
    pytest_generate_tests,
    store,
    store_url,
)

# Loopback is what the fetcher refuses by default: allowed here for the test server only.
LOCAL = FetchPolicy(allow_private=frozenset({"127.0.0.1"}))

# The sources, in our own words. The script and the inline handler must never reach a
# visitor of the site that serves the capture.
ARTICLE = (
    "<!doctype html><html><head><title>Night raid on the tannery workers' hostel</title>"
    "<script>document.cookie='stolen='+document.cookie</script></head>"
    "<body onload=\"alert('pwned')\"><article><h1>Night raid on the tannery workers' hostel</h1>"
    "<p>Police entered the hostel by the river a little after two in the morning, according "
    "to three residents who spoke to us the next day. Eleven men were taken away in vans.</p>"
    "<p>Two of them were released before noon without charge; the others were still held "
    "at the district station on Friday, their families said.</p>"
    "<p>The police spokesman would not say what the raid was for.</p></article>"
    '<script src="https://tracker.invalid/t.js"></script></body></html>'
)
NOTICE = (
    "Notice to the hostel's residents, as pinned on its door: the building is closed for "
    "inspection until further notice and residents must collect their belongings by Monday."
)


def inspection_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, f"Inspection report\n\n{NOTICE}")
    return bytes(pdf.output())


class Sources(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Any

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path in ("/raid", "/mirror-zqxdraftonly"):
            self._send(200, ARTICLE.encode(), "text/html; charset=utf-8")
        elif path == "/inspection.pdf":
            self._send(200, inspection_pdf(), "application/pdf")
        elif path == "/notice.txt":
            self._send(200, NOTICE.encode(), "text/plain; charset=utf-8")
        elif path == "/old-raid":
            self._send(302, b"", "text/plain", Location="/raid")
        elif path == "/changed":
            # A page that says something else each time it is read (for drift).
            self.server.reads += 1
            text = (
                f"<html><body><p>Version {self.server.reads} of the ministry's statement on "
                "the hostel: the ministry says the raid followed a complaint from a neighbour, "
                "that nobody was hurt and that the men held will be charged or let go within "
                "the week, as the law requires.</p></body></html>"
            )
            self._send(200, text.encode(), "text/html")
        else:
            self._send(404, b"not here", "text/plain")

    def _send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def sources() -> Iterator[str]:
    """The base URL of a server of sources on 127.0.0.1, stopped after the test."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Sources)
    server.reads = 0  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
