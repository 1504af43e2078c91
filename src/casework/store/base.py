"""The Store protocol: what every engine (SQLite now, PostgreSQL next) provides, and its errors.

Everything above `store/` speaks to a `Store` and in `model` types only, so that an engine can
be swapped without a line changing above this package.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from casework.status import Status

if TYPE_CHECKING:  # accounts.py and jobs.py import StoreError from here
    # The model (pydantic) only names types here: a search reads no record (casework.status).
    from casework.model import Collection, Record
    from casework.store.accounts import Accounts
    from casework.store.jobs import Jobs
    from casework.store.link_reports import LinkReports
    from casework.store.prepared import PreparedRecord  # with Markdown rendering: for writes
    from casework.store.proposals import Proposals


class StoreError(Exception):
    """Base of every error a store raises."""


class RecordNotFound(StoreError):
    def __init__(self, slug: str) -> None:
        super().__init__(f"no record with slug {slug!r}")
        self.slug = slug


class CollectionNotFound(StoreError):
    def __init__(self, slug: str) -> None:
        super().__init__(f"no collection with slug {slug!r}")
        self.slug = slug


class RevisionNotFound(StoreError):
    def __init__(self, slug: str, number: int) -> None:
        super().__init__(f"record {slug!r} has no revision {number}")
        self.slug = slug
        self.number = number


class SlugExists(StoreError):
    def __init__(self, slug: str) -> None:
        super().__init__(f"a record with slug {slug!r} already exists")
        self.slug = slug


class Conflict(StoreError):
    """A save was based on a revision that is no longer the record's current one."""

    def __init__(self, slug: str, base_revision: int, current_revision: int) -> None:
        super().__init__(
            f"record {slug!r} changed since revision {base_revision}: "
            f"it is now at revision {current_revision}"
        )
        self.slug = slug
        self.base_revision = base_revision
        self.current_revision = current_revision


class StorageFull(StoreError):
    """The disk (the database server's, or this machine's for a file) is full or failing:
    the write was refused whole, and nothing of it was saved (store/disk_errors.py)."""


class Action(StrEnum):
    """Why a revision exists."""

    create = "create"
    edit = "edit"
    import_ = "import"
    restore = "restore"
    status = "status"
    rename = "rename"  # the first revision under a record's new slug (migration 0014)


@dataclass(frozen=True)
class StoredRecord:
    """A record as the store holds it now."""

    record: Record
    status: Status
    revision: int  # the number of its current revision, 1 for a new record
    updated_at: datetime


@dataclass(frozen=True)
class RecordVersion:
    """A record's current revision, named by its hash (which covers content and status)."""

    hash: str


@dataclass(frozen=True)
class Revision:
    """One entry of a record's append-only history."""

    slug: str
    number: int
    action: Action
    author: str
    message: str
    created_at: datetime
    status: Status
    record: Record
    prev_hash: str  # "" for a record's first revision
    hash: str


@dataclass(frozen=True)
class HistoryProblem:
    slug: str
    number: int
    message: str


@dataclass(frozen=True)
class Query:
    """A search: free text (FTS syntax-safe: words are quoted) plus facet filters.

    An empty `text` lists every record that passes the filters. `status=None` searches every
    record; the default is what the public sees.
    """

    text: str = ""
    category: tuple[str, ...] = ()
    severity: tuple[str, ...] = ()
    posture: tuple[str, ...] = ()
    tag: tuple[str, ...] = ()
    country: tuple[str, ...] = ()  # ISO 3166-1 alpha-2 codes of a record's locations
    year: tuple[int, ...] = ()
    ongoing: bool | None = None
    # Incident dates, inclusive, as YYYY-MM-DD (the record's `date`).
    date_from: str | None = None
    date_to: str | None = None
    status: Status | None = Status.published
    sort: str = "relevance"  # relevance | date | -date | title
    limit: int = 20
    offset: int = 0
    facets: bool = True


@dataclass(frozen=True)
class Hit:
    slug: str
    title: str
    summary: str
    date: str
    category: str
    severity: str
    snippet: str  # HTML-safe: text escaped, matches wrapped in <mark>
    score: float


FACET_NAMES = ("category", "severity", "posture", "tag", "year", "ongoing", "country")


@dataclass(frozen=True)
class SearchResult:
    total: int
    hits: list[Hit]
    # facet name → [(value, count)], counts over every match (not only this page)
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


Progress = Callable[[int], None]  # called with the number of records just done


class Rows(Protocol):
    """What a statement run by `InWrite.execute` gives back (a DB-API cursor)."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...


class InWrite(Protocol):
    """Statements run inside a store's own write transaction, on either engine: `sql` is
    written with `?` placeholders, and a datetime parameter is stored as the engine stores
    times."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Rows: ...


Along = Callable[[InWrite], None]
"""What else a record's write must do in its transaction (`create` and `save` take one): it
runs after the record's rows are written and before the commit, and an exception it raises
rolls the whole write back, the record's revision with it. How a proposal is marked applied
in the same transaction as the revision that applies it (`casework.store.proposals`)."""

