"""What the public may see of a store: the one way every public byte about records is read.

The static build, the live site, the public JSON API, collections' documents and
`casework export` (without --all) read records through a `PublicView`, never through the
store itself. It yields published records only, and each as the public may see it: its
`relatedIncidents` without the slugs of records this tracker holds unpublished (drafts,
records in review, records taken back), since a slug is usually made from a title, which
may name a victim. A related slug that no record here has stays as authored (`check` flags
it). Collections come the same way: without their unpublished members.

Which records are held unpublished (`hidden()`) is one indexed query for drafts and one for
records in review — usually few — kept until the store's generation changes.

Why the hidden set is always read after the records it filters: a record's public form must
never be made with an older set than the record's own state. Read the other way round, a draft
created and then named by a published record between the two reads would pass. Read after, a
newer set can only be one in which a named record was published meanwhile (then its slug is
public) or taken back (then it is left out).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from casework.evidence.published import (
    PublicLog,
    Version,
    engine_of,
    read_current_version,
    read_public_log,
    read_version_records,
    read_versions,
)
from casework.model import Collection, Record, Status
from casework.model.places import public_location
from casework.model.record import Location
from casework.search_words import DEFAULT_LANGUAGE
from casework.store.base import (
    CollectionNotFound,
    Query,
    RecordNotFound,
    RecordVersion,
    SearchResult,
    Store,
)

if TYPE_CHECKING:
    from casework.evidence.captures import Capture, Captures
    from casework.store.deletions import Deletion

UNPUBLISHED = tuple(status for status in Status if status is not Status.published)
# Reading every published record in one pass beats this many single reads.
SCAN_ABOVE = 64


@dataclass(frozen=True)
class PublicRecord:
    """A published record as the public may see it."""

    record: Record
    updated_at: datetime  # when its current revision was made
    # The related slugs left out of `record` (records held here unpublished), as authored: what
    # a cache of this public form must be keyed on besides the record's revision.
    withheld: tuple[str, ...] = ()
    # Every slug the record names as related, as authored and in its order (None: `record`'s
    # and `withheld`'s): what the build keeps to make the public form again (publish/state.py).
    authored: tuple[str, ...] | None = None

    @property
    def slug(self) -> str:
        return self.record.slug

    @property
    def named(self) -> frozenset[str]:
        """Every slug the record names as related, as authored."""
        return frozenset(self.record.related_incidents).union(self.withheld)

    def named_in_order(self) -> tuple[str, ...]:
        """Every slug the record names as related, as authored, in order."""
        if self.authored is not None:
            return self.authored
        return (*self.record.related_incidents, *self.withheld)


def public_form(record: Record, hidden: frozenset[str]) -> tuple[Record, tuple[str, ...]]:
    """`record` without the related slugs in `hidden`, with its locations at their published
    precision (`public_locations`) and without its `externalId`, and the slugs left out."""
    record = public_locations(record)
    if record.external_id:  # the team's spreadsheet bookkeeping, never public
        record = record.model_copy(update={"external_id": ""})
    withheld = tuple(slug for slug in record.related_incidents if slug in hidden)
    if not withheld:
        return record, ()
    kept = [slug for slug in record.related_incidents if slug not in hidden]
    return record.model_copy(update={"related_incidents": kept}), withheld


def public_locations(record: Record) -> Record:
    """`record` with each location as `casework.model.places.public_location` makes it: the
    point rounded or dropped at the published precision, a lowered location's name dropped.
    The revision log hashes the same form (`evidence.ledger.public_record`)."""
    if not record.locations:
        return record
    shown = [Location.model_validate(public_location(loc.to_wire())) for loc in record.locations]
    return record.model_copy(update={"locations": shown})


class PublicView:
    """The published records of `store`, each in its public form. Read-only; safe to share
    between threads (the cached hidden set is replaced whole).

    With `captures` (the tracker's index of archived sources), each public record carries
    the `captures` key of casework's own (docs/format.md): the copies kept of its sources and
    documents. Only a published record's public form is ever given it."""

    def __init__(self, store: Store, captures: Captures | None = None) -> None:
        self._store = store
        self._hidden: tuple[int, frozenset[str]] | None = None
        self._moved: tuple[int, dict[str, str]] | None = None
        self._gone: tuple[int, dict[str, Deletion]] | None = None
        self.captures = captures
        self._public_captures: (
            tuple[tuple[int, int], tuple[dict[str, Capture], frozenset[str]]] | None
        ) = None

    @property
    def language(self) -> str:
        """The store's search language (`search_words`), what the static index is stemmed in."""
        return str(getattr(self._store, "language", DEFAULT_LANGUAGE))

    def _with_captures(self, record: Record, found: dict[str, list[Capture]] | None) -> Record:
        if self.captures is None:
            return record
        from casework.evidence.captures import EXTENSION_KEY, entries, record_urls

        urls = record_urls(record)
        if found is None:
            found = self.captures.captures_for(urls)
        listed = entries(urls, found)
        if not listed:
            return record
        return record.model_copy(update={EXTENSION_KEY: listed})

    def published_capture(self, sha256: str) -> Capture | None:
        """The newest capture kept as `sha256` of a URL that a published record cites now;
        None otherwise (unknown, failed, or cited only by records held unpublished)."""
        if self.captures is None:
            return None
        return self._published_captures()[0].get(sha256)

    def published_warc(self, sha256: str) -> bytes | None:
        """The WARC file of a published capture, when the fetch that wrote it asked for a URL
        a published record cites. A file is shared by every fetch that got the same body and
        holds the first one's request: written for a source only a draft cites, it would name
        that URL, so it is not served (its readable text, the same body's, still is)."""
        capture = self.published_capture(sha256)
        if capture is None or self.captures is None:
            return None
        from casework.evidence.captures import warc_origin

        path = self.captures.warc_path(capture)
        if warc_origin(path) not in self._published_captures()[1]:
            return None
        return path.read_bytes()

    def _published_captures(self) -> tuple[dict[str, Capture], frozenset[str]]:
        """sha256 → the newest capture kept of a URL published records cite, and those URLs."""
        # Labelled with the generation and the index's newest row read before the records,
        # as hidden() is: a write meanwhile makes the next call read again.
        assert self.captures is not None
        label = (self._store.generation(), self.captures.newest_id())
        cached = self._public_captures
        if cached is not None and cached[0] == label:
            return cached[1]
        kept = self.captures.kept_by_url()
        cited: set[str] = set()
        for stored in self._store.iter_records(status=Status.published):
            cited |= _cited(stored.record)
        found: dict[str, Capture] = {}
        for url in cited & kept.keys():
            for capture in kept[url]:
                newer = found.get(capture.sha256)
                if newer is None or capture.captured_at > newer.captured_at:
                    found[capture.sha256] = capture
        result = (found, frozenset(cited))
        self._public_captures = (label, result)
        return result

    def generation(self) -> int:
        """The store's generation: every write changes it (see `Store.generation`)."""
        return self._store.generation()

    def known_generation(self) -> int | None:
        """The store's generation when it knows it without a read (PostgreSQL's change feed
        listener: `PostgresStore.known_generation`), else None."""
        known = getattr(self._store, "known_generation", None)
        return known() if known is not None else None

    def hidden(self) -> frozenset[str]:
        """The slugs of the records this store holds unpublished, as of now."""
        generation = self._store.generation()
        cached = self._hidden
        if cached is not None and cached[0] == generation:
            return cached[1]
        # Labelled with the generation read before the query: a write landing meanwhile makes
        # the next call ask again, and the set read is never older than its label.
        found = frozenset().union(*(self._store.slugs(status=s) for s in UNPUBLISHED))
        self._hidden = (generation, found)
        return found

    # --- records -----------------------------------------------------------------------------
    def versions(self) -> dict[str, RecordVersion]:
        """slug → current revision hash of every published record, in store order (cheap)."""
        return self._store.versions(status=Status.published)

    def count(self) -> int:
        return self._store.count(status=Status.published)

    def changes(self, since: int) -> tuple[int, dict[str, str | None]] | None:
        """What the writes after generation `since` did, as the store's change feed tells:
        (the generation now, slug → current revision hash of each record they changed that
        is published, None for one that is not), or None when the feed cannot say (then
        `versions` tells all)."""
        changes_since = getattr(self._store, "changes_since", None)
        found = changes_since(since) if changes_since is not None else None
        if found is None:
            return None
        until, changed = found
        return until, {
            slug: digest if status is Status.published else None
            for slug, (status, digest) in changed.items()
        }

    def get(self, slug: str) -> PublicRecord | None:
        """The record now, if it is published."""
        try:
            stored = self._store.get(slug)
        except RecordNotFound:
            return None
        if stored.status is not Status.published:
            return None
        record, withheld = public_form(stored.record, self.hidden())
        authored = tuple(stored.record.related_incidents)
        return PublicRecord(
            self._with_captures(record, None), stored.updated_at, withheld, authored
        )

    def records(self) -> Iterator[PublicRecord]:
        """Every published record, in store order, streamed (the store reads them in one
        snapshot)."""
        hidden: frozenset[str] | None = None
        # Every kept capture in one query, rather than one query a record.
        found = self.captures.kept_by_url() if self.captures is not None else None
        for stored in self._store.iter_records(status=Status.published):
            if hidden is None:
                hidden = self.hidden()  # now that the store's snapshot has begun
            record, withheld = public_form(stored.record, hidden)
            authored = tuple(stored.record.related_incidents)
            yield PublicRecord(
                self._with_captures(record, found), stored.updated_at, withheld, authored
            )

    def read(self, slugs: Iterable[str]) -> dict[str, PublicRecord]:
        """Those of `slugs` that are published now (one pass over all records when many)."""
        wanted = list(slugs)
        if len(wanted) > SCAN_ABOVE:
            chosen = set(wanted)
            return {p.slug: p for p in self.records() if p.slug in chosen}
        if len(wanted) == 1:
            public = self.get(wanted[0])
            return {} if public is None else {wanted[0]: public}
        # One query for the records and one for their captures, not two a record (a listing
        # page's 20 were ~100 round trips on PostgreSQL).
        stored = self._store.get_many(wanted)
        published = [s for s in stored.values() if s.status is Status.published]
        hidden = self.hidden() if published else frozenset()
        captured = None
        if self.captures is not None and published:
            from casework.evidence.captures import record_urls

            urls = [url for s in published for url in record_urls(s.record)]
            captured = self.captures.captures_for(urls)
        found = {}
        for slug in wanted:
            got = stored.get(slug)
            if got is None or got.status is not Status.published:
                continue
            record, withheld = public_form(got.record, hidden)
            authored = tuple(got.record.related_incidents)
            found[slug] = PublicRecord(
                self._with_captures(record, captured), got.updated_at, withheld, authored
            )
        return found

    def read_many(self, slugs: Iterable[str], *, captures: bool = True) -> dict[str, PublicRecord]:
        """`read`, the records asked for read by a query a few hundred (`Store.get_many`),
        however many: neither a query a record nor a pass over all; without `captures`, none
        of them carries its captures (what a card shows has none)."""
        stored = self._store.get_many(list(slugs))
        hidden = self.hidden()  # after the records it filters (the module's docstring)
        found = {}
        for one in stored.values():
            if one.status is not Status.published:
                continue
            record, withheld = public_form(one.record, hidden)
            if captures:
                record = self._with_captures(record, None)
            authored = tuple(one.record.related_incidents)
            found[one.record.slug] = PublicRecord(record, one.updated_at, withheld, authored)
        return found

    # --- published versions (casework.evidence) ---------------------------------------------
    def public_log(self) -> PublicLog | None:
        """The public log of published versions (None for a store without one)."""
        engine = engine_of(self._store)
        return None if engine is None else read_public_log(engine)

    def record_versions(self, slug: str) -> list[Version]:
        """The public versions of `slug` if it is published now, was renamed into a record
        published now, or was deleted after being public (else none)."""
        engine = engine_of(self._store)
        if engine is None or (
            self.get(slug) is None and self.moved_to(slug) is None and slug not in self.gone()
        ):
            return []
        # A renamed record's old versions stay where readers cited them, and a deleted
        # record's (as tombstones: its deletion withdrew them).
        return read_versions(engine, slug)

    def moved(self) -> dict[str, str]:
        """Old slug → the published record it is now, for every renamed record whose old slug
        was public (it has public versions: readers may have cited its addresses). A slug
        that was never public is left out, so that a draft's old name shows nowhere.

        Asked by every public record request (the API's included), so kept per store
        generation as `hidden` is: a rename, a merge, a publication all move it."""
        engine = engine_of(self._store)
        if engine is None:
            return {}
        generation = self._store.generation()
        cached = self._moved
        if cached is not None and cached[0] == generation:
            return cached[1]
        from casework.store import renames

        found: dict[str, str] = {}
        table = renames.read_all(engine)
        if table:
            published = self._store.slugs(status=Status.published)
            for old in table:
                new = renames.follow(table, old)
                if new in published and read_current_version(engine, old) is not None:
                    found[old] = new
        # Labelled with the generation read before the queries, as `hidden` is.
        self._moved = (generation, found)
        return found

    def gone(self) -> dict[str, Deletion]:
        """Deleted records that were ever public (they have public versions: readers may
        have cited their addresses) → their deletion, whose date and reason their tombstone
        shows. A record deleted before it was ever public is left out: its slug answers as
        one never used. Kept per store generation, as `moved` is."""
        engine = engine_of(self._store)
        if engine is None:
            return {}
        generation = self._store.generation()
        cached = self._gone
        if cached is not None and cached[0] == generation:
            return cached[1]
        from casework.store import deletions

        found = {
            slug: deletion
            for slug, deletion in deletions.read_all(engine).items()
            if read_current_version(engine, slug) is not None
        }
        self._gone = (generation, found)
        return found

    def moved_to(self, slug: str) -> str | None:
        """The published record a public old slug became (`moved`), else None."""
        return self.moved().get(slug)

    def current_version(self, slug: str) -> int | None:
        """The newest public version of a record the caller has read as published."""
        engine = engine_of(self._store)
        return None if engine is None else read_current_version(engine, slug)

    def version_records(self, wanted: Iterable[Version]) -> dict[tuple[str, int], dict[str, Any]]:
        """(slug, public version) → the stored record of those versions. Only published
        revisions have public versions; the caller asks for the records it shows."""
        engine = engine_of(self._store)
        return {} if engine is None else read_version_records(engine, wanted)

    # --- collections ---------------------------------------------------------------------------
    def collections(self) -> list[Collection]:
        """Every collection, without its unpublished members."""
        found = self._store.collections()
        hidden = self.hidden()
        return [_public_collection(c, hidden) for c in found]

    def collection(self, slug: str) -> Collection | None:
        try:
            found = self._store.get_collection(slug)
        except CollectionNotFound:
            return None
        return _public_collection(found, self.hidden())

    # --- search --------------------------------------------------------------------------------
    def search(self, query: Query) -> SearchResult:
        """The store's search over published records, whatever status `query` asks for."""
        return self._store.search(replace(query, status=Status.published))

    def listed(
        self, name: str | None, value: str, *, oldest_first: bool, limit: int, offset: int
    ) -> list[str]:
        """The store's `listed`: published records only, whatever it is asked."""
        return self._store.listed(
            name, value, oldest_first=oldest_first, limit=limit, offset=offset
        )

    def monthly(self, since: str) -> dict[tuple[str, str], int]:
        """The store's `monthly`: published records only."""
        return self._store.monthly(since)

    def paged(
        self, family: str, terms: str | Sequence[str], *, limit: int | None, offset: int
    ) -> list[tuple[str, str]]:
        """The store's `paged`: published records only."""
        return self._store.paged(family, terms, limit=limit, offset=offset)

    def dated(
        self, family: str, low: str, high: str, *, limit: int | None, offset: int
    ) -> tuple[int, list[tuple[str, str]]]:
        """The store's `dated`: published records only."""
        return self._store.dated(family, low, high, limit=limit, offset=offset)

    def updated_last(self, limit: int) -> list[tuple[str, str]]:
        """The store's `updated_last`: published records only."""
        return self._store.updated_last(limit)

    def page_facets(self, family: str, terms: Sequence[str]) -> SearchResult:
        """The store's `page_facets`: published records only."""
        return self._store.page_facets(family, terms)

    def page_keys(self, family: str) -> list[str]:
        """The store's `page_keys`: published records only."""
        return self._store.page_keys(family)

    def page_names(self, family: str, term: str) -> list[str]:
        """The store's `page_names`: published records only."""
        return self._store.page_names(family, term)

    def page_counts(self, family: str) -> dict[str, int]:
        """The store's `page_counts`: published records only."""
        return self._store.page_counts(family)

    def page_sums(self, family: str) -> dict[str, int]:
        """The store's `page_sums`: published records only."""
        return self._store.page_sums(family)

    def page_years(self, family: str) -> list[str]:
        """The store's `page_years`: published records only."""
        return self._store.page_years(family)

    def page_newest(self, family: str) -> list[tuple[str, int, str, str, str]]:
        """The store's `page_newest`: published records only."""
        return self._store.page_newest(family)

    def entity_names(self, slugs: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
        """The store's `entity_names`: published records only (a party's name is the same
        in a record's public form)."""
        return self._store.entity_names(slugs)

    def tag_counts(self) -> dict[str, int]:
        """The store's `tag_counts`: published records only."""
        return self._store.tag_counts()

    def located(self) -> int:
        """The store's `located`: published records only."""
        return self._store.located()

    def updated_in_order(self, *, after: int, limit: int) -> list[tuple[int, str, str]]:
        """The store's `updated_in_order`: published records only."""
        return self._store.updated_in_order(after=after, limit=limit)

    def updated_spans(self, shift: int, size: int) -> dict[int, tuple[str, int]]:
        """The store's `updated_spans`: published records only."""
        return self._store.updated_spans(shift, size)


def _cited(record: Record) -> set[str]:
    return {s.url for s in record.sources} | {d.url for d in record.documents}


def _public_collection(collection: Collection, hidden: frozenset[str]) -> Collection:
    if not any(slug in hidden for slug in collection.records):
        return collection
    members = [slug for slug in collection.records if slug not in hidden]
    return collection.model_copy(update={"records": members})


def public_view(source: Store | PublicView) -> PublicView:
    """`source` if it is a view already, else a view over the store."""
    return source if isinstance(source, PublicView) else PublicView(source)
