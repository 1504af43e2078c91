"""The live public site against the static build: the same bytes at the same addresses, from
a real SQLite tracker, and a publish or an edit showing on the next request."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from casework.model import Site, Status
from casework.publish.build import build_site
from casework.store import open_store
from casework.store.base import Store
from casework.web.app import create_app
from casework.web.live import live_site
from tests.publish.conftest import DRAFT_MARKERS, SITE, fill
from tests.store.factories import make_record

_GENERATED = re.compile(rb'"generatedAt": "[^"]+"')
_CREATED = re.compile(rb'"created": "[^"]+"')
# The static page says search needs JavaScript; the live one answers ?q= itself, so it
# leaves that out. The only difference between the two search pages.
_NOSCRIPT = re.compile(rb"<noscript>.*?</noscript>\n", re.S)


@pytest.fixture
def client(store: Store) -> TestClient:
    return TestClient(create_app(store, SITE))


def url_of(relative: str) -> str:
    """The address a static host serves a built file at."""
    if relative.endswith("index.html"):
        return "/" + relative[: -len("index.html")]
    return "/" + relative


def built_files(out: Path) -> dict[str, bytes]:
    return {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file()
    }


def test_every_built_file_is_served_live_with_the_same_bytes(
    store: Store, client: TestClient, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    build_site(store, SITE, out, workers=1)
    files = built_files(out)
    assert len(files) > 40 and "incident/pier-arrests/index.html" in files
    assert {"data/datapackage.json", "schema/record.json", "schema/archive.json"} <= set(files)
    live_manifest = client.get("/data/manifest.json").json()
    live_sha = {f["name"]: f["sha256"] for f in live_manifest["files"]}
    built_sha = {f["name"]: f["sha256"] for f in json.loads(files["data/manifest.json"])["files"]}
    for relative, expected in files.items():
        response = client.get(url_of(relative))
        assert response.status_code == 200, relative
        got = response.content
        if relative == "search/index.html":
            expected = _NOSCRIPT.sub(b"", expected)
        # generatedAt is the time the file was made: the build's and the live site's differ,
        # and so does the SHA-256 of records.json, which holds it (named by /data/ and the
        # manifest). Nothing else is normalised.
        expected = _GENERATED.sub(b'"generatedAt": ""', expected)
        got = _GENERATED.sub(b'"generatedAt": ""', got)
        if relative in ("data/index.html", "data/manifest.json", "data/datapackage.json"):
            expected = expected.replace(
                built_sha["records.json"].encode(), live_sha["records.json"].encode()
            )
        if relative == "data/datapackage.json":  # its `created` is generatedAt
            expected = _CREATED.sub(b'"created": ""', expected)
            got = _CREATED.sub(b'"created": ""', got)
        assert got == expected, relative


def test_drafts_are_on_no_live_page_and_their_paths_are_not_found(
    store: Store, client: TestClient, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    build_site(store, SITE, out, workers=1)
    not_found = (out / "404.html").read_bytes()
    for relative in built_files(out):
        body = client.get(url_of(relative)).content
        for marker in DRAFT_MARKERS:
            assert marker.encode() not in body, relative
    for slug in ("secret-0", "secret-1", "secret-2"):
        for path in (f"/incident/{slug}/", f"/incident/{slug}.json", f"/incident/{slug}"):
            response = client.get(path, follow_redirects=False)
            assert response.status_code == 404, path
            assert response.content == not_found
    for path in ("/tag/tag-zqxdraftmarker1/", "/entity/e-0-zqxdraftmarker1/", "/year/2021/x/"):
        assert client.get(path).status_code == 404


def test_unknown_paths_get_the_sites_not_found_page(client: TestClient) -> None:
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "There is no page at this address" in response.text
    assert response.headers["content-type"].startswith("text/html")
    assert client.get("/incident/").status_code == 404
    assert client.get("/search/index/terms-99.json").status_code == 404
    assert client.get("/data/records.xlsx").status_code == 404


def test_a_path_without_its_slash_redirects_to_it(client: TestClient) -> None:
    for path in ("/tag/harbour", "/law", "/incident/pier-arrests", "/data", "/category/x"):
        response = client.get(path, follow_redirects=False)
        if path == "/category/x":
            assert response.status_code == 404  # no such page: nothing to redirect to
            continue
        assert response.status_code == 308, path
        assert response.headers["location"] == path + "/"
    response = client.get("/search?q=pier", follow_redirects=False)
    assert response.status_code == 308
    assert response.headers["location"] == "/search/?q=pier"


def test_a_publish_shows_on_the_next_request(store: Store, client: TestClient) -> None:
    title = f"Secret {DRAFT_MARKERS[0]}"
    for path in ("/", "/category/civil-liberties/", "/year/2021/"):
        assert title not in client.get(path).text
    assert client.get("/incident/secret-0/").status_code == 404
    before = live_site(store, SITE).snapshot()

    draft = store.get("secret-0")
    store.set_status(
        "secret-0", Status.published, base_revision=draft.revision, author="t", message="go"
    )

    for path in ("/", "/category/civil-liberties/", "/year/2021/", "/incident/secret-0/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert title in response.text, path
    assert client.get("/tag/tag-zqxdraftmarker1/").status_code == 200
    assert b"secret-0" in client.get("/data/records.ndjson").content
    assert b"/incident/secret-0/" in client.get("/sitemap.xml").content
    # Only the published record was read again: the others' cards are the same objects.
    after = live_site(store, SITE).snapshot()
    assert after.cards["pier-arrests"] is before.cards["pier-arrests"]
    assert "secret-0" in after.cards and "secret-0" not in before.cards


def test_an_edited_title_changes_the_listings(store: Store, client: TestClient) -> None:
    old = "Fishermen arrested at the pier"
    paths = (
        "/",
        "/category/rule-of-law/",
        "/tag/harbour/",
        "/law/iccpr/",
        "/incident/harbour-closure/",
    )
    for path in paths:
        assert old in client.get(path).text, path
    stored = store.get("pier-arrests")
    renamed = stored.record.model_copy(update={"title": "Fishers held at the quay"})
    store.save(renamed, base_revision=stored.revision, author="t", message="rename")
    for path in paths:
        text = client.get(path).text
        assert "Fishers held at the quay" in text and old not in text, path
    assert client.get("/incident/pier-arrests.json").json()["record"]["title"] == (
        "Fishers held at the quay"
    )


def test_unpublishing_removes_a_record_everywhere(store: Store, client: TestClient) -> None:
    assert "pier-arrests" in client.get("/").text
    stored = store.get("pier-arrests")
    store.set_status(
        "pier-arrests", Status.draft, base_revision=stored.revision, author="t", message="back"
    )
    assert client.get("/incident/pier-arrests/").status_code == 404
    assert "pier-arrests" not in client.get("/").text
    # Only that record named the Ottawa Convention.
    assert client.get("/law/ottawa-convention/").status_code == 404
    assert b"pier-arrests" not in client.get("/feed.xml").content
    assert b"\npier-arrests," not in client.get("/api/export/records.csv").content  # its row


def test_pages_answer_a_matching_if_none_match_with_304(store: Store, client: TestClient) -> None:
    for path in ("/", "/incident/pier-arrests/", "/feed.xml", "/data/records.csv"):
        first = client.get(path)
        etag = first.headers["etag"]
        assert first.headers["cache-control"] == "public, no-cache"
        again = client.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304, path
        assert again.content == b""
    etag = client.get("/").headers["etag"]
    stored = store.get("ferry-halt")
    store.save(
        stored.record.model_copy(update={"title": "Ferry service stopped"}),
        base_revision=stored.revision,
        author="t",
        message="edit",
    )
    changed = client.get("/", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "Ferry service stopped" in changed.text


def test_search_answers_on_the_server_from_published_records(
    store: Store, client: TestClient
) -> None:
    body = "The crews met at the lighthouse. Kingfisherword was painted on the wall."
    store.create(
        make_record("lighthouse-meeting", title="Meeting at the lighthouse", **{"$body": body}),
        author="t",
        message="new",
        status=Status.published,
    )
    store.create(
        make_record("lighthouse-draft", title="Draft at the lighthouse", **{"$body": body}),
        author="t",
        message="new",
        status=Status.draft,
    )
    page = client.get("/search/", params={"q": "kingfisherword"})
    assert page.status_code == 200
    assert "/incident/lighthouse-meeting/" in page.text
    assert "lighthouse-draft" not in page.text and "Draft at the lighthouse" not in page.text
    assert "1 record matches \u201ckingfisherword\u201d." in page.text
    assert 'value="kingfisherword"' in page.text
    # The server's results are the page's: search.js (which would replace them) is left out.
    assert "search.js" not in page.text
    assert "search.js" in client.get("/search/").text
    filtered = client.get("/search/", params={"q": "kingfisherword", "category": "rule-of-law"})
    assert "No record matches" in filtered.text
    assert '<option value="rule-of-law" selected>' in filtered.text
    by_tag = client.get("/search/", params={"tag": "arrests"}).text
    assert "/incident/pier-arrests/" in by_tag and "/incident/ferry-halt/" not in by_tag
    hostile = client.get("/search/", params={"q": '"><script>alert(1)</script>'}).text
    assert "<script>alert(1)" not in hostile


def test_search_index_files_follow_the_store(store: Store, client: TestClient) -> None:
    meta = client.get("/search/index/meta.json").json()
    assert {r[0] for r in meta["records"]} == {"harbour-closure", "pier-arrests", "ferry-halt"}
    assert client.get("/search/index/terms-0.json").status_code == 200
    draft = store.get("secret-1")
    store.set_status(
        "secret-1", Status.published, base_revision=draft.revision, author="t", message="go"
    )
    meta = client.get("/search/index/meta.json").json()
    assert "secret-1" in {r[0] for r in meta["records"]}


def test_api_exports_are_the_data_files(store: Store, client: TestClient) -> None:
    for name in ("records.json", "records.ndjson", "records.csv", "incidents.geojson"):
        exported = client.get(f"/api/export/{name}")
        assert exported.status_code == 200
        assert exported.content == client.get(f"/data/{name}").content
        assert exported.headers["etag"] == client.get(f"/data/{name}").headers["etag"]
        assert (
            client.get(
                f"/api/export/{name}", headers={"If-None-Match": exported.headers["etag"]}
            ).status_code
            == 304
        )
    assert client.get("/api/export/records.csv").headers["content-type"].startswith("text/csv")
    assert client.get("/api/export/records.sqlite").status_code == 422
    schema = client.get("/api/openapi.json").json()
    parameter = schema["paths"]["/export/{name}"]["get"]["parameters"][0]
    assert parameter["schema"]["enum"] == [
        "records.json", "records.ndjson", "records.csv", "incidents.geojson",
    ]  # fmt: skip
    geojson = client.get("/api/export/incidents.geojson")
    assert geojson.headers["content-type"].startswith("application/geo+json")
    for marker in DRAFT_MARKERS:
        assert marker.encode() not in client.get("/api/export/records.json").content


def test_data_files_are_made_once_per_change_of_published_records(
    store: Store, client: TestClient
) -> None:
    live = live_site(store, SITE)
    first = live.data_export(live.snapshot())
    # A draft saved changes the store's generation but nothing published.
    draft = store.get("secret-2")
    store.save(
        draft.record.model_copy(update={"summary": "Changed draft"}),
        base_revision=draft.revision,
        author="t",
        message="draft edit",
    )
    assert live.data_export(live.snapshot()) is first
    stored = store.get("ferry-halt")
    store.save(
        stored.record.model_copy(update={"summary": "Ferries stopped for a week"}),
        base_revision=stored.revision,
        author="t",
        message="edit",
    )
    second = live.data_export(live.snapshot())
    assert second is not first and not first.directory.exists()
    assert b"Ferries stopped for a week" in client.get("/data/records.csv").content


def test_a_draft_under_a_related_slug_leaves_every_live_answer(
    store: Store, client: TestClient
) -> None:
    stored = store.get("pier-arrests")
    named = stored.record.model_copy(update={"related_incidents": ["pier-inquiry"]})
    store.save(named, base_revision=stored.revision, author="t", message="relate")
    paths = (
        "/incident/pier-arrests.json",
        "/api/incidents/pier-arrests",
        "/collections/harbour.json",
        "/archive.json",
        "/data/records.ndjson",
        "/data/records.csv",
        "/data/records.sqlite",
        "/api/export/records.json",
    )
    # No record here has that slug: it stays as authored (and the files are made).
    for path in paths:
        assert b"pier-inquiry" in client.get(path).content, path
    live = live_site(store, SITE)
    before = live.snapshot()
    store.create(make_record("pier-inquiry"), author="t", message="draft")
    for path in paths:
        assert b"pier-inquiry" not in client.get(path).content, path
    # Nothing a page shows changed: the plan and the cards are kept.
    after = live.snapshot()
    assert after is not before and after.pages is before.pages and after.cards is before.cards
    store.set_status("pier-inquiry", Status.published, base_revision=1, author="t", message="p")
    for path in paths:
        assert b"pier-inquiry" in client.get(path).content, path


def test_files_made_while_a_named_record_was_briefly_published_are_not_kept(
    store: Store, client: TestClient
) -> None:
    """A record published and taken back again between a snapshot and the files made from
    it: the next snapshot is the same, and must not serve what was made meanwhile."""
    stored = store.get("pier-arrests")
    named = stored.record.model_copy(update={"related_incidents": ["harbour-closure", "secret-1"]})
    store.save(named, base_revision=stored.revision, author="t", message="relate")
    live = live_site(store, SITE)
    snapshot = live.snapshot()
    assert snapshot.withheld == {"secret-1"}
    store.set_status("secret-1", Status.published, base_revision=1, author="t", message="p")
    # Made now, for the snapshot taken before: the record is published, so it is named.
    made = live.data_export(snapshot)
    assert b'"secret-1"' in (made.directory / "records.json").read_bytes()
    assert b'"secret-1"' in (live.collection_json(snapshot, "harbour") or b"")
    store.set_status("secret-1", Status.draft, base_revision=2, author="t", message="back")
    assert live.snapshot().records_key == snapshot.records_key  # the same published site
    for path in ("/data/records.json", "/collections/harbour.json", "/archive.json"):
        assert b"secret-1" not in client.get(path).content, path


def test_a_site_under_a_path_is_served_there(tmp_path: Path) -> None:
    site = Site(url="https://example.org/tracker", title="Under a path")
    store = open_store(tmp_path / "tracker.db")
    try:
        fill(store)
        client = TestClient(create_app(store, site))
        assert client.get("/", follow_redirects=False).headers["location"] == "/tracker/"
        home = client.get("/tracker/")
        assert home.status_code == 200 and 'href="/tracker/incident/pier-arrests/"' in home.text
        assert client.get("/tracker/incident/pier-arrests/").status_code == 200
        assert client.get("/tracker/static/style.css").status_code == 200
        assert (
            client.get("/tracker/tag/harbour", follow_redirects=False).headers["location"]
            == "/tracker/tag/harbour/"
        )
    finally:
        store.close()


def test_requests_while_records_change_all_succeed(store: Store, client: TestClient) -> None:
    statuses: list[int] = []
    lock = threading.Lock()

    def read() -> None:
        for path in ("/", "/tag/harbour/", "/incident/pier-arrests/", "/sitemap.xml") * 5:
            code = client.get(path).status_code
            with lock:
                statuses.append(code)

    readers = [threading.Thread(target=read) for _ in range(4)]
    for thread in readers:
        thread.start()
    for i in range(5):
        stored = store.get("ferry-halt")
        store.save(
            stored.record.model_copy(update={"title": f"Ferry halted, day {i}"}),
            base_revision=stored.revision,
            author="t",
            message="edit",
        )
    for thread in readers:
        thread.join()
    assert statuses == [200] * 80
    assert "Ferry halted, day 4" in client.get("/").text


def test_the_licence_the_package_and_the_schemas_are_published(client: TestClient) -> None:
    for path in ("/data/", "/about/"):
        page = client.get(path).text
        assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license"' in page, path
        assert "(CC-BY-4.0) by Harbour Watch" in page
    assert 'href="/data/datapackage.json"' in client.get("/data/").text
    package = client.get("/data/datapackage.json").json()
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    schema = client.get("/schema/record.json")
    assert schema.headers["content-type"].startswith("application/json")
    assert schema.json()["$id"] == "https://tracker.example.org/schema/record.json"
    assert client.get("/schema/nothing.json").status_code == 404
