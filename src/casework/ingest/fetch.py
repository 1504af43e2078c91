"""Fetching a URL for `casework ingest`: casework's only network code.

An ingest URL comes from an article, a tip or a pasted link, so it is untrusted: it must not
make this machine reach itself, its network or a cloud metadata service (SSRF), nor let a
server hold us without end or fill memory. So, for every hop of a redirect chain:

- only http/https, no credentials in the URL;
- the host is classified here, not by the OS: numeric forms the C library would accept
  (`2130706433`, `0x7f.1`, `127.1`, `0177.0.0.1`) are parsed as IPv4 (the WHATWG rule: a host
  ending in a number is an address), IPv4 embedded in IPv6 (`::ffff:127.0.0.1`, NAT64, 6to4)
  is checked as the IPv4 it carries, and `localhost`/`*.localhost` are refused by name;
- a DNS name is resolved once, and refused if *any* answer is not public;
- the connection goes to the address that was checked (a pinned network backend), never to
  a second lookup, so DNS rebinding cannot swap in another address; the URL, the Host header,
  TLS SNI and certificate checks keep the name;
- every socket operation is bounded by the per-operation timeout and by what is left of the
  total deadline, so a server dripping bytes cannot stretch a fetch past it;
- the body is streamed and refused (not truncated) past `max_bytes`, counted both as sent
  and after gzip decoding; the content type must be one an ingest reader reads.
"""

from __future__ import annotations

import concurrent.futures
import functools
import hashlib
import ipaddress
import re
import socket
import ssl
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpcore
import httpx

from casework import __version__
from casework.ingest.article import ReadError
from casework.model.wording import N_, Wording, said, verbatim

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# (host, port) -> the addresses it resolves to, as strings. The system resolver by default;
# tests pass their own, since DNS is the one part of a fetch that lies outside the machine.
Resolver = Callable[[str, int], Sequence[str]]

DEFAULT_CONTENT_TYPES = frozenset(
    {"text/html", "application/xhtml+xml", "text/plain", "text/markdown", "application/pdf"}
)

# Cloud metadata services: refused even for a host in FetchPolicy.allow_private, since no
# test or tracker has a reason to read them and their answers hold credentials.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, …
        "169.254.170.2",  # AWS ECS task metadata
        "100.100.100.200",  # Alibaba Cloud
        "fd00:ec2::254",  # AWS over IPv6
    )
)

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT: not is_private in 3.11
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_HOST_NAME = re.compile(r"^[a-z0-9_-]+(\.[a-z0-9_-]+)*$")
_NUMBER_LABEL = re.compile(r"^(?:[0-9]+|0x[0-9a-f]*)$")
_USER_AGENT = f"casework/{__version__} (ingest)"


class FetchError(ReadError):
    """A URL that was not fetched: one line naming the URL and why. When a server did answer
    (an error status, a refused type or size), `status` is its status code and `final_url`
    the URL that answered, after redirects; both None when no answer came."""

    def __init__(
        self,
        message: str | Wording,
        *,
        status: int | None = None,
        final_url: str | None = None,
    ):
        # The English for the CLI, the API and logs; `wording` for the editor's pages, which
        # say it in the tracker's language (model/wording.py).
        self.wording = message if isinstance(message, Wording) else verbatim(message)
        super().__init__(str(self.wording))
        self.status = status
        self.final_url = final_url


