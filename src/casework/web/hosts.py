"""What a request's Host header may name, and redirects that never repeat it.

The Host header is the client's to write. Two defences, both applied to every app casework
serves (the live app and `serve --static`):

- `LocalRedirects`: every redirect stays on this site and names no host. casework never
  sends anyone to another site by redirect, so a Location with a host (Starlette builds
  them from the Host header: the router's slash redirects, StaticFiles' directory
  redirects) is cut to its path, and a path that starts like a host (`//evil.example/`,
  `/\\evil.example/`) to a single `/`. A cache in front can then never store a redirect to
  a host an attacker chose.
- `allowed_hosts` names the hosts `casework serve` and the ASGI factory answer for (other
  hosts get 400, by Starlette's TrustedHostMiddleware): the site URL's host (what readers
  and a reverse proxy use), the loopback names (the operator on the machine: the demo,
  scripts, health checks), the address it was told to serve on, and any the operator adds
  (`--allow-host`). This is what stops DNS rebinding: a web page whose name is made to
  resolve to the server's address cannot read its answers or try logins from its visitors'
  browsers (and so from their addresses), because its requests carry its own name.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

from starlette.datastructures import MutableHeaders
from starlette.types import Scope

from casework.model import Site
from casework.web.headers import ResponseHeaders

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
WILDCARD_ADDRESSES = ("", "0.0.0.0", "::")  # noqa: S104 (names, not a binding)


def allowed_hosts(site: Site, served: str | None = None, extra: Iterable[str] = ()) -> list[str]:
    """The hosts (without ports, IPv6 addresses in brackets) a request may name: the site
    URL's, the loopback names, `served` (the address given to `--host`, unless it is a
    wildcard), and `extra`."""
    hosts = [urlsplit(site.url).hostname or "", *LOOPBACK_HOSTS]
    if served is not None and served.strip("[]") not in WILDCARD_ADDRESSES:
        hosts.append(served)
    hosts += extra
    return list(dict.fromkeys(_as_in_host_header(host) for host in hosts if host.strip()))


def _as_in_host_header(host: str) -> str:
    """A host as a Host header names it: lowercase, an IPv6 address in brackets."""
    bare = host.strip().strip("[]").lower()
    return f"[{bare}]" if ":" in bare else bare


def local_location(location: str) -> str:
    """`location` as a path on this site: no scheme, no host, one leading slash."""
    parts = urlsplit(location)
    path = parts.path
    if parts.scheme or parts.netloc or path.startswith(("//", "/\\")):
        path = "/" + path.lstrip("/\\")
    return urlunsplit(("", "", path, parts.query, parts.fragment))


class LocalRedirects(ResponseHeaders):
    """Every response's Location header made `local_location`."""

    def amend(self, headers: MutableHeaders, scope: Scope) -> None:
        location = headers.get("location")
        if location is not None:
            headers["location"] = local_location(location)
