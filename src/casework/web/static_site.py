"""Serving a built static site (`casework serve --static`): the build's files, its 404 page,
and the JSON API beside them; with the same security headers as the live app (security.py),
the same Cache-Control (so the same gzip and HEAD: web/compression.py, web/head.py) and, for
the site's data files and feed, the media types the live app gives them."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Scope

from casework.publish.datafiles import DESCRIPTIONS
from casework.web.caching import CACHE_CONTROL
from casework.web.security import CAPTURE_HEADERS, middleware


def _with_charset(media_type: str) -> str:
    return media_type + "; charset=utf-8" if media_type.startswith("text/") else media_type


# By file name: what Python's mimetypes does not know (.ndjson) or names too broadly (an Atom
# feed is not any XML); the same types as the live app's /data/ and /feed.xml.
MEDIA_TYPES = {
    **{name: _with_charset(media_type) for name, (media_type, _) in DESCRIPTIONS.items()},
    "feed.xml": "application/atom+xml",
}


class SiteFiles(StaticFiles):
    """StaticFiles with the site's own 404 page and its data files' media types."""

    async def get_response(self, path: str, scope):  # type: ignore[no-untyped-def]
        try:
            return await super().get_response(path, scope)
        except HTTPException as error:
            if error.status_code != 404:
                raise
            return FileResponse(Path(str(self.directory)) / "404.html", status_code=404)

    def file_response(  # type: ignore[no-untyped-def]
        self, full_path, stat_result, scope: Scope, status_code: int = 200
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        if status_code == 200:
            # As the live app's: kept, asked again before each use; and public, which is what
            # web/compression.py gzips.
            response.headers["cache-control"] = CACHE_CONTROL
        name = os.path.basename(full_path)
        media_type = MEDIA_TYPES.get(name)
        if media_type is not None and "content-type" in response.headers:
            response.headers["content-type"] = media_type
        if os.path.basename(os.path.dirname(full_path)) == "captures":
            # A capture of someone else's page: inert, as the live app serves it.
            response.headers.update(CAPTURE_HEADERS)
            if name.endswith(".warc.gz"):
                response.headers["content-type"] = "application/warc"
                response.headers["content-disposition"] = f'attachment; filename="{name}"'
            elif name.endswith(".txt"):
                response.headers["content-type"] = "text/plain; charset=utf-8"
        return response


def static_site_app(
    directory: Path,
    base: str = "/",
    api: ASGIApp | None = None,
    allowed_hosts: Sequence[str] | None = None,
    tile_origin: str | None = None,
) -> Starlette:
    """The built site at `directory`, under the URL path `base` ("/" or "/tracker/"), and
    the JSON API at /api/ when given; with `allowed_hosts`, other Hosts get 400; with
    `tile_origin` ([map] tiles' host), the CSP allows map tiles from it."""
    files = SiteFiles(directory=directory.absolute(), html=True, follow_symlink=True)
    routes: list[Route | Mount] = [Mount(base.rstrip("/") or "/", app=files)]
    if api is not None:
        routes.insert(0, Mount("/api", app=api))
    if base != "/":

        async def to_base(request: Request) -> Response:
            return RedirectResponse(base)

        routes.insert(0, Route("/", to_base))
    return Starlette(routes=routes, middleware=middleware(allowed_hosts, tile_origin))