def system_resolve(host: str, port: int) -> list[str]:
    """The addresses the OS would connect to for `host`."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


@dataclass(frozen=True)
class FetchPolicy:
    """What a fetch may do. The defaults are for articles on the public web."""

    max_bytes: int = 10 * 1024 * 1024
    timeout: float = 10.0  # seconds to connect, and that the server may stay silent
    deadline: float = 20.0  # seconds for the whole fetch: DNS, every redirect, the body
    max_redirects: int = 5
    content_types: frozenset[str] = DEFAULT_CONTENT_TYPES
    # Hosts (as written in the URL: "127.0.0.1", "archive.test") exempt from the private
    # address check, for tests against a local server. Metadata addresses stay refused.
    allow_private: frozenset[str] = frozenset()
    resolve: Resolver = field(default=system_resolve)


@dataclass(frozen=True)
class Fetched:
    """One fetched response, after redirects: what archive() stores and readers read."""

    url: str  # the final URL, after redirects
    status: int
    headers: list[tuple[str, str]]  # as received, in order (names as the server spelled them)
    body: bytes  # the entity body, gzip content-encoding removed
    content_type: str  # the whole Content-Type value, charset included
    fetched_at: datetime  # UTC, when the final response's headers arrived
    sha256: str  # hex digest of body
    redirects: list[str]  # every URL that answered with a redirect, in order
    reason: str = ""  # the status line's reason phrase
    http_version: str = "HTTP/1.1"
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    address: str = ""  # the IP address the final response came from


class _Stop(Exception):
    """Why a fetch stops (an English template marked N_ and its values); fetch() turns it
    into a FetchError naming the URL."""

    status: int | None = None
    url: str | None = None

    def __init__(self, template: str, **params: Any) -> None:
        self.wording = Wording(template, params)
        super().__init__(str(self.wording))


class _Answered(_Stop):
    """A refused response: the server answered, with `status`, from `url`."""

    def __init__(self, status: int, url: str, template: str, **params: Any) -> None:
        super().__init__(template, **params)
        self.status = status
        self.url = url


# Request headers a caller may add (a link check's conditional GET); the rest are the fetcher's.
CALLER_HEADERS = frozenset({"if-none-match", "if-modified-since"})


def fetch(
    url: str, *, policy: FetchPolicy = FetchPolicy(), headers: dict[str, str] | None = None
) -> Fetched:
    """GET `url` under `policy`, following redirects by hand and checking every hop. `headers`
    may only be conditional ones (CALLER_HEADERS): a 304 answer is a FetchError with status
    304."""
    extra = dict(headers or {})
    if any(name.lower() not in CALLER_HEADERS for name in extra):
        raise ValueError(f"fetch() adds only {', '.join(sorted(CALLER_HEADERS))} to a request")
    try:
        return _fetch(url, policy, extra)
    except _Stop as stop:
        said_why = said(N_("cannot fetch %(url)s: %(reason)s"), url=url, reason=stop.wording)
        english = " ".join(str(said_why).split())  # one line, whatever a server said
        raise FetchError(
            said_why if str(said_why) == english else english,
            status=stop.status,
            final_url=stop.url,
        ) from None


def _fetch(url: str, policy: FetchPolicy, extra: dict[str, str]) -> Fetched:
    clock = _Clock(policy.deadline)
    current = url.strip()
    redirects: list[str] = []
    while True:
        try:
            target = _parse(current)
            addresses = _addresses(target, policy, clock)
        except _Stop as stop:
            if redirects:
                raise _Stop(
                    N_("redirected to %(url)s: %(why)s"), url=current, why=stop.wording
                ) from None
            raise
        backend = _PinnedBackend(target.connect_host, target.port, addresses, clock)
        with (
            httpx.Client(
                transport=_PinnedTransport(backend),
                trust_env=False,  # no proxies or .netrc from the environment
                follow_redirects=False,
                timeout=httpx.Timeout(policy.timeout),
                headers={**_request_headers(policy), **extra},
            ) as client,
            _translated(policy, clock, target),
            client.stream("GET", target.url) as response,
        ):
            if response.status_code in _REDIRECTS:
                current = _next_hop(response, target, redirects, policy)
                continue
            return _read(response, target, redirects, backend.connected, policy, clock)


@dataclass(frozen=True)
class _Target:
    url: httpx.URL
    host: str  # lower case, no brackets, no trailing dot: what allow_private names
    connect_host: str  # the host as httpcore will hand it to connect_tcp
    port: int
    literal: IPAddress | None  # the address when the host is one


def _parse(url: str) -> _Target:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as error:
        raise _Stop(N_("not a valid URL (%(error)s)"), error=str(error)) from None
    if parsed.scheme not in ("http", "https"):
        if not parsed.scheme:
            raise _Stop(N_("only http and https URLs are fetched, not no scheme"))
        raise _Stop(
            N_("only http and https URLs are fetched, not %(scheme)s"), scheme=parsed.scheme
        )
    if parsed.userinfo:
        raise _Stop(N_("URLs with credentials (user:password@) are refused"))
    raw = parsed.raw_host.decode("ascii")
    host = raw.lower()
    if not host:
        raise _Stop(N_("the URL has no host"))
    if "%" in host:
        raise _Stop(N_("host %(host)s is percent-encoded or has an IPv6 zone: refused"), host=host)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    url_without_fragment = parsed.copy_with(fragment=None)
    if ":" in host:
        try:
            literal: IPAddress | None = ipaddress.IPv6Address(host)
        except ValueError:
            raise _Stop(N_("host %(host)s is not a valid IPv6 address"), host=host) from None
        return _Target(url_without_fragment, host, raw, port, literal)
    host = host.removesuffix(".")
    labels = host.split(".")
    if _NUMBER_LABEL.match(labels[-1]):
        literal = _whatwg_ipv4(labels)
        if literal is None:
            raise _Stop(
                N_("host %(host)s looks numeric but is not a valid IPv4 address"), host=host
            )
        return _Target(url_without_fragment, host, raw, port, literal)
    if not _HOST_NAME.match(host):
        raise _Stop(N_("host %(host)s is not a valid host name"), host=host)
    if host == "localhost" or host.endswith(".localhost"):
        raise _Stop(N_("host %(host)s is this machine (localhost)"), host=host)
    return _Target(url_without_fragment, host, raw, port, None)


def _whatwg_ipv4(labels: list[str]) -> ipaddress.IPv4Address | None:
    """An IPv4 address read the way browsers and inet_aton read one: 1-4 parts, each
    decimal, octal (leading 0) or hex (0x); the last part fills the remaining bytes."""
    if not 1 <= len(labels) <= 4:
        return None
    numbers: list[int] = []
    for label in labels:
        if label.startswith("0x"):
            digits, base = label[2:] or "0", 16
        elif len(label) > 1 and label.startswith("0"):
            digits, base = label[1:], 8
        else:
            digits, base = label, 10
        try:
            numbers.append(int(digits, base))
        except ValueError:
            return None
    *leading, last = numbers
    if any(n > 255 for n in leading) or last >= 256 ** (5 - len(numbers)):
        return None
    value = last + sum(n * 256 ** (3 - i) for i, n in enumerate(leading))
    return ipaddress.IPv4Address(value)


def refusal(address: IPAddress, *, private_ok: bool = False) -> str | None:
    """Why a connection to `address` is refused, or None when it may be made (marked N_:
    a fetch error's `verbatim(why)` is said in the editor's language)."""
    if address in METADATA_ADDRESSES:
        return N_("a cloud metadata address")
    if isinstance(address, ipaddress.IPv6Address):
        inner = _embedded_ipv4(address)
        if inner is not None:
            why = refusal(inner, private_ok=private_ok)
            if why is not None:
                return f"{why} ({inner}) inside an IPv6 address"
    if private_ok:
        return None
    checks = (
        (address.is_unspecified, N_("the unspecified address")),
        (address.is_loopback, N_("a loopback address")),
        (address.is_link_local, N_("a link-local address")),
        (address.is_multicast, N_("a multicast address")),
        (address in _SHARED, N_("a shared (carrier-grade NAT) address")),
        (address.is_reserved, N_("a reserved address")),
        (address.is_private, N_("a private address")),
        (not address.is_global, N_("not a public address")),
    )
    return next((why for hit, why in checks if hit), None)


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64 or (address in _IPV4_COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _addresses(target: _Target, policy: FetchPolicy, clock: _Clock) -> list[IPAddress]:
    private_ok = target.host in policy.allow_private
    if target.literal is not None:
        why = refusal(target.literal, private_ok=private_ok)
        if why is not None:
            raise _Stop(N_("%(address)s is %(why)s"), address=target.literal, why=verbatim(why))
        return [target.literal]
    answers = _resolve(policy, target.host, target.port, clock)
    addresses: list[IPAddress] = []
    for answer in answers:
        try:
            address = ipaddress.ip_address(answer)
        except ValueError:
            raise _Stop(
                N_("%(host)s resolves to %(answer)s, not an IP address"),
                host=target.host,
                answer=repr(answer),
            ) from None
        why = refusal(address, private_ok=private_ok)
        if why is not None:
            raise _Stop(
                N_("%(host)s resolves to %(address)s, %(why)s"),
                host=target.host,
                address=address,
                why=verbatim(why),
            )
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise _Stop(N_("%(host)s resolves to no address"), host=target.host)
    return addresses


def _resolve(policy: FetchPolicy, host: str, port: int, clock: _Clock) -> list[str]:
    # getaddrinfo has no timeout of its own: run it aside so the deadline still holds.
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    try:
        future = pool.submit(policy.resolve, host, port)
        return list(future.result(timeout=max(clock.remaining(), 0.0)))
    except TimeoutError:
        raise _Stop(
            N_("resolving %(host)s took longer than the %(seconds)s s limit"),
            host=host,
            seconds=f"{policy.deadline:g}",
        ) from None
    except (OSError, UnicodeError) as error:
        raise _Stop(
            N_("cannot resolve %(host)s (%(error)s)"), host=host, error=str(error)
        ) from None
    finally:
        pool.shutdown(wait=False)


def _request_headers(policy: FetchPolicy) -> dict[str, str]:
    return {
        "User-Agent": _USER_AGENT,
        "Accept": ", ".join(sorted(policy.content_types)) + ", */*;q=0.1",
        # gzip only: it is the one encoding decoded here with a bound on its output.
        "Accept-Encoding": "gzip",
    }


def _next_hop(
    response: httpx.Response, target: _Target, redirects: list[str], policy: FetchPolicy
) -> str:
    location = response.headers.get("location")
    if not location:
        raise _Stop(N_("HTTP %(status)s redirect without a Location"), status=response.status_code)
    try:
        following = target.url.join(location.strip()).copy_with(fragment=None)
    except (httpx.InvalidURL, TypeError, ValueError) as error:
        raise _Stop(
            N_("redirected to an invalid URL %(url)s (%(error)s)"),
            url=repr(location),
            error=str(error),
        ) from None
    redirects.append(str(target.url))
    if str(following) in redirects:
        raise _Stop(
            N_("redirect loop (%(url)s → %(next)s)"), url=str(target.url), next=str(following)
        )
    if len(redirects) > policy.max_redirects:
        raise _Stop(N_("more than %(num)s redirects"), num=policy.max_redirects)
    return str(following)


def _read(
    response: httpx.Response,
    target: _Target,
    redirects: list[str],
    address: str,
    policy: FetchPolicy,
    clock: _Clock,
) -> Fetched:
    fetched_at = datetime.now(UTC)
    status, url = response.status_code, str(target.url)
    if not 200 <= status < 300:
        raise _Answered(
            status, url, "%(line)s", line=f"HTTP {status} {response.reason_phrase}".strip()
        )
    content_type = response.headers.get("content-type", "").strip()
    media_type = content_type.split(";")[0].strip().lower()
    if not media_type:
        raise _Answered(status, url, N_("the response has no Content-Type"))
    if media_type not in policy.content_types:
        readable = ", ".join(sorted(policy.content_types))
        raise _Answered(
            status,
            url,
            N_("content type %(type)s is not read (only %(readable)s)"),
            type=media_type,
            readable=readable,
        )
    body = _body(response, policy, clock)
    return Fetched(
        url=str(target.url),
        status=response.status_code,
        headers=_decoded(response.headers.raw),
        body=body,
        content_type=content_type,
        fetched_at=fetched_at,
        sha256=hashlib.sha256(body).hexdigest(),
        redirects=list(redirects),
        reason=response.reason_phrase,
        http_version=response.http_version,
        request_headers=_decoded(response.request.headers.raw),
        address=address,
    )


def _body(response: httpx.Response, policy: FetchPolicy, clock: _Clock) -> bytes:
    limit = policy.max_bytes
    size = _size(limit)
    declared = response.headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > limit:
        raise _Stop(
            N_("the body is larger than %(size)s (Content-Length %(declared)s)"),
            size=size,
            declared=declared,
        )
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding in ("gzip", "x-gzip"):
        decoder: Any = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    elif encoding in ("", "identity"):
        decoder = None
    else:
        raise _Stop(N_("content encoding %(encoding)s is not read (only gzip)"), encoding=encoding)
    body = bytearray()
    received = 0
    for chunk in response.iter_raw():
        # Counted as sent too: bytes after the end of a gzip stream would otherwise grow
        # without bound in the decoder's unused_data.
        received += len(chunk)
        if received > limit:
            raise _Stop(N_("the body is larger than %(size)s"), size=size)
        if decoder is None:
            body += chunk
        else:
            data = chunk
            while data and not decoder.eof:
                # max_length bounds what one small compressed chunk may expand to.
                body += decoder.decompress(data, limit - len(body) + 1)
                if len(body) > limit:
                    raise _Stop(N_("the body is larger than %(size)s once decompressed"), size=size)
                data = decoder.unconsumed_tail
        if len(body) > limit:
            raise _Stop(N_("the body is larger than %(size)s"), size=size)
        if clock.remaining() <= 0:
            raise _Stop(
                N_("took longer than the %(seconds)s s limit"), seconds=f"{policy.deadline:g}"
            )
    if decoder is not None and not decoder.eof:
        raise _Stop(N_("the gzip-encoded body ends early"))
    return bytes(body)


def _size(count: int) -> str:
    return f"{count / 1024 / 1024:g} MB" if count >= 1024 * 1024 else f"{count} bytes"


def _decoded(raw: Iterable[tuple[bytes, bytes]]) -> list[tuple[str, str]]:
    # HTTP header bytes are ISO-8859-1 by the letter of RFC 9110; this never fails.
    return [(name.decode("latin-1"), value.decode("latin-1")) for name, value in raw]


@contextmanager
def _translated(policy: FetchPolicy, clock: _Clock, target: _Target) -> Iterator[None]:
    """httpx's errors, said in one line for the person who asked for the URL."""
    try:
        yield
    except httpx.TimeoutException:
        if clock.hit:
            raise _Stop(
                N_("took longer than the %(seconds)s s limit"), seconds=f"{policy.deadline:g}"
            ) from None
        raise _Stop(
            N_("%(host)s did not answer within %(seconds)s s"),
            host=target.host,
            seconds=f"{policy.timeout:g}",
        ) from None
    except httpx.ConnectError as error:
        raise _Stop(
            N_("cannot connect to %(host)s:%(port)s (%(error)s)"),
            host=target.host,
            port=target.port,
            error=str(error),
        ) from None
    except httpx.RemoteProtocolError as error:
        raise _Stop(
            N_("the server broke the HTTP exchange (%(error)s)"), error=str(error)
        ) from None
    except httpx.HTTPError as error:
        raise _Stop("%(kind)s (%(error)s)", kind=type(error).__name__, error=str(error)) from None


