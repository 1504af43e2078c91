"""The ASGI app and its whole route table, in one place (as Datasette keeps its `_routes()`):
the JSON API (api.py, records_api.py), the editor (editor.py, proposals.py, team.py,
links.py) and its sign-in (signin.py), and the public site live from the store (public.py,
last: it answers every other path). Every endpoint is a module-level function that reads the
app's one AppContext (context.py).

Around them: the security headers every response carries (security.py), the hosts a request
may name and redirects that name none (hosts.py), HEAD answered as GET (head.py) and gzip for
public answers (compression.py); on the editor's routes and the editing API,
the gate that answers anonymous callers before anything is looked up or read (gate.py); on
each route that reads a body, its size limit (limits.py).
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, cast

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from casework.model import Site
from casework.model.places import using_place_names
from casework.render.pages import base_path
from casework.store.base import Store
from casework.store.change_feed import Followed, Follower
from casework.web import bulk, editor, links, proposals, public, signin, team
from casework.web.api import create_api
from casework.web.context import AppContext
from casework.web.gate import SignedIn
from casework.web.limits import LOGIN_BYTES, PREVIEW_BYTES, RECORD_BYTES, SMALL_FORM_BYTES
from casework.web.security import middleware

GET, POST, BOTH = ["GET"], ["POST"], ["GET", "POST"]
SIGNED_IN = [Middleware(SignedIn)]


def editor_routes() -> list[BaseRoute]:
    """/edit/… (for signed-in users only), /login and /logout."""

    def private(path: str, endpoint: Any, methods: list[str], limit: int | None = None) -> Route:
        return Route(path, endpoint, methods=methods, middleware=SIGNED_IN, max_body_size=limit)

    def to_editor(_request: object) -> Response:
        return RedirectResponse("/edit/", 308)

    return [
        private("/edit/proposals", proposals.proposals, BOTH, SMALL_FORM_BYTES),
        private("/edit/proposals/{id}", proposals.proposal_page, BOTH, 4 * SMALL_FORM_BYTES),
        private("/edit/", editor.dashboard, GET),
        private("/edit/links", links.links_page, BOTH, SMALL_FORM_BYTES),
        private("/edit/new", editor.new_record, BOTH, RECORD_BYTES),
        private("/edit/bulk", bulk.bulk_page, BOTH, SMALL_FORM_BYTES),
        private("/edit/preview", editor.preview, POST, PREVIEW_BYTES),
        private("/edit/account", team.account, BOTH, SMALL_FORM_BYTES),
        private("/edit/users", team.users, BOTH, SMALL_FORM_BYTES),
        private("/edit/{slug}/", editor.edit_record, BOTH, RECORD_BYTES),
        private("/edit/{slug}/workflow", editor.workflow, POST, SMALL_FORM_BYTES),
        private("/edit/{slug}/notes", editor.add_note, POST, SMALL_FORM_BYTES),
        private("/edit/{slug}/rename", editor.rename_record, POST, SMALL_FORM_BYTES),
        private("/edit/{slug}/delete", editor.delete_record, POST, SMALL_FORM_BYTES),
        private("/edit/{slug}/merge", editor.merge_record, POST, SMALL_FORM_BYTES),
        private("/edit/{slug}/history", editor.history, GET),
        private("/edit/{slug}/history/{number:int}", editor.revision_page, GET),
        private("/edit/{slug}/restore", editor.restore, POST, SMALL_FORM_BYTES),
        private("/edit/{slug}/withdraw-version", editor.withdraw_version, POST, SMALL_FORM_BYTES),
        Route("/edit", to_editor),
        Mount("/edit-static", StaticFiles(packages=[("casework.web", "static")])),
        Route("/login", signin.login, methods=BOTH, max_body_size=LOGIN_BYTES),
        Route("/logout", signin.logout, methods=POST, max_body_size=SMALL_FORM_BYTES),
    ]


def public_routes(site: Site) -> list[BaseRoute]:
    """The public site, under the path of `site.url` ("/" or "/tracker/")."""
    prefix = base_path(site).rstrip("/")
    routes: list[BaseRoute] = [
        Route(prefix + "/incident/{slug}/", public.incident_page),
        Route(prefix + "/incident/{slug}/history.json", public.incident_history),
        Route(prefix + "/incident/{slug}/v/{version}", public.incident_version),
        Route(prefix + "/incident/{slug}.json", public.incident_json),
        Route(prefix + "/collections/{slug}.json", public.collection_json),
        Route(prefix + "/archive.json", public.archive),
        Route(prefix + "/captures/{name}", public.capture_file),
        Route(prefix + "/data/", public.data_index),
        Route(prefix + "/data/log.json", public.public_log),
        Route(prefix + "/data/{name}", public.data_file),
        Route(prefix + "/schema/{name}", public.schema_file),
        Route(prefix + "/search/", public.search),
        Route(prefix + "/search/index/{name}", public.search_index_file),
        Route(prefix + "/listing/{name}", public.listing_shared_file),
        Route(prefix + "/feed.xml", public.feed),
        Route(prefix + "/sitemap.xml", public.sitemap),
        Route(prefix + "/sitemap-{number:int}.xml", public.sitemap),
        Route(prefix + "/robots.txt", public.robots),
        Mount(prefix + "/static", StaticFiles(packages=[("casework.render", "static")])),
        # Last: it answers every other path.
        Route(prefix + "/{path:path}", public.planned_page),
    ]
    if prefix:
        routes.insert(0, Route("/", public.to_base))
    return routes


def create_app(
    store: Store,
    site: Site,
    folder: Path | None = None,
    *,
    warm: bool = True,
    publishers: dict[str, str] | None = None,
    allowed_hosts: Sequence[str] | None = None,
    extract_seconds: float | None = None,
    replica: Store | None = None,
) -> Starlette:
    """The live site over `store`; the caller owns the store and closes it. `folder` is the
    tracker's (where an article read from the editor is archived). Without `warm`, the
    public site is planned at its first request rather than at start-up. With
    `allowed_hosts` (hosts.allowed_hosts: what `casework serve` passes), a request naming
    another Host gets 400. `publishers` and `extract_seconds` are casework.toml's [ingest]
    settings, for articles read from the editor. `replica` (the caller's too): a read replica
    of `store`'s database that the public site and the public API read from."""
    ctx = AppContext(store, site, folder, publishers or {}, replica=replica)
    if extract_seconds is not None:
        ctx.extract_seconds = extract_seconds
    routes: list[BaseRoute] = [
        Mount("/api", app=create_api(ctx)),
        *editor_routes(),
        *public_routes(site),
    ]

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        # Plan the public site while the server already answers: the first visitor would
        # otherwise wait for it (seconds at 10,000 records).
        # The threads run in this context (copy_context): they plan pages that name the
        # tracker's own codes.
        with using_place_names(site.place_names):
            if warm:
                run = contextvars.copy_context().run
                threading.Thread(target=run, args=(ctx.live.warm,), daemon=True).start()
            # Writes from any worker or process patch this one's caches as they commit,
            # before a request asks (store/change_feed.py).
            followers = following(ctx)
        try:
            yield
        finally:
            for follower in followers:
                follower.stop()

    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(PlaceNames, names=site.place_names),
            *middleware(allowed_hosts, site.tile_origin()),
        ],
        lifespan=lifespan,
    )
    app.state.casework = ctx
    return app


