"""The sitemap (sitemaps.org protocol 0.9): every public page of the site, the build's and
the live app's alike, and past SITEMAP_URLS addresses a sitemap index.

- Listed: the home page, every planned page (listings and their further pages, entities, law,
  years, tags, timeline, collections, map, search, about...: publish/plan.py), the data page,
  and every published record's page at its one address (`record_url`) with its lastUpdated
  as `lastmod`. Not listed: the 404 page, moved and gone pages (not pages of their own), and
  files that are not pages (data files, JSON, the feed).
- The protocol takes at most 50,000 URLs per file. Past that, `sitemap.xml` is a
  `sitemapindex` naming `sitemap-1.xml`, `sitemap-2.xml`, …, each a `urlset` of at most that
  many, its `lastmod` the newest of its pages'. robots.txt names `sitemap.xml` either way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from casework.model import Site, record_url

if TYPE_CHECKING:
    from casework.publish.plan import Page

SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
SITEMAP_NAME = "sitemap.xml"
SITEMAP_URLS = 50_000  # the protocol's limit per file
# Planned pages that are not pages of their own: the 404 page, a statute's other spelling
# sent on to its page (and, in a build, a renamed record's old page and a deleted one's).
NOT_LISTED = frozenset({"not_found.html", "moved.html", "gone.html"})

Entry = tuple[str, date | None]  # absolute URL, lastmod


def part_name(number: int) -> str:
    """The file name of the index's `number`th sitemap (from 1)."""
    return f"sitemap-{number}.xml"


def page_url(site: Site, path: str) -> str:
    """The address a static host serves the page written at `path` at
    ("tag/x/index.html" → SITE/tag/x/)."""
    return f"{site.url}/{path.removesuffix('index.html')}"


def sitemap_entries(
    site: Site, planned: Iterable[Page], records: Mapping[str, date]
) -> list[Entry]:
    """Every public page: the `planned` pages (publish/plan.py) but those NOT_LISTED, the
    data page, and the page of each record in `records` (slug → lastUpdated)."""
    pages = [
        page.path
        for page in planned
        if page.path.endswith("index.html") and page.template not in NOT_LISTED
    ]
    if "data/index.html" not in pages:
        pages.append("data/index.html")  # written beside the data files, not planned
    # The home page first, as a reader would start, then by path: the same order however
    # the pages were planned (an edit's plan keeps most of the last one's pages unplanned).
    pages.sort(key=lambda p: (p != "index.html", p))
    entries: list[Entry] = [(page_url(site, path), None) for path in pages]
    entries += [(record_url(site, slug), updated) for slug, updated in records.items()]
    return entries


# The families whose pages are listings paginated by how many records (a timeline year's:
# record-days) each key has, and the folder of each family's index page (None: none).
LISTED_FAMILIES = {
    "category": None, "severity": None, "posture": None, "year": None,
    "tag": "tag/index.html", "law": "law/index.html", "entity": "entity/index.html",
    "timeline": "timeline/index.html",
}  # fmt: skip
# The pages planned once each, whatever the records (publish/plan.py `_plan_pages`), and the
# data page written beside the data files.
SINGLE_PAGES = ("index.html", "about/index.html", "search/index.html", "data/index.html",
                "collections/index.html")  # fmt: skip

Unit = tuple[str, int]  # a folder and its listing's pages, or a page's path and 1


def sitemap_units(
    counts: Mapping[str, Mapping[str, int]], collections: Iterable[str], located: int
) -> list[Unit]:
    """The pages `sitemap_entries` lists before the records, as groups in its order, each
    (a listing's folder, its number of pages) or (a page's path, 1) — what the live app
    lists without planning every page (web/live.py `LiveSite.sitemap`): from `counts`,
    family (LISTED_FAMILIES) → key → how many records (a timeline year: record-days) its
    listing has (category, severity and posture: every value of the vocabulary, none
    too), the `collections`' slugs and how many records are `located` (the map's list).
    A group's paths are `unit_paths`; no folder is a prefix of another's paths, so groups
    sorted by folder are their paths sorted."""
    from casework.publish.plan import page_count

    units: list[Unit] = [(path, 1) for path in SINGLE_PAGES]
    units += [(index, 1) for index in LISTED_FAMILIES.values() if index is not None]
    for family in LISTED_FAMILIES:
        units += [(f"{family}/{key}/", page_count(n)) for key, n in counts[family].items()]
    units += [(f"collections/{slug}/index.html", 1) for slug in collections]
    units.append(("map/", page_count(located)))
    units.sort(key=lambda unit: (unit[0] != "index.html", unit[0]))
    return units


