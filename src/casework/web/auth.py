"""Who is asking: a session cookie (the editor in a browser) or an API token (a script).
(Signing in and out: signin.py.)

The session cookie holds a random token whose SHA-256 is all the store keeps; logging out,
a password change or disabling the account revokes it server-side. An API token that has
expired is no token; one whose scope is `read` may only read (`may_change`). Login is
throttled by the store (refused per address, slowed per username). The login form, which has
no session yet, is protected from cross-site posting by a double-submit token: a random
cookie that the form echoes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

from casework.store.accounts import Accounts, Session, TokenScope, User
from casework.web.security import SAFE_METHODS, same_origin, token_matches

SESSION_COOKIE = "casework_session"
LOGIN_COOKIE = "casework_login"


@dataclass(frozen=True)
class Viewer:
    """The signed-in user of a request; `session` is None for an API token, whose `scope`
    says what it may do (a session may do all its user's role allows)."""

    user: User
    session: Session | None
    scope: TokenScope = TokenScope.write

    @property
    def csrf_token(self) -> str:
        return self.session.csrf_token if self.session else ""


def viewer_of(request: Request, accounts: Accounts) -> Viewer | None:
    """The request's user, or None; looked up once per request."""
    if "viewer" in request.state._state:
        found: Viewer | None = request.state.viewer
        return found
    found = None
    authorization = request.headers.get("authorization", "")
    if authorization[:7].lower() == "bearer ":
        grant = accounts.token_grant(authorization[7:].strip())
        found = Viewer(grant.user, None, grant.scope) if grant is not None else None
    else:
        token = request.cookies.get(SESSION_COOKIE)
        session = accounts.session(token) if token else None
        found = Viewer(session.user, session) if session is not None else None
    request.state.viewer = found
    return found


def may_change(request: Request, viewer: Viewer) -> bool:
    """Whether `viewer` may send this request at all: a read-only API token may only read
    (GET, HEAD, OPTIONS); every other request of its is refused, whatever its user's role."""
    return viewer.scope is TokenScope.write or request.method in SAFE_METHODS


def csrf_ok(request: Request, viewer: Viewer, form: Any = None) -> bool:
    """Whether a state-changing request may proceed: API tokens need no CSRF token (no
    cookie rides along cross-site); a session must present its own, from this site."""
    if viewer.session is None:
        return True
    given = request.headers.get("x-csrf-token") or (form.get("csrf") if form else None)
    return same_origin(request) and token_matches(viewer.session.csrf_token, given)


def is_secure(request: Request) -> bool:
    return request.url.scheme == "https"


def set_session_cookie(response: Response, request: Request, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=12 * 3600,
        httponly=True,
        samesite="lax",
        secure=is_secure(request),
        path="/",
    )


def safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/edit/"
    return target


def login_url(request: Request) -> str:
    return "/login?next=" + quote(request.url.path, safe="/")
