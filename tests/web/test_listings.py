"""Listings on the live site over a real HTTP server: narrowed by the other facets with plain
query parameters, sorted, shown as a table, and downloaded as CSV and JSON in exactly that
order — the data files' columns, published records only, and no count of drafts."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from casework.formats.csv_export import COLUMNS
from casework.publish import listing
from casework.publish.cards import card_of
from casework.publish.listing import Choice, chosen, members
from casework.publish.plan import PER_PAGE
from casework.store import open_store
from casework.web.app import create_app
from tests.publish.listings import SITE, busiest_listing, fill_listings
from tests.serving import serving

SEVERITIES = list(SITE.vocabularies.get("severity"))
ROW_LINK = re.compile(
    r'<tr><td><time datetime="([\d-]+)">[\d-]+</time></td><td><a href="/incident/([^/]+)/">'
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[httpx.Client, list, list]]:
    folder: Path = tmp_path_factory.mktemp("live-listings")
    store = open_store(folder / "tracker.db")
    published, hidden = fill_listings(store)
    with serving(create_app(store, SITE)) as url, httpx.Client(base_url=url) as client:
        yield client, published, hidden
    store.close()


def busiest(cards: list[dict], name: str) -> str:
    values = [c[name] for c in cards]
    return max(set(values), key=values.count)


def csv_slugs(text: str) -> list[str]:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert tuple(rows[0]) == COLUMNS  # the columns of /data/records.csv
    return [row[0] for row in rows[1:]]


def test_a_category_narrowed_by_severity_and_sorted_by_title_as_a_table(
    site: tuple[httpx.Client, list, list],
) -> None:
    client, published, _ = site
    cards = [card_of(r) for r in published]
    category = busiest(cards, "category")
    listed = members(cards, "category", category, SITE)
    severity = busiest(listed, "severity")
    query = {"severity": severity, "sort": "title", "view": "table"}
    page = client.get(f"/category/{category}/", params=query)
    assert page.status_code == 200
    expected = chosen(listed, Choice({"severity": severity}, "title"), "category", SEVERITIES)
    assert 1 < len(expected) < len(listed)
    shown = [slug for _, slug in ROW_LINK.findall(page.text)]
    assert shown == [c["slug"] for c in expected][:PER_PAGE]
    assert f"{len(expected)} records match these filters." in page.text
    assert '<option value="title" selected>' in page.text
    # The downloads of exactly that view: the same records, in the same order.
    download = client.get(f"/category/{category}/", params=query | {"format": "csv"})
    assert download.headers["content-type"].startswith("text/csv")
    assert csv_slugs(download.text) == [c["slug"] for c in expected]
    sibling = client.get(f"/category/{category}/index.csv", params=query)
    assert sibling.content == download.content
    document = client.get(f"/category/{category}/index.json", params=query).json()
    assert [r["slug"] for r in document["records"]] == [c["slug"] for c in expected]
    assert document["recordCount"] == len(expected)
    data = client.get("/data/records.csv").text
    data_rows = {row[0]: row for row in csv.reader(io.StringIO(data, newline=""))}
    listed_rows = list(csv.reader(io.StringIO(download.text, newline="")))[1:]
    assert listed_rows == [data_rows[c["slug"]] for c in expected]


def test_sorts_and_year_filters_and_pages(site: tuple[httpx.Client, list, list]) -> None:
    client, published, _ = site
    cards = [card_of(r) for r in published]
    tag = busiest([{"t": t} for c in cards for t in c["tags"]], "t")
    slug = tag.lower().replace(" ", "-")
    listed = members(cards, "tag", slug, SITE)
    for sort in ("newest", "oldest", "title", "severity"):
        got = csv_slugs(client.get(f"/tag/{slug}/index.csv", params={"sort": sort}).text)
        assert got == [c["slug"] for c in chosen(listed, Choice({}, sort), "tag", SEVERITIES)]
    year = listed[0]["date"][:4]
    got = csv_slugs(client.get(f"/tag/{slug}/index.csv", params={"year": year}).text)
    assert got == [c["slug"] for c in listed if c["date"].startswith(year)]
    # The unfiltered sibling file is the listing as planned, newest first.
    assert csv_slugs(client.get(f"/tag/{slug}/index.csv").text) == [c["slug"] for c in listed]


def test_a_long_listing_pages_with_its_query(site: tuple[httpx.Client, list, list]) -> None:
    client, published, _ = site
    cards = [card_of(r) for r in published]
    severity = busiest(cards, "severity")
    listed = members(cards, "severity", severity, SITE)
    listed = chosen(listed, Choice({}, "title"), "severity", SEVERITIES)
    assert len(listed) > PER_PAGE
    query = {"sort": "title", "view": "table", "page": 2}
    second = client.get(f"/severity/{severity}/", params=query)
    shown = [s for _, s in ROW_LINK.findall(second.text)]
    assert shown == [c["slug"] for c in listed][PER_PAGE : 2 * PER_PAGE]
    assert 'href="?sort=title&amp;view=table&amp;page=1"' in second.text


def test_drafts_are_in_no_listing_count_row_or_download(
    site: tuple[httpx.Client, list, list],
) -> None:
    client, published, hidden = site
    cards = [card_of(r) for r in published]
    for draft in hidden:
        page = client.get(f"/category/{draft.category}/", params={"view": "table"})
        rows = [s for _, s in ROW_LINK.findall(page.text)]
        assert draft.slug not in rows
        listed = members(cards, "category", draft.category, SITE)
        # The form's counts are of published records: they add up to the listing's.
        years = re.findall(r'<option value="\d{4}">\d{4} \((\d+)\)</option>', page.text)
        assert sum(map(int, years)) == len(listed)
        for fmt in ("csv", "json"):
            body = client.get(f"/category/{draft.category}/index.{fmt}").text
            assert f"/incident/{draft.slug}/" not in body
            assert draft.title not in body
    # A filter only unpublished records would match answers as any empty filter does.
    only_hidden = {t for d in hidden for t in d.tags} - {t for c in cards for t in c["tags"]}
    for tag in sorted(only_hidden)[:3]:
        page = client.get(f"/category/{hidden[0].category}/", params={"tag": tag})
        assert "0 records match these filters." in page.text
    assert client.get("/category/no-such/index.csv").status_code == 404


def test_a_download_is_cached_and_compressed_as_every_answer(
    site: tuple[httpx.Client, list, list],
) -> None:
    client, published, _ = site
    category = published[0].category
    first = client.get(f"/category/{category}/index.csv", headers={"accept-encoding": "gzip"})
    assert first.headers["content-encoding"] == "gzip"  # http16's middleware, on the way
    again = client.get(
        f"/category/{category}/index.csv", headers={"if-none-match": first.headers["etag"]}
    )
    assert again.status_code == 304
    head = client.head(f"/category/{category}/index.json")
    assert head.status_code == 200 and head.content == b""


def test_the_shared_listing_files_are_served_for_listing_js(
    site: tuple[httpx.Client, list, list],
) -> None:
    """A listing with no query string is the page as built: its downloads are made by
    static/listing.js from /listing/'s files, which the live app answers too (of published
    records only), and a name that is no such file is not found."""
    client, published, hidden = site
    manifest = client.get("/listing/index.json")
    assert manifest.status_code == 200 and manifest.json()["shards"] == listing.SHARDS
    slugs: set[str] = set()
    for n in range(listing.SHARDS):
        rows = client.get("/" + listing.ROWS_FILE.format(n)).json()
        slugs |= {row[0] for row in rows}
        docs = client.get("/" + listing.DOCS_FILE.format(n))
        assert docs.headers["content-type"] == "text/plain; charset=utf-8"
        assert not any(r.slug in docs.text for r in hidden)
    assert slugs == {r.slug for r in published}
    page = client.get(f"/category/{published[0].category}/").text
    assert 'data-rows="/listing/index.json"' in page and 'href="/data/records.csv"' in page
    for name in ("rows-64.json", "docs-1.txt", "index.csv", "nothing"):
        assert client.get(f"/listing/{name}").status_code == 404, name


@pytest.mark.parametrize("kind", ["entity", "law"])
def test_an_entity_or_statute_narrowed_sorted_and_paged_without_javascript(
    site: tuple[httpx.Client, list, list], kind: str
) -> None:
    """An entity's and a statute's page narrow, sort and show a table on the server, as the
    other listings: the planned page's header kept, its downloads those of the view."""
    client, published, _ = site
    cards = [card_of(r) for r in published]
    key = busiest_listing(cards, kind)
    listed = members(cards, kind, key, SITE)
    category = busiest(listed, "category")
    plain = client.get(f"/{kind}/{key}/")
    assert 'id="listing-form"' in plain.text and "static/listing.js" in plain.text
    heading = re.search(r"<h1>[^<]+</h1>", plain.text)
    assert heading is not None
    query = {"category": category, "sort": "oldest", "view": "table"}
    page = client.get(f"/{kind}/{key}/", params=query)
    assert page.status_code == 200
    expected = chosen(listed, Choice({"category": category}, "oldest"), kind, SEVERITIES)
    assert 1 < len(expected) <= len(listed)
    assert heading.group(0) in page.text  # who or what the page is about, still said
    assert "static/listing.js" not in page.text  # the server drew the view
    shown = [slug for _, slug in ROW_LINK.findall(page.text)]
    assert shown == [c["slug"] for c in expected][:PER_PAGE]
    assert f'<option value="{category}" selected>' in page.text
    assert f"index.csv?category={category}&amp;sort=oldest&amp;view=table" in page.text
    download = client.get(f"/{kind}/{key}/index.csv", params=query)
    assert csv_slugs(download.text) == [c["slug"] for c in expected]
    # More than a page: the pager keeps the query.
    every = client.get(f"/{kind}/{key}/", params={"sort": "title"})
    by_title = chosen(listed, Choice({}, "title"), kind, SEVERITIES)
    if len(by_title) > PER_PAGE:
        assert 'href="?sort=title&amp;page=2"' in every.text