class _Clock:
    """The total deadline, shared by every socket operation of one fetch."""

    def __init__(self, seconds: float) -> None:
        self._end = time.monotonic() + seconds
        self.hit = False  # whether the last bounded operation was cut short by the deadline

    def remaining(self) -> float:
        return self._end - time.monotonic()

    def bound(self, timeout: float | None, expired: type[Exception]) -> float:
        left = self.remaining()
        if left <= 0:
            self.hit = True
            raise expired("deadline reached")
        self.hit = timeout is None or left < timeout
        return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream none of whose reads, writes or handshakes outlast the deadline."""

    def __init__(self, inner: httpcore.NetworkStream, clock: _Clock) -> None:
        self._inner = inner
        self._clock = clock

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._clock.bound(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._clock.bound(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        bounded = self._clock.bound(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(
            self._inner.start_tls(ssl_context, server_hostname, bounded), self._clock
        )

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _PinnedBackend(httpcore.NetworkBackend):
    """Connects only to the checked addresses of the one checked host: httpcore asks for
    the host by name, and gets a socket to an address that was resolved and checked."""

    def __init__(self, host: str, port: int, addresses: Sequence[IPAddress], clock: _Clock) -> None:
        self._host = host.lower()
        self._port = port
        self._addresses = list(addresses)
        self._clock = clock
        self._backend = httpcore.SyncBackend()
        self.connected = ""

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        if host.lower() != self._host or port != self._port:
            raise httpcore.ConnectError(f"{host}:{port} is not the host that was checked")
        failure: Exception = httpcore.ConnectError("no address to connect to")
        for address in self._addresses:
            bounded = self._clock.bound(timeout, httpcore.ConnectTimeout)
            try:
                stream = self._backend.connect_tcp(
                    str(address), port, bounded, local_address, socket_options
                )
            except httpcore.ConnectError as error:
                failure = error
                continue
            self.connected = str(address)
            return _DeadlineStream(stream, self._clock)
        raise failure

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are never fetched")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


# httpcore's errors as the httpx errors a Client caller expects (what httpx's own transport
# does, with its private helper).
_ERRORS: tuple[tuple[type[Exception], type[httpx.TransportError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.ProtocolError, httpx.ProtocolError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.TimeoutException, httpx.TimeoutException),
)


@contextmanager
def _httpx_errors() -> Iterator[None]:
    try:
        yield
    except Exception as error:
        for theirs, ours in _ERRORS:
            if isinstance(error, theirs):
                raise ours(str(error)) from error
        raise


class _ResponseStream(httpx.SyncByteStream):
    def __init__(self, stream: Iterable[bytes]) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        with _httpx_errors():
            yield from self._stream

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """httpx's default TLS context (certificate checks on), made once: loading the CA bundle
    took 18 ms, three quarters of a fetch from a fast server (`casework archive` makes one
    fetch per source). A context is safe to share between connections and threads; every
    pool here sets the same ALPN protocols on it (HTTP/1.1 only)."""
    return httpx.create_ssl_context()


class _PinnedTransport(httpx.BaseTransport):
    """httpx's HTTP transport over a connection pool whose backend is pinned."""

    def __init__(self, backend: _PinnedBackend) -> None:
        self._pool = httpcore.ConnectionPool(
            ssl_context=_ssl_context(),
            max_connections=1,
            http1=True,
            http2=False,
            retries=0,
            network_backend=backend,
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _httpx_errors():
            core_response = self._pool.handle_request(core_request)
        stream = core_response.stream
        assert isinstance(stream, Iterable)
        return httpx.Response(
            status_code=core_response.status,
            headers=core_response.headers,
            stream=_ResponseStream(stream),
            extensions=core_response.extensions,
        )

    def close(self) -> None:
        self._pool.close()