def unit_paths(prefix: str, pages: int) -> list[str]:
    """The paths of a group of `sitemap_units`, sorted: a page's own, or a listing's
    `pages` pages (page 1 at its folder's index.html, page N under page/N/)."""
    if not prefix.endswith("/"):
        return [prefix]
    paths = [f"{prefix}page/{n}/index.html" for n in range(2, pages + 1)]
    paths.sort()
    return [prefix + "index.html", *paths]


def _check(url: str) -> str:
    # Here rather than at the top: feeds.py brings the page renderer (for tag slugs), which
    # a build's start-up need not load.
    from casework.publish.feeds import xml_text

    if not url.startswith(("http://", "https://")):
        raise ValueError(f"a sitemap URL must be absolute: {url!r}")
    return escape(xml_text(url))


def _document(root: str, item: str, entries: Iterable[Entry]) -> bytes:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<{root} xmlns="{SITEMAP_NAMESPACE}">']
    for url, lastmod in entries:
        line = f"<{item}><loc>{_check(url)}</loc>"
        if lastmod is not None:
            line += f"<lastmod>{lastmod.isoformat()}</lastmod>"
        lines.append(line + f"</{item}>")
    lines.append(f"</{root}>\n")
    return "\n".join(lines).encode("utf-8")


def sitemap_xml(entries: Iterable[Entry]) -> bytes:
    """A sitemaps.org `urlset` of absolute URLs, each with an optional `lastmod` date.
    Raises ValueError for a URL that is not absolute (a sitemap may hold no other)."""
    return _document("urlset", "url", entries)


def sitemap_index_xml(entries: Iterable[Entry]) -> bytes:
    """A sitemaps.org `sitemapindex` of sitemaps' absolute URLs and lastmod dates."""
    return _document("sitemapindex", "sitemap", entries)


def sitemap_names(count: int, limit: int = SITEMAP_URLS) -> list[str]:
    """The names of the files `sitemap_files` makes of `count` entries."""
    if limit < 1:
        raise ValueError("a sitemap holds at least one URL")
    if count <= limit:
        return [SITEMAP_NAME]
    return [SITEMAP_NAME, *(part_name(n) for n in range(1, -(-count // limit) + 1))]


def sitemap_files(site: Site, entries: list[Entry], limit: int = SITEMAP_URLS) -> dict[str, bytes]:
    """File name → bytes: `sitemap.xml` alone while `entries` fit in one file of `limit`
    URLs; else `sitemap.xml` as the index of `sitemap-1.xml`… ."""
    if limit < 1:
        raise ValueError("a sitemap holds at least one URL")
    if len(entries) <= limit:
        return {SITEMAP_NAME: sitemap_xml(entries)}
    files: dict[str, bytes] = {}
    index: list[Entry] = []
    for number, start in enumerate(range(0, len(entries), limit), start=1):
        part = entries[start : start + limit]
        files[part_name(number)] = sitemap_xml(part)
        dates = [lastmod for _url, lastmod in part if lastmod is not None]
        index.append((f"{site.url}/{part_name(number)}", max(dates, default=None)))
    return {SITEMAP_NAME: sitemap_index_xml(index), **files}


__all__ = [
    "SITEMAP_NAME",
    "SITEMAP_NAMESPACE",
    "SITEMAP_URLS",
    "page_url",
    "part_name",
    "sitemap_entries",
    "sitemap_files",
    "sitemap_index_xml",
    "sitemap_names",
    "sitemap_units",
    "sitemap_xml",
    "unit_paths",
]