def test_a_search_as_a_table_and_its_downloads(site: tuple[httpx.Client, list, list]) -> None:
    """The search page shows its matches as the listings' table and downloads every match
    (not only the page shown), in the result's order, as the data files have them."""
    client, published, hidden = site
    cards = [card_of(r) for r in published]
    category = busiest(cards, "category")
    query = {"category": category, "view": "table"}
    page = client.get("/search/", params=query)
    expected = sorted(
        (c for c in cards if c["category"] == category),
        key=lambda c: (c["date"], c["slug"]),
        reverse=True,
    )
    shown = [slug for _, slug in ROW_LINK.findall(page.text)]
    assert shown == [c["slug"] for c in expected][: len(shown)] and len(shown) > 1
    assert '<option value="table" selected>' in page.text
    assert f'href="?category={category}&amp;format=csv"' in page.text
    download = client.get("/search/", params={"category": category, "format": "csv"})
    assert download.headers["content-type"].startswith("text/csv")
    assert csv_slugs(download.text) == [c["slug"] for c in expected]
    # Drafts that match are in no download.
    assert not {r.slug for r in hidden} & set(csv_slugs(download.text))
    # Words: every match, in the order the page ranks them, its pages together.
    word = published[0].title.split()[-1]
    ranked = []
    number = 1
    while True:
        result = client.get("/search/", params={"q": word, "view": "table", "page": number})
        ranked += [slug for _, slug in ROW_LINK.findall(result.text)]
        if 'rel="next"' not in result.text:
            break
        number += 1
    document = client.get("/search/", params={"q": word, "format": "json"}).json()
    assert [r["slug"] for r in document["records"]] == ranked and ranked
    assert document["recordCount"] == len(ranked)
    empty = client.get("/search/", params={"format": "csv"})
    assert csv_slugs(empty.text) == []
