"""Link health: whether the sources and documents records cite still say what they said.

    cited = citations(records)                       # URL → the records and fields citing it
    report = check_links(cited, baseline, settings, cache=store.link_reports)

Every URL is fetched once, through ingest's SSRF-guarded fetcher (casework.ingest.fetch: every
redirect hop checked, a total deadline, so a server dripping its body is cut off), at most
`concurrency` at a time, never two at once to the same host and with `per_host_delay` seconds
between the end of one request to a host and the start of the next (the host a record cites:
a redirect to another host is followed within the same request). A URL checked within
`cache_ttl` is not fetched again: its last result is kept in the database (link_checks);
older, it is fetched with the ETag / Last-Modified it last answered, and a 304 renews it.

Each URL gets one kind, the first that applies, in this order:

- dead: no answer (the name does not resolve, the connection is refused, the deadline passed,
  a refused redirect) or an HTTP status of 400 or more other than the blocked ones;
- blocked: 401, 403, 407, 429 or 451, or a page that answers 200 with a paywall or bot-wall
  marker (PAYWALL_MARKERS) *and* little readable text (under BLOCKED_WORDS words): a full
  article that merely mentions subscriptions in its footer is not blocked;
- moved: the final URL after redirects is not the cited one, ignoring what does not change
  the page: the scheme (http → https), a `www.` prefix, a default port, a trailing slash,
  the fragment, the host's case;
- drifted: the page's readable text (what ingest's readers extract) is less similar to the
  captured text than `threshold` (word 3-shingle Jaccard similarity, `similarity`);
- never-captured: the page answers, but there is no capture to compare it with;
- ok.

A `Baseline` gives a URL's capture (its readable text, the text's SHA-256, when it was taken,
and the captured body's SHA-256 if known: the same bytes are not read again) or None when it
was never captured. Findings change no record: they are reported, and saved
as the latest report (store.link_reports).
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from casework.evidence.captures import Captures
from casework.ingest.article import ReadError
from casework.ingest.fetch import DEFAULT_CONTENT_TYPES, Fetched, FetchError, FetchPolicy, fetch
from casework.model import Record, Status

if TYPE_CHECKING:
    from casework.store.jobs import Jobs
    from casework.store.link_reports import LinkReports

# Drift: below this Jaccard similarity of word 3-shingles, a page has changed beyond an edit.
# Measured on the test pages (tests/evidence/linkserver.py, a 243-word article): two typos
# fixed score 0.95; a three-sentence retraction note added at the end scores 0.85; a
# rewritten lede 0.70. One changed word costs about 6 shingles of the union, so a page of
# 60 words with one word changed scores 0.90: on short pages, lower the threshold.
DEFAULT_THRESHOLD = 0.90
SHINGLE = 3

BLOCKED_STATUSES = frozenset({401, 403, 407, 429, 451})
# Phrases paywalls and bot walls put on the page instead of the article (lower case). Kept to
# a few unambiguous ones; a marker counts only on a page with little readable text.
PAYWALL_MARKERS = (
    "subscribe to continue reading",
    "subscribe to read the full",
    "this article is for subscribers",
    "this content is for subscribers",
    "already a subscriber? log in",
    "verify you are human",
    "checking your browser before accessing",
    "enable javascript and cookies to continue",
    "unusual traffic from your computer network",
    "attention required! | cloudflare",
)
BLOCKED_WORDS = 150
_MARKER_BYTES = 256 * 1024  # how much of a body is searched for a marker

# What a link check accepts: a cited source may be an image, a video page, a dataset. The
# content type only decides whether there is text to compare.
LINK_CONTENT_TYPES = DEFAULT_CONTENT_TYPES | frozenset(
    {
        "application/json",
        "application/xml",
        "text/xml",
        "text/csv",
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/webp",
        "application/octet-stream",
    }
)
_TEXT_TYPES = DEFAULT_CONTENT_TYPES


class Kind(StrEnum):
    """What a checked URL was found to be; `failing` kinds make `check --links` exit 1."""

    dead = "dead"
    blocked = "blocked"
    moved = "moved"
    drifted = "drifted"
    never_captured = "never-captured"
    ok = "ok"

    @property
    def failing(self) -> bool:
        return self in (Kind.dead, Kind.drifted)


KIND_ORDER = tuple(Kind)


@dataclass(frozen=True)
class Captured:
    """What was captured of a URL: its readable text, that text's SHA-256, and when; and the
    captured body's SHA-256 when known (a page answering the same bytes is not read again)."""

    text: str
    text_sha256: str
    captured_at: datetime
    sha256: str | None = None

    @classmethod
    def of(cls, text: str, captured_at: datetime, sha256: str | None = None) -> Captured:
        return cls(text, text_sha256(text), captured_at, sha256)


