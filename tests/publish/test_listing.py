"""Listings as a research tool (publish/listing.py): which records a listing holds, narrowed
and sorted, and the static build's index.csv and index.json beside each listing, checked
against the site's own data files on generated records."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from casework.publish.build import build_site
from casework.publish.cards import card_of, tag_slug
from casework.publish.listing import Choice, choice_of, chosen, members, options
from casework.store import open_store
from casework.store.base import Store
from tests.publish.listings import SITE, fill_listings

SEVERITIES = list(SITE.vocabularies.get("severity"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list, list]]:
    folder = tmp_path_factory.mktemp("listings")
    store: Store = open_store(folder / "tracker.db")
    published, hidden = fill_listings(store)
    build_site(store, SITE, folder / "site", workers=1)
    store.close()
    yield folder / "site", published, hidden


def cards_of(records: list) -> list[dict]:
    return [card_of(r) for r in records]


def test_a_listing_holds_its_records_newest_first_and_narrows_by_the_other_facets(
    built: tuple[Path, list, list],
) -> None:
    _, published, _ = built
    cards = cards_of(published)
    category = max(
        {c["category"] for c in cards}, key=lambda k: sum(c["category"] == k for c in cards)
    )
    listed = members(cards, "category", category, SITE)
    assert {c["slug"] for c in listed} == {c["slug"] for c in cards if c["category"] == category}
    assert [c["date"] for c in listed] == sorted((c["date"] for c in listed), reverse=True)
    severity = listed[0]["severity"]
    choice = choice_of({"severity": severity, "category": "ignored", "sort": "title"}, "category")
    assert choice.filters == {"severity": severity}  # a listing's own facet is not narrowed
    got = chosen(listed, choice, "category", SEVERITIES)
    expected = [c for c in listed if c["severity"] == severity]
    assert [c["slug"] for c in got] == [
        c["slug"] for c in sorted(expected, key=lambda c: (c["title"].casefold(), c["slug"]))
    ]
    year = listed[-1]["date"][:4]
    by_year = chosen(listed, Choice({"year": year}, "oldest"), "category", SEVERITIES)
    assert by_year and all(c["date"].startswith(year) for c in by_year)
    assert [c["date"] for c in by_year] == sorted(c["date"] for c in by_year)
    severe = chosen(listed, Choice({}, "severity"), "category", SEVERITIES)
    ranks = [SEVERITIES.index(c["severity"]) for c in severe]
    assert ranks == sorted(ranks, reverse=True) and len(set(ranks)) > 1
    tag = next(t for c in listed for t in c["tags"])
    tagged = chosen(listed, choice_of({"tag": tag}, "category"), "category", SEVERITIES)
    assert tagged and all(tag in c["tags"] for c in tagged)
    country = next(code for c in listed for code in c["countries"])
    placed = chosen(
        listed, choice_of({"country": country.lower()}, "category"), "category", SEVERITIES
    )
    assert placed and all(country in c["countries"] for c in placed)
    # Unknown sorts and views are the defaults: nothing to narrow.
    assert not choice_of({"sort": "evil", "view": "x"}, "category").narrowed


def test_options_count_only_the_listings_records(built: tuple[Path, list, list]) -> None:
    _, published, _ = built
    cards = cards_of(published)
    made = options(cards, "tag")
    assert "tag" not in made
    assert sum(n for _, _, n in made["year"]) == len(cards)
    assert sum(n for _, _, n in made["category"]) == len(cards)


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_the_build_writes_each_listings_records_as_the_data_files_have_them(
    built: tuple[Path, list, list],
) -> None:
    out, published, hidden = built
    data_rows = rows((out / "data/records.csv").read_text(encoding="utf-8"))
    header, by_slug = data_rows[0], {row[0]: row for row in data_rows[1:]}
    data_json = {
        r["slug"]: r for r in json.loads((out / "data/records.json").read_text())["records"]
    }
    cards = cards_of(published)
    listings = sorted(out.glob("*/*/index.csv"))
    assert len(listings) > 20
    for path in listings:
        folder = path.parent.relative_to(out).as_posix()
        kind, key = folder.split("/")
        if kind not in ("category", "severity", "posture", "year", "tag", "entity", "law"):
            continue
        expected = chosen(members(cards, kind, key, SITE), Choice(), kind, SEVERITIES)
        got = rows(path.read_text(encoding="utf-8"))
        assert got[0] == header, folder
        assert [row[0] for row in got[1:]] == [c["slug"] for c in expected], folder
        assert got[1:] == [by_slug[c["slug"]] for c in expected], folder
        document = json.loads((path.parent / "index.json").read_text())
        assert document["recordCount"] == len(expected)
        assert document["records"] == [data_json[c["slug"]] for c in expected], folder
    hidden_slugs = {r.slug for r in hidden}
    for path in out.rglob("index.*"):
        if path.suffix in (".csv", ".json"):
            text = path.read_text(encoding="utf-8")
            assert not any(f"/incident/{s}/" in text for s in hidden_slugs), path


def test_a_years_listing_is_a_timeline_by_month(built: tuple[Path, list, list]) -> None:
    out, published, _ = built
    cards = cards_of(published)
    year = max({c["date"][:4] for c in cards}, key=lambda y: sum(c["date"][:4] == y for c in cards))
    html = (out / f"year/{year}/index.html").read_text()
    months = re.findall(r'<h2 id="m-(\d{4}-\d\d)">', html)
    assert months == sorted(set(months)) and len(months) > 1
    dates = re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)">', html)
    assert dates == sorted(dates) and all(d.startswith(year) for d in dates)
    # Each record sits under its own month.
    for month, section in re.findall(r'<h2 id="m-([\d-]+)">.*?</h2>(.*?)</section>', html, re.S):
        assert all(d.startswith(month) for d in re.findall(r'datetime="([\d-]+)"', section))


def test_a_listing_page_offers_its_downloads_and_a_form(built: tuple[Path, list, list]) -> None:
    out, published, _ = built
    tag = published[0].tags[0]
    html = (out / f"tag/{tag_slug(tag)}/index.html").read_text()
    assert f'href="/tag/{tag_slug(tag)}/index.csv"' in html
    assert f'href="/tag/{tag_slug(tag)}/index.json"' in html
    assert '<form id="listing-form"' in html and 'method="get"' in html
    assert 'name="tag"' not in html  # its own facet
    assert "static/listing.js" in html
