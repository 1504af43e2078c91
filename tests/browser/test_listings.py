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

import httpx
import pytest

from casework.publish.build import build_site
from casework.publish.cards import card_of
from casework.publish.listing import members
from casework.store import open_store
from casework.web.app import create_app
from casework.web.static_site import static_site_app
from tests.browser.conftest import _unavailable, launched, vnu_errors
from tests.publish.listings import SITE, fill_listings
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
        assert page.is_hidden("#listing-pager")
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
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        _unavailable("axe-playwright-python is not installed (pip install -e '.[test]')")
    path, query = narrowed_query(sites["published"])
    year = sites["published"][0].date.year
    folder: Path = sites["folder"]
    files = []
    for i, address in enumerate((path + query, f"year/{year}/?sort=newest&view=table")):
        file = folder / f"live-{i}.html"
        file.write_bytes(httpx.get(sites["live"] + address).content)
        files.append(str(file))
    assert [m["message"] for m in vnu_errors(files)] == []
    axe = Axe()
    found = {}
    for width in (1280, 390):
        context = chromium.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        try:
            page.goto(sites["static"] + path + query)
            page.wait_for_selector("#listing-records table tbody tr")
            found[width] = [v["id"] for v in axe.run(page).response["violations"]]
            page.goto(sites["static"] + f"year/{year}/?view=table")
            page.wait_for_selector("#listing-records section.month table")
            found[f"year {width}"] = [v["id"] for v in axe.run(page).response["violations"]]
        finally:
            context.close()
    assert {k: v for k, v in found.items() if v} == {}
