"""Signing in and out of the editor: /login and /logout.

The login form has no session yet, so it is protected from cross-site posting by a
double-submit token: a random cookie that the form echoes. Login is throttled by the store
(store/accounts.py `Throttle`): an address that failed too often is refused for a while, and
a username that failed too often makes each attempt wait first — awaited here, so that a
waiting attempt holds no thread. The password's hash is checked off the event loop. Behind a
declared reverse proxy the address is the client's own (`casework serve --proxy`).
"""

from __future__ import annotations

import secrets

import anyio
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from casework.store.accounts import AccountError, LoginFailed, LoginThrottled
from casework.web.auth import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    csrf_ok,
    is_secure,
    safe_next,
    set_session_cookie,
    viewer_of,
)
from casework.web.context import context
from casework.web.security import same_origin, token_matches
from casework.web.views import render


def login_page(request: Request, error: str = "", status: int = 200) -> Response:
    token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(24)
    response: Response = render(
        request,
        "login.html",
        status,
        login_token=token,
        error=error,
        next=safe_next(request.query_params.get("next")),
        username=request.state.__dict__.get("tried", ""),
    )
    response.set_cookie(
        LOGIN_COOKIE, token, httponly=True, samesite="strict", secure=is_secure(request)
    )
    return response


async def login(request: Request) -> Response:
    if request.method == "GET":
        return login_page(request)
    form = await request.form(max_files=0, max_fields=10)
    username = str(form.get("username", ""))[:64]
    password = str(form.get("password", ""))[:1024]
    request.state.tried = username
    cookie = request.cookies.get(LOGIN_COOKIE, "")
    if not (same_origin(request) and cookie and token_matches(cookie, str(form.get("csrf")))):
        return login_page(request, "The form expired. Please sign in again.", 403)
    remote = request.client.host if request.client else "unknown"
    accounts = context(request).store.accounts
    try:
        attempt = await run_in_threadpool(accounts.begin_login, username, remote=remote)
        await anyio.sleep(attempt.delay)
        # argon2 takes ~0.1 s of CPU on purpose: off the event loop, so that other
        # requests are answered meanwhile.
        user = await run_in_threadpool(accounts.finish_login, attempt, password)
    except LoginThrottled as error:
        minutes = max(1, round(error.retry_after / 60))
        return login_page(
            request, f"Too many failed attempts from here. Try again in {minutes} min.", 429
        )
    except LoginFailed:
        return login_page(request, "Wrong username or password.", 401)
    except AccountError as error:
        return login_page(request, str(error), 400)
    token, _session = accounts.open_session(user)
    response = RedirectResponse(safe_next(str(form.get("next", ""))), status_code=303)
    set_session_cookie(response, request, token)
    response.delete_cookie(LOGIN_COOKIE)
    return response


async def logout(request: Request) -> Response:
    accounts = context(request).store.accounts
    viewer = viewer_of(request, accounts)
    form = await request.form(max_files=0, max_fields=4)
    if viewer is not None and viewer.session is not None:
        if not csrf_ok(request, viewer, form):
            return Response("Forbidden: the form's token is missing or stale.", 403)
        accounts.close_session(request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
