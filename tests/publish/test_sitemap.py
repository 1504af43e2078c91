"""The sitemap: every public page, one file up to the protocol's limit and an index past it,
each file valid against the sitemaps.org protocol (checked with lxml)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from casework.model import Site
from casework.publish.build import build_site
from casework.publish.plan import Page
from casework.publish.sitemap import (
    SITEMAP_URLS,
    page_url,
    sitemap_entries,
    sitemap_files,
    sitemap_xml,
)
from casework.store.base import Store
from tests.publish.conftest import SITE

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
S = "{" + NS + "}"


def check_protocol(body: bytes) -> tuple[str, list[tuple[str, str | None]]]:
    """What sitemaps.org 0.9 asks of a file, checked on lxml's parse: UTF-8 with a
    declaration, the namespace, `urlset` of `url` or `sitemapindex` of `sitemap`, each with
    one absolute `loc` (at most 2,048 characters) and an optional W3C-date `lastmod`, at most
    50,000 of them. Returns the root's name and (loc, lastmod) pairs."""
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = etree.fromstring(body)
    kind = etree.QName(root).localname
    assert etree.QName(root).namespace == NS
    item = {"urlset": "url", "sitemapindex": "sitemap"}[kind]
    found = []
    for child in root:
        assert child.tag == S + item
        names = [etree.QName(c).localname for c in child]
        assert names in (["loc"], ["loc", "lastmod"]), names
        loc = child.findtext(S + "loc")
        assert loc is not None and loc.startswith(("http://", "https://")) and len(loc) <= 2048
        lastmod = child.findtext(S + "lastmod")
        if lastmod is not None:
            date.fromisoformat(lastmod)
        found.append((loc, lastmod))
    assert len(found) <= SITEMAP_URLS
    return kind, found


def test_sitemap_escapes_and_keeps_lastmod() -> None:
    xml = sitemap_xml(
        [
            ("https://tracker.example.org/", None),
            ("https://tracker.example.org/incident/a/?x=1&y=<2>", date(2024, 1, 9)),
        ]
    )
    kind, found = check_protocol(xml)
    assert kind == "urlset"
    assert found == [
        ("https://tracker.example.org/", None),
        ("https://tracker.example.org/incident/a/?x=1&y=<2>", "2024-01-09"),
    ]


def test_sitemap_refuses_relative_urls() -> None:
    with pytest.raises(ValueError, match="absolute"):
        sitemap_xml([("/incident/a/", None)])


def test_empty_sitemap_is_valid() -> None:
    assert check_protocol(sitemap_xml([])) == ("urlset", [])


def test_entries_are_the_pages_and_the_records_at_their_one_address() -> None:
    site = Site(url="https://example.org/tracker", title="T")
    planned = [
        Page("tag/x/index.html", "listing.html", {}),
        Page("index.html", "home.html", {}),
        Page("404.html", "not_found.html", {}),
        Page("law/alias/index.html", "moved.html", {}),
        Page("category/a/page/2/index.html", "listing.html", {}),
    ]
    entries = sitemap_entries(site, planned, {"b": date(2024, 5, 6)})
    # Home first, then by path whatever the order planned (an edit plans a few pages only).
    assert entries == [
        ("https://example.org/tracker/", None),
        ("https://example.org/tracker/category/a/page/2/", None),
        ("https://example.org/tracker/data/", None),
        ("https://example.org/tracker/tag/x/", None),
        ("https://example.org/tracker/incident/b/", date(2024, 5, 6)),
    ]
    assert page_url(site, "about/index.html") == "https://example.org/tracker/about/"


def test_past_the_limit_sitemap_xml_is_an_index_of_parts() -> None:
    site = Site(url="https://example.org", title="T")
    entries = [(f"https://example.org/p{n}/", date(2024, 1, 1 + n)) for n in range(7)]
    assert list(sitemap_files(site, entries, limit=7)) == ["sitemap.xml"]
    files = sitemap_files(site, entries, limit=3)
    assert list(files) == ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"]
    kind, parts = check_protocol(files["sitemap.xml"])
    assert kind == "sitemapindex"
    # Each part's lastmod is the newest of its pages'.
    assert parts == [
        ("https://example.org/sitemap-1.xml", "2024-01-03"),
        ("https://example.org/sitemap-2.xml", "2024-01-06"),
        ("https://example.org/sitemap-3.xml", "2024-01-07"),
    ]
    listed = [check_protocol(files[f"sitemap-{n}.xml"]) for n in (1, 2, 3)]
    assert [len(found) for _kind, found in listed] == [3, 3, 1]
    assert [loc for _kind, found in listed for loc, _ in found] == [u for u, _ in entries]
    with pytest.raises(ValueError):
        sitemap_files(site, entries, limit=0)


def built_pages(out: Path) -> set[str]:
    """The addresses of every HTML page a build wrote that is a page of its own."""
    urls = set()
    for path in out.rglob("index.html"):
        relative = path.relative_to(out).as_posix()
        text = path.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in text or 'name="robots" content="noindex"' in text:
            continue  # a moved page or a tombstone
        urls.add(page_url(SITE, relative))
    return urls


def test_a_build_lists_every_public_page(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(store, SITE, out, workers=1)
    kind, found = check_protocol((out / "sitemap.xml").read_bytes())
    assert kind == "urlset"
    listed = [loc for loc, _ in found]
    assert len(listed) == len(set(listed))
    assert set(listed) == built_pages(out)
    for page in ("", "about/", "map/", "search/", "data/", "law/", "entity/", "tag/"):
        assert f"{SITE.url}/{page}" in listed
    assert f"{SITE.url}/incident/pier-arrests/" in listed
    assert not list(out.glob("sitemap-*.xml"))


def test_a_build_past_its_limit_writes_an_index(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(store, SITE, out, workers=1)
    whole = [loc for loc, _ in check_protocol((out / "sitemap.xml").read_bytes())[1]]
    limit = 7
    build_site(store, SITE, out, workers=1, sitemap_limit=limit)
    kind, parts = check_protocol((out / "sitemap.xml").read_bytes())
    assert kind == "sitemapindex"
    count = -(-len(whole) // limit)
    assert [loc for loc, _ in parts] == [f"{SITE.url}/sitemap-{n}.xml" for n in range(1, count + 1)]
    listed = []
    for n in range(1, count + 1):
        part_kind, found = check_protocol((out / f"sitemap-{n}.xml").read_bytes())
        assert part_kind == "urlset" and 1 <= len(found) <= limit
        listed += [loc for loc, _ in found]
    assert listed == whole
    # Back under the limit: the parts are gone with the old build.
    build_site(store, SITE, out, workers=1)
    assert check_protocol((out / "sitemap.xml").read_bytes())[0] == "urlset"
    assert not list(out.glob("sitemap-*.xml"))
