"""The public JSON API under /api/: published records only, read through the public view
(publish/public_view.py), described by OpenAPI (FastAPI).

Reads carry an ETag (a hash of the body) and Cache-Control; a request with a matching
If-None-Match gets 304 and no body (web/caching.py). The data exports are the live site's
data files (web/live.py): the same bytes as `/data/` serves, made once per change of the
published records.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import UTC, date
from typing import Annotated, Any, Literal

import anyio
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, BeforeValidator, Field, WithJsonSchema

from casework.formats import data_file_formats, format_generated_at
from casework.formats.schema import openapi_components
from casework.model import record_url
from casework.model.fields import parse_iso_date
from casework.render.pages import record_json
from casework.store.base import FACET_NAMES
from casework.store.base import Query as StoreQuery
from casework.web.auth import SESSION_COOKIE
from casework.web.caching import CACHE_CONTROL, etag_of, respond
from casework.web.context import CACHE_ENV, AppContext, app_context, cache_budget
from casework.web.public import data_file_response
from casework.web.records_api import install_error_answers
from casework.web.records_api import router as records_router

MAX_PER_PAGE = 100
# The API's reads in worker threads at once, per process (`answered`): within the store's pool
# of 5 connections, so that none is opened for a request and closed after it (a connection is
# a new server process: ~1.5 ms of its CPU and a few round trips), and enough to keep a core
# busy while others wait.
API_READERS = 4
# The data files of formats/registry.py (FastAPI needs the names written out; a test keeps
# them in step with the registry).
ExportName = Literal["records.json", "records.ndjson", "records.csv", "incidents.geojson"]

__all__ = ["CACHE_CONTROL", "CACHE_ENV", "cache_budget", "create_api"]


class IncidentHit(BaseModel):
    slug: str
    title: str
    url: str
    date: str
    summary: str
    category: str
    categoryLabel: str  # camelCase, as in the record format
    severity: str
    severityLabel: str
    snippet: str = Field(description="HTML: text escaped, matched words in <mark>")
    score: float


class FacetCount(BaseModel):
    value: str
    count: int


class IncidentList(BaseModel):
    total: int
    page: int
    perPage: int
    incidents: list[IncidentHit]
    facets: dict[str, list[FacetCount]]


class Stats(BaseModel):
    total: int
    ongoing: int
    byCategory: dict[str, int]
    bySeverity: dict[str, int]
    byPosture: dict[str, int]
    byYear: dict[str, int]


Ctx = Annotated[AppContext, Depends(app_context)]
router = APIRouter()

# A day as YYYY-MM-DD and nothing else: pydantic's own date also takes a number of seconds
# since 1970, so `?to=0` meant 1970-01-01 rather than a mistake.
QueryDate = Annotated[
    date,
    BeforeValidator(parse_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
]


def cached(
    request: Request, ctx: AppContext, key: Hashable, make: Callable[[], bytes | None]
) -> Response:
    """The body for `key` made at the store's current generation, made now if need be;
    404 when `make` finds nothing. Called through `answered`: on a worker thread when the
    store's reads wait on a server."""
    generation = ctx.public.generation()
    found = ctx.api_cache.get(key, generation, lambda made: _kept(ctx, key, made, generation))
    if found is None:
        body = make()
        if body is None:
            raise HTTPException(404, "no such published record")
        found = body, ctx.api_cache.put(key, generation, body)
    return respond(request, found[0], found[1], "application/json")


def _kept(ctx: AppContext, key: Hashable, made: int, now: int) -> bool:
    """Whether the answer for `key` made at generation `made` is still right at `now`: no
    published record changed since on it (the change feed, through the live site's
    refreshes: `LiveSite.changed_cards`). A change invalidates only the answers it shows
    in: one record's, and the listings whose filters its old or new values match."""
    live = ctx.live
    if isinstance(key, tuple) and key[0] == "list" and key[1]:
        # A search by words is dropped at any write that changed a published record, and
        # making it again costs less than refreshing the snapshot to learn whether one did
        # (the refresh waited for the follower's, or made it: ~15 round trips on PostgreSQL).
        return False
    made_at = live.snapshot_generation()
    if made_at is None:
        return False  # no site made (an API-only server), nor a record of what changed
    if made_at != now:
        live.snapshot()  # current, as the follower keeps it: this is a lookup then
    pairs = live.changed_cards(made, now)
    if pairs is None or not isinstance(key, tuple):
        return False
    cards = [card for pair in pairs for card in pair if card is not None]
    kind = key[0]
    if kind == "incident":
        return all(card["slug"] != key[1] for card in cards)
    if kind == "stats":  # counts: kept while no record's counted values changed
        return all(_counted(old) == _counted(new) for old, new in pairs)
    if kind == "list":
        q, category, severity, posture, tag, year, country, ongoing, start, end = key[1:11]
        if q and pairs:
            return False  # which records words match is the store's to say
        return not any(
            _listed(card, category, severity, posture, tag, year, country, ongoing, start, end)
            for card in cards
        )
    return False


