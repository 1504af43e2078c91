"""The ASGI app and its whole route table (one place, as Datasette keeps its `_routes()`):
the public site live from the store (public.py), the JSON API (api.py) and the editor."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount

from casework.model import Site
from casework.store.base import Store
from casework.web.api import create_api
from casework.web.public import public_routes


def create_app(store: Store, site: Site) -> Starlette:
    """The live site over `store`; the caller owns the store and closes it."""
    routes: list[BaseRoute] = [
        Mount("/api", app=create_api(store, site)),
        *public_routes(store, site),
    ]
    return Starlette(routes=routes)
