"""The public site, live from the store: the same pages as the static build, published
records only.

For now: a list of published records with search, a page per record and its tracker JSON.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from casework.formats import format_generated_at
from casework.model import Site
from casework.render.pages import common
from casework.render.pages import record_json as render_record_json
from casework.render.pages import record_page as render_record_page
from casework.render.templates import environment
from casework.store.base import Query, Store
from casework.web.api import published_record

PER_PAGE = 20


def public_routes(store: Store, site: Site) -> list[BaseRoute]:
    """The public site's routes over `store`."""
    templates = environment()
    shared = common(site)
    published = partial(published_record, store)

    async def home(request: Request) -> Response:
        q = request.query_params.get("q", "")[:200]
        try:
            page = max(1, int(request.query_params.get("page", "1")))
        except ValueError:
            page = 1
        result = store.search(
            Query(
                text=q,
                sort="relevance" if q else "-date",
                limit=PER_PAGE,
                offset=(page - 1) * PER_PAGE,
                facets=False,
            )
        )
        html = templates.get_template("list.html").render(
            shared, q=q, result=result, page=page, per_page=PER_PAGE
        )
        return HTMLResponse(html)

    async def record_page(request: Request) -> Response:
        stored = published(request.path_params["slug"])
        if stored is None:
            return not_found()
        record = stored.record
        related = []
        for slug in record.related_incidents:
            other = published(slug)
            if other is not None:
                related.append((slug, other.record.title, other.record.date.isoformat()))
        html = render_record_page(record, site, shared, related)
        return HTMLResponse(html)

    async def record_json(request: Request) -> Response:
        stored = published(request.path_params["slug"])
        if stored is None:
            return not_found()
        body = render_record_json(stored.record, site, format_generated_at(datetime.now(UTC)))
        return Response(body, media_type="application/json; charset=utf-8")

    def not_found() -> Response:
        return HTMLResponse("<!doctype html><title>Not found</title><h1>Not found</h1>", 404)

    return [
        Route("/", home),
        Route("/incident/{slug}/", record_page),
        Route("/incident/{slug}.json", record_json),
        Mount("/static", StaticFiles(packages=[("casework.render", "static")])),
    ]
