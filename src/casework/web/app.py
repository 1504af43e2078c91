"""The ASGI app and its whole route table (one place, as Datasette keeps its `_routes()`):
the JSON API (api.py), the editor and its sign-in (editor.py, auth.py), and the public site
live from the store (public.py, last: it answers every other path)."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Mount

from casework.model import Site
from casework.store.base import Store
from casework.web.api import create_api
from casework.web.editor import editor_routes
from casework.web.live import live_site
from casework.web.public import public_routes
from casework.web.security import SecurityHeaders


def create_app(
    store: Store, site: Site, folder: Path | None = None, *, warm: bool = True
) -> Starlette:
    """The live site over `store`; the caller owns the store and closes it. `folder` is the
    tracker's (where ingest keeps proposals for the editor to review). Without `warm`, the
    public site is planned at its first request rather than at start-up."""
    routes: list[BaseRoute] = [
        Mount("/api", app=create_api(store, site)),
        *editor_routes(store, site, folder),
        *public_routes(store, site),
    ]

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        # Plan the public site while the server already answers: the first visitor would
        # otherwise wait for it (seconds at 10,000 records).
        if warm:
            threading.Thread(target=live_site(store, site).snapshot, daemon=True).start()
        yield

    return Starlette(routes=routes, middleware=[Middleware(SecurityHeaders)], lifespan=lifespan)
