"""The Atom feed and robots.txt (the sitemap: test_sitemap.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta, timezone

import feedparser

from casework.model import Record, Site
from casework.publish.feeds import atom_feed, robots_txt
from tests.store.factories import make_record

SITE = Site(url="https://tracker.example.org", title="Harbour & Watch", description="Incidents.")
UPDATED = datetime(2026, 11, 1, 12, 30, tzinfo=UTC)
ATOM = "{http://www.w3.org/2005/Atom}"


def records() -> list[Record]:
    return [
        make_record("old", date="2020-01-01", lastUpdated="2020-02-01"),
        make_record("tie-b", date="2021-01-01", lastUpdated="2023-05-05"),
        make_record("tie-a", date="2021-01-01", lastUpdated="2023-05-05"),
        make_record("tie-earlier", date="2019-01-01", lastUpdated="2023-05-05"),
        make_record("newest", date="2022-03-14", lastUpdated="2024-01-09", category="rule-of-law"),
    ]


def entries(feed: bytes) -> list[ET.Element]:
    return ET.fromstring(feed).findall(f"{ATOM}entry")


def test_feed_head() -> None:
    feed = ET.fromstring(atom_feed(records(), SITE, updated=UPDATED))
    assert feed.findtext(f"{ATOM}id") == "https://tracker.example.org/"
    assert feed.findtext(f"{ATOM}title") == "Harbour & Watch"
    assert feed.findtext(f"{ATOM}subtitle") == "Incidents."
    assert feed.findtext(f"{ATOM}updated") == "2026-11-01T12:30:00+00:00"
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links["self"] == "https://tracker.example.org/feed.xml"
    assert links["alternate"] == "https://tracker.example.org/"
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "Harbour & Watch"


def test_entries_most_recently_updated_first_with_stable_ties() -> None:
    feed = atom_feed(records(), SITE, updated=UPDATED)
    ids = [entry.findtext(f"{ATOM}id") for entry in entries(feed)]
    base = "https://tracker.example.org/incident/"
    assert ids == [base + s + "/" for s in ("newest", "tie-a", "tie-b", "tie-earlier", "old")]


def test_limit_keeps_the_latest() -> None:
    feed = atom_feed(records(), SITE, updated=UPDATED, limit=2)
    ids = [entry.findtext(f"{ATOM}id") for entry in entries(feed)]
    assert ids == [
        "https://tracker.example.org/incident/newest/",
        "https://tracker.example.org/incident/tie-a/",
    ]
    assert entries(atom_feed(records(), SITE, updated=UPDATED, limit=0)) == []


def test_entry_fields() -> None:
    feed = atom_feed(records(), SITE, updated=UPDATED)
    entry = entries(feed)[0]
    url = "https://tracker.example.org/incident/newest/"
    assert entry.findtext(f"{ATOM}id") == url
    assert entry.find(f"{ATOM}link").get("href") == url  # type: ignore[union-attr]
    assert entry.findtext(f"{ATOM}title") == "Harbour closed without warning"
    assert entry.findtext(f"{ATOM}summary") == records()[-1].summary
    assert entry.findtext(f"{ATOM}published") == "2022-03-14T00:00:00+00:00"
    assert entry.findtext(f"{ATOM}updated") == "2024-01-09T00:00:00+00:00"
    assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == [
        "rule-of-law",
        "serious",
        "harbour",
        "movement",
    ]


def test_a_feed_reader_reads_categories_as_keys_with_a_scheme_and_a_label() -> None:
    """feedparser (what many readers are built on) reads each entry's categories as
    (scheme, term, label): the key under the site's listing address, and the label shown."""
    record = make_record(
        "tagged", category="rule-of-law", severity="severe", tags=["Harbour Police", "x & y"]
    )
    parsed = feedparser.parse(atom_feed([record], SITE, updated=UPDATED))
    assert not parsed.bozo, parsed.get("bozo_exception")
    (entry,) = parsed.entries
    site = "https://tracker.example.org"
    assert [(t.scheme, t.term, t.label) for t in entry.tags] == [
        (f"{site}/category/", "rule-of-law", "Rule of Law"),
        (f"{site}/severity/", "severe", "Serious Rights Violation"),
        (f"{site}/tag/", "harbour-police", "Harbour Police"),
        (f"{site}/tag/", "x-y", "x & y"),
    ]
    # The term under its scheme is the listing's address.
    first = entry.tags[0]
    assert first.scheme + first.term + "/" == f"{site}/category/rule-of-law/"
    # The entry's id and its link are the record's one address, the page's.
    assert entry.id == entry.link == f"{site}/incident/tagged/"
    assert parsed.feed.links[1].href == f"{site}/feed.xml"


def test_same_input_same_bytes() -> None:
    first = atom_feed(records(), SITE, updated=UPDATED)
    assert atom_feed(list(reversed(records())), SITE, updated=UPDATED) == first


def test_naive_updated_is_utc() -> None:
    naive = atom_feed(records(), SITE, updated=datetime(2026, 11, 1, 12, 30))
    assert naive == atom_feed(records(), SITE, updated=UPDATED)
    other = datetime(2026, 11, 1, 14, 30, tzinfo=timezone(timedelta(hours=2)))
    updated = ET.fromstring(atom_feed(records(), SITE, updated=other)).findtext(f"{ATOM}updated")
    assert datetime.fromisoformat(updated or "") == UPDATED


def test_hostile_text_is_escaped_and_xml_invalid_characters_dropped() -> None:
    title = '</title><script>alert(1)</script> & "q" 東京\x00\x0b\ufffe end'
    record = make_record("hostile", title=title, summary="line\nbreak ]]> <b>")
    entry = entries(atom_feed([record], SITE, updated=UPDATED))[0]
    assert entry.findtext(f"{ATOM}title") == '</title><script>alert(1)</script> & "q" 東京 end'
    assert entry.findtext(f"{ATOM}summary") == "line\nbreak ]]> <b>"


def test_robots_txt() -> None:
    text = robots_txt(SITE)
    assert text.splitlines() == [
        "User-agent: *",
        "Allow: /",
        "",
        "Sitemap: https://tracker.example.org/sitemap.xml",
    ]