Baseline = Callable[[str], Captured | None]


def no_captures(url: str) -> Captured | None:
    """A baseline for which nothing was ever captured (tests, and checks of bare files)."""
    return None


def captures_baseline(captures: Captures) -> Baseline:
    """What each URL's newest kept capture says: its readable text, extracted again from the
    stored WARC (checked against its SHA-256), and the body's SHA-256 so that a page answering
    the very same bytes is not read again. None: never captured."""

    def baseline(url: str) -> Captured | None:
        capture = captures.latest(url)
        if capture is None:
            return None
        text = captures.text_of(capture)
        return Captured(text, text_sha256(text), capture.captured_at, capture.sha256)

    return baseline


def tracker_baseline(tracker: Any) -> Baseline:
    """The baseline `check --links` and the worker use: the tracker's own captures."""
    return captures_baseline(Captures.of(tracker.store, tracker.config.root))


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class Citation:
    """Where a record cites a URL: `field` is the camelCase path (`sources.2.url`)."""

    slug: str
    field: str
    status: str  # the record's workflow status (draft, review, published)


@dataclass(frozen=True)
class LinkSettings:
    concurrency: int = 8  # URLs fetched at once, over all hosts
    per_host_delay: float = 1.0  # seconds between two requests to one host
    cache_ttl: timedelta = timedelta(hours=1)  # a URL checked this recently is not fetched
    threshold: float = DEFAULT_THRESHOLD
    fetch: FetchPolicy = field(
        default_factory=lambda: FetchPolicy(deadline=20.0, content_types=LINK_CONTENT_TYPES)
    )


def default_settings() -> LinkSettings:
    """What the command line and the worker check with (tests replace the fetch policy to
    allow their loopback server, the way ingest's tests do)."""
    return LinkSettings()


@dataclass(frozen=True)
class Finding:
    """One checked URL: its kind, what answered, and the records citing it."""

    url: str
    kind: Kind
    citations: tuple[Citation, ...]
    checked_at: datetime
    status: int | None = None  # the HTTP status that answered last, None when none did
    final_url: str | None = None  # where the redirects ended, when they did
    similarity: float | None = None  # to the captured text, when both could be read
    captured_at: datetime | None = None
    detail: str = ""  # one line: the error, or why the kind was chosen
    baseline_sha256: str | None = None  # the capture's text SHA-256 compared with
    cached: bool = False  # from the cache, not fetched in this run
    # The validators the page answered with, for the next check's conditional GET.
    etag: str | None = None
    last_modified: str | None = None

    def to_json(self, *, with_citations: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "url": self.url,
            "kind": self.kind.value,
            "status": self.status,
            "finalUrl": self.final_url,
            "similarity": None if self.similarity is None else round(self.similarity, 4),
            "checkedAt": _iso(self.checked_at),
            "capturedAt": _iso(self.captured_at) if self.captured_at else None,
            "detail": self.detail,
            "baselineSha256": self.baseline_sha256,
            "cached": self.cached,
            "etag": self.etag,
            "lastModified": self.last_modified,
        }
        if with_citations:
            data["records"] = [
                {"slug": c.slug, "field": c.field, "status": c.status} for c in self.citations
            ]
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any], citations: Sequence[Citation] = ()) -> Finding:
        given = data.get("records")
        if given is not None and not citations:
            citations = [Citation(c["slug"], c["field"], c.get("status", "")) for c in given]
        return cls(
            url=str(data["url"]),
            kind=Kind(data["kind"]),
            citations=tuple(citations),
            checked_at=_parse_time(data["checkedAt"]),
            status=data.get("status"),
            final_url=data.get("finalUrl"),
            similarity=data.get("similarity"),
            captured_at=_parse_time(data["capturedAt"]) if data.get("capturedAt") else None,
            detail=str(data.get("detail", "")),
            baseline_sha256=data.get("baselineSha256"),
            cached=bool(data.get("cached", False)),
            etag=data.get("etag"),
            last_modified=data.get("lastModified"),
        )


