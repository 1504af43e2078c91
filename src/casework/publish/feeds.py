"""The site's Atom feed, sitemap and robots.txt.

The feed carries the records most recently updated. Its output depends only on its input (no
clock is read): a build with unchanged records writes the same bytes.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time
from xml.sax.saxutils import escape

from feedgen.feed import FeedGenerator

from casework.model import Record, Site, record_url

# Characters XML 1.0 cannot hold at all, even escaped (lxml refuses them; a feed reader would
# reject the whole document). Record text comes from outside, so they are dropped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


def xml_text(text: str) -> str:
    """`text` without the characters an XML document cannot contain."""
    return _NOT_XML.sub("", text)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def _aware(moment: datetime) -> datetime:
    """A naive datetime is taken to be UTC (as `format_generated_at` does)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def latest(records: Iterable[Record], limit: int) -> list[Record]:
    """The `limit` records updated last: `lastUpdated` descending, then `date` descending,
    then slug, so that ties always come out in the same order."""
    return heapq.nsmallest(
        limit,
        records,
        key=lambda r: (-r.last_updated.toordinal(), -r.date.toordinal(), r.slug),
    )


def _add_entry(feed: FeedGenerator, record: Record, site: Site) -> None:
    url = record_url(site, record.slug)
    entry = feed.add_entry(order="append")
    entry.id(url)
    entry.link(href=url, rel="alternate", type="text/html")
    entry.title(xml_text(record.title))
    entry.summary(xml_text(record.summary))
    entry.published(_midnight(record.date))
    entry.updated(_midnight(record.last_updated))
    label = site.vocabularies.label("category", record.category)
    entry.category(term=xml_text(label))


def atom_feed(
    records: Sequence[Record], site: Site, *, updated: datetime, limit: int = 50
) -> bytes:
    """An Atom 1.0 document (UTF-8, with XML declaration) of the `limit` records most
    recently updated; `updated` is the feed's own `<updated>` (naive = UTC)."""
    feed = FeedGenerator()
    feed.id(site.url + "/")
    feed.title(xml_text(site.title))
    if site.description.strip():
        feed.subtitle(xml_text(site.description))
    # Atom requires an author for the feed or for every entry: the site stands for both.
    feed.author(name=xml_text(site.title), uri=site.url + "/")
    feed.link(href=site.url + "/", rel="alternate", type="text/html")
    feed.link(href=site.url + "/feed.xml", rel="self", type="application/atom+xml")
    feed.updated(_aware(updated))
    for record in latest(records, limit):
        _add_entry(feed, record, site)
    out: bytes = feed.atom_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    return out


def sitemap_xml(entries: Iterable[tuple[str, date | None]]) -> bytes:
    """A sitemaps.org `urlset` of absolute URLs, each with an optional `lastmod` date.
    Raises ValueError for a URL that is not absolute (a sitemap may hold no other).
    The protocol allows 50,000 URLs per file; splitting into a sitemap index is the
    caller's concern."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{SITEMAP_NAMESPACE}">']
    for url, lastmod in entries:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"a sitemap URL must be absolute: {url!r}")
        line = f"<url><loc>{escape(xml_text(url))}</loc>"
        if lastmod is not None:
            line += f"<lastmod>{lastmod.isoformat()}</lastmod>"
        lines.append(line + "</url>")
    lines.append("</urlset>\n")
    return "\n".join(lines).encode("utf-8")


def robots_txt(site: Site) -> str:
    """Every crawler may read everything; the sitemap is named for them."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {site.url}/sitemap.xml\n"


__all__ = ["atom_feed", "latest", "robots_txt", "sitemap_xml", "xml_text"]
