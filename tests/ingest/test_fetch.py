"""fetch(): a real HTTP server on 127.0.0.1 for what a server can do to us (size, time,
redirects, content types), and refusals that must happen before any socket is opened.

Only DNS, which lies outside the machine, is replaced (FetchPolicy.resolve) where a test needs
a name to resolve to a chosen address."""

from __future__ import annotations

import gzip
import hashlib
import socket
import threading
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from casework.ingest.article import ReadError
from casework.ingest.fetch import FetchError, FetchPolicy, fetch

ARTICLE = (
    b"<html><head><title>Pier closure left crews stranded</title></head>"
    b"<body><p>The port authority closed the pier on March 14.</p></body></html>"
)
MB = 1024 * 1024
LOCAL = FetchPolicy(allow_private=frozenset({"127.0.0.1"}))


def _bomb() -> bytes:
    """20 MB of zeros in about 20 kB of gzip, made without holding the 20 MB."""
    packer = zlib.compressobj(wbits=16 + zlib.MAX_WBITS)
    zeros = bytes(MB)
    return b"".join(packer.compress(zeros) for _ in range(20)) + packer.flush()


BOMB = _bomb()
# How long a misbehaving route keeps misbehaving: it stops by itself, whatever the client does.
MISBEHAVE_FOR = 10.0


@dataclass
class Server:
    base: str
    port: int
    seen: list[tuple[str, str]] = field(default_factory=list)  # (path, Host header)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Any

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.server.record.seen.append((self.path, self.headers.get("Host", "")))
        route = urlsplit(self.path)
        name = route.path.strip("/").split("/")[0] or "article"
        try:
            getattr(self, f"route_{name.replace('-', '_')}")(route)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should have

    def send(self, status: int, body: bytes, content_type: str | None, **headers: str) -> None:
        self.send_response(status)
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str) -> None:
        self.send(302, b"", "text/html", Location=location)

    def route_article(self, route: Any) -> None:
        self.send(200, ARTICLE, "text/html; charset=utf-8")

    def route_host(self, route: Any) -> None:
        self.send(200, self.headers.get("Host", "").encode(), "text/plain")

    def route_gzip(self, route: Any) -> None:
        self.send(200, gzip.compress(ARTICLE), "text/html", Content_Encoding="gzip")

    def route_bomb(self, route: Any) -> None:
        self.send(200, BOMB, "text/plain", Content_Encoding="gzip")

    def route_brotli(self, route: Any) -> None:
        self.send(200, b"\x0b\x02\x80hello\x03", "text/plain", Content_Encoding="br")

    def route_declared(self, route: Any) -> None:
        self.send(200, bytes(11 * MB), "text/plain")

    def route_undeclared(self, route: Any) -> None:
        # 11 MB, no Content-Length: the body ends when the connection does.
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        for _ in range(11 * 16):
            self.wfile.write(bytes(64 * 1024))

    def route_endless(self, route: Any) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.close_connection = True
        chunk = b"%x\r\n%s\r\n" % (64 * 1024, b"x" * 64 * 1024)
        stop = time.monotonic() + MISBEHAVE_FOR
        while time.monotonic() < stop:
            self.wfile.write(chunk)

    def route_drip(self, route: Any) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        self.drip()

    def route_slow_headers(self, route: Any) -> None:
        self.close_connection = True
        self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        self.drip()

    def drip(self) -> None:
        stop = time.monotonic() + MISBEHAVE_FOR
        while time.monotonic() < stop:
            self.wfile.write(b"a")
            self.wfile.flush()
            time.sleep(0.02)

    def route_silent(self, route: Any) -> None:
        self.close_connection = True
        time.sleep(3)

    def route_redirect(self, route: Any) -> None:
        self.redirect("/article#ignored")

    def route_loop_a(self, route: Any) -> None:
        self.redirect("/loop-b")

    def route_loop_b(self, route: Any) -> None:
        self.redirect("/loop-a")

    def route_chain(self, route: Any) -> None:
        hop = int(route.path.rsplit("/", 1)[1])
        self.redirect(f"/chain/{hop + 1}")

    def route_to(self, route: Any) -> None:
        self.redirect(parse_qs(route.query)["u"][0])

    def route_png(self, route: Any) -> None:
        self.send(200, b"\x89PNG\r\n\x1a\n", "image/png")

    def route_untyped(self, route: Any) -> None:
        self.send(200, ARTICLE, None)

    def route_missing(self, route: Any) -> None:
        self.send(404, b"gone", "text/html")


