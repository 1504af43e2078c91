"""Captures: copies of a record's sources kept as evidence, and the index of every attempt.

A capture is one fetch of a source or document URL through the SSRF-guarded fetcher
(`casework.ingest.fetch`), kept as a gzipped WARC file in the content-addressed store that
ingest writes too (`casework.ingest.archive`: `archive/ab/<sha256>.warc.gz` in the tracker's
folder), and one row in the store's `captures` table saying when, from where it ended up
(`final_url`), with which HTTP status, the WARC's content address (`sha256`, the SHA-256 of the
body kept) and the SHA-256 of the readable text extracted from it (`text_sha256`).

Failed attempts get a row too (no `sha256`, an `error`): "never captured" (no row) and
"capture failed" (rows, all with errors) are different findings.

Captures are evidence about sources, not editorial content: recording one writes no record
revision and leaves the record as it was.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Engine, Row

from casework.ingest.article import ReadError
from casework.store.base import Store
from casework.store.change_feed import log_in_core
from casework.store.copy import engine_of as engine_of  # the index is in the store's database
from casework.store.private_files import private_folder
from casework.store.schema import captures as table
from casework.store.schema import store_meta

# The fetcher (httpx, httpcore, TLS) and the WARC files (warcio) load when a capture is taken
# or read: a build with nothing to rebuild, or a page showing captures, needs neither.
if TYPE_CHECKING:
    from casework.ingest.fetch import Fetched, FetchPolicy

ARCHIVE = "archive"  # the folder, in the tracker's, that ingest archives into too
SHA256_HEX = re.compile(r"[0-9a-f]{64}")
_HTTP_STATUS = re.compile(r"HTTP (\d{3})\b")
_TEXT_CACHE = 32  # readable texts kept in memory (a WARC never changes: its text neither)


@dataclass(frozen=True)
class Capture:
    """One attempt to capture `url`. `sha256` names the WARC file kept ("" when the attempt
    failed); `text_sha256` is the SHA-256 of its readable text ("" when it has none)."""

    url: str
    captured_at: datetime  # UTC
    final_url: str
    status: int  # the HTTP status of the final response; 0 when none came
    sha256: str
    text_sha256: str
    content_type: str
    error: str = ""

    @property
    def kept(self) -> bool:
        """Whether this attempt stored a copy (a WARC file) of the source."""
        return bool(self.sha256) and not self.error


def url_key(url: str) -> str:
    """What the index looks a URL up by: its SHA-256 (an index on URLs of any length)."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


