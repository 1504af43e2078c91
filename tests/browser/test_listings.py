"""A listing's filters, order and table on the static site (static/listing.js over the shared
listing files) give what the live app gives for the same query string: the same rows in the
same order, the same status, the same CSV and JSON bytes to download; and the narrowed pages
meet the standards (Nu HTML Checker on the live app's HTML, axe on the static page as the
script draws it)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from casework.publish.build import build_site
from casework.publish.cards import card_of
from casework.publish.listing import members
from casework.store import open_store
from casework.web.app import create_app
from casework.web.static_site import static_site_app
from tests.browser.conftest import _unavailable, launched, vnu_errors
from tests.publish.listings import SITE, busiest_listing, fill_listings
from tests.serving import serving

ROW = re.compile(
    r'<tr><td><time datetime="[\d-]+">[\d-]+</time></td><td><a href="/incident/([^/]+)/">'
)


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder: Path = tmp_path_factory.mktemp("listing-js")
    store = open_store(folder / "tracker.db")
    published, _ = fill_listings(store)
    build_site(store, SITE, folder / "out", workers=1)
    with (
        serving(static_site_app(folder / "out")) as static,
        serving(create_app(store, SITE)) as live,
    ):
        yield {"static": static, "live": live, "published": published, "folder": folder}
    store.close()


@pytest.fixture(scope="module")
def chromium(sites: dict[str, Any]) -> Iterator[Any]:
    with launched() as browser:
        yield browser


def narrowed_query(published: list) -> tuple[str, str]:
    """A category listing's path and a query narrowing it to a few records, as a table."""
    cards = [card_of(r) for r in published]
    values = [c["category"] for c in cards]
    category = max(set(values), key=values.count)
    listed = members(cards, "category", category, SITE)
    severities = [c["severity"] for c in listed]
    severity = max(set(severities), key=severities.count)
    return f"category/{category}/", f"?severity={severity}&sort=title&view=table"


def test_the_static_listing_narrows_sorts_and_downloads_as_the_live_one(
    chromium: Any, sites: dict[str, Any]
) -> None:
    path, query = narrowed_query(sites["published"])
    same_as_live(chromium, sites, path, query)


@pytest.mark.parametrize("kind", ["entity", "law"])
def test_an_entity_or_statute_narrowed_in_its_form_as_the_live_one(
    chromium: Any, sites: dict[str, Any], kind: str
) -> None:
    """An entity's or a statute's page, narrowed by a category in its form, sorted by title
    and switched to the table, as a reader would: the view and downloads the live app gives
    for the query string the form makes."""
    cards = [card_of(r) for r in sites["published"]]
    key = busiest_listing(cards, kind)
    listed = members(cards, kind, key, SITE)
    categories = [c["category"] for c in listed]
    category = max(sorted(set(categories)), key=categories.count)
    assert categories.count(category) > 1
    path = f"{kind}/{key}/"
    page = chromium.new_page()
    try:
        page.goto(sites["static"] + path)
        heading = page.text_content("h1")
        page.select_option("#l-category", category)
        page.select_option("#l-sort", "title")
        page.select_option("#l-view", "table")
        with page.expect_navigation():
            page.click("#listing-form button[type=submit]")
        query = page.url.split("?", 1)[1]
        page.wait_for_selector("#listing-records table tbody tr")
        assert page.text_content("h1") == heading  # the page's own header kept
    finally:
        page.close()
    given = sorted(p for p in query.split("&") if not p.endswith("="))  # the form's "Any"s
    assert given == [f"category={category}", "sort=title", "view=table"]
    same_as_live(chromium, sites, path, "?" + query)