@contextmanager
def serving() -> Iterator[Server]:
    """The handler above on a free port of 127.0.0.1, in a thread."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    port = httpd.server_address[1]
    record = Server(f"http://127.0.0.1:{port}", port)
    httpd.record = record  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield record
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with serving() as running:
        yield running


def refused(url: str, policy: FetchPolicy = LOCAL) -> str:
    with pytest.raises(FetchError) as caught:
        fetch(url, policy=policy)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"cannot fetch {url}: ")
    return message


# --- what a local server sends ------------------------------------------------------------


def test_a_page_is_fetched_with_its_body_digest_and_headers(server: Server) -> None:
    fetched = fetch(f"{server.base}/article", policy=LOCAL)
    assert fetched.status == 200
    assert fetched.body == ARTICLE
    assert fetched.sha256 == hashlib.sha256(ARTICLE).hexdigest()
    assert fetched.content_type == "text/html; charset=utf-8"
    assert fetched.url == f"{server.base}/article"
    assert fetched.redirects == []
    assert fetched.address == "127.0.0.1"
    assert fetched.fetched_at.utcoffset() == timedelta(0)
    assert ("Content-Length", str(len(ARTICLE))) in fetched.headers
    assert dict(fetched.request_headers)["User-Agent"].startswith("casework/")


def test_a_gzip_body_is_decoded(server: Server) -> None:
    fetched = fetch(f"{server.base}/gzip", policy=LOCAL)
    assert fetched.body == ARTICLE
    assert ("Content-Encoding", "gzip") in fetched.headers


def test_a_relative_redirect_is_followed_and_recorded(server: Server) -> None:
    fetched = fetch(f"{server.base}/redirect", policy=LOCAL)
    assert fetched.body == ARTICLE
    assert fetched.url == f"{server.base}/article"  # the fragment is never sent
    assert fetched.redirects == [f"{server.base}/redirect"]


def test_fetch_errors_are_read_errors(server: Server) -> None:
    with pytest.raises(ReadError):
        fetch(f"{server.base}/missing", policy=LOCAL)


def test_an_http_error_status_is_refused(server: Server) -> None:
    assert "HTTP 404 Not Found" in refused(f"{server.base}/missing")


def test_a_refused_answer_names_its_status_and_where_it_came_from(server: Server) -> None:
    with pytest.raises(FetchError) as answered:
        fetch(f"{server.base}/to?u=/missing", policy=LOCAL)
    assert (answered.value.status, answered.value.final_url) == (404, f"{server.base}/missing")
    with pytest.raises(FetchError) as typed:
        fetch(f"{server.base}/png", policy=LOCAL)
    assert typed.value.status == 200
    with pytest.raises(FetchError) as silent:  # no answer at all: neither is known
        fetch("http://127.0.0.1:9/", policy=LOCAL)
    assert (silent.value.status, silent.value.final_url) == (None, None)


def test_a_caller_may_add_conditional_headers_only(server: Server) -> None:
    fetched = fetch(f"{server.base}/article", policy=LOCAL, headers={"If-None-Match": '"v1"'})
    assert ("If-None-Match", '"v1"') in [(k.title(), v) for k, v in fetched.request_headers]
    with pytest.raises(ValueError, match="adds only if-modified-since, if-none-match"):
        fetch(f"{server.base}/article", policy=LOCAL, headers={"Host": "elsewhere.example"})


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/png", "content type image/png is not read"),
        ("/untyped", "has no Content-Type"),
        ("/brotli", "content encoding br is not read"),
    ],
)
def test_what_no_reader_reads_is_refused(server: Server, path: str, reason: str) -> None:
    assert reason in refused(f"{server.base}{path}")


def test_a_declared_oversize_body_is_refused_before_reading(server: Server) -> None:
    assert "larger than 10 MB (Content-Length 11534336)" in refused(f"{server.base}/declared")


def test_an_undeclared_oversize_body_is_refused_not_truncated(server: Server) -> None:
    message = refused(f"{server.base}/undeclared")
    assert message.endswith("the body is larger than 10 MB")


def test_an_endless_stream_stops_at_the_limit_in_bounded_memory(server: Server) -> None:
    policy = FetchPolicy(max_bytes=1 * MB, allow_private=frozenset({"127.0.0.1"}))
    tracemalloc.start()
    try:
        message = refused(f"{server.base}/endless", policy)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert message.endswith("the body is larger than 1 MB")
    assert peak < 6 * MB


def test_a_gzip_bomb_is_refused_once_decompressed(server: Server) -> None:
    policy = FetchPolicy(max_bytes=1 * MB, allow_private=frozenset({"127.0.0.1"}))
    tracemalloc.start()
    try:
        message = refused(f"{server.base}/bomb", policy)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert message.endswith("larger than 1 MB once decompressed")
    assert peak < 6 * MB


@pytest.mark.parametrize("path", ["/drip", "/slow-headers"])
def test_a_dripping_server_meets_the_total_deadline(server: Server, path: str) -> None:
    # Each byte comes well within the 5 s read timeout; only the total deadline ends it.
    policy = FetchPolicy(timeout=5, deadline=0.5, allow_private=frozenset({"127.0.0.1"}))
    assert refused(f"{server.base}{path}", policy).endswith("took longer than the 0.5 s limit")


def test_a_silent_server_meets_the_read_timeout(server: Server) -> None:
    policy = FetchPolicy(timeout=0.3, deadline=10, allow_private=frozenset({"127.0.0.1"}))
    assert refused(f"{server.base}/silent", policy).endswith("did not answer within 0.3 s")


def test_a_redirect_loop_is_refused(server: Server) -> None:
    message = refused(f"{server.base}/loop-a")
    assert f"redirect loop ({server.base}/loop-b → {server.base}/loop-a)" in message


def test_too_many_redirects_are_refused(server: Server) -> None:
    assert refused(f"{server.base}/chain/0").endswith("more than 5 redirects")
    fetched_hops = [path for path, _ in server.seen if path.startswith("/chain/")]
    assert fetched_hops[-6:] == [f"/chain/{n}" for n in range(6)]


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a cloud metadata address"),
        ("http://[::ffff:127.0.0.2]/", "loopback address (127.0.0.2) inside an IPv6 address"),
        ("http://2130706434/", "127.0.0.2 is a loopback address"),
        ("http://10.0.0.1/", "10.0.0.1 is a private address"),
        ("file:///etc/passwd", "only http and https URLs are fetched, not file"),
        ("http://localhost/", "host localhost is this machine"),
    ],
)
def test_a_redirect_to_a_refused_address_is_refused_though_the_first_host_was_allowed(
    server: Server, location: str, reason: str
) -> None:
    message = refused(f"{server.base}/to?u={location}")
    shown = location.replace("file:///", "file:/")  # as httpx writes a file URL
    assert f"redirected to {shown}: " in message
    assert reason in message


def test_a_redirect_may_not_reuse_an_allowed_host_with_credentials(server: Server) -> None:
    location = f"http://user:secret@127.0.0.1:{server.port}/article"
    assert "credentials" in refused(f"{server.base}/to?u={location}")


# --- DNS: resolved once, checked, and the connection pinned to what was checked -----------


class Resolver:
    """DNS for names that exist only in a test: the part of a fetch outside the machine."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers
        self.asked: list[tuple[str, int]] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append((host, port))
        if host not in self.answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return self.answers[host]


