"""The site's Atom feed and robots.txt (the sitemap: publish/sitemap.py).

The feed carries the records most recently updated. Its output depends only on its input (no
clock is read): a build with unchanged records writes the same bytes.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

from casework.model import Record, Site, record_url
from casework.publish.cards import tag_slug

if TYPE_CHECKING:
    from feedgen.feed import FeedGenerator

# Characters XML 1.0 cannot hold at all, even escaped (lxml refuses them; a feed reader would
# reject the whole document). Record text comes from outside, so they are dropped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


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
    for term, scheme, label in entry_categories(record, site):
        entry.category(term=xml_text(term), scheme=scheme, label=xml_text(label))


def entry_categories(record: Record, site: Site) -> list[tuple[str, str, str]]:
    """(term, scheme, label) of an entry's Atom categories: the record's category and
    severity keys, and its tags' slugs, each under the site's listing address for that kind
    (the term's listing is SCHEME + TERM + "/"), labelled as the site shows them."""
    vocab = site.vocabularies
    return [
        *(
            (key, f"{site.url}/{kind}/", vocab.label(kind, key))
            for kind, key in (("category", record.category), ("severity", record.severity))
        ),
        *((tag_slug(tag), f"{site.url}/tag/", tag) for tag in record.tags),
    ]


def atom_feed(
    records: Sequence[Record], site: Site, *, updated: datetime, limit: int = 50
) -> bytes:
    """An Atom 1.0 document (UTF-8, with XML declaration) of the `limit` records most
    recently updated; `updated` is the feed's own `<updated>` (naive = UTC)."""
    # Loaded here: feedgen (and lxml under it) only when a feed is made, not with every
    # module that names a sitemap or robots.txt.
    from feedgen.feed import FeedGenerator

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


def robots_txt(site: Site) -> str:
    """Every crawler may read everything; the sitemap is named for them."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {site.url}/sitemap.xml\n"


__all__ = ["atom_feed", "entry_categories", "latest", "robots_txt", "xml_text"]