def same_as_live(chromium: Any, sites: dict[str, Any], path: str, query: str) -> None:
    """The static page at `path` with `query`, as listing.js draws it, shows the rows and
    status the live app's page does, and downloads the live app's CSV and JSON."""
    live = httpx.get(sites["live"] + path + query).text
    live_rows = ROW.findall(live)
    assert len(live_rows) > 1
    live_csv = httpx.get(sites["live"] + path + "index.csv" + query).text
    live_json = httpx.get(sites["live"] + path + "index.json" + query).text
    status = re.search(r'<p class="meta" id="listing-status">([^<]+)</p>', live)
    assert status is not None
    context = chromium.new_context(accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(sites["static"] + path + query)
        page.wait_for_selector("#listing-records table tbody tr")
        static_rows = page.eval_on_selector_all(
            "#listing-records tbody tr td:nth-child(2) a",
            "links => links.map(a => a.getAttribute('href').split('/')[2])",
        )
        assert static_rows == live_rows
        assert page.text_content("#listing-status") == status.group(1)
        assert page.eval_on_selector("#l-sort", "s => s.value") == "title"
        assert page.is_hidden("#listing-pager") or page.query_selector("#listing-pager") is None
        # Downloaded as a reader would: the script's blob, saved by the browser.
        with page.expect_download() as csv_download:
            page.click("#listing-csv")
        assert Path(csv_download.value.path()).read_bytes().decode() == live_csv
        with page.expect_download() as json_download:
            page.click("#listing-json")
        blob_text = Path(json_download.value.path()).read_bytes().decode()
        assert [r["slug"] for r in json.loads(blob_text)["records"]] == live_rows
        # The same bytes but when each was made (the build's time, the live snapshot's).
        assert without_time(blob_text) == without_time(live_json)
    finally:
        context.close()
    assert errors == []


def search_query(published: list) -> dict[str, str]:
    """A search by a word many titles hold, narrowed to its matches' commonest category."""
    cards = [card_of(r) for r in published]
    words = [w for c in cards for w in dict.fromkeys(c["title"].lower().split()) if len(w) > 4]
    word = max(sorted(set(words)), key=words.count)
    categories = [c["category"] for c in cards if word in c["title"].lower().split()]
    return {"q": word, "category": max(sorted(set(categories)), key=categories.count)}


def test_a_search_shown_as_a_table_downloads_what_the_live_one_does(
    chromium: Any, sites: dict[str, Any]
) -> None:
    """The static search (search.js), narrowed by a category and switched to the table in
    its form: the live app's table rows, in its order, and its CSV and JSON of every match."""
    asked = search_query(sites["published"])
    query = "?" + urlencode(asked)
    live = httpx.get(sites["live"] + "search/" + query + "&view=table").text
    live_rows = ROW.findall(live)
    assert len(live_rows) > 1
    live_csv = httpx.get(sites["live"] + "search/" + query + "&format=csv").text
    live_json = httpx.get(sites["live"] + "search/" + query + "&format=json").text
    context = chromium.new_context(accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(sites["static"] + "search/" + query)
        page.wait_for_selector("#search-results li")
        assert page.is_visible("#search-downloads")
        page.select_option("#f-view", "table")
        page.wait_for_selector("#search-table tbody tr")
        static_rows = page.eval_on_selector_all(
            "#search-table tbody tr td:nth-child(2) a",
            "links => links.map(a => a.getAttribute('href').split('/')[2])",
        )
        assert static_rows == live_rows
        assert "view=table" in page.url  # the address says the view, as the live app's
        with page.expect_download() as csv_download:
            page.click("#search-csv")
        assert Path(csv_download.value.path()).read_bytes().decode() == live_csv
        with page.expect_download() as json_download:
            page.click("#search-json")
        blob_text = Path(json_download.value.path()).read_bytes().decode()
        assert without_time(blob_text) == without_time(live_json)
        assert json.loads(blob_text)["recordCount"] == len(live_rows)
        # Another search: the downloads are of its matches, not the first one's.
        page.select_option("#f-category", "")
        page.wait_for_function(
            "n => document.querySelectorAll('#search-table tbody tr').length > n",
            arg=len(live_rows),
        )
        with page.expect_download() as wider:
            page.click("#search-csv")
        wider_csv = httpx.get(sites["live"] + "search/?q=" + asked["q"] + "&format=csv").text
        assert Path(wider.value.path()).read_bytes().decode() == wider_csv
    finally:
        context.close()
    assert errors == []


def without_time(text: str) -> str:
    return re.sub(r'"generatedAt": "[^"]*"', '"generatedAt": ""', text, count=1)


def test_an_unnarrowed_listing_downloads_as_the_live_one(
    chromium: Any, sites: dict[str, Any]
) -> None:
    """A page with no query string (an entity's, which has no form) is left as built, and its
    downloads are still the listing's, made by the script from the shared files."""
    cards = [card_of(r) for r in sites["published"]]
    counts: dict[str, int] = {}
    for card in cards:
        for entity in card["entities"]:
            counts[entity[0]] = counts.get(entity[0], 0) + 1
    entity = max(counts, key=lambda e: (counts[e], e))
    assert counts[entity] > 1
    path = f"entity/{entity}/"
    live_csv = httpx.get(sites["live"] + path + "index.csv").text
    live_json = httpx.get(sites["live"] + path + "index.json").text
    context = chromium.new_context(accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(sites["static"] + path)
        # Without the script, the links are the data files.
        assert page.get_attribute("#listing-csv", "href") == "/data/records.csv"
        with page.expect_download() as csv_download:
            page.click("#listing-csv")
        assert Path(csv_download.value.path()).read_bytes().decode() == live_csv
        with page.expect_download() as json_download:
            page.click("#listing-json")
        blob_text = Path(json_download.value.path()).read_bytes().decode()
        assert without_time(blob_text) == without_time(live_json)
        assert json.loads(blob_text)["recordCount"] == counts[entity]
    finally:
        context.close()
    assert errors == []


def test_the_narrowed_pages_meet_the_standards(chromium: Any, sites: dict[str, Any]) -> None:
    """A category's, a year's, an entity's and a statute's page narrowed and as a table, and a
    search as a table: the live app's HTML to the Nu HTML Checker, the static pages as the
    scripts draw them to axe."""
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        _unavailable("axe-playwright-python is not installed (pip install -e '.[test]')")
    path, query = narrowed_query(sites["published"])
    year = sites["published"][0].date.year
    cards = [card_of(r) for r in sites["published"]]
    search = "search/?" + urlencode(search_query(sites["published"]) | {"view": "table"})
    entity, law = busiest_listing(cards, "entity"), busiest_listing(cards, "law")
    # address → what shows the static page drawn
    addresses = {
        path + query: "#listing-records table tbody tr",
        f"year/{year}/?view=table": "#listing-records section.month table",
        f"entity/{entity}/?sort=severity&view=table": "#listing-records table",
        f"law/{law}/?sort=oldest&view=table": "#listing-records table",
        search: "#search-table tbody tr",
    }
    folder: Path = sites["folder"]
    files = []
    for i, address in enumerate(addresses):
        file = folder / f"live-{i}.html"
        body = httpx.get(sites["live"] + address).content
        assert b"<table" in body, address
        file.write_bytes(body)
        files.append(str(file))
    assert [m["message"] for m in vnu_errors(files)] == []
    axe = Axe()
    found = {}
    for width in (1280, 390):
        context = chromium.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        try:
            for address, drawn in addresses.items():
                page.goto(sites["static"] + address)
                page.wait_for_selector(drawn)
                violations = axe.run(page).response["violations"]
                found[f"{address} {width}"] = [v["id"] for v in violations]
        finally:
            context.close()
    assert {k: v for k, v in found.items() if v} == {}
