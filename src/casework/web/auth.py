"""Who is asking: a session cookie (the editor in a browser) or an API token (a script).

The session cookie holds a random token whose SHA-256 is all the store keeps; logging out,
a password change or disabling the account revokes it server-side. Login is throttled by the
store (per user and per address). The login form, which has no session yet, is protected
from cross-site posting by a double-submit token: a random cookie that the form echoes.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from casework.store.accounts import (
    AccountError,
    Accounts,
    LoginFailed,
    LoginThrottled,
    Session,
    User,
)
from casework.web.security import same_origin, token_matches

SESSION_COOKIE = "casework_session"
LOGIN_COOKIE = "casework_login"


@dataclass(frozen=True)
class Viewer:
    """The signed-in user of a request; `session` is None for an API token."""

    user: User
    session: Session | None

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
        user = accounts.token_user(authorization[7:].strip())
        found = Viewer(user, None) if user is not None else None
    else:
        token = request.cookies.get(SESSION_COOKIE)
        session = accounts.session(token) if token else None
        found = Viewer(session.user, session) if session is not None else None
    request.state.viewer = found
    return found


def csrf_ok(request: Request, viewer: Viewer, form: Any = None) -> bool:
    """Whether a state-changing request may proceed: API tokens need no CSRF token (no
    cookie rides along cross-site); a session must present its own, from this site."""
    if viewer.session is None:
        return True
    given = request.headers.get("x-csrf-token") or (form.get("csrf") if form else None)
    return same_origin(request) and token_matches(viewer.session.csrf_token, given)


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def set_session_cookie(response: Response, request: Request, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=12 * 3600,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/",
    )


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/edit/"
    return target


def login_url(request: Request) -> str:
    return "/login?next=" + quote(request.url.path, safe="/")


def auth_routes(accounts: Accounts, render: Any) -> list[BaseRoute]:
    """/login and /logout. `render(request, template, status, **context)` makes a page."""

    def login_page(request: Request, error: str = "", status: int = 200) -> Response:
        token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(24)
        response: Response = render(
            request,
            "login.html",
            status,
            login_token=token,
            error=error,
            next=_safe_next(request.query_params.get("next")),
            username=request.state.__dict__.get("tried", ""),
        )
        response.set_cookie(
            LOGIN_COOKIE, token, httponly=True, samesite="strict", secure=_secure(request)
        )
        return response

    async def login(request: Request) -> Response:
        if request.method == "GET":
            return login_page(request)
        form = await request.form()
        username = str(form.get("username", ""))[:64]
        password = str(form.get("password", ""))[:1024]
        request.state.tried = username
        cookie = request.cookies.get(LOGIN_COOKIE, "")
        if not (same_origin(request) and cookie and token_matches(cookie, str(form.get("csrf")))):
            return login_page(request, "The form expired. Please sign in again.", 403)
        remote = request.client.host if request.client else "unknown"
        try:
            # argon2 takes ~0.1 s of CPU on purpose: off the event loop, so that other
            # requests are answered meanwhile.
            user = await run_in_threadpool(accounts.authenticate, username, password, remote=remote)
        except LoginThrottled as error:
            minutes = max(1, round(error.retry_after / 60))
            return login_page(
                request, f"Too many failed attempts. Try again in {minutes} min.", 429
            )
        except LoginFailed:
            return login_page(request, "Wrong username or password.", 401)
        except AccountError as error:
            return login_page(request, str(error), 400)
        token, _session = accounts.open_session(user)
        response = RedirectResponse(_safe_next(str(form.get("next", ""))), status_code=303)
        set_session_cookie(response, request, token)
        response.delete_cookie(LOGIN_COOKIE)
        return response

    async def logout(request: Request) -> Response:
        viewer = viewer_of(request, accounts)
        form = await request.form()
        if viewer is not None and viewer.session is not None:
            if not csrf_ok(request, viewer, form):
                return Response("Forbidden: the form's token is missing or stale.", 403)
            token = request.cookies.get(SESSION_COOKIE, "")
            accounts.close_session(token)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    return [
        Route("/login", login, methods=["GET", "POST"]),
        Route("/logout", logout, methods=["POST"]),
    ]