@dataclass(frozen=True)
class Report:
    """One run: every checked URL, in kind order (dead first), then by URL."""

    checked_at: datetime
    findings: tuple[Finding, ...]
    records: int  # how many records were looked at
    fetched: int  # how many URLs were fetched in this run (the rest came from the cache)

    def counts(self) -> dict[str, int]:
        found = {kind.value: 0 for kind in Kind}
        for finding in self.findings:
            found[finding.kind.value] += 1
        return found

    @property
    def failing(self) -> bool:
        return any(f.kind.failing for f in self.findings)

    def to_json(self) -> dict[str, Any]:
        return {
            "checkedAt": _iso(self.checked_at),
            "records": self.records,
            "urls": len(self.findings),
            "fetched": self.fetched,
            "counts": self.counts(),
            "findings": [f.to_json() for f in self.findings],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Report:
        return cls(
            checked_at=_parse_time(data["checkedAt"]),
            findings=tuple(Finding.from_json(f) for f in data.get("findings", [])),
            records=int(data.get("records", 0)),
            fetched=int(data.get("fetched", 0)),
        )


def _second(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


# --- what records cite ------------------------------------------------------------------------


def citations(
    records: Iterable[tuple[Record, Status | str]],
) -> dict[str, list[Citation]]:
    """Every URL (record, status) pairs cite as a source, a document or a legal analysis,
    with where each cites it; URLs in first-seen order."""
    cited: dict[str, list[Citation]] = {}
    for record, status in records:
        state = str(getattr(status, "value", status))
        parts: tuple[tuple[str, list[str]], ...] = (
            ("sources", [s.url for s in record.sources]),
            ("documents", [d.url for d in record.documents]),
            ("legalAnalyses", [a.url for a in record.legal_analyses]),
        )
        for name, urls in parts:
            for index, given in enumerate(urls):
                url = given.strip()
                if url:
                    cited.setdefault(url, []).append(
                        Citation(record.slug, f"{name}.{index}.url", state)
                    )
    return cited


# --- comparing --------------------------------------------------------------------------------

_WORD = re.compile(r"\w+")


def shingles(text: str, size: int = SHINGLE) -> set[tuple[str, ...]]:
    """The text's runs of `size` consecutive words (case-folded; punctuation ignored)."""
    words = _WORD.findall(text.casefold())
    if len(words) < size:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def similarity(before: str, after: str) -> float:
    """Jaccard similarity of the two texts' word 3-shingles: 1.0 the same words in the same
    order, 0.0 nothing in common. A changed word changes the three shingles that hold it, so
    one edit costs little and a rewritten paragraph costs its share of the page."""
    a, b = shingles(before), shingles(after)
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def _essential(url: str) -> tuple[str, int | None, str, str]:
    """The parts of a URL that name a different page (see the module's docstring)."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().rstrip(".").removeprefix("www.")
    try:
        port = parts.port
    except ValueError:
        port = None
    if port in (80, 443):
        port = None
    return host, port, parts.path.rstrip("/"), parts.query


def moved(cited: str, final: str) -> bool:
    """Whether `final` is another page than `cited`, beyond trivial normalisation."""
    return _essential(cited) != _essential(final)


def _readable(fetched: Fetched) -> str | None:
    from casework.ingest.readers import read_bytes

    media = fetched.content_type.split(";")[0].strip().lower()
    if media not in _TEXT_TYPES:
        return None
    try:
        return read_bytes(fetched.body, fetched.content_type, fetched.url).text
    except ReadError:
        return None


def _walled(fetched: Fetched, text: Callable[[], str | None]) -> str | None:
    head = fetched.body[:_MARKER_BYTES].decode("utf-8", "replace").casefold()
    marker = next((m for m in PAYWALL_MARKERS if m in head), None)
    if marker is None:
        return None
    words = len(_WORD.findall(text() or ""))
    if words >= BLOCKED_WORDS:
        return None
    return f"the page says “{marker}” and has {words} words of text"


_VALIDATOR = re.compile(r"^[\x20-\x7e]{1,200}$")


def _validator(fetched: Fetched, name: str) -> str | None:
    """The response's ETag or Last-Modified, when it can be sent back as it is."""
    value = next((v for k, v in fetched.headers if k.lower() == name), None)
    return value.strip() if value and _VALIDATOR.match(value.strip()) else None


def _conditional(previous: Finding | None) -> dict[str, str]:
    if previous is None:
        return {}
    headers = {}
    if previous.etag:
        headers["If-None-Match"] = previous.etag
    if previous.last_modified:
        headers["If-Modified-Since"] = previous.last_modified
    return headers


def classify(
    url: str,
    outcome: Fetched | FetchError,
    captured: Captured | None,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    citations: Sequence[Citation] = (),
    checked_at: datetime | None = None,
) -> Finding:
    """The finding for `url`, given what fetching it gave and its capture (None: never)."""
    base = Finding(
        url=url,
        kind=Kind.ok,
        citations=tuple(citations),
        # Whole seconds and 4 decimals: what the report's JSON keeps.
        checked_at=_second(checked_at or datetime.now(UTC)),
        captured_at=_second(captured.captured_at) if captured else None,
        baseline_sha256=captured.text_sha256 if captured else None,
    )
    if isinstance(outcome, FetchError):
        detail = " ".join(str(outcome).split())
        status = outcome.status
        found = replace(base, status=status, final_url=outcome.final_url, detail=detail)
        if status is None:
            return replace(found, kind=Kind.dead)
        if status in BLOCKED_STATUSES:
            return replace(found, kind=Kind.blocked)
        if status >= 400:
            return replace(found, kind=Kind.dead)
        # It answered, in a type no reader reads (or without one): reachable, not compared.
        kind = Kind.never_captured if captured is None else Kind.ok
        if outcome.final_url and moved(url, outcome.final_url):
            kind = Kind.moved
        return replace(found, kind=kind, detail=f"not compared: {detail}")
    found = replace(
        base,
        status=outcome.status,
        final_url=outcome.url,
        etag=_validator(outcome, "etag"),
        last_modified=_validator(outcome, "last-modified"),
    )
    read: list[str | None] = []

    def text() -> str | None:  # read once, and only when needed
        if not read:
            read.append(_readable(outcome))
        return read[0]

    if captured is not None and captured.sha256 == outcome.sha256:
        found = replace(found, similarity=1.0)  # the very bytes that were captured
    elif captured is not None and (now := text()) is not None:
        same = text_sha256(now) == captured.text_sha256
        found = replace(found, similarity=1.0 if same else round(similarity(captured.text, now), 4))
    walled = _walled(outcome, text)
    if walled:
        return replace(found, kind=Kind.blocked, detail=walled)
    if moved(url, outcome.url):
        hops = len(outcome.redirects)
        return replace(found, kind=Kind.moved, detail=f"redirected ({hops} hops) to {outcome.url}")
    if captured is None:
        return replace(found, kind=Kind.never_captured, detail="no capture to compare with")
    if found.similarity is None:
        return replace(found, detail="no readable text to compare")
    if found.similarity < threshold:
        detail = f"text similarity {found.similarity:.2f} to the capture, below {threshold:.2f}"
        return replace(found, kind=Kind.drifted, detail=detail)
    return found


# --- checking ---------------------------------------------------------------------------------


def _host(url: str) -> str:
    try:
        return (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return ""


class _Politeness:
    """Per host: one request at a time, and `delay` seconds from one's end to the next's start."""

    def __init__(self, delay: float) -> None:
        self._delay = delay
        self._lock = threading.Lock()
        self._hosts: dict[str, tuple[threading.Lock, list[float]]] = {}

    def slot(self, host: str) -> tuple[threading.Lock, list[float]]:
        with self._lock:
            return self._hosts.setdefault(host, (threading.Lock(), [float("-inf")]))

    def fetch(self, host: str, call: Callable[[], Fetched]) -> Fetched:
        lock, last = self.slot(host)
        with lock:
            wait = last[0] + self._delay - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                return call()
            finally:
                last[0] = time.monotonic()


def check_links(
    cited: Mapping[str, Sequence[Citation]],
    baseline: Baseline = no_captures,
    settings: LinkSettings | None = None,
    *,
    cache: LinkReports | None = None,
    fresh: bool = False,
    records: int = 0,
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Check every URL of `cited` (URL → its citations): fetched, or taken from `cache` when
    it was checked within the TTL against the same capture (never with `fresh`). The
    results fetched are remembered in `cache`. Changes no record."""
    settings = settings or default_settings()
    started = _second(datetime.now(UTC))
    urls = list(cited)
    captures = {url: baseline(url) for url in urls}
    reused: dict[str, Finding] = {}
    # Each URL's last result, checked against the same capture: within the TTL it is the
    # answer; older, its validators make the fetch a conditional GET, and a 304 renews it.
    previous: dict[str, Finding] = {}
    if cache is not None and not fresh:
        since = datetime.min.replace(tzinfo=UTC)
        for url, data in cache.recent(urls, since).items():
            capture = captures[url]
            if data.get("baselineSha256") == (capture.text_sha256 if capture else None):
                previous[url] = replace(
                    Finding.from_json(data, cited[url]), citations=tuple(cited[url])
                )
        fresh_after = started - settings.cache_ttl
        reused = {
            url: replace(found, cached=True)
            for url, found in previous.items()
            if found.checked_at >= fresh_after and settings.cache_ttl > timedelta(0)
        }
    if progress and reused:
        progress(len(reused))
    to_fetch = [url for url in urls if url not in reused]
    by_host: dict[str, list[str]] = defaultdict(list)
    for url in to_fetch:
        by_host[_host(url)].append(url)
    polite = _Politeness(settings.per_host_delay)
    results: dict[str, Finding] = {}
    done = threading.Lock()

    def get(url: str, headers: dict[str, str]) -> Fetched | FetchError:
        try:
            return polite.fetch(
                _host(url), lambda: fetch(url, policy=settings.fetch, headers=headers)
            )
        except FetchError as error:
            return error

    def one(url: str) -> None:
        before = previous.get(url)
        outcome = get(url, _conditional(before))
        unchanged = isinstance(outcome, FetchError) and outcome.status == 304
        if (
            isinstance(outcome, FetchError)
            and unchanged
            and before is not None
            and outcome.final_url == before.final_url
        ):
            finding = replace(before, checked_at=_second(datetime.now(UTC)), cached=False)
        else:
            if unchanged:  # not modified, but reached another way: look at it whole
                outcome = get(url, {})
            finding = classify(
                url, outcome, captures[url], threshold=settings.threshold, citations=cited[url]
            )
        with done:
            results[url] = finding
        if progress:
            progress(1)

    def host_chain(chain: list[str]) -> None:
        for url in chain:
            one(url)

    # One chain of URLs per host, largest first: a host's URLs go one after the other (the
    # politeness), hosts in parallel up to `concurrency`.
    chains = sorted(by_host.values(), key=len, reverse=True)
    with ThreadPoolExecutor(max_workers=max(1, settings.concurrency)) as pool:
        for future in [pool.submit(host_chain, chain) for chain in chains]:
            future.result()
    if cache is not None and results:
        cache.remember(
            (url, f.checked_at, f.to_json(with_citations=False)) for url, f in results.items()
        )
    findings = [*reused.values(), *results.values()]
    findings.sort(key=lambda f: (KIND_ORDER.index(f.kind), f.url))
    return Report(
        checked_at=started, findings=tuple(findings), records=records, fetched=len(results)
    )


def check_store(
    store: Any,
    baseline: Baseline = no_captures,
    settings: LinkSettings | None = None,
    *,
    slugs: Sequence[str] = (),
    fresh: bool = False,
    origin: str = "command line",
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> Report:
    """Check the links of the store's records (all, or `slugs`: RecordNotFound for one that is
    not there), and save the report as the latest. Reads records; writes none."""
    if slugs:
        chosen = [store.get(slug) for slug in dict.fromkeys(slugs)]
    else:
        chosen = list(store.iter_records())
    cited = citations((s.record, s.status) for s in chosen)
    if on_total:
        on_total(len(cited))
    reports: LinkReports = store.link_reports
    report = check_links(
        cited,
        baseline,
        settings,
        cache=reports,
        fresh=fresh,
        records=len(chosen),
        progress=progress,
    )
    reports.save(report.to_json(), origin=origin, created_at=report.checked_at)
    return report


def latest_report(store: Any) -> tuple[Report, str] | None:
    """The latest saved report and where it came from, or None before the first."""
    reports: LinkReports = store.link_reports
    saved = reports.latest()
    if saved is None:
        return None
    return Report.from_json(saved.report), saved.origin


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> timedelta:
    """`90s`, `30m`, `24h`, `7d` as a timedelta; ValueError naming the text otherwise."""
    match = _DURATION.match(text.lower())
    if not match or float(match.group(1)) <= 0:
        raise ValueError(f"{text!r} is not a duration like 30m, 24h or 7d")
    return timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2)])


# --- the worker's job -------------------------------------------------------------------------


def queue_if_due(jobs: Jobs, every: timedelta, now: datetime | None = None) -> int | None:
    """Queue a links job (its id) when none is queued or running and the last one was queued
    more than `every` ago (or never); None when it is not due. Two workers that look at the
    same moment may both queue one: the second run then finds most URLs in the cache."""
    last = jobs.latest("links")
    moment = now or datetime.now(UTC)
    if last is not None and (
        last.status in ("queued", "running") or moment - last.created_at < every
    ):
        return None
    return jobs.enqueue("links", {"slugs": [], "fresh": False})


def run_job(
    store: Any,
    payload: Mapping[str, Any],
    baseline: Baseline,
    settings: LinkSettings | None = None,
    *,
    origin: str = "worker",
) -> tuple[str, str]:
    """Run one claimed links job: (its result — the saved report's id —, a one-line summary)."""
    slugs = payload.get("slugs") or []
    if not isinstance(slugs, list) or not all(isinstance(s, str) for s in slugs):
        raise ValueError("the job's payload names its records as a list of slugs")
    report = check_store(
        store, baseline, settings, slugs=slugs, fresh=bool(payload.get("fresh")), origin=origin
    )
    saved = store.link_reports.latest()
    counts = ", ".join(f"{n} {kind}" for kind, n in report.counts().items() if n)
    summary = f"link check of {len(report.findings)} URLs in {report.records} records"
    return str(saved.id if saved else ""), f"{summary}: {counts or 'nothing cited'}"


__all__ = [
    "BLOCKED_STATUSES",
    "DEFAULT_THRESHOLD",
    "PAYWALL_MARKERS",
    "Baseline",
    "Captured",
    "Citation",
    "Finding",
    "Kind",
    "LinkSettings",
    "Report",
    "check_links",
    "check_store",
    "citations",
    "classify",
    "default_settings",
    "latest_report",
    "moved",
    "no_captures",
    "parse_duration",
    "queue_if_due",
    "run_job",
    "similarity",
    "tracker_baseline",
]