class PlaceNames:
    """Each request runs with the tracker's [places.names] (`places.using_place_names`):
    another app of the same process (a test's, a script's) names the same codes its own way.
    Starlette's thread pool runs handlers in a copy of the request's context."""

    def __init__(self, app: ASGIApp, names: tuple[tuple[str, str], ...]) -> None:
        self.app = app
        self.names = names

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        with using_place_names(self.names):
            await self.app(scope, receive, send)


def following(ctx: AppContext) -> list[Follower]:
    """The change feed's follower of the app's stores, started (none for a store without a
    feed): each change patches the stores' facet indexes and refreshes the live site's
    snapshot, when they were made, so that requests find them current."""
    store, public = ctx.store, ctx.public_store
    if not hasattr(store, "follow") or not hasattr(store, "wait_for_change"):
        return []

    stores = (store,) if public is store else (store, public)

    def on_change() -> None:
        for each in stores:
            getattr(each, "follow", lambda: None)()
        ctx.live.follow()

    watched = cast(Followed, store)
    if public is not store:
        # Followed when the replica has replayed a write (the public reads it there); a
        # standby takes no LISTEN, so the wait is on the primary's.
        watched = _Replicated(cast(Followed, public), watched)
    return [Follower(watched, on_change).start()]


class _Replicated:
    """A replica's generation, waited for on the primary's change feed: the follower looks
    at the replica when the primary says a write committed, and every POLL_SECONDS until the
    replica has replayed it."""

    def __init__(self, replica: Followed, primary: Followed) -> None:
        self._replica, self._primary = replica, primary

    def generation(self) -> int:
        return self._replica.generation()

    def wait_for_change(self, timeout: float) -> None:
        self._primary.wait_for_change(timeout)
