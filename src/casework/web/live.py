"""The published site held in memory for the live app, kept current with the store.

A `Snapshot` is what the public sees at one store generation: each published record's card
(publish/cards.py) and the page plan (publish/plan.py) made from them, exactly as
`casework build` plans its pages. It is never changed once made, so request threads read it
without a lock. `LiveSite.snapshot()` asks the store for its generation (one small query);
when a write happened since, it compares the published records' revision hashes with the
snapshot's and reads only the records that changed, under a lock, then swaps the new
snapshot in. A write that changes nothing published (a draft saved) keeps the snapshot,
unless it changes which of the slugs the published records name as related are records held
unpublished (a draft created under such a slug): those are left out of the records' public
form (publish/public_view.py), so the data files and collections' JSON are made again.

The home page and the facet listings (category, severity, posture, year) are not planned from
the snapshot: `LiveSite.home_page` and `LiveSite.facet_page` make the one page asked for from
the store — the counts from the search's facet index, the page's records by a walk of an
index in the listing's order (`Store.listed`) — and keep it while the store's generation
stays, so the first of them at a million records reads no more than its page's records, and
a save (which moves the generation) shows on the next request in every worker.

A tag's, an entity's, a statute's and a timeline year's pages are made so too (`tag_page`,
`entity_page`, `law_page`, `timeline_page`), from the store's `record_pages` (migrations
0025, 0026: a row per record and tag slug, entity, statute as cited, event day, in an index
in the listing's order): each reads its 20 records (a year's page: 20 records' events of a
day), their counts by `Store.page_facets` over the search's facet index. A statute's other
spelling's address, sending on, is found from the statutes as cited (`law_moved`), and the
feed from the records' lastUpdated days, newest first (`Store.updated_last`), kept while the
generation stays.

The pages that show every record's values at once are made so too, never from every
record's card: the sitemap (`sitemap`: its pages counted per listing by `Store.page_counts`
and the facet index, then the records' addresses in store order with their lastUpdated, a
walk of `record_pages` by record id from a key, a file of at most 50,000 at a time; past
that an index, each file's lastmod and first id by `Store.updated_spans`), and the search
page, the about page, the collections' pages and the tag, entity and statute indexes
(`index_page`: `Store.page_newest`, `Store.tag_counts`, `Store.entity_names`), the
timeline's index (each year's events: `record_pages`' timeline rows name their record's
events that year, migration 0030, summed by `Store.page_sums`) and the map's pages (the
located records' "map" rows name their published points: counted, summed, their years, and
a page's 20 walked newest first by `Store.paged`). What still needs the snapshot's plan: a
listing narrowed, sorted or downloaded.

What costs more than a page is made when first asked for, once per snapshot: the data files
(publish/datafiles.py, written into a temporary directory and streamed from there) and the
search index that search.js reads (each record's search document kept across snapshots by
revision hash, as the build keeps them). Rendered pages are kept in
a bounded LRU keyed by the hash of their template and context, so a page whose content did
not change stays rendered across snapshots.

Every record is read through the public view (publish/public_view.py), published records in
their public form only: a draft reaches no card, page or file.
"""

from __future__ import annotations

import gc
import gzip
import shutil
import tempfile
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime
from functools import cached_property
from hashlib import blake2b
from pathlib import Path
from typing import IO, Any, TypeVar

import orjson

from casework import search_words
from casework.formats import collection_document, dumps, format_generated_at
from casework.model import Collection, Record, Site, StatuteCatalog, record_url
from casework.model.places import country_name
from casework.publish.cards import card_of, statute_page, statute_slug
from casework.publish.datafiles import (
    ARCHIVE_NAME,
    CSV_NAME,
    GEOJSON_NAME,
    MANIFEST_NAME,
    NDJSON_NAME,
    SQLITE_NAME,
    DataFile,
    write_data_files,
)
from casework.publish.datapackage import DATAPACKAGE_NAME
from casework.publish.feeds import atom_feed
from casework.publish.listing import (
    DOCS_FILE,
    LISTING_DIR,
    MANIFEST_FILE,
    ROWS_FILE,
    SHARDS,
    default_sort,
    every_listing,
    manifest_bytes,
    options_of,
    shard_files,
    shard_of,
)
from casework.publish.map_points import MAP_POINTS_NAME
from casework.publish.plan import (
    FACET_FAMILIES,
    HOME_LATEST,
    PER_PAGE,
    Card,
    Page,
    Shown,
    brief_of,
    chart_months,
    chart_of,
    entity_heading,
    entity_page,
    facet_page,
    home_of,
    law_heading,
    law_moved,
    law_page,
    map_page,
    page_count,
    plan_pages,
    tag_page,
    timeline_page,
    units_of,
)
from casework.publish.public_view import SCAN_ABOVE, PublicRecord, PublicView
from casework.publish.search_index import (
    LABELLED,
    SearchDoc,
    search_document,
    write_search_index,
)
from casework.publish.sitemap import (
    SITEMAP_NAME,
    SITEMAP_URLS,
    Unit,
    page_url,
    sitemap_index_xml,
    sitemap_names,
    sitemap_units,
    sitemap_xml,
    unit_paths,
)
from casework.render.html import render_markdown
from casework.render.pages import common, render_page
from casework.render.templates import environment
from casework.store.base import Query, SearchResult, Store

DATA_FILE_NAMES = (ARCHIVE_NAME, NDJSON_NAME, CSV_NAME, SQLITE_NAME, GEOJSON_NAME, MAP_POINTS_NAME)
# Rendered planned pages kept (a listing page is ~20–30 KB).
RENDERED_PAGES = 1024
FEED_ENTRIES = 50  # as the build's feed
CHANGES_KEPT = 256  # refreshes whose changed cards are kept for the API's cache
# Facet listing pages kept per generation (`LiveSite.facet_page`): each is a page's context
# (20 briefs, the facet options), a few KB.
FACET_PAGES = 512
# The facets a listing's options count (publish/listing.py `options_of`), and the ongoing
# count the home page shows.
OPTION_FACETS = ("category", "severity", "posture", "year", "tag", "country", "ongoing")

CARDS_READ = 500  # records read at a time for a page's cards (`LiveSite._cards`)
# The planned pages `LiveSite.index_page` makes per request (and a collection's own).
INDEX_PAGES = frozenset({"about/index.html", "search/index.html", "collections/index.html",
                         "tag/index.html", "entity/index.html", "law/index.html",
                         "timeline/index.html"})  # fmt: skip
SEARCH_TAGS = 200  # the search page's tags (publish/plan.py `top_tags`)
SITEMAPS_KEPT = 4  # sitemap files kept per generation (each 50,000 URLs at most: ~5 MB)

T = TypeVar("T")


class PlannedPages(Mapping[str, Page]):
    """A snapshot's page plan, made when first asked for (then kept): planning is the part
    of a refresh that costs in proportion to the whole site (~0.35 CPU s at 2,000 records),
    and a record page, a facet listing (`LiveSite.facet_page`), a search or the API do not
    wait for it. Concurrent askers wait for the one plan."""

    def __init__(self, plan: Callable[[], dict[str, Page]]) -> None:
        self._plan: Callable[[], dict[str, Page]] | None = plan
        self._pages: dict[str, Page] | None = None
        self._lock = threading.Lock()

    def planned(self) -> dict[str, Page]:
        pages = self._pages
        if pages is None:
            with self._lock:
                if self._pages is None:
                    assert self._plan is not None
                    self._pages = self._plan()
                    self._plan = None  # what it planned from may go
                    gc.freeze()  # long-lived, as the snapshot's own objects (`snapshot`)
                pages = self._pages
        return pages

    def __getitem__(self, path: str) -> Page:
        return self.planned()[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self.planned())

    def __len__(self) -> int:
        return len(self.planned())