def test_the_connection_goes_to_the_checked_address_with_the_name_as_host(
    server: Server,
) -> None:
    # "archive.test" exists nowhere but in this resolver: had httpx looked it up again, the
    # fetch would fail; it reaches the server, which sees the name in the Host header.
    resolve = Resolver({"archive.test": ["127.0.0.1"]})
    policy = FetchPolicy(allow_private=frozenset({"archive.test"}), resolve=resolve)
    fetched = fetch(f"http://archive.test:{server.port}/host", policy=policy)
    assert fetched.body == f"archive.test:{server.port}".encode()
    assert fetched.address == "127.0.0.1"
    assert resolve.asked == [("archive.test", server.port)]


def test_each_redirect_hop_is_resolved_and_checked_again(server: Server) -> None:
    resolve = Resolver({"archive.test": ["127.0.0.1"], "inside.test": ["127.0.0.1"]})
    policy = FetchPolicy(allow_private=frozenset({"archive.test"}), resolve=resolve)
    location = f"http://inside.test:{server.port}/article"
    message = refused(f"http://archive.test:{server.port}/to?u={location}", policy)
    assert message.endswith(f"redirected to {location}: inside.test resolves to 127.0.0.1, "
                            "a loopback address")  # fmt: skip
    assert [host for host, _ in resolve.asked] == ["archive.test", "inside.test"]