def _counted(card: dict[str, Any] | None) -> tuple[Any, ...] | None:
    """What /stats counts of a record (None: not published)."""
    if card is None:
        return None
    return (card["category"], card["severity"], card["posture"], card["date"][:4], card["ongoing"])


def _listed(
    card: dict[str, Any],
    category: tuple[str, ...],
    severity: tuple[str, ...],
    posture: tuple[str, ...],
    tag: tuple[str, ...],
    year: tuple[int, ...],
    country: tuple[str, ...],
    ongoing: bool | None,
    _start: date | None,
    _end: date | None,
) -> bool:
    """Whether a listing with these filters may show the record of `card` (or count it in
    its facets): a generous test, which may say yes where the store would not."""
    return (
        (not category or card["category"] in category)
        and (not severity or card["severity"] in severity)
        and (not posture or card["posture"] in posture)
        and (not tag or bool({t.lower() for t in tag} & {t.lower() for t in card["tags"]}))
        and (not year or int(card["date"][:4]) in year)
        and (not country or bool({c.upper() for c in country} & set(card["countries"])))
        and (ongoing is None or card["ongoing"] == ongoing)
        # A date range: kept out of the test (an ongoing record's end date counts too).
    )


async def answered(
    ctx: AppContext,
    answer: Callable[[], Response],
    kept: tuple[Request, Hashable] | None = None,
) -> Response:
    """`answer()` in a worker thread, unless the API cache has it: a cached answer is given
    on the event loop, with neither a thread hop nor (PostgreSQL) a round trip.

    PostgreSQL: a read waits on the server's round trips (3–15 a request, each a wait for the
    server process to be scheduled); on the loop those waits stopped the worker, which
    answered one request at a time, idle while the server worked (45% of its time at 20,000
    records, sampled). An answer made at the generation the store knows without a read
    (`PublicView.known_generation`) is given on the loop. SQLite: the generation is a read of
    its file, and an answer it has cached is given on the loop (well under a millisecond, less
    than the hop); one it has not is made in a thread (a search with its facets is
    milliseconds of CPU, and after a save every worker makes its word searches again, and
    may refresh the live site's snapshot to learn what the save changed: made on the loop,
    each held every other request of the worker, the record pages and listings included:
    benchmarks/change_feed.py). Without `kept`, on the loop for SQLite as before."""
    reads_wait = getattr(ctx.public_store, "reads_wait", False)
    if kept is None and not reads_wait:
        return answer()
    if kept is not None:
        request, key = kept
        generation = ctx.public.known_generation() if reads_wait else ctx.public.generation()
        if generation is not None and ctx.api_cache.made_at(key) == generation:
            found = ctx.api_cache.get(key, generation)
            if found is not None:
                return respond(request, found[0], found[1], "application/json")
    if ctx.api_readers is None:
        ctx.api_readers = anyio.CapacityLimiter(API_READERS)
    return await anyio.to_thread.run_sync(answer, limiter=ctx.api_readers)


