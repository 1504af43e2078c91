"""The search page's country filter, live: `/search/?country=UA` (the API's parameter) answers
on the server from published records, and search.js, run on the live app's own index, finds
the same records in the same order for the same query."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from casework.store import open_store
from casework.store.base import Store
from casework.web.app import create_app
from tests.publish.conftest import SITE
from tests.publish.test_search_countries import published
from tests.store.factories import make_record

QUERIES = [
    {"country": "UA"},
    {"country": "ua"},
    {"country": "PS"},
    {"country": "SY", "q": "village"},
    {"country": "UA", "q": "kharkiv"},
    {"country": "NZ"},
    {"country": "UA", "category": "rule-of-law"},
]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    from casework.model import Status

    store = open_store(tmp_path / "tracker.db")
    store.import_records(published(), author="test", message="seed")
    draft = make_record(
        "zqxdraft",
        title="Unpublished village in Kharkiv",
        locations=[
            {"country": "UA", "precision": "country"},
            {"country": "NZ", "precision": "country"},
        ],
    )
    store.create(draft, author="test", message="new", status=Status.draft)
    yield store
    store.close()


def live_slugs(client: TestClient, query: dict[str, str]) -> list[str]:
    page = client.get("/search/", params=query)
    assert page.status_code == 200
    results = page.text[page.text.index('id="search-results"') :]
    results = results[: results.index("</ol>")]
    return re.findall(r'href="/incident/([^/"]+)/"', results)


def test_live_search_filters_by_country(store: Store) -> None:
    with TestClient(create_app(store, SITE, warm=False)) as client:
        assert live_slugs(client, {"country": "UA"}) == ["two-countries", "ukraine"]
        assert live_slugs(client, {"country": "ua"}) == ["two-countries", "ukraine"]
        assert live_slugs(client, {"country": "UA", "q": "kharkiv"}) == ["ukraine"]
        assert live_slugs(client, {"country": "NZ"}) == []
        page = client.get("/search/", params={"country": "UA"}).text
        assert "2 records match these filters." in page
        assert '<option value="UA" selected>Ukraine (2)</option>' in page
        assert "zqxdraft" not in page and "Unpublished" not in page
        # A country no published record names is kept in the select, and finds nothing.
        none = client.get("/search/", params={"country": "NZ"}).text
        assert "No record matches these filters." in none
        assert '<option value="NZ" selected>NZ</option>' in none
        assert "New Zealand" not in none
        # The bare page lists the countries with counts; search.js runs on it.
        bare = client.get("/search/").text
        assert '<option value="PS">Palestine, State of (1)</option>' in bare
        assert "search.js" in bare


def test_search_js_on_the_live_index_gives_the_live_results(store: Store, tmp_path: Path) -> None:
    from tests.publish.test_search_js import search

    index = tmp_path / "index"
    index.mkdir()
    with TestClient(create_app(store, SITE, warm=False)) as client:
        meta = client.get("/search/index/meta.json")
        (index / "meta.json").write_bytes(meta.content)
        for n in range(meta.json()["shardCount"]):
            name = f"terms-{n}.json"
            (index / name).write_bytes(client.get(f"/search/index/{name}").content)
        expected = [live_slugs(client, query) for query in QUERIES]
    # Words end with a space: search.js completes a last word still being typed.
    asked = [{**q, "q": q["q"] + " "} if "q" in q else q for q in QUERIES]
    answers = search(index, *asked)["answers"]
    assert [a["slugs"] for a in answers] == expected
    assert expected[0] == ["two-countries", "ukraine"] and expected[-2] == []