@pytest.mark.parametrize(
    ("answers", "reason"),
    [
        (["10.1.2.3"], "resolves to 10.1.2.3, a private address"),
        (["93.184.216.34", "127.0.0.1"], "resolves to 127.0.0.1, a loopback address"),
        (["169.254.169.254"], "resolves to 169.254.169.254, a cloud metadata address"),
        (["fe80::1%eth0"], "a link-local address"),
        (["::ffff:192.168.1.1"], "a private address (192.168.1.1) inside an IPv6 address"),
        (["100.64.0.9"], "a shared (carrier-grade NAT) address"),
        ([], "resolves to no address"),
    ],
)
def test_a_name_resolving_to_any_refused_address_is_refused(
    answers: list[str], reason: str
) -> None:
    policy = FetchPolicy(resolve=Resolver({"news.test": answers}))
    assert reason in refused("https://news.test/story", policy)


def test_allow_private_never_opens_the_metadata_service() -> None:
    resolve = Resolver({"meta.test": ["169.254.169.254"]})
    policy = FetchPolicy(allow_private=frozenset({"meta.test"}), resolve=resolve)
    assert "cloud metadata address" in refused("http://meta.test/", policy)


def test_a_name_that_does_not_resolve_is_one_clear_line() -> None:
    policy = FetchPolicy(resolve=Resolver({}))
    assert "cannot resolve nowhere.test" in refused("http://nowhere.test/", policy)