Replacer = Callable[[StoredRecord, "Record"], "tuple[Record, Status] | None"]
"""What an import does with a record whose slug exists (casework.editing decides): given the
stored record and the incoming one, the record to write and its status, or None to leave the
stored record as it is (no revision)."""


@runtime_checkable
class Store(Protocol):
    """The system of record. Every write adds a revision; history is never rewritten."""

    accounts: Accounts
    """Users, roles, passwords, sessions and API tokens (`casework.store.accounts`), kept in
    the same database. Account changes are not records: they add no revision and do not
    change `generation()`."""

    jobs: Jobs
    """The queue of ingest jobs that `casework worker` processes take one at a time
    (`casework.store.jobs`), kept in the same database."""

    proposals: Proposals
    """Proposals from ingested articles waiting for an editor, and the decisions taken on
    them (`casework.store.proposals`), kept in the same database. Not records: saving one
    adds no revision and does not change `generation()`."""

    link_reports: LinkReports
    """Link-health reports and the per-URL cache behind them (`casework.store.link_reports`),
    kept in the same database. Findings about records, not records: saving one adds no
    revision and does not change `generation()`."""

    # --- records -------------------------------------------------------------------------
    def create(
        self,
        record: Record,
        *,
        author: str,
        message: str,
        status: Status = Status.draft,
        along: Along | None = None,
    ) -> StoredRecord:
        """Add a new record (revision 1); `along` runs in the same transaction. Raises
        SlugExists."""
        ...

    def save(
        self,
        record: Record,
        *,
        base_revision: int,
        author: str,
        message: str,
        status: Status | None = None,
        along: Along | None = None,
    ) -> StoredRecord:
        """Replace a record's content. `base_revision` is the revision the editor started
        from; raises Conflict when it is no longer current, RecordNotFound when absent.
        `status=None` keeps the current status. `along` runs in the same transaction."""
        ...

    def set_status(
        self, slug: str, status: Status, *, base_revision: int, author: str, message: str
    ) -> StoredRecord:
        """Move a record through the workflow (a revision of its own)."""
        ...

    def import_records(
        self,
        records: Iterable[Record | PreparedRecord],
        *,
        author: str,
        message: str,
        status: Status = Status.published,
        replace: bool = False,
        replacer: Replacer | None = None,
        progress: Progress | None = None,
    ) -> int:
        """Add many records in one transaction: all or nothing. A slug already in the store
        raises SlugExists unless `replace`, which saves a new revision over it (with `status`,
        or as `replacer` decides: an exception it raises rolls the whole import back). Records may
        come prepared (`prepare_record`, e.g. in another process, to use a second core).
        Returns the number of records written."""
        ...

    def get(self, slug: str) -> StoredRecord:
        """Raises RecordNotFound."""
        ...

    def get_many(self, slugs: Iterable[str]) -> dict[str, StoredRecord]:
        """The records of `slugs` the store holds, by slug (the others left out), read in
        one snapshot."""
        ...

    def exists(self, slug: str) -> bool: ...

    def iter_records(self, *, status: Status | None = None) -> Iterator[StoredRecord]:
        """Every record (of `status`, or all), in insertion order."""
        ...

    def count(self, *, status: Status | None = None) -> int: ...

    def slugs(self, *, status: Status | None = None) -> set[str]:
        """The slug of every record (of `status`, or all). With a status, cheap when few
        records have it (an index on status): how the public view learns which records this
        store holds unpublished."""
        ...

    def generation(self) -> int:
        """A number that every write to records or collections changes (in any process):
        what a cache built from the store compares to know whether it is still current."""
        ...

    def versions(self, *, status: Status | None = None) -> dict[str, RecordVersion]:
        """slug → the hash of its current revision, for every record (of `status`), in
        insertion order. Cheap: what a build compares to decide what changed."""
        ...

    # --- history -------------------------------------------------------------------------
    def history(self, slug: str) -> list[Revision]:
        """Every revision of a record, oldest first. Raises RecordNotFound."""
        ...

    def revision(self, slug: str, number: int) -> Revision:
        """Raises RecordNotFound, or RevisionNotFound when the record lacks that number."""
        ...

    def restore(
        self,
        slug: str,
        number: int,
        *,
        base_revision: int,
        author: str,
        message: str,
        record: Record | None = None,
    ) -> StoredRecord:
        """Make revision `number`'s content current again, as a new revision; `record`, when
        given, is what to write instead of that content as it was (the editing service keeps
        the server's own fields current)."""
        ...

    def verify_history(self, slug: str | None = None) -> list[HistoryProblem]:
        """Recompute every hash in the chain(s); an empty list means none was tampered with."""
        ...

    def rename(
        self, old: str, record: Record, *, base_revision: int, author: str, message: str
    ) -> StoredRecord:
        """Move record `old` (at `base_revision`) to `record.slug`, written as `record`, in one
        transaction: the old slug's revisions stay as they are (their hashes cover the slug),
        the row moves, the new slug's chain starts at revision 1 (action `rename`), a
        `renames` row links the two, and collection memberships follow. Raises
        RecordNotFound, Conflict, SlugExists (the new slug is a record's, or was ever one's)."""
        ...

    def retire(self, old: str, into: str, *, base_revision: int, author: str) -> None:
        """Record `old` (at `base_revision`) ends as a renamed record whose new home is the
        existing record `into` (a merge): its row leaves, its revisions stay as they are, a
        `renames` row old → into records where its chain ended, and its collection
        memberships go to `into` where `into` is not already a member. One transaction.
        Raises RecordNotFound, Conflict."""
        ...

    def delete(self, slug: str, *, base_revision: int, author: str, reason: str) -> None:
        """Record `slug` (at `base_revision`) is deleted: its row, search entries, tags and
        collection memberships leave, its revisions and internal notes stay as they are, and
        a `deletions` row records when, by whom, why and where its chain ended (its slug
        stays taken). One transaction. Raises RecordNotFound, Conflict."""
        ...

    # --- search --------------------------------------------------------------------------
    def search(self, query: Query) -> SearchResult: ...

    def listed(
        self, name: str | None, value: str, *, oldest_first: bool, limit: int, offset: int
    ) -> list[str]:
        """The slugs of published records whose `name` (category, severity, posture, year;
        None: any) is `value`, newest first (date, slug; or oldest first), `limit` from
        `offset`."""
        ...

    def monthly(self, since: str) -> dict[tuple[str, str], int]:
        """(category, YYYY-MM) → published records that month, from month `since` on."""
        ...

    def paged(
        self, family: str, terms: str | Sequence[str], *, limit: int | None, offset: int
    ) -> list[tuple[str, str]]:
        """(slug, name) of the published records listed on the page of `terms` in `family`
        (tag: a tag's slug; entity: an entity's slug; law: statutes as cited, each record
        once), newest first (date, slug descending), `limit` (None: all) from `offset`; the
        name is a tag's page's tag as the record writes it."""
        ...

    def dated(
        self, family: str, low: str, high: str, *, limit: int | None, offset: int
    ) -> tuple[int, list[tuple[str, str]]]:
        """How many published records' rows of `family` (a family of days) have a term in
        [`low`, `high`), and (term, slug) of `limit` of them from `offset`, by term, slug."""
        ...

    def updated_last(self, limit: int) -> list[tuple[str, str]]:
        """(lastUpdated, slug) of the `limit` published records updated last (the feed's
        order: lastUpdated, date descending, then slug)."""
        ...

    def page_facets(self, family: str, terms: Sequence[str]) -> SearchResult:
        """How many published records `paged` lists for `terms`, and their facet counts
        (`SearchResult.facets`, as a search's; no hits)."""
        ...

    def page_keys(self, family: str) -> list[str]:
        """Every term of `family` that a published record is listed under (`paged`), sorted
        (law: every statute as cited)."""
        ...

    def page_names(self, family: str, term: str) -> list[str]:
        """The names (`paged`) the published records of that page give it, each once,
        sorted: a tag page's tags as its records spell them."""
        ...

    def page_counts(self, family: str) -> dict[str, int]:
        """term → how many published records `paged` lists under it, for every term of
        `family` a published record holds."""
        ...

    def page_sums(self, family: str) -> dict[str, int]:
        """term → the sum of the counts the published records' rows of `family` name
        ("timeline": a year's events; "map": the published points)."""
        ...

    def page_years(self, family: str) -> list[str]:
        """The years of the dates of the published records `family` has a row of, newest
        first."""
        ...

    def page_newest(self, family: str) -> list[tuple[str, int, str, str, str]]:
        """(term, how many published records `paged` lists under it, and the newest of
        them's slug, name and date) of every term of `family` a published record holds."""
        ...

    def entity_names(self, slugs: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
        """slug → (entity, name) of each party the published record names an entity by."""
        ...

    def tag_counts(self) -> dict[str, int]:
        """tag → how many times the published records name it, as written."""
        ...

    def located(self) -> int:
        """How many published records have a location."""
        ...

    def updated_in_order(self, *, after: int, limit: int) -> list[tuple[int, str, str]]:
        """(id, slug, lastUpdated) of `limit` published records in store order, from the
        first whose id is above `after`."""
        ...

    def updated_spans(self, shift: int, size: int) -> dict[int, tuple[str, int]]:
        """Span number → the newest lastUpdated and the first id of the published records
        numbered (in store order, from `shift`) from its number·`size` to the next span's."""
        ...

    # --- collections ---------------------------------------------------------------------
    def put_collection(self, collection: Collection) -> None:
        """Create or replace a collection. Its records must exist (RecordNotFound)."""
        ...

    def get_collection(self, slug: str) -> Collection:
        """Raises CollectionNotFound."""
        ...

    def collections(self) -> list[Collection]: ...

    def delete_collection(self, slug: str) -> None: ...

    # --- lifecycle -----------------------------------------------------------------------
    def close(self) -> None: ...
