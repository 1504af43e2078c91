"""HTTP done over real sockets (uvicorn, tests/serving.py; httpx as the client): HEAD on every
GET route, weak ETags and 304, gzip negotiated by Accept-Encoding, the OpenAPI's ETag, the
live sitemap and its index, the feed as a feed reader reads it, and a record's one address
in every output. An unpublished record's slug and one that never existed answer alike."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from pathlib import Path

import feedparser
import httpx
import pytest
from lxml import etree, html

from casework.model import Status
from casework.publish.build import build_site
from casework.store.base import Store
from casework.web.api import create_api
from casework.web.app import create_app
from casework.web.compression import MIN_BYTES, accepts_gzip, compressible
from casework.web.context import AppContext
from casework.web.static_site import static_site_app
from tests.publish.conftest import SITE
from tests.serving import serving
from tests.web.editing import Team

GZIP = {"Accept-Encoding": "gzip"}
IDENTITY = {"Accept-Encoding": "identity"}
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# Every kind of GET route of the live app: pages, record JSON, data files (streamed), the
# feed, the sitemap, robots, the search index, the API's reads and exports, its OpenAPI.
LIVE_PATHS = [
    "/",
    "/tag/harbour/",
    "/search/?q=harbour",
    "/incident/pier-arrests/",
    "/incident/pier-arrests.json",
    "/incident/pier-arrests/history.json",
    "/collections/harbour.json",
    "/archive.json",
    "/data/",
    "/data/records.csv",
    "/data/records.ndjson",
    "/data/manifest.json",
    "/feed.xml",
    "/sitemap.xml",
    "/robots.txt",
    "/api/incidents?q=harbour",
    "/api/incidents/pier-arrests",
    "/api/stats",
    "/api/export/records.csv",
    "/api/openapi.json",
    "/static/style.css",
    "/incident/pier-arrests",  # a redirect
    "/no/such/page/",  # the site's 404
]


@pytest.fixture
def live(store: Store) -> Iterator[httpx.Client]:
    app = create_app(store, SITE, warm=False)
    with serving(app) as base, httpx.Client(base_url=base, follow_redirects=False) as client:
        client.app = app  # type: ignore[attr-defined]
        yield client


def without_date(headers: httpx.Headers) -> dict[str, str]:
    """The headers but the date and the framing (a HEAD has no body to send in chunks)."""
    return {k: v for k, v in headers.items() if k not in ("date", "transfer-encoding")}


def raw(response: httpx.Response) -> int:
    """The bytes that came over the wire (httpx has already decoded the body)."""
    return response.num_bytes_downloaded


def test_head_answers_every_get_route_with_the_same_headers_and_no_body(
    live: httpx.Client,
) -> None:
    for path in LIVE_PATHS:
        for headers in (GZIP, IDENTITY):
            got = live.get(path, headers=headers)
            head = live.head(path, headers=headers)
            assert head.status_code == got.status_code, path
            assert head.content == b"" and raw(head) == 0, path
            assert without_date(head.headers) == without_date(got.headers), (path, headers)


def test_weak_and_strong_forms_of_an_etag_both_get_304(live: httpx.Client) -> None:
    for path in ("/", "/incident/pier-arrests/", "/api/incidents/pier-arrests", "/feed.xml",
                 "/data/records.csv", "/api/openapi.json", "/sitemap.xml"):  # fmt: skip
        zipped = live.get(path, headers=GZIP)
        plain = live.get(path, headers=IDENTITY)
        assert zipped.headers["content-encoding"] == "gzip", path
        assert "content-encoding" not in plain.headers
        assert zipped.content == plain.content, path  # decoded: the same bytes
        assert raw(zipped) < raw(plain), path
        assert (
            "Accept-Encoding" in zipped.headers["vary"]
            and "Accept-Encoding" in plain.headers["vary"]
        ), path
        weak, strong = zipped.headers["etag"], plain.headers["etag"]
        # Different bytes, so a different ETag: the gzipped one is the weak form.
        assert weak == "W/" + strong and re.fullmatch(r'"[0-9a-f]+"', strong), path
        for held in (weak, strong):
            for headers in (GZIP, IDENTITY):
                again = live.get(path, headers=headers | {"If-None-Match": held})
                assert again.status_code == 304 and again.content == b"", (path, held)
                assert "Accept-Encoding" in again.headers["vary"]
        # A 304 names the same representation: the weak form to a client holding it (the
        # data files, gzipped ahead, always say the form a 200 would carry).
        assert live.get(path, headers=GZIP | {"If-None-Match": weak}).headers["etag"] == weak
        said = live.get(path, headers=GZIP | {"If-None-Match": strong}).headers["etag"]
        assert said.removeprefix("W/") == strong
        # Another tag, or a list without this one: the body.
        other = live.get(path, headers=GZIP | {"If-None-Match": 'W/"0", "1"'})
        assert other.status_code == 200
        listed = live.get(path, headers=GZIP | {"If-None-Match": f'"0", {weak}'})
        assert listed.status_code == 304


def test_a_data_file_is_gzipped_once_per_export(live: httpx.Client) -> None:
    plain = live.get("/data/records.ndjson", headers=IDENTITY)
    assert int(plain.headers["content-length"]) == len(plain.content)
    sizes = set()
    for _ in range(2):
        with live.stream("GET", "/data/records.ndjson", headers=GZIP) as zipped:
            body = b"".join(zipped.iter_raw())
            assert zipped.headers["content-encoding"] == "gzip"
            assert zipped.headers["vary"] == "Accept-Encoding"  # said once
            assert zipped.headers["etag"] == "W/" + plain.headers["etag"]
            sizes.add(int(zipped.headers["content-length"]))
        assert gzip.decompress(body) == plain.content and sizes == {len(body)}
    # The API's export is the same file, the same way.
    api = live.get("/api/export/records.ndjson", headers=GZIP)
    assert api.headers["etag"] == "W/" + plain.headers["etag"]
    assert raw(api) == sizes.pop()
    held = live.get("/data/records.ndjson", headers=GZIP | {"If-None-Match": api.headers["etag"]})
    assert held.status_code == 304 and held.headers["vary"] == "Accept-Encoding"
    export = live.app.state.casework.live.data_export(  # type: ignore[attr-defined]
        live.app.state.casework.live.snapshot()  # type: ignore[attr-defined]
    )
    assert (export.directory / "records.ndjson.gz").exists()


def test_gzip_only_when_asked_and_worth_it(live: httpx.Client) -> None:
    page = "/incident/pier-arrests/"
    for refused in ("identity", "gzip;q=0", "br", "gzip;q=0, *;q=0", ""):
        answer = live.get(page, headers={"Accept-Encoding": refused})
        assert "content-encoding" not in answer.headers, refused
    assert live.get(page, headers={"Accept-Encoding": "*"}).headers["content-encoding"] == "gzip"
    # A body under MIN_BYTES is sent as it is (but may be gzipped when it grows: Vary).
    small = live.get("/api/stats", headers=GZIP)
    assert len(small.content) < MIN_BYTES
    assert "content-encoding" not in small.headers and small.headers["etag"].startswith('"')
    # Not a compressible type: as it is, with no Vary.
    css = live.get("/static/style.css", headers=GZIP)
    assert "content-encoding" not in css.headers and "vary" not in css.headers


def test_the_openapi_document_has_an_etag(live: httpx.Client) -> None:
    first = live.get("/api/openapi.json", headers=IDENTITY)
    assert first.status_code == 200 and first.json()["servers"] == [{"url": "/api"}]
    assert first.headers["cache-control"] == "public, no-cache"
    etag = first.headers["etag"]
    assert live.get("/api/openapi.json", headers={"If-None-Match": etag}).status_code == 304


def test_unpublished_and_never_existing_slugs_answer_alike(live: httpx.Client) -> None:
    """Status, headers and bytes: a draft's slug (secret-0) and a slug nobody used, however
    asked (HEAD, gzip, If-None-Match)."""
    shapes = [
        "/incident/{}/",
        "/incident/{}",
        "/incident/{}.json",
        "/incident/{}/history.json",
        "/incident/{}/v/1.json",
        "/api/incidents/{}",
        "/collections/{}.json",
    ]
    asks = [GZIP, IDENTITY, GZIP | {"If-None-Match": "*"}, GZIP | {"If-None-Match": 'W/"x"'}]
    for shape in shapes:
        for method in ("GET", "HEAD"):
            for headers in asks:
                draft = live.request(method, shape.format("secret-0"), headers=headers)
                never = live.request(method, shape.format("never-was"), headers=headers)
                assert draft.status_code == never.status_code, (shape, method)
                assert draft.status_code in (404, 308), (shape, draft.status_code)
                assert raw(draft) == raw(never) and draft.content == never.content
                location = never.headers.get("location", "").replace("never-was", "secret-0")
                assert draft.headers.get("location", "") == location
                assert without_date(draft.headers).keys() == without_date(never.headers).keys()
                assert draft.headers.get("content-length") == never.headers.get("content-length")
                assert "content-encoding" not in draft.headers  # a 404 is never compressed


def test_editor_routes_sign_in_first_on_head_too(team: Team) -> None:
    team.record("exists-here", Status.draft)
    with serving(team.app) as base, httpx.Client(base_url=base) as client:
        for path in ("/edit/exists-here/", "/edit/never-was/", "/edit/exists-here/history"):
            got = client.get(path, headers=GZIP, follow_redirects=False)
            head = client.head(path, headers=GZIP, follow_redirects=False)
            assert got.status_code == head.status_code and got.status_code in (302, 303, 401)
            assert head.content == b""
            assert "content-encoding" not in got.headers
        answers = [
            without_date(client.head(f"/edit/{slug}/", follow_redirects=False).headers)
            for slug in ("exists-here", "never-was")
        ]
        assert answers[0].keys() == answers[1].keys()


def test_the_live_sitemap_splits_into_an_index(
    live: httpx.Client, store: Store, tmp_path: Path
) -> None:
    """With 7 URLs a file, /sitemap.xml is an index of /sitemap-N.xml that list, in order,
    the URLs of the build's one sitemap.xml of the same records."""
    build_site(store, SITE, tmp_path / "site", workers=1)
    whole = etree.fromstring((tmp_path / "site" / "sitemap.xml").read_bytes())
    assert etree.QName(whole).localname == "urlset"
    urls = [u.findtext(f"{SM}loc") for u in whole]
    assert len(urls) > 20 and len(set(urls)) == len(urls)
    live.app.state.casework.live.sitemap_limit = 7  # type: ignore[attr-defined]
    answer = live.get("/sitemap.xml", headers=GZIP)
    assert answer.headers["content-type"] == "application/xml"
    index = etree.fromstring(answer.content)
    assert etree.QName(index).localname == "sitemapindex"
    parts = [s.findtext(f"{SM}loc") for s in index]
    assert len(parts) == -(-len(urls) // 7)
    listed: list[str | None] = []
    for number, loc in enumerate(parts, start=1):
        assert loc == f"{SITE.url}/sitemap-{number}.xml"
        part = live.get(f"/sitemap-{number}.xml", headers=GZIP)
        assert part.status_code == 200 and part.headers["content-type"] == "application/xml"
        assert live.head(f"/sitemap-{number}.xml").status_code == 200
        root = etree.fromstring(part.content)
        assert etree.QName(root).localname == "urlset" and 1 <= len(root) <= 7
        listed += [u.findtext(f"{SM}loc") for u in root]
    assert listed == urls
    assert live.get(f"/sitemap-{len(parts) + 1}.xml").status_code == 404
    assert live.get("/sitemap-0.xml").status_code == 404


def test_a_records_one_address_everywhere(live: httpx.Client) -> None:
    slug = "pier-arrests"
    url = f"{SITE.url}/incident/{slug}/"
    page = html.fromstring(live.get(f"/incident/{slug}/").content)
    (canonical,) = page.xpath('//link[@rel="canonical"]/@href')
    (ld,) = page.xpath('//script[@type="application/ld+json"]/text()')
    jsonld = json.loads(ld)
    record = live.get(f"/incident/{slug}.json").json()["record"]
    api_hit = next(h for h in live.get("/api/incidents").json()["incidents"] if h["slug"] == slug)
    feed = feedparser.parse(live.get("/feed.xml").content)
    entry = next(e for e in feed.entries if e.id.endswith(f"/{slug}/"))
    sitemap = [u.findtext(f"{SM}loc") for u in etree.fromstring(live.get("/sitemap.xml").content)]
    geojson = live.get("/data/incidents.geojson").json()
    places = {
        f["properties"]["url"] for f in geojson["features"] if f["properties"]["slug"] == slug
    }
    addresses = {
        "canonical": canonical,
        "jsonld @id": jsonld["@id"],
        "jsonld url": jsonld["url"],
        "record url": record["url"],
        "api url": api_hit["url"],
        "feed id": entry.id,
        "feed link": entry.link,
        **{f"geojson {n}": u for n, u in enumerate(places)},
    }
    assert set(addresses.values()) == {url}, addresses
    assert url in sitemap
    assert f" {url}. " in record["citation"] or url in record["citation"]
    # The address answers 200 itself: no redirect on the way.
    path = url.removeprefix(SITE.url)
    assert live.get(path).status_code == 200
    assert live.get(path.rstrip("/")).status_code == 308


def test_feed_over_http_reads_as_atom_with_keyed_categories(live: httpx.Client) -> None:
    answer = live.get("/feed.xml", headers=GZIP)
    assert answer.headers["content-type"] == "application/atom+xml"
    parsed = feedparser.parse(answer.content)
    assert not parsed.bozo and parsed.version == "atom10"
    assert len(parsed.entries) == 3  # the published records only
    for entry in parsed.entries:
        schemes = {t.scheme for t in entry.tags}
        assert f"{SITE.url}/category/" in schemes and f"{SITE.url}/severity/" in schemes
        assert all(t.term and t.label for t in entry.tags)
        assert "secret" not in entry.id


def test_static_site_server_heads_gzips_and_revalidates(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(store, SITE, out, workers=1)
    api = create_api(AppContext(store, SITE, None))
    app = static_site_app(out, api=api)
    with serving(app) as base, httpx.Client(base_url=base, follow_redirects=False) as client:
        for path in ("/", "/incident/pier-arrests/", "/incident/pier-arrests.json",
                     "/data/records.csv", "/feed.xml", "/sitemap.xml", "/api/stats",
                     "/api/openapi.json", "/nothing-here/"):  # fmt: skip
            for headers in (GZIP, IDENTITY):
                got = client.get(path, headers=headers)
                head = client.head(path, headers=headers)
                assert head.status_code == got.status_code and head.content == b"", path
                assert without_date(head.headers) == without_date(got.headers), path
        page = client.get("/incident/pier-arrests/", headers=GZIP)
        assert page.headers["content-encoding"] == "gzip"
        assert page.headers["cache-control"] == "public, no-cache"
        assert page.headers["etag"].startswith('W/"')
        assert "accept-ranges" not in page.headers
        assert page.content == (out / "incident/pier-arrests/index.html").read_bytes()
        plain = client.get("/incident/pier-arrests/", headers=IDENTITY)
        assert plain.headers["etag"] == page.headers["etag"].removeprefix("W/")
        for held in (page.headers["etag"], plain.headers["etag"]):
            again = client.get("/incident/pier-arrests/", headers=GZIP | {"If-None-Match": held})
            assert again.status_code == 304
        assert client.get("/nothing-here/", headers=GZIP).status_code == 404


@pytest.mark.parametrize(
    ("header", "takes"),
    [
        ("gzip", True),
        ("gzip, deflate, br", True),
        ("GZIP;q=0.5", True),
        ("gzip;q=0", False),
        ("gzip;q=0.0, identity", False),
        ("*", True),
        ("*;q=0", False),
        ("br, *;q=0.1", True),
        ("br", False),
        ("", False),
        ("gzip;q=x", False),
        ("x-gzip", True),
    ],
)
def test_accept_encoding(header: str, takes: bool) -> None:
    assert accepts_gzip(header) is takes


def test_compressible_types() -> None:
    for media_type in ("text/html; charset=utf-8", "application/json", "text/csv",
                       "application/atom+xml", "application/geo+json", "application/x-ndjson",
                       "application/xml"):  # fmt: skip
        assert compressible(media_type), media_type
    for media_type in ("image/png", "application/warc", "application/vnd.sqlite3", "text/css"):
        assert not compressible(media_type), media_type