# --- refused before any socket: every form of address, with the default policy -----------


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if the fetch looks anything up or opens a connection."""

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network used: {args}")

    monkeypatch.setattr(socket, "getaddrinfo", forbidden)
    monkeypatch.setattr(socket, "create_connection", forbidden)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        # schemes and credentials
        ("ftp://example.org/a.html", "only http and https URLs are fetched, not ftp"),
        ("file:///etc/passwd", "only http and https URLs are fetched, not file"),
        ("gopher://example.org/", "not gopher"),
        ("/relative/path", "not no scheme"),
        ("http://user:pw@example.org/", "URLs with credentials"),
        ("https://user@example.org/", "URLs with credentials"),
        # names of this machine
        ("http://localhost/", "host localhost is this machine"),
        ("http://LOCALHOST.:8000/", "host localhost is this machine"),
        ("http://admin.localhost/", "host admin.localhost is this machine"),
        # IPv4, dotted
        ("http://127.0.0.1/", "127.0.0.1 is a loopback address"),
        ("http://127.0.0.1./", "127.0.0.1 is a loopback address"),
        ("http://10.0.0.1/", "10.0.0.1 is a private address"),
        ("http://172.16.5.4/", "172.16.5.4 is a private address"),
        ("http://192.168.1.1/", "192.168.1.1 is a private address"),
        ("http://100.64.0.1/", "100.64.0.1 is a shared (carrier-grade NAT) address"),
        ("http://169.254.1.1/", "169.254.1.1 is a link-local address"),
        ("http://169.254.169.254/latest/", "169.254.169.254 is a cloud metadata address"),
        ("http://0.0.0.0/", "0.0.0.0 is the unspecified address"),
        ("http://224.0.0.1/", "224.0.0.1 is a multicast address"),
        ("http://240.0.0.1/", "240.0.0.1 is a reserved address"),
        ("http://255.255.255.255/", "255.255.255.255 is a reserved address"),
        ("http://192.0.2.1/", "192.0.2.1 is a private address"),
        # IPv4, numeric forms inet_aton accepts
        ("http://2130706433/", "127.0.0.1 is a loopback address"),
        ("http://0x7f000001/", "127.0.0.1 is a loopback address"),
        ("http://017700000001/", "127.0.0.1 is a loopback address"),
        ("http://0x7f.1/", "127.0.0.1 is a loopback address"),
        ("http://127.1/", "127.0.0.1 is a loopback address"),
        ("http://0x7f.0.0.1/", "127.0.0.1 is a loopback address"),
        ("http://0177.0.1/", "127.0.0.1 is a loopback address"),
        ("http://0177.0.0.1/", "not a valid URL"),
        ("http://0xa9.0xfe.0xa9.0xfe/", "169.254.169.254 is a cloud metadata address"),
        ("http://2852039166/", "169.254.169.254 is a cloud metadata address"),
        ("http://10.1/", "10.0.0.1 is a private address"),
        ("http://0/", "0.0.0.0 is the unspecified address"),
        ("http://1.2.3.4.5/", "looks numeric but is not a valid IPv4 address"),
        ("http://4294967296/", "looks numeric but is not a valid IPv4 address"),
        ("http://09.1/", "looks numeric but is not a valid IPv4 address"),
        ("http://example.0x/", "looks numeric but is not a valid IPv4 address"),
        ("http://127.0.0.%31/", "is percent-encoded"),
        # IPv6
        ("http://[::1]/", ":1 is a loopback address"),
        ("http://[::]/", ":: is the unspecified address"),
        ("http://[fe80::1]/", "fe80::1 is a link-local address"),
        ("http://[fe80::1%25eth0]/", "zone"),
        ("http://[fc00::1]/", "fc00::1 is a private address"),
        ("http://[fd00:ec2::254]/", "fd00:ec2::254 is a cloud metadata address"),
        ("http://[ff02::1]/", "ff02::1 is a multicast address"),
        ("http://[2001:db8::1]/", "2001:db8::1 is a private address"),
        # IPv4 inside IPv6
        ("http://[::ffff:127.0.0.1]/", "a loopback address (127.0.0.1) inside an IPv6 address"),
        ("http://[::ffff:7f00:1]/", "a loopback address (127.0.0.1) inside an IPv6 address"),
        ("http://[::ffff:169.254.169.254]/", "cloud metadata address (169.254.169.254) inside"),
        ("http://[::ffff:10.0.0.1]/", "a private address (10.0.0.1) inside an IPv6 address"),
        ("http://[::127.0.0.1]/", "a loopback address (127.0.0.1) inside an IPv6 address"),
        ("http://[64:ff9b::7f00:1]/", "a loopback address (127.0.0.1) inside an IPv6 address"),
        ("http://[2002:7f00:1::]/", "a loopback address (127.0.0.1) inside an IPv6 address"),
        ("http://[::ffff:8.8.8.8]/", "is a reserved address"),
    ],
)
def test_refused_without_touching_the_network(no_network: None, url: str, reason: str) -> None:
    assert reason in refused(url, FetchPolicy())


def test_allowing_one_private_host_allows_no_other(no_network: None) -> None:
    assert "127.0.0.2 is a loopback address" in refused("http://127.0.0.2/")
    assert "127.0.0.1 is a loopback address" in refused("http://127.1/")  # not as written
