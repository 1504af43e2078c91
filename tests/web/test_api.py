"""The JSON API on a real SQLite tracker: published records only, filters, facets, caching."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from casework.examples import generate_records
from casework.formats import record_document
from casework.model import Site, Status
from casework.store import open_store
from casework.store.base import Store
from casework.web.app import create_app
from tests.store.factories import save_changed

SITE = Site(url="https://m.example.org", title="Monitor")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = open_store(f"sqlite:///{tmp_path / 'tracker.db'}")
    records = list(generate_records(12, seed=9, site=SITE))
    store.import_records(records[:10], author="t", message="m", status=Status.published)
    draft = records[10].model_copy(update={"title": "APIDRAFTMARKER", "related_incidents": []})
    store.import_records([draft], author="t", message="m", status=Status.draft)
    yield store
    store.close()


@pytest.fixture
def client(store: Store) -> TestClient:
    return TestClient(create_app(store, SITE))


def test_list_returns_published_records_with_facets(client: TestClient, store: Store) -> None:
    response = client.get("/api/incidents", params={"perPage": 4})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 10 and len(body["incidents"]) == 4
    assert "APIDRAFTMARKER" not in response.text
    dates = [hit["date"] for hit in body["incidents"]]
    assert dates == sorted(dates, reverse=True)
    assert sum(f["count"] for f in body["facets"]["category"]) == 10
    category = body["facets"]["category"][0]["value"]
    filtered = client.get("/api/incidents", params={"category": category}).json()
    assert filtered["total"] == body["facets"]["category"][0]["count"]
    assert {hit["category"] for hit in filtered["incidents"]} == {category}
    second = client.get("/api/incidents", params={"perPage": 4, "page": 2}).json()
    assert not {h["slug"] for h in second["incidents"]} & {h["slug"] for h in body["incidents"]}


def test_search_finds_a_title_word_and_marks_it(client: TestClient, store: Store) -> None:
    record = next(iter(store.iter_records(status=Status.published))).record
    word = max(record.title.split(), key=len).strip(".,")
    body = client.get("/api/incidents", params={"q": word}).json()
    assert record.slug in [hit["slug"] for hit in body["incidents"]]
    assert any("<mark>" in hit["snippet"] for hit in body["incidents"])


def test_one_record_is_tracker_json_and_drafts_are_404(client: TestClient, store: Store) -> None:
    stored = next(iter(store.iter_records(status=Status.published)))
    response = client.get(f"/api/incidents/{stored.record.slug}")
    assert response.status_code == 200
    doc = response.json()
    assert doc == json.loads(json.dumps(record_document(stored.record, SITE, doc["generatedAt"])))
    draft = next(iter(store.iter_records(status=Status.draft)))
    assert client.get(f"/api/incidents/{draft.record.slug}").status_code == 404
    assert client.get("/api/incidents/no-such-record").status_code == 404


def test_reads_carry_an_etag_and_answer_304(client: TestClient, store: Store) -> None:
    slug = next(iter(store.iter_records(status=Status.published))).record.slug
    for path in (f"/api/incidents/{slug}", "/api/incidents?q=the", "/api/stats"):
        first = client.get(path)
        etag = first.headers["etag"]
        assert first.headers["cache-control"].startswith("public")
        again = client.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200
    # An edit changes the record's ETag.
    stored = store.get(slug)
    etag = client.get(f"/api/incidents/{slug}").headers["etag"]
    store.save(stored.record.model_copy(update={"summary": "Changed."}),
               base_revision=stored.revision, author="t", message="m")  # fmt: skip
    assert client.get(f"/api/incidents/{slug}").headers["etag"] != etag


def test_stats_count_published_records(client: TestClient) -> None:
    body = client.get("/api/stats").json()
    assert body["total"] == 10
    assert sum(body["byCategory"].values()) == 10 and sum(body["byYear"].values()) == 10
    assert 0 <= body["ongoing"] <= 10


def test_bad_parameters_are_422_and_openapi_describes_every_route(client: TestClient) -> None:
    assert client.get("/api/incidents", params={"perPage": 1000}).status_code == 422
    assert client.get("/api/incidents", params={"year": "soon"}).status_code == 422
    assert client.get("/api/incidents", params={"sort": "random"}).status_code == 422
    assert client.get("/api/incidents", params={"q": "x" * 500}).status_code == 422
    spec = client.get("/api/openapi.json").json()
    assert {"/incidents", "/incidents/{slug}", "/stats"} <= set(spec["paths"])


def test_a_date_range_keeps_records_between_its_ends(client: TestClient, store: Store) -> None:
    dates = sorted(s.record.date.isoformat() for s in store.iter_records(status=Status.published))
    low, high = dates[2], dates[6]
    body = client.get("/api/incidents", params={"from": low, "to": high, "perPage": 100}).json()
    assert body["total"] == sum(1 for d in dates if low <= d <= high) >= 5
    assert all(low <= hit["date"] <= high for hit in body["incidents"])
    assert sum(f["count"] for f in body["facets"]["category"]) == body["total"]
    only_after = client.get("/api/incidents", params={"from": high}).json()
    assert only_after["total"] == sum(1 for d in dates if d >= high)
    assert client.get("/api/incidents", params={"from": "2020-02-31"}).status_code == 422


def test_a_cached_answer_follows_an_edit_at_once(client: TestClient, store: Store) -> None:
    slug = next(iter(store.versions(status=Status.published)))
    first = client.get(f"/api/incidents/{slug}")
    again = client.get(f"/api/incidents/{slug}", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    save_changed(store, slug, message="m", title="A title written after caching")
    changed = client.get(f"/api/incidents/{slug}", headers={"If-None-Match": first.headers["etag"]})
    assert changed.status_code == 200
    assert changed.json()["record"]["title"] == "A title written after caching"
    listed = client.get("/api/incidents", params={"q": "caching"}).json()
    assert [hit["slug"] for hit in listed["incidents"]] == [slug]
