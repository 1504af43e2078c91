"""Serving a built static site (what `casework serve` does until the live web app lands)."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp


class SiteFiles(StaticFiles):
    """StaticFiles with the site's own 404 page and the security headers a static host sets."""

    async def get_response(self, path: str, scope):  # type: ignore[no-untyped-def]
        try:
            response = await super().get_response(path, scope)
        except HTTPException as error:
            if error.status_code != 404:
                raise
            response = FileResponse(Path(str(self.directory)) / "404.html", status_code=404)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        return response


def static_site_app(directory: Path, base: str = "/", api: ASGIApp | None = None) -> Starlette:
    """The built site at `directory`, under the URL path `base` ("/" or "/tracker/"), and
    the JSON API at /api/ when given."""
    files = SiteFiles(directory=directory.absolute(), html=True, follow_symlink=True)
    routes: list[Route | Mount] = [Mount(base.rstrip("/") or "/", app=files)]
    if api is not None:
        routes.insert(0, Mount("/api", app=api))
    if base != "/":

        async def to_base(request: Request) -> Response:
            return RedirectResponse(base)

        routes.insert(0, Route("/", to_base))
    return Starlette(routes=routes)
