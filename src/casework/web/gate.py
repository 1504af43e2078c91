"""Who asks, before an editor or editing-API endpoint sees the request: a session cookie or
an API token, looked up before anything else is looked up or parsed. An anonymous caller
gets the same answer from every private address: the sign-in page for a GET to the editor,
401 for anything else. Whether a slug, a revision or a proposal exists is only ever answered
to a signed-in user, and no anonymous body is ever read.

It runs once the router has matched the address and the method (so an unknown method is
still 405, which depends on the address's shape alone): as route middleware on the editor's
routes (`SignedIn`), and as the route class of the editing API (`SignedInRoute`, since
FastAPI reads a request's body before its dependencies run). The viewer found here is kept on
the request (auth.viewer_of), so the endpoint does not look it up again. A read-only API
token gets 403 here from every route that changes something (any method but GET, HEAD and
OPTIONS), before its body is read. The size of a body is capped by each route's own limit
(limits.py).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from casework.render.templates import N_
from casework.web.auth import login_url, may_change, viewer_of
from casework.web.context import context


def refusal(request: Request) -> Response | None:
    """The answer to a caller who may not send this request (anonymous, or a read-only
    token asking for a change); None for one who may."""
    viewer = viewer_of(request, context(request).store.accounts)
    if viewer is None:
        return anonymous(request)
    if not may_change(request, viewer):
        return read_only(request)
    return None


def anonymous(request: Request) -> Response:
    """The one answer an anonymous caller gets from any private address."""
    path = request.url.path
    if path.startswith("/api/") or path == "/edit/preview":
        return JSONResponse(
            {"detail": "an API token (Authorization: Bearer …) is required"},
            status_code=401,
            headers={"WWW-Authenticate": "Bearer", "Cache-Control": "no-store"},
        )
    if request.method in ("GET", "HEAD"):
        return RedirectResponse(login_url(request), status_code=303)
    from casework.web.views import problem  # the editor's templates load with the editor

    return problem(request, 401, N_("Signed out"), N_("Sign in again to do this."))


def read_only(request: Request) -> Response:
    """The answer to a read-only API token asking for a change."""
    detail = "this API token may only read (scope read): make a write token to change records"
    if request.url.path.startswith("/api/") or request.url.path == "/edit/preview":
        return JSONResponse(
            {"detail": detail}, status_code=403, headers={"Cache-Control": "no-store"}
        )
    from casework.web.views import problem

    return problem(request, 403, N_("Read-only token"), detail[0].upper() + detail[1:] + ".")


class SignedIn:
    """Route middleware: the route's endpoint runs for signed-in callers only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        refused = refusal(Request(scope))
        if refused is not None:
            await refused(scope, receive, send)
            return
        await self.app(scope, receive, send)


class SignedInRoute(APIRoute):
    """An API route whose handler runs (and reads the body) for signed-in callers only."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def checked(request: Request) -> Response:
            refused = refusal(request)
            if refused is not None:
                return refused
            return await handler(request)

        return checked