# The reads below are `async`, their store calls made through `answered`.
@router.get("/incidents", response_model=IncidentList, summary="Search and list records")
async def list_incidents(
    request: Request,
    ctx: Ctx,
    q: Annotated[str, Query(max_length=200, description="Words to find")] = "",
    category: Annotated[list[str] | None, Query()] = None,
    severity: Annotated[list[str] | None, Query()] = None,
    posture: Annotated[list[str] | None, Query()] = None,
    tag: Annotated[list[str] | None, Query()] = None,
    year: Annotated[list[int] | None, Query()] = None,
    country: Annotated[
        list[str] | None,
        Query(description="ISO 3166-1 alpha-2 code of where it happened (a record's locations)"),
    ] = None,
    ongoing: bool | None = None,
    date_from: Annotated[
        QueryDate | None, Query(alias="from", description="Incidents on or after (YYYY-MM-DD)")
    ] = None,
    date_to: Annotated[
        QueryDate | None, Query(alias="to", description="Incidents on or before (YYYY-MM-DD)")
    ] = None,
    sort: Literal["relevance", "date", "-date", "title"] | None = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE, alias="perPage")] = 20,
) -> Response:
    site, vocab = ctx.site, ctx.site.vocabularies

    def make() -> bytes:
        result = ctx.public.search(
            StoreQuery(
                text=q,
                category=tuple(category or ()),
                severity=tuple(severity or ()),
                posture=tuple(posture or ()),
                tag=tuple(tag or ()),
                year=tuple(year or ()),
                country=tuple(c.upper() for c in country or ()),
                ongoing=ongoing,
                date_from=date_from.isoformat() if date_from else None,
                date_to=date_to.isoformat() if date_to else None,
                sort=sort or ("relevance" if q else "-date"),
                limit=per_page,
                offset=(page - 1) * per_page,
            )
        )
        body = IncidentList(
            total=result.total,
            page=page,
            perPage=per_page,
            incidents=[
                IncidentHit(
                    slug=hit.slug,
                    title=hit.title,
                    url=record_url(site, hit.slug),
                    date=hit.date,
                    summary=hit.summary,
                    category=hit.category,
                    categoryLabel=vocab.label("category", hit.category),
                    severity=hit.severity,
                    severityLabel=vocab.label("severity", hit.severity),
                    snippet=hit.snippet,
                    score=hit.score,
                )
                for hit in result.hits
            ],
            facets={
                name: [FacetCount(value=v, count=n) for v, n in result.facets.get(name, [])]
                for name in FACET_NAMES
            },
        )
        return body.model_dump_json().encode()

    key = (
        "list", q, *(tuple(v or ()) for v in (category, severity, posture, tag, year, country)),
        ongoing, date_from, date_to, sort, page, per_page,
    )  # fmt: skip
    return await answered(ctx, lambda: cached(request, ctx, key, make), (request, key))


@router.get(
    "/incidents/{slug}",
    summary="One record in tracker JSON",
    responses={
        200: {
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/RecordDocument"}}
            }
        },
        404: {"description": "None"},
        410: {"description": "Deleted: its tombstone (date, reason, public history)"},
    },
)
async def get_incident(request: Request, ctx: Ctx, slug: str) -> Response:
    return await answered(
        ctx, lambda: incident_answer(request, ctx, slug), (request, ("incident", slug))
    )


def incident_answer(request: Request, ctx: AppContext, slug: str) -> Response:
    key, generation = ("incident", slug), ctx.public.generation()
    if ctx.api_cache.made_at(key) == generation:
        # Made at this generation, which found it published: not a renamed or deleted one's.
        found = ctx.api_cache.get(key, generation)
        if found is not None:
            return respond(request, found[0], found[1], "application/json")
    moved = ctx.public.moved_to(slug)  # a renamed record's public old slug
    if moved is not None:
        return RedirectResponse(f"{request.url.path.rsplit('/', 1)[0]}/{moved}", status_code=301)
    deletion = ctx.public.gone().get(slug)  # a deleted record that was public: its tombstone
    if deletion is not None:
        from casework.publish.gone import gone_document

        return JSONResponse(gone_document(ctx.site, deletion), status_code=410)

    def make() -> bytes | None:
        public = ctx.public.get(slug)
        if public is None:
            return None
        # generatedAt is the record's last change, so that the ETag stays while it does.
        generated = format_generated_at(public.updated_at.astimezone(UTC))
        return record_json(public.record, ctx.site, generated).encode()

    return cached(request, ctx, key, make)


