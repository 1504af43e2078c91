"""The public site, live from the store: every page `casework build` writes, at the same
address, rendered with the same templates from the same page plan (web/live.py), published
records only, read through the public view (publish/public_view.py), so that a publish shows on
the next request without a build.

- Record pages and record JSON are read from the store (through the view) on each request.
- The home page, the facet and tag listings' pages, an entity's, a statute's and a timeline
  year's page are made per request from the store (web/live.py `LiveSite.listed_page`), as
  the build plans them; so are the tag, entity and statute indexes, the collections', the
  about and the search page, the timeline's index and the map's pages
  (`LiveSite.index_page`) and the sitemap (`LiveSite.sitemap`). The other planned pages (a
  listing narrowed or downloaded) come from the snapshot's plan, looked up by path in one
  catch-all route.
- `/search/?q=` answers on the server (the store's full-text search) as well, so that search
  works without JavaScript and is always current; search.js still runs on the bare page.
- Data files and search.js's index are made once per change of the published records; the
  feed and the sitemap once per generation, from the store.
- Directory-style addresses as a static host has them: `/tag/x` redirects (308) to `/tag/x/`;
  anything else that is not a page gets the site's 404 page.

Every answer carries an ETag and Cache-Control (web/caching.py) and answers 304 to a matching
If-None-Match (weakly compared); HEAD and gzip are the middleware's (web/head.py,
web/compression.py), but for the data files, whose gzip form is made once per export.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from casework.evidence.checkpoint import (
    LOG_NAME,
    PUBLIC_KEY_NAME,
    PUBLISHED_CHECKPOINTS_NAME,
    CheckpointError,
    key_path,
    load_key,
    public_key_text,
    published_checkpoints,
)
from casework.evidence.published import (
    history_document,
    log_document,
    version_bytes,
    withdrawn_bytes,
)
from casework.formats import dumps, format_generated_at
from casework.formats.schema import schema_files
from casework.publish.datafiles import ARCHIVE_NAME, DESCRIPTIONS, MANIFEST_NAME
from casework.publish.datapackage import DATAPACKAGE_NAME, with_evidence
from casework.publish.feeds import robots_txt
from casework.publish.listing import (
    CSV_FILE,
    FORMATS,
    JSON_FILE,
    LISTING_TEMPLATES,
    Choice,
    choice_of,
    chosen,
    csv_bytes,
    json_bytes,
    listing_of,
    table_row,
)
from casework.publish.plan import (
    FACET_FAMILIES,
    NOT_FOUND,
    PER_PAGE,
    Card,
    Page,
    brief,
    page_count,
)
from casework.publish.public_view import PublicView
from casework.publish.sitemap import SITEMAP_NAME, part_name
from casework.render import i18n
from casework.render.pages import base_path, record_json, record_page
from casework.store.base import Query, Store
from casework.web.caching import cached_file_response, cached_response, weak_form
from casework.web.compression import MIN_BYTES, accepts_gzip, compressible
from casework.web.context import context
from casework.web.forms import whole_number
from casework.web.limits import REVISION_MAX
from casework.web.live import DATA_FILE_NAMES, LiveSite, Snapshot
from casework.web.security import CAPTURE_HEADERS

SEARCH_RESULTS = 50  # a page of results, as search.js shows
FACET_VALUES = 12  # the most common values of each facet the search page lists
MAX_PAGE = 10_000  # of search results: past it, the first
QUERY_CHARS = 200
HTML = "text/html; charset=utf-8"
JSON = "application/json"


# Endpoints are sync: Starlette runs them in its threadpool, so the store's blocking reads
# never hold the event loop. Each takes one snapshot (one generation query).


def page(request: Request, body: bytes) -> Response:
    return cached_response(request, body, HTML)


def json_answer(request: Request, body: bytes) -> Response:
    return cached_response(request, body, JSON)


def not_found(live: LiveSite) -> Response:
    body = live.page_html(NOT_FOUND)
    return Response(body, status_code=404, media_type=HTML)


def moved_answer(request: Request, slug: str, suffix: str) -> Response | None:
    """301 to a renamed record's new address when `slug` is a public old slug of it
    (`PublicView.moved`); None otherwise (a draft's old slug answers as never existing)."""
    ctx = context(request)
    to = ctx.public.moved_to(slug)
    if to is None:
        return None
    return RedirectResponse(f"{base_path(ctx.site)}incident/{to}{suffix}", status_code=301)


def gone_answer(request: Request, slug: str, as_json: bool) -> Response | None:
    """410 Gone with the tombstone of a deleted record that was ever public
    (`PublicView.gone`, `casework.publish.gone`); None otherwise (a record deleted before it
    was public answers as never existing)."""
    from casework.publish.gone import gone_document, gone_page

    ctx = context(request)
    deletion = ctx.public.gone().get(slug)
    if deletion is None:
        return None
    if as_json:
        body = dumps(gone_document(ctx.site, deletion)).encode()
        return Response(body, status_code=410, media_type=JSON)
    return Response(ctx.live.page_html(gone_page(deletion)), status_code=410, media_type=HTML)


def incident_page(request: Request) -> Response:
    ctx = context(request)
    public = ctx.public.get(request.path_params["slug"])
    if public is None:
        slug = request.path_params["slug"]
        moved = moved_answer(request, slug, "/") or gone_answer(request, slug, as_json=False)
        return moved or not_found(ctx.live)
    record = public.record
    version = ctx.public.current_version(record.slug)
    # The related records read now, not from the snapshot: the page is the store's now.
    html = record_page(record, ctx.site, ctx.live.shared, ctx.live.related(record), version)
    return page(request, html.encode())


def incident_json(request: Request) -> Response:
    ctx = context(request)
    public = ctx.public.get(request.path_params["slug"])
    if public is None:
        slug = request.path_params["slug"]
        moved = moved_answer(request, slug, ".json") or gone_answer(request, slug, as_json=True)
        return moved or not_found(ctx.live)
    # generatedAt is the record's last change (as the API has it), so that the ETag stays
    # while the record does.
    generated = format_generated_at(public.updated_at.astimezone(UTC))
    return json_answer(request, record_json(public.record, ctx.site, generated).encode())


def capture_file(request: Request) -> Response:
    """/captures/SHA256.txt (the readable text) or /captures/SHA256.warc.gz (the WARC, as a
    download) of a capture a published record cites. The name is checked against the only
    two shapes it can have and looked up in the index by SHA-256: no path is taken from the
    request, and anything else — a capture only unpublished records cite included — is the
    site's ordinary 404."""
    from casework.evidence.captures import SHA256_HEX
    from casework.ingest.archive import ArchiveError

    ctx = context(request)
    name = request.path_params["name"]
    sha256, dot, kind = name.partition(".")
    capture = None
    if dot and kind in ("txt", "warc.gz") and SHA256_HEX.fullmatch(sha256):
        capture = ctx.public.published_capture(sha256)
    if capture is None or ctx.public.captures is None:
        return not_found(ctx.live)
    # Cached as every page is (asked again before each use), not as immutable although its
    # bytes never change: a record taken back takes its captures off the site at once.
    headers = dict(CAPTURE_HEADERS)
    try:
        if kind == "txt":
            body = ctx.public.captures.text_of(capture).encode("utf-8")
            return cached_response(request, body, "text/plain; charset=utf-8", headers=headers)
        warc = ctx.public.published_warc(sha256)
    except (ArchiveError, OSError):
        return not_found(ctx.live)  # gone or altered on disk: nothing to vouch for
    if warc is None:
        return not_found(ctx.live)
    headers["Content-Disposition"] = f'attachment; filename="{sha256}.warc.gz"'
    return cached_response(request, warc, "application/warc", headers=headers)


def incident_history(request: Request) -> Response:
    """/incident/SLUG/history.json: the record's public versions (casework.evidence)."""
    ctx = context(request)
    slug = request.path_params["slug"]
    versions = ctx.public.record_versions(slug)
    if not versions:
        return not_found(ctx.live)
    return json_answer(request, dumps(history_document(slug, versions)).encode())


def incident_version(request: Request) -> Response:
    """/incident/SLUG/v/N.json: the record as published at public version N."""
    ctx = context(request)
    name = request.path_params["version"]
    number = whole_number(name[: -len(".json")], REVISION_MAX) if name.endswith(".json") else None
    versions = ctx.public.record_versions(request.path_params["slug"])
    chosen = [v for v in versions if v.version == number]
    if chosen and chosen[0].withdrawn is not None:
        # Its words were withdrawn: the tombstone, built without reading the record.
        return json_answer(request, withdrawn_bytes(chosen[0]).encode())
    stored = ctx.public.version_records(chosen)
    if not chosen or (chosen[0].slug, chosen[0].version) not in stored:
        return not_found(ctx.live)
    body = version_bytes(chosen[0], stored[(chosen[0].slug, chosen[0].version)])
    return json_answer(request, body.encode())


def public_log(request: Request) -> Response:
    """/data/log.json: the public log of published versions."""
    ctx = context(request)
    log = ctx.public.public_log()
    if log is None:
        return not_found(ctx.live)
    return json_answer(request, dumps(log_document(log)).encode())


def collection_json(request: Request) -> Response:
    live = context(request).live
    snapshot = live.snapshot()
    body = live.collection_json(snapshot, request.path_params["slug"])
    return not_found(live) if body is None else json_answer(request, body)


def archive(request: Request) -> Response:
    live = context(request).live
    return data_file_response(request, live, live.snapshot(), ARCHIVE_NAME)


def data_file(request: Request) -> Response:
    """/data/NAME: one of the data files, or their manifest."""
    live = context(request).live
    snapshot = live.snapshot()
    name = request.path_params["name"]
    if name == MANIFEST_NAME:
        manifest = live.data_export(snapshot).manifest
        return json_answer(request, with_checkpoint(manifest, context(request).folder))
    if name == DATAPACKAGE_NAME:
        return json_answer(request, datapackage_answer(request, live, snapshot))
    if name in (PUBLISHED_CHECKPOINTS_NAME, PUBLIC_KEY_NAME):
        return evidence_file(request, name)
    if name not in DATA_FILE_NAMES:
        return not_found(live)
    return data_file_response(request, live, snapshot, name)


def datapackage_answer(request: Request, live: LiveSite, snapshot: Snapshot) -> bytes:
    """The live datapackage.json, naming the evidence files this site serves now (as a
    build's names those it wrote)."""
    ctx = context(request)
    names = [LOG_NAME] if ctx.public.public_log() is not None else []
    if _signed(ctx.folder)[1] is not None:
        names += [PUBLISHED_CHECKPOINTS_NAME, PUBLIC_KEY_NAME]
    return with_evidence(live.data_export(snapshot).datapackage, names)


def _signed(folder: Path | None) -> tuple[list[dict[str, Any]], str | None]:
    """The tracker's checkpoints (public fields only: never the salt or the private size and
    head) and its public key, read from the tracker folder on each request: a checkpoint
    signed by `casework checkpoint`, a withdrawal or a build shows at once."""
    if folder is None:
        return [], None
    try:
        signed = published_checkpoints(folder)
        key = load_key(folder).public_key() if key_path(folder).exists() else None
    except CheckpointError:
        return [], None
    return signed, None if key is None else public_key_text(key)


def with_checkpoint(manifest: bytes, folder: Path | None) -> bytes:
    """The live manifest with the newest checkpoint and the public key, as a build's has."""
    signed, key = _signed(folder)
    if not signed or key is None:
        return manifest
    document = json.loads(manifest)
    document.update(publicKey=key, checkpoint=signed[-1])
    return dumps(document).encode()


def evidence_file(request: Request, name: str) -> Response:
    """/data/checkpoints.json and /data/public-key.txt on the live site."""
    ctx = context(request)
    signed, key = _signed(ctx.folder)
    if key is None:
        return not_found(ctx.live)
    if name == PUBLIC_KEY_NAME:
        return cached_response(request, (key + "\n").encode(), "text/plain; charset=utf-8")
    return json_answer(request, dumps(signed).encode())


def schema_file(request: Request) -> Response:
    """/schema/NAME: the record format's JSON Schemas (formats/schema.py), as a build writes
    them."""
    ctx = context(request)
    schema = schema_files(ctx.site.url).get(request.path_params["name"])
    if schema is None:
        return not_found(ctx.live)
    return json_answer(request, dumps(schema).encode())


def data_index(request: Request) -> Response:
    live = context(request).live
    return page(request, live.data_export(live.snapshot()).index_html)


def feed(request: Request) -> Response:
    live = context(request).live
    return cached_response(request, live.feed(), "application/atom+xml")


def sitemap(request: Request) -> Response:
    """/sitemap.xml, or /sitemap-N.xml when it is an index naming them."""
    live = context(request).live
    number = request.path_params.get("number")
    body = live.sitemap(SITEMAP_NAME if number is None else part_name(number))
    if body is None:
        return not_found(live)
    return cached_response(request, body, "application/xml")


def robots(request: Request) -> Response:
    body = robots_txt(context(request).site).encode()
    return cached_response(request, body, "text/plain; charset=utf-8")


def search_index_file(request: Request) -> Response:
    live = context(request).live
    snapshot = live.snapshot()
    body = live.search_index(snapshot).get(request.path_params["name"])
    return not_found(live) if body is None else json_answer(request, body)


def listing_shared_file(request: Request) -> Response:
    """/listing/NAME: the listings' shared files, as the build writes them."""
    live = context(request).live
    snapshot = live.snapshot()
    name = request.path_params["name"]
    body = live.listing_file(snapshot, name)
    if body is None:
        return not_found(live)
    if name.endswith(".json"):
        return json_answer(request, body)
    return cached_response(request, body, "text/plain; charset=utf-8")


def search(request: Request) -> Response:
    ctx = context(request)
    params = request.query_params
    asked = {
        name: params.get(name, "").strip()[:QUERY_CHARS]
        for name in ("q", "category", "severity", "tag", "country")
    }
    # ISO codes in capitals, as the API and search.js take them ("ps" finds PS).
    asked["country"] = asked["country"].upper()
    fmt = params.get("format", "")
    if fmt in FORMATS:
        return search_file(request, asked, fmt)
    number = whole_number(params.get("page", "1"), MAX_PAGE) or 1
    view = "table" if params.get("view") == "table" else ""
    live: dict[str, Any] = {**asked, "view": view, "result": None}
    headers: dict[str, str] = {}
    if any(asked.values()):
        live["result"] = search_results(
            ctx.public, ctx.live.cards, asked, number, ctx.site.language, shown_as=view
        )
        editor = _signed_in_editor(request)
        if editor:
            # Counted for a signed-in editor only, after the public answer is made: a public
            # request never runs this, so no byte, status or timing of its says a draft exists.
            live["drafts"] = _drafts_also_matching(ctx.store, asked, live["result"]["total"])
            headers["Cache-Control"] = "private, no-store"
    planned = ctx.live.index_page("search/index.html")
    assert planned is not None
    html = ctx.live.page_html(planned, {"live": live})
    if headers:
        return Response(html, media_type=HTML, headers=headers)
    return page(request, html)


def search_file(request: Request, asked: dict[str, str], fmt: str) -> Response:
    """Every record a search matches (none without a query), in the result's order, as CSV
    or JSON: what the search page's download links give, as a listing's do."""
    ctx = context(request)
    slugs: list[str] = []
    if any(asked.values()):
        total = ctx.public.search(_query(asked, limit=0, offset=0, facets=False)).total
        every = ctx.public.search(_query(asked, limit=total, offset=0, facets=False))
        slugs = [h.slug for h in every.hits]
    return records_file(request, ctx.live.generated_at(), slugs, fmt)


def _signed_in_editor(request: Request) -> bool:
    """Whether the request comes from a signed-in user who may write records (editor and
    up): one who may see drafts in the editor anyway."""
    from casework.editing.permissions import Act, allowed
    from casework.web.auth import SESSION_COOKIE, viewer_of

    if SESSION_COOKIE not in request.cookies:
        return False
    viewer = viewer_of(request, context(request).store.accounts)
    if viewer is None or viewer.session is None:
        return False
    return allowed(viewer.user.role, Act.create)


def _drafts_also_matching(store: Store, asked: dict[str, str], published: int) -> int:
    """How many unpublished records (drafts, in review) match `asked` too."""
    every = store.search(_query(asked, status=None, limit=0, offset=0, facets=False))
    return max(0, every.total - published)


def planned_page(request: Request) -> Response:
    """Any other path: a planned page, a redirect to the slash form of one, or 404."""
    ctx = context(request)
    path: str = request.path_params["path"]
    # "tag/x/" and "tag/x/index.html" are one file on a static host; "404.html" is a file of
    # its own.
    file = path + "index.html" if path == "" or path.endswith("/") else path
    asked = request.query_params
    if file == "index.html":
        # The home page as the build has it: planned for this request alone.
        return page(request, ctx.live.page_html(ctx.live.home_page()))
    facet = facet_listing_of(file)
    plain = asked.get("format", "") not in FORMATS
    if facet is not None and plain and not choice_of(asked, facet[0]).narrowed:
        # A listing's page as the build has it (a facet's, a tag's, an entity's): planned
        # for this request alone.
        made = ctx.live.listed_page(*facet)
        if made is not None:
            return page(request, ctx.live.page_html(made))
        return not_found(ctx.live)
    facet = facet_listing_of(path + "/index.html") if path else None
    if facet is not None and ctx.live.listed_page(*facet) is not None:
        return slash_redirect(request)
    if ctx.live.makes_index(file):
        # An index, the search page, a collection's: planned for this request alone.
        made = ctx.live.index_page(file)
        return not_found(ctx.live) if made is None else page(request, ctx.live.page_html(made))
    folder = path + "/index.html" if path and not path.endswith("/") else ""
    if ctx.live.makes_index(folder) and ctx.live.index_page(folder) is not None:
        return slash_redirect(request)
    kind, _, slug = path.partition("/")
    if folder and (path == "data" or (kind == "incident" and ctx.public.read([slug]))):
        # A record's page or the data page without its slash: no plan asked for.
        return slash_redirect(request)
    snapshot = ctx.live.snapshot()
    found = snapshot.pages.get(file)
    if found is not None and found.template in LISTING_TEMPLATES:
        fmt = asked.get("format", "")
        if fmt in FORMATS:
            return listing_file(request, snapshot, found, fmt)
        kind, _key = listing_of(found.template, found.path, found.context)
        if choice_of(asked, kind).narrowed:
            return listing_page(request, snapshot, found)
    if found is not None:
        return page(request, ctx.live.page_html(found))
    folder, _, name = file.rpartition("/")
    listed = snapshot.pages.get(folder + "/index.html") if folder else None
    if listed is not None and listed.template in LISTING_TEMPLATES:
        if name in (CSV_FILE, JSON_FILE):
            return listing_file(request, snapshot, listed, name.removeprefix("index."))
    if path and not path.endswith("/") and is_directory(snapshot, path):
        return slash_redirect(request)
    return not_found(ctx.live)


def slash_redirect(request: Request) -> Response:
    """308 to the request's path with a slash (its query kept): a directory's page."""
    # A path, never a full URL: the Host header a client sent is not repeated back.
    target = request.url.path + "/"
    if request.url.query:
        target += "?" + request.url.query
    return RedirectResponse(target, status_code=308)


# The listings the live app makes per request (`LiveSite.listed_page`), paginated as the
# build's are: the facets', a tag's, an entity's, a statute's and a timeline year's.
PER_REQUEST = (*FACET_FAMILIES, "tag", "entity", "law", "timeline")


def facet_listing_of(file: str) -> tuple[str, str, int] | None:
    """(family, key, page number) of a listing's page made per request (PER_REQUEST) at
    `file` (`category/x/index.html`, `tag/x/page/3/index.html`, `entity/x/index.html`); None
    for any other path. Page 1 is at the listing's own address only, as the build writes
    it."""
    parts = file.split("/")
    if parts[0] not in PER_REQUEST or parts[-1] != "index.html" or not parts[1]:
        return None
    if len(parts) == 3:
        return parts[0], parts[1], 1
    number = parts[3] if len(parts) == 5 and parts[2] == "page" else ""
    if number.isascii() and number.isdigit() and number[0] != "0" and int(number) > 1:
        return parts[0], parts[1], int(number)
    return None


def _listing_cards(request: Request, snapshot: Snapshot, listed: Page) -> tuple[Choice, list[Card]]:
    """The choice the query string makes on a listing, and the listing's cards it chooses."""
    ctx = context(request)
    kind, key = listing_of(listed.template, listed.path, listed.context)
    choice = choice_of(request.query_params, kind)
    cards = ctx.live.listing_cards(snapshot, kind, key)
    severities = list(ctx.site.vocabularies.get("severity"))
    return choice, chosen(cards, choice, kind, severities)


def listing_page(request: Request, snapshot: Snapshot, listed: Page) -> Response:
    """A listing narrowed, sorted or shown as a table (publish/listing.py), a page of it."""
    choice, cards = _listing_cards(request, snapshot, listed)
    pages = page_count(len(cards))
    number = min(whole_number(request.query_params.get("page", "1"), MAX_PAGE) or 1, pages)
    chunk = cards[(number - 1) * PER_PAGE : number * PER_PAGE]
    total = len(cards)
    language = context(request).site.language
    status = (
        i18n.plural(
            language,
            "%(num)s record matches these filters.",
            "%(num)s records match these filters.",
            total,
        )
        if choice.filters
        else i18n.plural(language, "%(num)s record matches.", "%(num)s records match.", total)
    ) % {"num": f"{total:,}"}
    live = {
        "choice": choice,
        "query": choice.query(),
        "records": [brief(c) | table_row(c) for c in chunk],
        "status": status,
        "page": number,
        "pages": pages,
        "previous": choice.query(page=str(number - 1)) if number > 1 else "",
        "next": choice.query(page=str(number + 1)) if number < pages else "",
    }
    return page(request, context(request).live.page_html(listed, {"live": live}))


def listing_file(request: Request, snapshot: Snapshot, listed: Page, fmt: str) -> Response:
    """A listing (as its query string chooses) as CSV or JSON: the data files' writers,
    over the records' public forms read now, in the listing's order."""
    _choice, cards = _listing_cards(request, snapshot, listed)
    return records_file(request, snapshot.generated_at, [c["slug"] for c in cards], fmt)


def records_file(request: Request, generated_at: str, slugs: list[str], fmt: str) -> Response:
    """The published records `slugs`, in that order, as the data files' CSV or JSON."""
    ctx = context(request)
    read = ctx.public.read(slugs)
    records = [read[s].record for s in slugs if s in read]
    if fmt == "csv":
        body = csv_bytes(records, ctx.site)
    else:
        body = json_bytes(records, ctx.site, generated_at)
    return cached_response(request, body, FORMATS[fmt])


def to_base(request: Request) -> Response:
    return RedirectResponse(base_path(context(request).site), status_code=308)


Endpoint = Callable[[Request], Response]


def is_directory(snapshot: Snapshot, path: str) -> bool:
    """Whether `path/` is a page (so that `path` redirects there)."""
    if path + "/index.html" in snapshot.pages or path == "data":
        return True
    kind, _, slug = path.partition("/")
    return kind == "incident" and snapshot.published(slug)


def data_file_response(request: Request, live: LiveSite, snapshot: Snapshot, name: str) -> Response:
    """A data file streamed from the live site's export, its ETag the file's SHA-256; its
    gzip form (made once per export) to a client that takes gzip, with the weak form of
    that ETag, as web/compression.py answers for what it compresses on the way."""
    media_type = DESCRIPTIONS[name][0]
    if media_type.startswith("text/"):
        media_type += "; charset=utf-8"
    headers = {"Vary": "Accept-Encoding"} if compressible(media_type) else {}
    wants = bool(headers) and accepts_gzip(request.headers.get("accept-encoding", ""))
    info, handle, size, zipped = live.open_data_file(
        snapshot, name, gzip_from=MIN_BYTES if wants else None
    )
    etag = f'"{info.sha256}"'
    if zipped:
        etag, headers["Content-Encoding"] = weak_form(etag), "gzip"
    return cached_file_response(request, handle, size, etag, media_type, headers=headers)


def _query(asked: dict[str, str], **options: Any) -> Query:
    return Query(
        text=asked["q"],
        category=(asked["category"],) if asked["category"] else (),
        severity=(asked["severity"],) if asked["severity"] else (),
        tag=(asked["tag"],) if asked["tag"] else (),
        country=(asked["country"],) if asked["country"] else (),
        sort="relevance" if asked["q"] else "-date",
        **options,
    )


def search_results(
    view: PublicView,
    cards_of: Callable[[list[str]], list[Card]],
    asked: dict[str, str],
    number: int = 1,
    language: str = "en",
    shown_as: str = "",
) -> dict[str, Any]:
    """The search page's results for `asked` (q, category, severity, tag, country), page
    `number` of them: the store's full-text search over published records, shown as the
    listings show records, each with its highlighted snippet; and the facet counts of every
    match. Shown as a table (`shown_as`), each record with what the table shows, and the
    addresses keep the view."""
    found = view.search(
        _query(asked, limit=SEARCH_RESULTS, offset=(number - 1) * SEARCH_RESULTS, facets=True)
    )
    # Read now (from the snapshot's cards when it is current: `LiveSite.cards`), never every
    # record's: a hit unpublished since the search is left out.
    cards = cards_of([h.slug for h in found.hits])
    snippets = {h.slug: h.snippet if asked["q"] else "" for h in found.hits}
    records = [brief(c) | table_row(c) | {"snippet": snippets[c["slug"]]} for c in cards]
    pages = max(1, -(-found.total // SEARCH_RESULTS))
    given = {name: value for name, value in asked.items() if value}
    if shown_as:
        given["view"] = shown_as

    def href(**change: Any) -> str:
        return "?" + urlencode(given | {k: str(v) for k, v in change.items()})

    return {
        "records": records,
        "status": search_status(asked["q"], found.total, number, language),
        "total": found.total,
        # name → [(value, count, the address that narrows the search to it)]
        "facets": {
            name: [(v, n, href(**{name: v})) for v, n in found.facets.get(name, [])[:FACET_VALUES]]
            for name in ("category", "severity", "tag", "country")
        },
        "page": number,
        "pages": pages,
        "previous": href(page=number - 1) if number > 1 else "",
        "next": href(page=number + 1) if number < pages else "",
        # The downloads: every match, without the view and page (as search.js's links).
        "downloads": {
            fmt: "?" + urlencode({k: v for k, v in asked.items() if v} | {"format": fmt})
            for fmt in FORMATS
        },
    }


def search_status(q: str, total: int, number: int = 1, language: str = "en") -> str:
    """What search.js says of a result (statusText), for the same query; in `language`."""
    words = {"q": f"\u201c{q}\u201d", "num": f"{total:,}"}
    if q:
        text = (
            i18n.gettext(language, "No record matches %(q)s")
            if total == 0
            else i18n.plural(
                language, "%(num)s record matches %(q)s", "%(num)s records match %(q)s", total
            )
        )
    else:
        text = (
            i18n.gettext(language, "No record matches these filters")
            if total == 0
            else i18n.plural(
                language,
                "%(num)s record matches these filters",
                "%(num)s records match these filters",
                total,
            )
        )
    if total <= SEARCH_RESULTS:
        return text % words + "."
    first = (number - 1) * SEARCH_RESULTS + 1
    last = min(total, first + SEARCH_RESULTS - 1)
    showing = i18n.gettext(language, "; showing %(first)s–%(last)s.")
    return text % words + showing % {"first": f"{first:,}", "last": f"{last:,}"}