def text_sha256(text: str) -> str:
    """The SHA-256 of a readable text (""  for no text)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest() if text else ""


def readable_text(fetched: Fetched) -> str:
    """The text the ingest readers extract from `fetched` ("" when they read none)."""
    from casework.ingest.readers import read_bytes

    try:
        article = read_bytes(fetched.body, fetched.content_type, fetched.url)
    except ReadError:
        return ""
    return article.text


def _utc(moment: datetime) -> datetime:
    # SQLite gives times back naive (they are written as UTC); PostgreSQL gives them aware.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _one_line(text: str) -> str:
    return " ".join(text.split())[:2000]


def _capture(row: Row[Any]) -> Capture:
    return Capture(
        url=str(row.url),
        captured_at=_utc(row.captured_at),
        final_url=str(row.final_url),
        status=int(row.status),
        sha256=str(row.sha256),
        text_sha256=str(row.text_sha256),
        content_type=str(row.content_type),
        error=str(row.error),
    )


class Captures:
    """The captures of one tracker: the index in the database behind `engine`, the WARC files
    under `root` (the tracker's `archive/` folder). Safe to share between threads."""

    def __init__(self, engine: Engine, root: Path) -> None:
        self._engine = engine
        self.root = root
        self._texts: OrderedDict[str, str] = OrderedDict()
        self._texts_lock = threading.Lock()

    @classmethod
    def of(cls, store: Store, folder: Path) -> Captures:
        """The captures of the tracker in `folder` whose store is `store`."""
        return cls(engine_of(store), folder / ARCHIVE)

    # --- writing ---------------------------------------------------------------------------
    def record_capture(self, capture: Capture) -> Capture:
        """Add `capture` to the index. Nothing else changes: no record, no revision."""
        with self._engine.begin() as conn:
            conn.execute(
                insert(table).values(
                    url_key=url_key(capture.url),
                    url=capture.url,
                    captured_at=capture.captured_at.astimezone(UTC),
                    final_url=capture.final_url,
                    status=capture.status,
                    sha256=capture.sha256,
                    text_sha256=capture.text_sha256,
                    content_type=capture.content_type[:200],
                    error=_one_line(capture.error),
                )
            )
        return capture

    def keep(self, url: str, fetched: Fetched, text: str | None = None) -> Capture:
        """Store `fetched` (what `url` answered) as a WARC and index it. `text` is its
        readable text when the caller read it already (ingest), else it is read here."""
        return self.record_capture(self._stored(url, fetched, text))

    def capture(self, url: str, policy: FetchPolicy | None = None) -> Capture:
        """Fetch `url` through the guarded fetcher, keep and index what came. A failure is
        indexed too and returned (its `error` one line naming the URL and why), never raised."""
        return self.record_capture(self.take(url, policy))

    def take(self, url: str, policy: FetchPolicy | None = None) -> Capture:
        """`capture` without indexing: fetch and store the WARC; the caller records the
        result (`casework archive` fetches in threads and writes the index from one). The
        policy is the fetcher's defaults (articles on the public web) unless given."""
        from casework.ingest.archive import ArchiveError
        from casework.ingest.fetch import FetchError, FetchPolicy, fetch

        try:
            fetched = fetch(url, policy=policy or FetchPolicy())
        except FetchError as error:
            return failed(url, str(error))
        try:
            return self._stored(url, fetched, None)
        except ArchiveError as error:
            return failed(url, str(error), fetched)

    def _stored(self, url: str, fetched: Fetched, text: str | None) -> Capture:
        # What a team is reading is its own business: archive/ is owner-only (0700), as ingest
        # makes it.
        from casework.ingest.archive import archive

        kept = archive(fetched, private_folder(self.root))
        if text is None:
            text = readable_text(fetched)
        self._remember_text(kept.sha256, text)
        return kept_capture(url, fetched, kept.sha256, text)

    def announce(self) -> None:
        """Move the store's generation on, once new captures are in: what the public sees of
        a published record now includes them, and caches of public answers keyed on the
        generation (the API's, the live site's) must be made again. No record changes."""
        with self._engine.begin() as conn:
            conn.execute(
                update(store_meta)
                .where(store_meta.c.id == 1)
                .values(generation=store_meta.c.generation + 1)
            )
            log_in_core(conn)  # the change feed's row for it (store/change_feed.py)

    # --- reading ---------------------------------------------------------------------------
    def captures_for(self, urls: Iterable[str]) -> dict[str, list[Capture]]:
        """Every attempt to capture each of `urls`, newest first ([] for a URL never tried)."""
        wanted = list(dict.fromkeys(urls))
        found: dict[str, list[Capture]] = {url: [] for url in wanted}
        keys = [url_key(url) for url in wanted]
        with self._engine.connect() as conn:
            if len(keys) <= 500 and conn.dialect.name == "postgresql":
                # One statement, its own snapshot: without BEGIN and ROLLBACK, one round
                # trip of three (each public record's answer asks).
                conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            for start in range(0, len(keys), 500):  # bounded IN lists
                rows = conn.execute(
                    select(table)
                    .where(table.c.url_key.in_(keys[start : start + 500]))
                    .order_by(table.c.captured_at.desc(), table.c.id.desc())
                ).all()
                for row in rows:
                    if row.url in found:  # the key is a hash: the URL itself decides
                        found[row.url].append(_capture(row))
        return found

    def latest(self, url: str, *, failed: bool = False) -> Capture | None:
        """The newest capture of `url` that kept a copy (with `failed`, the newest attempt
        whatever its outcome); None when there is none. One indexed query."""
        query = select(table).where(table.c.url_key == url_key(url), table.c.url == url)
        if not failed:
            query = query.where(table.c.sha256 != "", table.c.error == "")
        query = query.order_by(table.c.captured_at.desc(), table.c.id.desc()).limit(1)
        with self._engine.connect() as conn:
            row = conn.execute(query).first()
        return _capture(row) if row is not None else None

    def by_sha256(self, sha256: str) -> list[Capture]:
        """The captures that kept the body with this SHA-256, newest first ([] for anything
        that is not 64 lower-case hex digits)."""
        if not SHA256_HEX.fullmatch(sha256):
            return []
        query = (
            select(table)
            .where(table.c.sha256 == sha256, table.c.error == "")
            .order_by(table.c.captured_at.desc(), table.c.id.desc())
        )
        with self._engine.connect() as conn:
            return [_capture(row) for row in conn.execute(query).all()]

    def kept_by_url(self) -> dict[str, list[Capture]]:
        """Every capture that kept a copy, by URL, newest first (one query, for builds)."""
        query = (
            select(table)
            .where(table.c.sha256 != "", table.c.error == "")
            .order_by(table.c.captured_at.desc(), table.c.id.desc())
        )
        found: dict[str, list[Capture]] = {}
        with self._engine.connect() as conn:
            for row in conn.execute(query):
                found.setdefault(str(row.url), []).append(_capture(row))
        return found

    def newest_id(self) -> int:
        """The id of the index's newest row (0 when empty): it changes with every capture."""
        with self._engine.connect() as conn:
            return int(conn.execute(select(func.max(table.c.id))).scalar() or 0)

    def warc_path(self, capture: Capture) -> Path:
        """Where `capture`'s WARC file is (ArchiveError for a capture that kept none)."""
        from casework.ingest.archive import ArchiveError, archive_path

        if not capture.kept or not SHA256_HEX.fullmatch(capture.sha256):
            raise ArchiveError(f"{capture.url}: this capture kept no copy ({capture.error})")
        return archive_path(self.root, capture.sha256)

    def text_of(self, capture: Capture) -> str:
        """The readable text of `capture`, extracted again from its stored WARC by the
        readers ingest uses ("" for a failed capture or a body with no text). The file is
        checked against its SHA-256 on reading (ArchiveError when it was altered); the same
        capture always gives the same text, and recent ones are kept in memory."""
        if not capture.kept:
            return ""
        with self._texts_lock:
            text = self._texts.get(capture.sha256)
            if text is not None:
                self._texts.move_to_end(capture.sha256)
                return text
        from casework.ingest.archive import read_archived

        text = readable_text(read_archived(self.warc_path(capture)))
        self._remember_text(capture.sha256, text)
        return text

    def _remember_text(self, sha256: str, text: str) -> None:
        with self._texts_lock:
            self._texts[sha256] = text
            while len(self._texts) > _TEXT_CACHE:
                self._texts.popitem(last=False)


def warc_origin(path: Path) -> str:
    """The URL the fetch that wrote the WARC file at `path` asked for: the first of its
    redirects, else its target (ArchiveError for a file that is not intact)."""
    from casework.ingest.archive import read_archived

    stored = read_archived(path)
    return stored.redirects[0] if stored.redirects else stored.url


def kept_capture(url: str, fetched: Fetched, sha256: str, text: str) -> Capture:
    """The capture of `url` whose answer `fetched` is stored as the WARC `sha256`."""
    return Capture(
        url=url,
        captured_at=fetched.fetched_at.astimezone(UTC),
        final_url=fetched.url,
        status=fetched.status,
        sha256=sha256,
        text_sha256=text_sha256(text),
        content_type=fetched.content_type,
    )


def failed(url: str, error: str, fetched: Fetched | None = None) -> Capture:
    """A failed attempt, as the index keeps it: the HTTP status the error names, if any."""
    reason = error.removeprefix(f"cannot fetch {url}: ")
    status = fetched.status if fetched is not None else 0
    if fetched is None and (found := _HTTP_STATUS.match(reason)):
        status = int(found.group(1))
    return Capture(
        url=url,
        captured_at=fetched.fetched_at if fetched is not None else datetime.now(UTC),
        final_url=fetched.url if fetched is not None else "",
        status=status,
        sha256="",
        text_sha256="",
        content_type=fetched.content_type if fetched is not None else "",
        error=_one_line(error) or "failed",
    )


# --- capturing records' sources --------------------------------------------------------------
DEFAULT_CONCURRENCY = 4  # fetches at once: a few slow servers must not hold the whole run


@dataclass(frozen=True)
class ArchiveRun:
    """What `capture_records` did: every attempt, in the order the URLs were found."""

    records: int
    attempts: list[Capture]

    @property
    def kept(self) -> list[Capture]:
        return [c for c in self.attempts if c.kept]

    @property
    def failures(self) -> list[Capture]:
        return [c for c in self.attempts if not c.kept]


def urls_to_capture(store: Store, slugs: Iterable[str] = ()) -> tuple[int, list[str]]:
    """How many records, and the source and document URLs (each once, in order) of the
    records named by `slugs` — of every record, whatever its status, when none are named.
    Raises RecordNotFound for a slug the tracker lacks."""
    wanted = list(slugs)
    if wanted:
        records = [store.get(slug).record for slug in wanted]
    else:
        records = [stored.record for stored in store.iter_records()]
    urls = [url for record in records for url in record_urls(record)]
    return len(records), list(dict.fromkeys(urls))


def capture_records(
    store: Store,
    captures: Captures,
    slugs: Iterable[str] = (),
    *,
    policy: FetchPolicy | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    started: Callable[[int], None] | None = None,
    done: Callable[[Capture], None] | None = None,
) -> ArchiveRun:
    """Capture every source and document URL of the records `slugs` (all when none): fetched
    `concurrency` at a time, each attempt indexed (failures too) from this thread. Records
    are read, never written. `started(n)` is told how many URLs there are, `done` each
    attempt as it is indexed."""
    count, urls = urls_to_capture(store, slugs)
    if started is not None:
        started(len(urls))
    attempts: list[Capture] = []
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        for attempt in pool.map(lambda url: captures.take(url, policy), urls):
            captures.record_capture(attempt)
            attempts.append(attempt)
            if done is not None:
                done(attempt)
    run = ArchiveRun(count, attempts)
    if run.kept:
        captures.announce()  # once a run: a cache made again per capture would be churn
    return run


# --- the extension key -------------------------------------------------------------------------
EXTENSION_KEY = "captures"
CAPTURES_PATH = "captures/"  # where the site serves them, relative to its address


def warc_href(sha256: str) -> str:
    return f"{CAPTURES_PATH}{sha256}.warc.gz"


def text_href(sha256: str) -> str:
    return f"{CAPTURES_PATH}{sha256}.txt"


def record_urls(record: Any) -> list[str]:
    """The record's source URLs then its document URLs, in order, each once."""
    urls = [s.url for s in record.sources] + [d.url for d in record.documents]
    return list(dict.fromkeys(url for url in urls if url))


def entries(urls: Iterable[str], found: dict[str, list[Capture]]) -> list[dict[str, Any]]:
    """The `captures` extension key's value for a record citing `urls` (sources, then
    documents): per URL, its captures that kept a copy, newest first, one per body kept."""
    out: list[dict[str, Any]] = []
    for url in urls:
        seen: set[str] = set()
        for capture in found.get(url, []):
            if not capture.kept or capture.sha256 in seen:
                continue
            seen.add(capture.sha256)
            out.append(
                {
                    "url": capture.url,
                    "capturedAt": capture.captured_at.astimezone(UTC)
                    .isoformat(timespec="seconds")
                    .replace("+00:00", "Z"),
                    "finalUrl": capture.final_url,
                    "status": capture.status,
                    "sha256": capture.sha256,
                    "textSha256": capture.text_sha256,
                    "warc": warc_href(capture.sha256),
                    "text": text_href(capture.sha256),
                }
            )
    return out