@dataclass(frozen=True)
class Snapshot:
    """The published site at one store generation. Its dicts are never changed once made."""

    hashes: dict[str, str]  # slug → current revision hash, published records in store order
    cards: dict[str, Card]  # slug → card, same order
    collections: tuple[Collection, ...]
    pages: Mapping[str, Page]  # output path ("index.html", "tag/x/index.html") → planned page
    generated_at: str  # docs/format.md's generatedAt for what is made from this snapshot
    # slug → the slugs it names as related, as authored (records that name none are left out)
    named: dict[str, frozenset[str]]
    referenced: frozenset[str]  # all of those slugs
    withheld: frozenset[str]  # of those, the slugs of records held unpublished
    # Values made from this snapshot when first asked for (feed, sitemap, search index,
    # collections' JSON), each under a lock of its own: the only thing added after it is made.
    made: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    locks: dict[str, threading.Lock] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def records_key(self) -> str:
        """A hash of `hashes` (in order) and `withheld`: equal keys, equal data files. Made
        when first asked for (the data files): hashing every record's revision took half of
        the CPU of a refresh from the change feed, in every worker at each save."""
        return _fingerprint(self.hashes, self.withheld)

    def published(self, slug: str) -> bool:
        return slug in self.hashes

    def withheld_from(self, slugs: Iterable[str]) -> frozenset[str]:
        """The related slugs the public forms of the records `slugs` leave out, as of this
        snapshot."""
        empty: frozenset[str] = frozenset()
        return frozenset().union(*(self.withheld & self.named.get(s, empty) for s in slugs))

    def related(self, record: Record) -> list[tuple[str, str, str]]:
        """(slug, title, date) of the published records `record` names, as the build has
        them."""
        return [
            (other, self.cards[other]["title"], self.cards[other]["date"])
            for other in record.related_incidents
            if other in self.cards
        ]