@router.get("/stats", response_model=Stats, summary="Counts of published records")
async def stats(request: Request, ctx: Ctx) -> Response:
    def make() -> bytes:
        result = ctx.public.search(StoreQuery(limit=0))
        facets = dict(result.facets)

        def counts(name: str) -> dict[str, int]:
            return {value: n for value, n in facets.get(name, [])}

        body = Stats(
            total=result.total,
            ongoing=counts("ongoing").get("true", 0),
            byCategory=counts("category"),
            bySeverity=counts("severity"),
            byPosture=counts("posture"),
            byYear=counts("year"),
        )
        return body.model_dump_json().encode()

    return await answered(
        ctx, lambda: cached(request, ctx, ("stats",), make), (request, ("stats",))
    )


@router.get(
    "/export/{name}",
    summary="Every published record as one file",
    description="records.json: the archive document (docs/format.md); records.ndjson: one "
    "record per line; records.csv: one row per record; incidents.geojson: their published "
    "places. The same bytes as the site's "
    "/data/ files; the ETag is the file's SHA-256.",
    responses={
        404: {"description": "No such file"},
        200: {"content": {f.media_type: {} for f in data_file_formats()}},
    },
)
def export(request: Request, ctx: Ctx, name: ExportName) -> Response:
    return data_file_response(request, ctx.live, ctx.live.snapshot(), name)


def create_api(ctx: AppContext) -> FastAPI:
    """The JSON API of `ctx`'s tracker: the public reads and the editing API."""
    api = FastAPI(
        title=f"{ctx.site.title} API",
        version="1",
        description="Published incident records: search, filters, facets, one record, counts, "
        "and every record as JSON, NDJSON or CSV.",
        docs_url=None,  # Swagger UI loads from a CDN; the spec is at /api/openapi.json
        openapi_url=None,  # served below, with an ETag
        redoc_url=None,
    )
    api.state.casework = ctx
    api.include_router(router)
    api.include_router(records_router)
    install_error_answers(api)
    made = api.openapi

    def described_openapi() -> dict[str, Any]:
        if api.openapi_schema is None:
            api.openapi_schema = described(made())
        return api.openapi_schema

    api.openapi = described_openapi  # type: ignore[method-assign]

    spec: dict[str, tuple[bytes, str]] = {}

    @api.get("/openapi.json", include_in_schema=False)
    async def openapi_document(request: Request) -> Response:
        """The OpenAPI document, made once (the routes never change while the app runs),
        with an ETag and Cache-Control as every read has. Its `servers` names the path the
        API is mounted at, as FastAPI's own route says it."""
        root = request.scope.get("root_path", "").rstrip("/")
        if root not in spec:
            if root and {"url": root} not in (api.servers or []):
                api.servers = [{"url": root}, *(api.servers or [])]
                api.openapi_schema = None
            body = bytes(JSONResponse(api.openapi()).body)
            spec[root] = body, etag_of(body)
        body, etag = spec[root]
        return respond(request, body, etag, "application/json")

    return api


# How the editing API knows its caller (web/auth.py): an API token, or a signed-in browser's
# session cookie (whose changes also carry the X-CSRF-Token header).
SECURITY_SCHEMES = {
    "apiToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "An API token (`casework user token`, or the editor's account page)",
    },
    "session": {
        "type": "apiKey",
        "in": "cookie",
        "name": SESSION_COOKIE,
        "description": "A signed-in browser; a change also sends X-CSRF-Token",
    },
}


def described(spec: dict[str, Any]) -> dict[str, Any]:
    """FastAPI's description with the record format's schemas in place of the free-form
    objects that carry records (`x-casework-record` names which), and the editing API's
    security schemes on its operations."""
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    extra = openapi_components()
    assert not set(extra) & set(schemas), set(extra) & set(schemas)
    schemas.update(extra)

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        name = node.get("x-casework-record")
        if name is not None:
            described = {"$ref": f"#/components/schemas/{name}"}
            return (
                {**described, "description": node["description"]}
                if "description" in node
                else described
            )
        return {key: walk(value) for key, value in node.items()}

    for name in list(schemas):
        schemas[name] = walk(schemas[name])
    spec["components"]["securitySchemes"] = SECURITY_SCHEMES
    for path, operations in spec.get("paths", {}).items():
        if path.startswith("/records"):
            for operation in operations.values():
                operation["security"] = [{"apiToken": []}, {"session": []}]
    return spec
