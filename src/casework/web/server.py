"""How `casework serve` runs uvicorn, with one worker or several: where it listens, how it
speaks TLS or which reverse proxy it believes, which hosts it answers for, and the limits
that time out slow clients. One function (`uvicorn_options`) gives both paths the same
settings.

Sign-ins and session cookies must not cross a network in clear text. So on an address other
than loopback the server starts only with TLS (its own: `--ssl-certfile`/`--ssl-keyfile`),
behind a declared TLS reverse proxy (`--proxy ADDRESS`), or when told `--insecure-http`,
which it then warns about. A declared proxy's X-Forwarded-For and X-Forwarded-Proto are
believed from its addresses only (uvicorn's proxy headers), so that the login throttle sees
each client's own address and a request the proxy received over https is known as https
(Secure cookies, HSTS: security.py); without `--proxy` those headers are believed from no
one, loopback included.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from casework.model import Site
from casework.web.hosts import allowed_hosts

HOSTS_ENV = "CASEWORK_ALLOWED_HOSTS"
"""The hosts the ASGI factory's app answers for (comma-separated), set by `casework serve`
for its worker processes (asgi.py)."""

PROTOCOL = "casework.web.protocol:GuardedHttpTools"
KEEP_ALIVE_TIMEOUT = 5  # seconds an idle connection is kept open between requests
MAX_CONNECTIONS = 1000  # past it, uvicorn answers 503 (a worker's file descriptors stay free)


class ServeRefused(Exception):
    """`casework serve` will not start as asked; the message is one line saying why and
    what to do instead."""


@dataclass(frozen=True)
class Listening:
    """Where and how `casework serve` listens: `host` and `port`; `certfile` and `keyfile`
    for its own TLS; `proxies`, the addresses of the reverse proxy in front of it;
    `insecure_http`, consent to plain HTTP on a network; `extra_hosts`, more names requests
    may use."""

    host: str = "127.0.0.1"
    port: int = 8000
    certfile: Path | None = None
    keyfile: Path | None = None
    proxies: tuple[str, ...] = ()
    insecure_http: bool = False
    extra_hosts: tuple[str, ...] = ()

    @property
    def tls(self) -> bool:
        return self.certfile is not None

    @property
    def scheme(self) -> str:
        return "https" if self.tls else "http"

    def warning(self) -> str | None:
        """The one-line warning to print when serving sign-ins over plain HTTP on a network
        (after `--insecure-http`); None otherwise."""
        if self.insecure_http and not (self.tls or self.proxies or is_loopback(self.host)):
            return (
                f"WARNING: serving sign-ins over plain HTTP on {self.host}:{self.port}: "
                "passwords and session cookies cross the network unencrypted "
                "(use --ssl-certfile/--ssl-keyfile or a TLS reverse proxy with --proxy)"
            )
        return None


def check(listening: Listening) -> Listening:
    """`listening`, when it may serve as asked; otherwise ServeRefused (one line)."""
    if (listening.certfile is None) != (listening.keyfile is None):
        raise ServeRefused("--ssl-certfile and --ssl-keyfile go together: give both")
    for path in (listening.certfile, listening.keyfile):
        if path is not None and not path.is_file():
            raise ServeRefused(f"{path}: no such file (a PEM certificate or key)")
    for address in listening.proxies:
        try:
            ipaddress.ip_network(address, strict=False)
        except ValueError:
            raise ServeRefused(
                f"--proxy {address!r}: expected the proxy's IP address or network "
                "(e.g. 127.0.0.1, 10.0.0.0/8), not a name or '*'"
            ) from None
    if not (is_loopback(listening.host) or listening.tls or listening.proxies):
        if not listening.insecure_http:
            raise ServeRefused(
                f"refusing to serve sign-ins over plain HTTP on {listening.host}: give "
                "--ssl-certfile and --ssl-keyfile, or run it behind a TLS reverse proxy and "
                "declare it with --proxy ADDRESS, or accept the risk with --insecure-http "
                "(README: Deploying behind TLS)"
            )
    return listening


def is_loopback(host: str) -> bool:
    """Whether `host` (what --host was given) is reachable from this machine only."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False  # any other name may resolve to a network address


def hosts_for(listening: Listening, site: Site) -> list[str]:
    return allowed_hosts(site, listening.host, listening.extra_hosts)


def uvicorn_options(listening: Listening) -> dict[str, Any]:
    """The keyword arguments of `uvicorn.run` (the same for one worker and several): the
    address, TLS, the proxy headers, the guarded protocol and the limits."""
    options: dict[str, Any] = {
        "host": listening.host,
        "port": listening.port,
        "http": PROTOCOL,
        "timeout_keep_alive": KEEP_ALIVE_TIMEOUT,
        "limit_concurrency": MAX_CONNECTIONS,
        # Believed from the declared proxy only; uvicorn's default believes 127.0.0.1.
        "proxy_headers": bool(listening.proxies),
        "forwarded_allow_ips": ",".join(listening.proxies) if listening.proxies else "",
        "server_header": False,
        "log_level": "warning",
    }
    if listening.tls:
        options["ssl_certfile"] = str(listening.certfile)
        options["ssl_keyfile"] = str(listening.keyfile)
    return options


def export_hosts(hosts: Iterable[str]) -> None:
    """Hand the allowed hosts to worker processes (asgi.py reads them)."""
    os.environ[HOSTS_ENV] = ",".join(hosts)
