"""What every response carries and every state change must pass: security headers, CSRF.

- Headers: a Content-Security-Policy with no inline or foreign script (the editor's script is a
  file under /static/), no framing, no MIME sniffing, no referrer sent off-site. Inline *style*
  stays allowed: the home page's chart is an SVG whose pygal styles are inline. Over https
  (served with TLS, or by a declared reverse proxy that received it over https: server.py),
  Strict-Transport-Security too, so that a browser never asks over plain HTTP again; never
  over plain HTTP, where it means nothing and would pin a site that may not have https.
- CSRF: a state-changing request authenticated by the session cookie must carry the session's
  CSRF token (a form field, or the X-CSRF-Token header for the editor's fetch calls), and, when
  the browser sends an Origin, come from this site. Requests authenticated by an API token
  carry no cookie, so a forged cross-site request cannot use them.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence

from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Scope

from casework.web.caching import OneGenerationRead
from casework.web.compression import Compression
from casework.web.head import HeadAsGet
from casework.web.headers import ResponseHeaders
from casework.web.hosts import LocalRedirects


def content_security_policy(tile_origin: str | None = None) -> str:
    """The CSP; with `tile_origin` (casework.toml's [map] tiles' host), images from that
    one host too: map tiles are images, and nothing else of the site comes from elsewhere."""
    img = "img-src 'self' data:" + (f" {tile_origin}" if tile_origin else "")
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            img,
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


CSP = content_security_policy()

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}

# A capture is someone else's page: served as inert text or a download, never as a page of
# this site's origin. `sandbox` gives it an opaque origin of its own (no scripts, no cookies,
# no forms), `default-src 'none'` loads nothing, `nosniff` keeps the browser to the type given.
CAPTURE_HEADERS = {
    "Content-Security-Policy": "sandbox; default-src 'none'",
    "X-Content-Type-Options": "nosniff",
}

HSTS = "max-age=31536000"
"""A year, as OWASP advises; not includeSubDomains: a tracker may live under a domain whose
other sites casework knows nothing of."""

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SecurityHeaders(ResponseHeaders):
    """HEADERS on every HTTP response (its CSP allowing map tiles from `tile_origin` when
    given), and HSTS on those answered over https."""

    def __init__(self, app: ASGIApp, tile_origin: str | None = None) -> None:
        super().__init__(app)
        self.headers = HEADERS | {"Content-Security-Policy": content_security_policy(tile_origin)}

    def amend(self, headers: MutableHeaders, scope: Scope) -> None:
        for name, value in self.headers.items():
            if name not in headers:
                headers[name] = value
        if scope.get("scheme") == "https":
            headers["Strict-Transport-Security"] = HSTS


def middleware(
    allowed_hosts: Sequence[str] | None = None, tile_origin: str | None = None
) -> list[Middleware]:
    """What every app casework serves wraps its routes in, outermost first: the security
    headers (on every answer, refusals too; images allowed from `tile_origin` too); with
    `allowed_hosts`, a 400 for any other Host (hosts.py says which and why); and redirects
    that name no host; then HEAD answered as GET (head.py), outside gzip (compression.py) so
    that a HEAD gets the GET's headers exactly; then the one generation read per request
    (caching.py)."""
    stack = [Middleware(SecurityHeaders, tile_origin=tile_origin)]
    if allowed_hosts is not None:
        stack.append(
            Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts), www_redirect=False)
        )
    stack += [Middleware(LocalRedirects), Middleware(HeadAsGet), Middleware(Compression)]
    # Innermost: one store generation read per request, for every cache the routes ask.
    stack.append(Middleware(OneGenerationRead))
    return stack


def same_origin(request: Request) -> bool:
    """False when the browser says the request came from another site (Origin header, or
    Sec-Fetch-Site); True when it says nothing (scripts, older browsers)."""
    origin = request.headers.get("origin")
    if origin is not None and origin != "null":
        host = request.headers.get("host", "")
        if origin.split("://", 1)[-1] != host:
            return False
    elif origin == "null":
        return False
    site = request.headers.get("sec-fetch-site")
    return site in (None, "same-origin", "none")


def token_matches(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), (given or "").encode())