@dataclass(frozen=True)
class SitemapLayout:
    """What the sitemap lists at one generation (`LiveSite.sitemap`): its pages as groups
    (publish/sitemap.py `sitemap_units`), then `records` records' pages."""

    units: list[Unit]
    records: int
    # Of each span of the index's parts' records: their newest lastUpdated and first id
    # (`Store.updated_spans`), once asked for.
    spans: dict[int, tuple[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class DataExport:
    """The data files of one set of published records, in a directory of their own."""

    records_key: str
    directory: Path
    files: dict[str, DataFile]  # name → size, SHA-256, media type, description
    manifest: bytes
    datapackage: bytes  # datapackage.json (publish/datapackage.py)
    index_html: bytes  # the /data/ page, which lists the files' sizes and hashes


def _patched(old: Snapshot, changed: dict[str, str | None]) -> dict[str, str] | None:
    """`old`'s hashes with the feed's `changed` (slug → hash, None: not published) applied;
    None when a record is newly published, whose place in store order the feed does not
    tell (the caller reads every version)."""
    hashes = dict(old.hashes)
    for slug, digest in changed.items():
        if digest is None:
            hashes.pop(slug, None)
        elif slug in hashes:
            hashes[slug] = digest
        else:
            return None
    return hashes


def _withheld(records: Iterable[PublicRecord]) -> frozenset[str]:
    """The related slugs left out of `records`."""
    return frozenset().union(*(public.withheld for public in records))


def _fingerprint(hashes: dict[str, str], withheld: frozenset[str]) -> str:
    payload = orjson.dumps([list(hashes.items()), sorted(withheld)])
    return blake2b(payload, digest_size=16).hexdigest()


class LiveSite:
    """The published site of `view`'s store for `site`, current as of the last `snapshot()`
    call.

    Safe to use from many threads: a refresh runs under a lock and swaps in a new snapshot;
    readers keep whichever snapshot they got."""

    def __init__(self, view: PublicView, site: Site) -> None:
        self.view = view
        self.site = site
        # Pages link a listing's index.csv and index.json, which this app answers (templates).
        self.shared = common(site) | {"served_listings": True}
        self._refresh_lock = threading.Lock()
        self._current: tuple[int, Snapshot] | None = None
        self._made_lock = threading.Lock()
        self._data_lock = threading.Lock()
        self._data: DataExport | None = None
        self._data_dirs: dict[str, tempfile.TemporaryDirectory[str]] = {}
        self._docs_lock = threading.Lock()
        self._docs: dict[str, tuple[str, SearchDoc]] = {}  # slug → (revision hash, doc)
        self._rendered_lock = threading.Lock()
        self._rendered: OrderedDict[str, bytes] = OrderedDict()
        self._feed_kept: tuple[int, bytes] | None = None  # (generation, feed.xml)
        self._generated: tuple[int, str] | None = None  # (generation, generatedAt)
        # The sitemap's files made at one generation, and what they list (`sitemap`).
        self._sitemap_lock = threading.Lock()
        self._sitemap_generation: tuple[int, int] | None = None  # and the URLs a file
        self._sitemap_layout: SitemapLayout | None = None
        self._sitemap_files: OrderedDict[str, bytes | None] = OrderedDict()
        self.sitemap_limit = SITEMAP_URLS  # URLs per sitemap file (fewer in tests)
        # The facet listings' pages made at one generation: (family, key, page) → page, or
        # None for no such page (`facet_page`).
        self._facet_lock = threading.Lock()
        self._facet_generation: int | None = None
        self._facet_pages: OrderedDict[tuple[str, str, int], Page | None] = OrderedDict()
        # (from generation, to generation, the cards changed or None: unknown), per refresh
        self._changes: list[tuple[int, int, list[tuple[Card | None, Card | None]] | None]] = []

    # --- the snapshot --------------------------------------------------------------------
    def snapshot(self) -> Snapshot:
        """The published site now: one generation query, and a refresh when the store
        changed since the last call. Call it once per request."""
        generation = self.view.generation()
        current = self._current
        if current is not None and current[0] == generation:
            return current[1]
        with self._refresh_lock:
            current = self._current
            if current is not None and current[0] == generation:
                return current[1]  # another request refreshed it meanwhile
            old = current[1] if current is not None else None
            fed = self.view.changes(current[0]) if current is not None else None
            named: set[str] | None = None
            hashes = None
            if fed is not None and old is not None:
                # The change feed named the records written since, in the snapshot it was
                # read in, at the generation it was read at: only those are read again.
                hashes = _patched(old, fed[1])
                if hashes is not None:
                    generation, named = fed[0], set(fed[1])
            # Otherwise labelled with the generation read before reading the records: a
            # write that lands during the refresh makes the next request refresh again.
            snapshot = self._refreshed(old, hashes, named)
            self._log_change(current, generation, snapshot, named)
            self._current = (generation, snapshot)
            # The snapshot is hundreds of thousands of long-lived objects (10,000 records:
            # ~290,000): moved out of the collector's reach, so that full collections under
            # load stop scanning them (they took 590 ms each, the whole p99, before).
            gc.freeze()
            return snapshot

    def snapshot_generation(self) -> int | None:
        """The generation of the snapshot made last (None before the first)."""
        current = self._current
        return current[0] if current is not None else None

    def follow(self) -> None:
        """The snapshot refreshed now, if one was made (the change feed's follower calls it
        when a write commits: the next request finds it current); its pages are planned when
        first asked for (a worker under load spent most of a save's CPU planning the whole
        site again, in each worker). The facet listings need nothing: they are answered per
        request, cached per generation (`facet_page`), and the write moved the generation."""
        if self._current is not None:
            self.snapshot()

    def warm(self) -> None:
        """The snapshot made and its pages planned, now (at start-up, and after a change):
        a request need not wait for either."""
        snapshot = self.snapshot()
        if isinstance(snapshot.pages, PlannedPages):
            snapshot.pages.planned()

    def _log_change(
        self,
        before: tuple[int, Snapshot] | None,
        generation: int,
        new: Snapshot,
        named: set[str] | None,
    ) -> None:
        """Keep what the refresh from `before` to `new` (at `generation`) changed for the
        public, for `changed_cards`: when the feed `named` the records, the cards of those,
        before and after; otherwise unknown."""
        if before is None:
            return
        since, old = before
        pairs: list[tuple[Card | None, Card | None]] | None = None
        # A change of which related slugs are held back changes records the feed did not
        # name (their public form), and a collection's change the pages of its records.
        if (
            named is not None
            and old.withheld == new.withheld
            and old.collections == new.collections
        ):
            pairs = [(old.cards.get(s), new.cards.get(s)) for s in sorted(named)]
        with self._made_lock:
            self._changes.append((since, generation, pairs))
            del self._changes[:-CHANGES_KEPT]

    def changed_cards(self, since: int, until: int) -> list[tuple[Card | None, Card | None]] | None:
        """The cards of the published records that changed between generations `since` and
        `until` (each before and after; None for a record not published then), as the
        refreshes since found them; None when a refresh between could not say (or `until` is
        not a refresh's). The API's cache keeps an answer that none of them touch."""
        if since == until:
            return []
        with self._made_lock:
            log = list(self._changes)
        found: list[tuple[Card | None, Card | None]] = []
        at = since
        for start, end, pairs in log:
            if start != at:
                continue
            if pairs is None:
                return None
            found += pairs
            at = end
            if at == until:
                return found
        return None

    def _refreshed(
        self,
        old: Snapshot | None,
        hashes: dict[str, str] | None = None,
        fed: set[str] | None = None,
    ) -> Snapshot:
        """The snapshot after `old`: with the published records' `hashes` and the slugs the
        change feed named as changed since (`fed`), when it could (only those are compared
        and read); otherwise every version is read and compared."""
        if hashes is None:
            versions = self.view.versions()
            hashes = {slug: version.hash for slug, version in versions.items()}
            fed = None
        collections = tuple(self.view.collections())
        hidden = self.view.hidden()
        if old is not None and fed is not None:
            # `hashes` is `old`'s with the slugs the feed named patched, in the same order:
            # only those are compared (comparing every record's took a tenth of the refresh).
            same = all(old.hashes.get(slug) == hashes.get(slug) for slug in fed)
        else:
            same = old is not None and list(old.hashes.items()) == list(hashes.items())
        if old is not None and same and old.collections == collections:
            withheld = hidden & old.referenced
            if withheld == old.withheld:
                return old  # a draft or review record changed: nothing the public sees
            # Only which related slugs are left out changed: the pages, the feed, the sitemap
            # and the search index stay; the data files and collections' JSON are made again.
            made = {k: v for k, v in dict(old.made).items() if not k.startswith("collection:")}
            return replace(
                old,
                withheld=withheld,
                generated_at=format_generated_at(datetime.now(UTC)),
                made=made,
                locks={},
            )
        old_hashes = old.hashes if old is not None else {}
        if old is not None and fed is not None:
            # Patched: the whole site is copied, never compared or read (a million records).
            changed = [s for s in fed if s in hashes and old_hashes.get(s) != hashes[s]]
            read = self.view.read(changed)
            cards, named = dict(old.cards), dict(old.named)
            for slug in fed - hashes.keys():  # unpublished since
                cards.pop(slug, None)
                named.pop(slug, None)
            for slug in changed:
                if slug in read:
                    cards[slug] = card_of(read[slug].record)
                    if read[slug].named:
                        named[slug] = read[slug].named
                    else:
                        named.pop(slug, None)
                else:  # no longer published when read: the next refresh looks again
                    cards.pop(slug, None)
                    named.pop(slug, None)
                    hashes.pop(slug, None)
        else:
            changed = [slug for slug, h in hashes.items() if old_hashes.get(slug) != h]
            # Each record made into its card as it is read, never all held at once: at
            # 100,000 records holding them took the worker to 4 GB.
            fresh: dict[str, Card] = {}
            fresh_named: dict[str, frozenset[str]] = {}
            for slug, public in self._each_read(changed):
                fresh[slug] = card_of(public.record)
                if public.named:
                    fresh_named[slug] = public.named
            kept = old.cards if old is not None else {}
            # A changed record that is no longer published when read has no card, and is
            # left out: its write bumped the generation, so the next request looks again.
            cards = {
                slug: fresh[slug] if slug in fresh else kept[slug]
                for slug in hashes
                if slug in fresh or (slug in kept and old_hashes.get(slug) == hashes[slug])
            }
            hashes = {slug: h for slug, h in hashes.items() if slug in cards}
            kept_named = old.named if old is not None else {}
            named = {
                slug: fresh_named[slug] if slug in fresh else kept_named[slug]
                for slug in hashes
                if slug in fresh_named or (slug not in fresh and slug in kept_named)
            }
        if (
            old is not None
            and fed is not None
            and all(old.named.get(slug) == named.get(slug) for slug in fed)
        ):
            # No record the feed named names other records differently: the same slugs.
            referenced = old.referenced
        else:
            referenced = frozenset().union(*named.values())
        withheld = hidden & referenced
        site = self.site

        def plan() -> dict[str, Page]:
            return {page.path: page for page in plan_pages(cards, site, list(collections))}

        pages = PlannedPages(plan)
        return Snapshot(
            hashes=hashes,
            cards=cards,
            collections=collections,
            pages=pages,
            generated_at=format_generated_at(datetime.now(UTC)),
            named=named,
            referenced=referenced,
            withheld=withheld,
        )

    def _each_read(self, slugs: list[str]) -> Iterator[tuple[str, PublicRecord]]:
        """The published records of `slugs`, in their public form, one at a time: past
        SCAN_ABOVE, streamed from one pass over the store rather than held."""
        if len(slugs) <= SCAN_ABOVE:
            yield from self.view.read(slugs).items()
            return
        chosen = set(slugs)
        for public in self.view.records():
            if public.slug in chosen:
                yield public.slug, public

    def related(self, record: Record) -> list[tuple[str, str, str]]:
        """(slug, title, date) of the published records `record` names, as the store has them
        now: from the snapshot's cards when it is at the store's generation (the change
        feed's follower keeps it there), else read (a record page does not wait for the
        whole site's snapshot)."""
        cards = self._current_cards()
        missing = [slug for slug in record.related_incidents if slug not in cards]
        read = self.view.read(missing) if missing else {}
        found = []
        for slug in record.related_incidents:
            if slug in cards:
                found.append((slug, cards[slug]["title"], cards[slug]["date"]))
            elif slug in read:
                found.append((slug, read[slug].record.title, read[slug].record.date.isoformat()))
        return found

    def _current_cards(self) -> Mapping[str, Card]:
        """The cards of the snapshot made last, when it is at the store's generation (the
        request's: one read per request); empty otherwise. What a page reads of a record
        from them is what reading the record now would give, without a query a record: on
        PostgreSQL a listing page's 20 records were ~100 round trips, most of its time under
        load (benchmarks/change_feed.py)."""
        current = self._current
        if current is None or current[0] != self.view.generation():
            return {}
        return current[1].cards

    def _read(self, slugs: list[str]) -> dict[str, Record]:
        """The current published records of `slugs`, in their public form."""
        return {slug: public.record for slug, public in self.view.read(slugs).items()}

    def _made(self, snapshot: Snapshot, key: str, make: Callable[[], T]) -> T:
        """`make()` once per snapshot and key; concurrent askers wait for the first."""
        if key in snapshot.made:
            found: T = snapshot.made[key]
            return found
        with self._made_lock:
            lock = snapshot.locks.setdefault(key, threading.Lock())
        with lock:
            if key not in snapshot.made:
                snapshot.made[key] = make()
            value: T = snapshot.made[key]
            return value

    # --- pages ---------------------------------------------------------------------------
    def page_html(self, page: Page, extra: dict[str, Any] | None = None) -> bytes:
        """A planned page rendered (kept rendered, by content, unless `extra` context is
        given: the search page's results)."""
        if extra:
            context = page.context | extra
            return render_page(page.template, page.path, context, self.shared).encode()
        key = page.key(page.path)
        with self._rendered_lock:
            html = self._rendered.get(key)
            if html is not None:
                self._rendered.move_to_end(key)
                return html
        html = render_page(page.template, page.path, page.context, self.shared).encode()
        with self._rendered_lock:
            self._rendered[key] = html
            while len(self._rendered) > RENDERED_PAGES:
                self._rendered.popitem(last=False)
        return html

    def facet_page(self, name: str, key: str, number: int) -> Page | None:
        """Page `number` of the listing of `key` in the facet family `name` (category,
        severity, posture, year) as the build plans it, or None when the build has no such
        page: made per request from the store — the facet index's counts (`search`) and one
        index walk for the page's slugs (`Store.listed`), then its 20 records read — never
        from every record (a snapshot), and kept while the store's generation stays. A save
        moves the generation, which is all a listing needs to show it, in every worker."""
        return self._kept((name, key, number), lambda: self._facet_page(name, key, number))

    def tag_page(self, slug: str, number: int) -> Page | None:
        """Page `number` of the listing of the tag whose slug is `slug` as the build plans
        it, or None when the build has no such page, made per request as `facet_page` is:
        the tags its published records spell it with (`Store.page_names`), their facet
        counts (`search`), one walk of `record_pages`' index for the page's slugs
        (`Store.paged`), then its 20 records read; kept while the generation stays."""
        return self._kept(("tag", slug, number), lambda: self._tag_page(slug, number))

    def entity_page(self, slug: str, number: int = 1) -> Page | None:
        """Page `number` of the entity `slug` as the build plans it, or None when the build
        has no such page, made per request as `tag_page` is: how many published records
        name it and their facet counts (`Store.page_facets`: their ids from `record_pages`,
        counted over the search's facet index), one walk of `record_pages`' index for the
        page's slugs (`Store.paged`), then its 20 records read; kept while the generation
        stays."""
        return self._kept(("entity", slug, number), lambda: self._entity_page(slug, number))

    def law_moved(self, old: str) -> Page | None:
        """The page at `law/OLD/` sending the reader on to a statute's page, as the build
        plans it (`law_pages`: at the address of a spelling records cite a statute by, other
        than its page's name, when no page is there), or None: from the statutes as cited
        (`Store.page_keys`), not from every record; kept while the generation stays."""
        return self._kept(("law", old, 0), lambda: self._law_moved(old))

    def _law_moved(self, old: str) -> Page | None:
        catalog = self.site.statute_catalog()
        resolved = {term: statute_page(term, catalog) for term in self.view.page_keys("law")}
        if any(slug == old for _name, slug in resolved.values()):
            return None  # a statute's own page is there
        targets: dict[str, str] = {}  # the statute's page's slug → its name
        for term, (name, slug) in resolved.items():
            if term.strip() != name and statute_slug(term.strip()) == old:
                targets.setdefault(slug, name)
        if len(targets) > 1:
            # The plan's is the statute it met first (newest record first, then in the
            # order that record cites them).
            newest = {}
            for slug in targets:
                terms = [term for term, (_name, s) in resolved.items() if s == slug]
                newest[slug] = self._cards(
                    [self.view.paged("law", terms, limit=1, offset=0)[0][0]]
                )[0]
            first = max(newest.values(), key=lambda card: (card["date"], card["slug"]))
            cites = [statute_page(statute, catalog)[1] for statute, _, _ in first["law"]]
            chosen = min((s for s in targets if newest[s] is first), key=cites.index)
            targets = {chosen: targets[chosen]}
        return next((law_moved(old, slug, name) for slug, name in targets.items()), None)

    def law_page(self, slug: str, number: int = 1) -> Page | None:
        """Page `number` of the statute whose page's slug is `slug` as the build plans it, or
        None when the build has no such page (a page at an alias's address that sends the
        reader on is the snapshot's plan's), made per request as `entity_page` is, over the
        statutes as cited that the site's catalog resolves to it (`Store.page_keys`, a probe
        of `record_pages`' index per statute); kept while the generation stays."""
        return self._kept(("law", slug, number), lambda: self._law_page(slug, number))

    def timeline_page(self, year: str, number: int = 1) -> Page | None:
        """Page `number` of the timeline's pages of `year` as the build plans it, or None
        when the build has no such page: how many record-days the year has and the page's
        (`Store.dated`: a walk of `record_pages`' index of event days), then its records
        read (20 at most); kept while the generation stays."""
        return self._kept(("timeline", year, number), lambda: self._timeline_page(year, number))

    def listed_page(self, family: str, key: str, number: int) -> Page | None:
        """`facet_page`, `tag_page`, `entity_page`, `law_page` or `timeline_page` by
        `family` (public.py's routes)."""
        if family == "tag":
            return self.tag_page(key, number)
        if family == "entity":
            return self.entity_page(key, number)
        if family == "law":
            return self.law_page(key, number) or (self.law_moved(key) if number == 1 else None)
        if family == "timeline":
            return self.timeline_page(key, number)
        return self.facet_page(family, key, number)

    def index_page(self, file: str) -> Page | None:
        """The planned page at `file` among those that show every record's values at once
        — the search page (its tags and countries), the about page, the collections' pages,
        the tag, entity and statute indexes, the timeline's index, the map's pages — as the
        build plans it, made per request from the store (`_index_page`) and kept while the
        generation stays; None for any other file (or no such collection)."""
        if not self.makes_index(file):
            return None
        return self._kept(("index", file, 0), lambda: self._index_page(file))

    def _index_page(self, file: str) -> Page | None:
        if file == "about/index.html":
            about_html = render_markdown(self.site.about) if self.site.about else ""
            return Page(file, "about.html", {"about_html": about_html})
        if file == "search/index.html":
            counts = self.view.tag_counts()
            tags = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:SEARCH_TAGS]
            found = self.view.search(Query(limit=0))
            named = [[c, country_name(c), n] for c, n in found.facets.get("country", []) if n]
            named.sort(key=lambda row: (row[1], row[0]))
            return Page(file, "search.html", {"tags": [list(t) for t in tags], "countries": named})
        number = _map_number(file)
        if number:
            return self._map_page(number)
        if file == "timeline/index.html":
            # As `timeline_pages` makes it: each year's events, newest year first.
            counts = self.view.page_sums("timeline")
            years = [[year, counts[year]] for year in sorted(counts, reverse=True)]
            return Page(file, "timeline_index.html", {"years": years})
        if file.startswith("collections/"):
            return self._collection_page(file)
        family = file.partition("/")[0]
        return Page(file, "index_list.html", {"kind": family, "items": self._index_items(family)})

    def _map_page(self, number: int) -> Page | None:
        """Page `number` of the map's list as `map_pages` plans it: the located records, their
        points and their years from `record_pages`' "map" rows (migration 0030: a row a
        located record, naming its published points), then the page's 20 records by a walk
        of its index, newest first, and read; page 1 even with none located."""
        total = self.view.page_counts("map").get("", 0)
        if number > page_count(total):
            return None
        made = {
            "total": total,
            "points": self.view.page_sums("map").get("", 0),
            "years": self.view.page_years("map"),
        }
        rows = self.view.paged("map", "", limit=PER_PAGE, offset=(number - 1) * PER_PAGE)
        slugs = [slug for slug, _name in rows]
        cards = self._cards(slugs)
        if len(cards) != len(slugs) or (total and not rows):
            return None  # a record unpublished since it was counted: the generation moved
        return map_page(made, number, cards)

    def _collection_page(self, file: str) -> Page | None:
        """A collection's page, or the collections' index, as `collection_pages` plans
        them: its published records' cards read now (an editor's list, not the site's)."""
        collections = self.view.collections()
        if file == "collections/index.html":
            items = []
            for collection in collections:
                held = self.view.read_many(collection.records, captures=False)
                items.append([collection.slug, collection.title,
                              sum(1 for s in collection.records if s in held)])  # fmt: skip
            return Page(file, "index_list.html", {"kind": "collections", "items": items})
        slug = _collection_of(file)
        for collection in collections:
            if collection.slug == slug:
                cards = {card["slug"]: card for card in self._cards(list(collection.records))}
                members = [cards[s] for s in collection.records if s in cards]
                context = {
                    "slug": collection.slug,
                    "title": collection.title,
                    "lede": collection.lede,
                    "description": collection.description,
                    "records": [brief_of(card) for card in members],
                }
                return Page(file, "collection.html", context)
        return None

    def makes_index(self, file: str) -> bool:
        """Whether `file` is a page `index_page` makes (whether or not it is there)."""
        return file in INDEX_PAGES or bool(_collection_of(file)) or bool(_map_number(file))

    def cards(self, slugs: list[str]) -> list[Card]:
        """The cards of the published records `slugs`, in that order (`_cards`)."""
        return self._cards(slugs)

    def generated_at(self) -> str:
        """docs/format.md's generatedAt for what is made per request at the store's
        generation now: when this LiveSite first saw it."""
        generation = self.view.generation()
        kept = self._generated
        if kept is None or kept[0] != generation:
            kept = self._generated = (generation, format_generated_at(datetime.now(UTC)))
        return kept[1]

    def _index_items(self, family: str) -> list[list[Any]]:
        """The items of the index page of `family` (tag, entity, law), as publish/plan.py's
        `tag_pages`, `entity_pages`, `law_pages` make them from every card: each page's
        slug, name and records, from `Store.page_newest` (and, for an entity's name and a
        statute's, the newest record naming it, read)."""
        rows = self.view.page_newest(family)
        if family == "tag":
            items = [[term, name, n] for term, n, _slug, name, _day in rows]
            return sorted(items, key=lambda t: str(t[1]))
        if family == "entity":
            # As the plan meets them: by the newest record naming each, then where in it.
            named = self.view.entity_names([row[2] for row in rows])
            met = []
            for term, n, slug, _name, day in rows:
                parties = named[slug]
                at, name = next((i, p[1]) for i, p in enumerate(parties) if p[0] == term)
                met.append((day, slug, at, [term, name, n]))
            met.sort(key=lambda m: m[2])
            met.sort(key=lambda m: (m[0], m[1]), reverse=True)  # stable: `at` kept among equals
            return sorted((m[3] for m in met), key=lambda t: str(t[1]).casefold())
        newest = {card["slug"]: card for card in self._cards(list({r[2]: 0 for r in rows}))}
        catalog = self.site.statute_catalog()
        counts = self._law_counts()
        found: dict[str, tuple[tuple[str, str], int, str]] = {}  # page → when, where, name
        for term, _n, slug, _name, day in rows:
            card = newest[slug]
            for at, (statute, _a, _p) in enumerate(card["law"]):
                name, page = statute_page(statute, catalog)
                if page != statute_page(term, catalog)[1]:
                    continue
                when = (day, slug)
                held = found.get(page)
                if held is None or (when, -at) > (held[0], -held[1]):
                    found[page] = (when, at, name)
                break
        order = sorted(found, key=lambda page: (found[page][0], -found[page][1]), reverse=True)
        items = [[page, found[page][2], counts[page]] for page in order]
        return sorted(items, key=lambda t: (-t[2], t[1]))

    def home_page(self) -> Page:
        """The home page as the build plans it, made per request as `facet_page` is: the
        facet index's counts, an index walk for the newest records and one per severity
        (most severe first) for the most severe, the chart's months grouped in SQL."""
        page = self._kept(("", "", 0), self._home_page)
        assert page is not None
        return page

    def _kept(self, asked: tuple[str, str, int], make: Callable[[], Page | None]) -> Page | None:
        """`make()`, kept (FACET_PAGES at most) while the store's generation stays."""
        generation = self.view.generation()
        with self._facet_lock:
            if self._facet_generation != generation:
                self._drop_changed_pages(self._facet_generation, generation)
                self._facet_generation = generation
            if asked in self._facet_pages:
                self._facet_pages.move_to_end(asked)
                return self._facet_pages[asked]
        made = make()
        with self._facet_lock:
            if self._facet_generation == generation:
                self._facet_pages[asked] = made
                while len(self._facet_pages) > FACET_PAGES:
                    self._facet_pages.popitem(last=False)
        return made

    def _drop_changed_pages(self, since: int | None, now: int) -> None:
        """Drop the kept facet listing pages that the writes between generations `since` and
        `now` changed (under `_facet_lock`): those listing a changed record, by its old or its
        new values, and the home page when any published record changed; all of them when
        the snapshot's refreshes cannot tell (`changed_cards`). Every worker made every page
        again after each save before, each a few queries."""
        current = self.snapshot_generation()
        pairs = self.changed_cards(since, now) if since is not None and current == now else None
        if pairs is None:
            self._facet_pages.clear()
            return
        cards = [card for pair in pairs for card in pair if card is not None]
        if not cards:
            return  # nothing published changed: every page stays
        catalog = self.site.statute_catalog()
        for asked in list(self._facet_pages):
            name, key, number = asked
            if name in ("", "index") or any(_lists(card, name, key, catalog) for card in cards):
                del self._facet_pages[asked]
            elif name == "law" and not number and any(card["law"] for card in cards):
                # A page sending on (`law_moved`) follows every statute a record cites.
                del self._facet_pages[asked]

    def _cards(self, slugs: list[str]) -> list[Card]:
        """The cards of the published records `slugs`, in that order: the current snapshot's
        (`_current_cards`), and those it lacks read CARDS_READ at a time (a query each), each
        record dropped once its card is made (a statute's page may list most of the records:
        held at once, 6,000 of them took a worker's RSS from 128 to 409 MiB)."""
        cards = self._current_cards()
        made: dict[str, Card] = {}
        missing = [slug for slug in slugs if slug not in cards]
        for start in range(0, len(missing), CARDS_READ):
            chunk = missing[start : start + CARDS_READ]
            read = self.view.read_many(chunk, captures=False)
            made.update((slug, card_of(read[slug].record)) for slug in chunk if slug in read)
        return [
            cards[slug] if slug in cards else made[slug]
            for slug in slugs
            if slug in cards or slug in made
        ]

    def _home_page(self) -> Page:
        found = self.view.search(Query(limit=0))
        latest = self._cards(
            self.view.listed(None, "", oldest_first=False, limit=HOME_LATEST, offset=0)
        )
        # Most severe first: the vocabulary lists the mildest first; a severity outside it
        # ranks below all, its records newest first whatever their value.
        ranked = list(self.site.vocabularies.get("severity"))[::-1]
        tallies = _option_counts(found)
        others = [value for value in tallies["severity"] if value not in ranked]
        severe: list[str] = []
        for value in ranked:
            if len(severe) < HOME_LATEST and tallies["severity"].get(value):
                wanted = HOME_LATEST - len(severe)
                severe += self.view.listed("severity", value, oldest_first=False, limit=wanted,
                                           offset=0)  # fmt: skip
        if len(severe) < HOME_LATEST and others:
            wanted = HOME_LATEST - len(severe)
            rest = self._cards(
                [s for v in others for s in self.view.listed(
                    "severity", v, oldest_first=False, limit=wanted, offset=0)]
            )  # fmt: skip
            rest.sort(key=lambda c: (c["date"], c["slug"]), reverse=True)
            severe += [card["slug"] for card in rest[:wanted]]
        months = chart_months(latest[0]["date"] if latest else None)
        monthly = self.view.monthly(months[0]) if months else {}
        chart = chart_of(months, monthly, list(self.site.vocabularies.get("category")))
        ongoing = tallies.get("ongoing", {}).get("true", 0)
        return home_of(latest, self._cards(severe), found.total, ongoing, tallies, chart, self.site)

    def _facet_page(self, name: str, key: str, number: int) -> Page | None:
        if name == "year":
            if not (len(key) == 4 and key.isascii() and key.isdigit()):
                return None
            query = Query(year=(int(key),), limit=0)
        elif key in self.site.vocabularies.get(name):
            one = (key,)
            query = Query(
                category=one if name == "category" else (),
                severity=one if name == "severity" else (),
                posture=one if name == "posture" else (),
                limit=0,
            )
        else:
            return None  # a value outside the vocabulary has no page
        found = self.view.search(query)
        if name == "year" and not found.total:
            return None  # a year without records has no page
        if not 1 <= number <= page_count(found.total):
            return None
        oldest = default_sort(name) == "oldest"
        start = (number - 1) * PER_PAGE
        chunk = self._cards(
            self.view.listed(name, key, oldest_first=oldest, limit=PER_PAGE, offset=start)
        )
        options = options_of(_option_counts(found), name)
        return facet_page(name, key, number, found.total, chunk, options, self.site)

    def _tag_page(self, slug: str, number: int) -> Page | None:
        names = self.view.page_names("tag", slug)
        if not names:
            return None  # no published record holds it
        found = self.view.search(Query(tag=tuple(names), limit=0))
        if not 1 <= number <= page_count(found.total):
            return None
        start = (number - 1) * PER_PAGE
        rows = self.view.paged("tag", slug, limit=PER_PAGE, offset=start)
        # Named as its newest record spells it (the build's first).
        newest = rows[:1] if start == 0 else self.view.paged("tag", slug, limit=1, offset=0)
        if not rows or not newest:
            return None  # unpublished since the names were read: the generation moved
        chunk = self._cards([row[0] for row in rows])
        options = options_of(_option_counts(found), "tag")
        return tag_page(slug, newest[0][1], number, found.total, chunk, options)

    def _entity_page(self, slug: str, number: int) -> Page | None:
        found = self.view.page_facets("entity", [slug])
        chunk, newest = self._paged_cards("entity", [slug], number, found.total)
        if newest is None:
            return None
        options = options_of(_option_counts(found), "entity")
        heading = entity_heading(slug, newest)
        return entity_page(slug, heading, Shown(number, found.total, chunk, options))

    def _law_page(self, slug: str, number: int) -> Page | None:
        catalog = self.site.statute_catalog()
        cited = [t for t in self.view.page_keys("law") if statute_page(t, catalog)[1] == slug]
        found = self.view.page_facets("law", cited)
        chunk, newest = self._paged_cards("law", cited, number, found.total)
        if newest is None:
            return None
        options = options_of(_option_counts(found), "law")
        heading = law_heading(slug, newest, cited, catalog)
        return law_page(slug, heading, Shown(number, found.total, chunk, options), catalog)

    def _paged_cards(
        self, family: str, terms: list[str], number: int, total: int
    ) -> tuple[list[Card], Card | None]:
        """The cards of page `number` of the listing of `terms` in `family` (`Store.paged`)
        of `total` records, and the card of its newest record (which names the page); None
        for no such page (or one unpublished since the total was counted: the generation
        moved, and the next request looks again)."""
        if not terms or not 1 <= number <= page_count(total):
            return [], None
        start = (number - 1) * PER_PAGE
        rows = self.view.paged(family, terms, limit=PER_PAGE, offset=start)
        first = rows[:1] if start == 0 else self.view.paged(family, terms, limit=1, offset=0)
        cards = self._cards([row[0] for row in rows + first])
        if not rows or not first or len(cards) != len(rows) + 1:
            return [], None
        return cards[:-1], cards[-1]

    def _timeline_page(self, year: str, number: int) -> Page | None:
        if not (len(year) == 4 and year.isascii() and year.isdigit()) or number < 1:
            return None
        after = f"{int(year) + 1:04d}"
        start = (number - 1) * PER_PAGE
        total, rows = self.view.dated("day", year, after, limit=PER_PAGE, offset=start)
        slugs = list(dict.fromkeys(slug for _day, slug in rows))
        cards = {card["slug"]: card for card in self._cards(slugs)}
        if not rows or number > page_count(total) or len(cards) != len(slugs):
            return None  # no such page (or a record unpublished since: the generation moved)
        events = [
            [day, title, summary, slug, cards[slug]["title"]]
            for day, slug in rows
            for on, title, summary in cards[slug]["timeline"]
            if on == day
        ]
        return timeline_page(year, number, total, events)

    def listing_cards(self, snapshot: Snapshot, kind: str, key: str) -> list[Card]:
        """The cards of a listing (publish/listing.py), newest first, once per snapshot."""
        groups = self._made(
            snapshot, "listings", lambda: every_listing(snapshot.cards.values(), self.site)
        )
        return groups.get((kind, key), [])

    # --- feed, sitemap, collections ------------------------------------------------------
    def feed(self) -> bytes:
        """feed.xml: the records updated last, as the build writes it, made per request from
        the store (`_feed`) and kept while its generation stays."""
        generation = self.view.generation()
        kept = self._feed_kept
        if kept is not None and kept[0] == generation:
            return kept[1]
        body = self._feed()
        self._feed_kept = (generation, body)  # one bytes object: swapped, never changed
        return body

    def _feed(self) -> bytes:
        # The store's walk of the records' lastUpdated days, newest first (`updated_last`):
        # only the entries are read, never every record (the whole site's cards before).
        chosen = self.view.updated_last(FEED_ENTRIES)
        records = list(self._read([slug for _day, slug in chosen]).values())
        updated = (
            datetime.combine(date.fromisoformat(chosen[0][0]), datetime.min.time(), tzinfo=UTC)
            if chosen
            else datetime.now(UTC)
        )
        return atom_feed(records, self.site, updated=updated, limit=FEED_ENTRIES)

    def sitemap(self, name: str) -> bytes | None:
        """sitemap.xml, or a sitemap-N.xml it names when it is an index, as the build writes
        them (publish/sitemap.py), or None for no such file: made per request from the
        store (`_sitemap`), never from every record's card, and kept (SITEMAPS_KEPT files)
        while the generation stays. What is held is one file's entries at most
        (`sitemap_limit`), whatever the tracker's size."""
        generation = (self.view.generation(), self.sitemap_limit)
        with self._sitemap_lock:
            if self._sitemap_generation != generation:
                self._sitemap_generation, self._sitemap_layout = generation, None
                self._sitemap_files.clear()
            if name in self._sitemap_files:
                self._sitemap_files.move_to_end(name)
                return self._sitemap_files[name]
            layout = self._sitemap_layout
        if layout is None:
            layout = self._sitemap_layout_now()
        body = self._sitemap(layout, name)
        with self._sitemap_lock:
            if self._sitemap_generation == generation:
                self._sitemap_layout = layout
                self._sitemap_files[name] = body
                while len(self._sitemap_files) > SITEMAPS_KEPT:
                    self._sitemap_files.popitem(last=False)
        return body

    def _sitemap_layout_now(self) -> SitemapLayout:
        """What the sitemap lists before its records, and how many records follow: the
        planned pages as groups (`sitemap_units`) from the store's counts — the facet
        index's, `record_pages`' per term (`Store.page_counts`), the located records — and
        the collections, never a record read."""
        found = self.view.search(Query(limit=0))
        facets = {name: dict(found.facets.get(name, [])) for name in FACET_FAMILIES}
        by_family: dict[str, dict[str, int]] = {}
        for name in ("category", "severity", "posture"):
            by_family[name] = {
                key: facets[name].get(key, 0) for key in self.site.vocabularies.get(name)
            }
        by_family["year"] = {f"{int(year):04d}": n for year, n in facets["year"].items() if n}
        by_family["tag"] = self.view.page_counts("tag")
        by_family["entity"] = self.view.page_counts("entity")
        by_family["law"] = self._law_counts()
        days: dict[str, int] = {}
        for day, n in self.view.page_counts("day").items():
            days[day[:4]] = days.get(day[:4], 0) + n
        by_family["timeline"] = days
        collections = [c.slug for c in self.view.collections()]
        units = sitemap_units(by_family, collections, self.view.located())
        return SitemapLayout(units, found.total)

    def _law_counts(self) -> dict[str, int]:
        """A statute's page's slug → how many published records cite it (any of the
        spellings the site's catalog resolves to it, each record once)."""
        catalog = self.site.statute_catalog()
        counts = self.view.page_counts("law")
        spellings: dict[str, list[str]] = {}
        for term in counts:
            spellings.setdefault(statute_page(term, catalog)[1], []).append(term)
        return {
            slug: counts[terms[0]] if len(terms) == 1 else self.view.page_facets("law", terms).total
            for slug, terms in spellings.items()
        }

    def _sitemap(self, layout: SitemapLayout, name: str) -> bytes | None:
        limit = self.sitemap_limit
        pages = sum(n for _prefix, n in layout.units)
        total = pages + layout.records
        names = sitemap_names(total, limit)
        if name not in names:
            return None
        if len(names) == 1:
            return sitemap_xml(self._sitemap_entries(layout, pages, 0, total))
        if not layout.spans:  # once per layout: a grouped walk of every published record
            layout.spans.update(self.view.updated_spans(pages, limit))
        if name == SITEMAP_NAME:
            index = [
                (f"{self.site.url}/{part}", _day(layout.spans.get(number, (None, 0))[0]))
                for number, part in enumerate(names[1:])
            ]
            return sitemap_index_xml(index)
        start = (names.index(name) - 1) * limit
        return sitemap_xml(self._sitemap_entries(layout, pages, start, min(total, start + limit)))

    def _sitemap_entries(
        self, layout: SitemapLayout, pages: int, start: int, end: int
    ) -> Iterator[tuple[str, date | None]]:
        """The sitemap's entries from number `start` up to `end`: its `pages` page
        addresses (home first, then by path, as `sitemap_entries` orders them), then the
        records' in store order with their lastUpdated."""
        at = 0
        for prefix, size in layout.units:
            if at + size > start and at < end:
                for path in list(unit_paths(prefix, size))[max(0, start - at) : end - at]:
                    yield page_url(self.site, path), None
            at += size
            if at >= end:
                return
        after = 0
        if start > pages:
            # A part of the index starts with the records of its span: from its first id.
            first = layout.spans.get(start // self.sitemap_limit)
            if first is None:
                return  # fewer since counted: the generation moved
            after = first[1] - 1
        left = end - max(start, pages)
        while left > 0:
            wanted = min(CARDS_READ * 10, left)
            rows = self.view.updated_in_order(after=after, limit=wanted)
            for _id, slug, updated in rows:
                yield record_url(self.site, slug), date.fromisoformat(updated)
            if len(rows) < wanted:
                return  # fewer since counted: the generation moved
            after, left = rows[-1][0], left - wanted

    def collection_json(self, snapshot: Snapshot, slug: str) -> bytes | None:
        """collections/SLUG.json (docs/format.md's collection document), or None."""
        found = [c for c in snapshot.collections if c.slug == slug]
        if not found:
            return None
        collection = found[0]

        key = f"collection:{slug}"
        if key in snapshot.made:
            kept: bytes = snapshot.made[key]
            return kept
        members = self.view.read([s for s in collection.records if snapshot.published(s)])
        records = [members[s].record for s in collection.records if s in members]
        doc = collection_document(collection, records, self.site, snapshot.generated_at)
        body = dumps(doc).encode()
        # Kept for the snapshot only when made with the related slugs it leaves out: a record
        # published or taken back since it was made may have changed them (the next request
        # gets a new snapshot), and a later snapshot equal to this one must not get them.
        if _withheld(members.values()) != snapshot.withheld_from(members):
            return body
        return self._made(snapshot, key, lambda: body)

    # --- the listings' shared files --------------------------------------------------------
    def listing_file(self, snapshot: Snapshot, name: str) -> bytes | None:
        """listing/NAME as the build writes it (publish/listing.py `listing_files`), for
        static/listing.js on a listing page with no query string: the manifest, or a file of
        a shard, made from its records' public forms when first asked for. None for no such
        file."""
        name = LISTING_DIR + name
        if name == MANIFEST_FILE:
            return manifest_bytes(self.site, snapshot.generated_at)
        shard = next(
            (n for n in range(SHARDS) if name in (ROWS_FILE.format(n), DOCS_FILE.format(n))),
            None,
        )
        if shard is None:
            return None
        key = f"listing:{shard}"
        if key in snapshot.made:
            kept: dict[str, bytes] = snapshot.made[key]
            return kept[name]
        members = self.view.read([s for s in snapshot.hashes if shard_of(s) == shard])
        files = shard_files(shard, [m.record for m in members.values()], self.site)
        # Kept for the snapshot only when made with the related slugs it leaves out (as a
        # collection's document, above).
        if _withheld(members.values()) != snapshot.withheld_from(members):
            return files[name]
        return self._made(snapshot, key, lambda: files)[name]

    # --- the search index ----------------------------------------------------------------
    def search_index(self, snapshot: Snapshot) -> dict[str, bytes]:
        """search/index/'s files (meta.json, terms-N.json) → bytes, for search.js."""
        return self._made(snapshot, "search-index", lambda: self._search_index(snapshot))

    def _search_index(self, snapshot: Snapshot) -> dict[str, bytes]:
        # Stemmed in the store's language (`search_words.using`), as its own searches are.
        with search_words.using(self.view.language):
            return self._search_index_files(snapshot)

    def _search_index_files(self, snapshot: Snapshot) -> dict[str, bytes]:
        with self._docs_lock:
            stale = [s for s, h in snapshot.hashes.items() if self._docs.get(s, ("",))[0] != h]
            for slug, record in self._read(stale).items():
                self._docs[slug] = (snapshot.hashes[slug], search_document(record, self.site))
            for slug in self._docs.keys() - snapshot.hashes.keys():
                del self._docs[slug]
            docs = [self._docs[s][1] for s in snapshot.hashes if s in self._docs]
        labels = {n: self.site.vocabularies.get(n) for n in LABELLED}
        with tempfile.TemporaryDirectory(prefix="casework-search-") as folder:
            paths = write_search_index(docs, Path(folder), labels)
            return {path.name: path.read_bytes() for path in paths}

    # --- data files ----------------------------------------------------------------------
    def data_export(self, snapshot: Snapshot) -> DataExport:
        """The data files of the snapshot's records, written when first asked for (seconds
        at 10,000 records) and kept until the published records change."""
        with self._data_lock:
            return self._data_export(snapshot)

    def _data_export(self, snapshot: Snapshot) -> DataExport:
        data = self._data
        if data is not None and data.records_key == snapshot.records_key:
            return data
        folder = tempfile.TemporaryDirectory(prefix="casework-data-")
        directory = Path(folder.name)
        try:
            public = self._ordered_records(snapshot)
            written = write_data_files(
                [p.record for p in public], self.site, directory, generated_at=snapshot.generated_at
            )
        except BaseException:
            folder.cleanup()
            raise
        template = environment(self.site.language).get_template("data.html")
        index_html = template.render(
            self.shared, path="data/index.html", files=[asdict(f) for f in written]
        ).encode()
        fresh = DataExport(
            # Keyed by what was read: a record published or taken back since the snapshot was
            # made may have changed which related slugs are left out.
            records_key=_fingerprint(snapshot.hashes, _withheld(public)),
            directory=directory,
            files={f.name: f for f in written},
            manifest=(directory / MANIFEST_NAME).read_bytes(),
            datapackage=(directory / DATAPACKAGE_NAME).read_bytes(),
            index_html=index_html,
        )
        # The previous files go now: responses streaming them hold them open, and POSIX
        # keeps an open file's bytes until it is closed.
        if data is not None:
            self._data_dirs.pop(data.records_key).cleanup()
        self._data_dirs[fresh.records_key] = folder
        self._data = fresh
        return fresh

    def _ordered_records(self, snapshot: Snapshot) -> list[PublicRecord]:
        """The snapshot's published records, in store order (the order the build writes)."""
        return [public for public in self.view.records() if public.slug in snapshot.hashes]

    def open_data_file(
        self, snapshot: Snapshot, name: str, *, gzip_from: int | None = None
    ) -> tuple[DataFile, IO[bytes], int, bool]:
        """One of the data files, opened (under the lock, so it cannot be removed before
        it is open): its description, the open file, its size and whether it is the gzip
        form. Raises KeyError for a name that is not one. With `gzip_from`, a file of at
        least that many bytes is opened in its gzip form, written beside it when first
        asked for (a second at 10,000 records) rather than compressed for every download."""
        if name not in DATA_FILE_NAMES:
            raise KeyError(name)
        with self._data_lock:
            export = self._data_export(snapshot)
            info, path = export.files[name], export.directory / name
            zipped = gzip_from is not None and info.size >= gzip_from
            if zipped:
                path = _gzipped(path)
            return info, path.open("rb"), path.stat().st_size, zipped

    def close(self) -> None:
        """Remove the data files' directory (also done when the LiveSite is collected)."""
        with self._data_lock:
            for folder in self._data_dirs.values():
                folder.cleanup()
            self._data_dirs.clear()
            self._data = None


def _gzipped(path: Path) -> Path:
    """`path`.gz, made once (gzip level 6, as web/compression.py compresses)."""
    target = path.with_name(path.name + ".gz")
    if not target.exists():
        partial = target.with_suffix(".partial")
        with path.open("rb") as source, gzip.open(partial, "wb", compresslevel=6) as out:
            shutil.copyfileobj(source, out, 1 << 20)
        partial.replace(target)
    return target


# --- one LiveSite per store and site ------------------------------------------------------
# The API's data exports and the public site's /data/ files are the same files: the app's
# two parts, made separately by create_app, find the same LiveSite here rather than each
# writing them. Keyed weakly on the store, so a closed and dropped store takes its LiveSite
# (and its temporary files) with it.
_SITES: weakref.WeakKeyDictionary[Any, dict[str, LiveSite]] = weakref.WeakKeyDictionary()
_SITES_LOCK = threading.Lock()


def live_site(store: Store, site: Site, archive: Path | None = None) -> LiveSite:
    """The LiveSite of `store` and `site`, made on first use; it reads the store through a
    public view of its own — with the captures of sources kept under `archive` (the
    tracker's archive/ folder), when given."""
    key = f"{site.model_dump_json()}\0{archive or ''}"
    with _SITES_LOCK:
        per_store = _SITES.setdefault(store, {})
        found = per_store.get(key)
        if found is None:
            # Through a weak proxy: the registry's LiveSite must not keep its own key alive.
            proxy = weakref.proxy(store)
            captures = None
            if archive is not None:
                from casework.evidence.captures import Captures
                from casework.store.copy import engine_of

                captures = Captures(engine_of(store), archive)
            view = PublicView(proxy, captures)
            found = per_store[key] = LiveSite(view, site)
        return found


def _lists(card: Card, name: str, key: str, catalog: StatuteCatalog) -> bool:
    """Whether the page of `key` in the family `name` (a facet's, a tag's, an entity's, a
    statute's, a timeline year's) lists `card`."""
    return (name, key) in units_of(card, catalog)


def _collection_of(file: str) -> str:
    """The slug of the collection whose page is at `file`, or ""."""
    parts = file.split("/")
    if len(parts) == 3 and parts[0] == "collections" and parts[2] == "index.html":
        return parts[1]
    return ""


def _day(iso: str | None) -> date | None:
    return None if iso is None else date.fromisoformat(iso)


def _option_counts(found: SearchResult) -> dict[str, dict[str, int]]:
    """value → records of each OPTION_FACETS family, from a search's facet counts."""
    return {facet: dict(found.facets.get(facet, [])) for facet in OPTION_FACETS}


def _map_number(file: str) -> int:
    """The number of the map's page at `file` (`map/index.html`: 1, `map/page/N/index.html`:
    N > 1, written without a leading zero, as the build writes them), or 0 for any other."""
    if file == "map/index.html":
        return 1
    parts = file.split("/")
    if len(parts) != 4 or parts[:2] != ["map", "page"] or parts[3] != "index.html":
        return 0
    number = parts[2]
    if number.isascii() and number.isdigit() and number[0] != "0" and int(number) > 1:
        return int(number)
    return 0
