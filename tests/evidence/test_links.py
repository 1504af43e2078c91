"""Link health against a real local HTTP server (tests/evidence/linkserver.py): pages captured
at edition 1 and checked at edition 2, when some have died, moved, been corrected, retracted,
rewritten, walled off or begun to drip; a URL never captured and a host that does not resolve.
The store is a real SQLite file and a real PostgreSQL database; findings change no record."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from casework.evidence import links
from casework.evidence.links import (
    Captured,
    Citation,
    Kind,
    Report,
    check_links,
    check_store,
    citations,
    latest_report,
    moved,
    parse_duration,
    similarity,
)
from casework.model import Status
from casework.store import open_store
from casework.store.base import RecordNotFound, Store
from tests.evidence.linkserver import LinkServer, link_server
from tests.store.factories import make_record

# path → what edition 2 makes of it
EXPECTED = {
    "/story/healthy": Kind.ok,
    "/typo": Kind.ok,
    "/secure": Kind.ok,  # redirected, but only to add a trailing slash
    "/dies": Kind.dead,
    "/breaks": Kind.dead,
    "/drip": Kind.dead,
    "/old-home": Kind.moved,
    "/retracted": Kind.drifted,
    "/rewritten": Kind.drifted,
    "/members": Kind.blocked,
    "/walled": Kind.blocked,
    "/fresh": Kind.never_captured,
}
NEVER_CAPTURED = {"/fresh"}


@pytest.fixture
def server() -> Iterator[LinkServer]:
    with link_server() as running:
        yield running


def captured_at_edition_1(server: LinkServer, paths: list[str]) -> dict[str, Captured]:
    """Captures of `paths` taken now (edition 1), by URL; the server then moves to edition 2."""
    taken = {server.url(p): server.capture(server.url(p)) for p in paths}
    server.edition = 2
    return taken


def cite(*urls: str) -> dict[str, list[Citation]]:
    return {
        url: [Citation("water-point", f"sources.{i}.url", "published")]
        for i, url in enumerate(urls)
    }


def test_each_kind_of_link_is_found(server: LinkServer) -> None:
    paths = [p for p in EXPECTED if p not in NEVER_CAPTURED]
    captures = captured_at_edition_1(server, paths)
    gone = "http://gone.test/story/1"
    cited = cite(*(server.url(p) for p in EXPECTED), gone)
    report = check_links(cited, captures.get, server.settings())

    found = {f.url: f for f in report.findings}
    assert {url: f.kind for url, f in found.items()} == {
        **{server.url(p): kind for p, kind in EXPECTED.items()},
        gone: Kind.dead,
    }
    at = lambda path: found[server.url(path)]  # noqa: E731
    assert (at("/dies").status, at("/breaks").status) == (404, 500)
    assert "took longer than the 2 s limit" in at("/drip").detail  # cut off, reported
    assert at("/drip").status is None
    assert "cannot resolve gone.test" in found[gone].detail and found[gone].status is None
    assert at("/old-home").final_url == server.url("/archive/water-point", host="wire.test")
    assert at("/secure").final_url == server.url("/secure/")
    assert at("/members").status == 403
    assert at("/walled").status == 200 and "subscribe to continue reading" in at("/walled").detail
    # The measure behind drift, on the pages the threshold was chosen with.
    assert at("/story/healthy").similarity == 1.0
    assert 0.9 < (at("/typo").similarity or 0) < 1.0
    assert (at("/retracted").similarity or 1) < 0.9
    assert (at("/rewritten").similarity or 1) < (at("/retracted").similarity or 0)
    assert at("/fresh").similarity is None and at("/fresh").captured_at is None
    assert at("/typo").captured_at == captures[server.url("/typo")].captured_at.replace(
        microsecond=0
    )
    # Dead first, then blocked, moved, drifted, never captured, ok.
    order = [f.kind for f in report.findings]
    assert order == sorted(order, key=links.KIND_ORDER.index)
    assert report.failing and report.fetched == len(cited)
    assert report.counts() == {
        "dead": 4, "blocked": 2, "moved": 1, "drifted": 2, "never-captured": 1, "ok": 3,
    }  # fmt: skip


def test_a_source_of_another_type_is_reached_but_not_compared(server: LinkServer) -> None:
    url = server.url("/photo.jpg")
    report = check_links(cite(url), lambda u: None, server.settings())
    (finding,) = report.findings
    assert finding.kind is Kind.never_captured and finding.status == 200
    # A capture of it exists: reachable, nothing to compare, so ok rather than drifted.
    captured = Captured.of("a photograph", datetime(2026, 1, 5, tzinfo=UTC))
    (finding,) = check_links(cite(url), lambda u: captured, server.settings()).findings
    assert finding.kind is Kind.ok and finding.similarity is None


def test_never_more_than_one_request_at_a_time_to_a_host_and_a_pause_between(
    server: LinkServer,
) -> None:
    urls = [
        server.url(f"/story/{n}", host=host)
        for host in ("news.test", "wire.test", "desk.test")
        for n in range(6)
    ]
    delay = 0.05
    report = check_links(cite(*urls), lambda u: None, server.settings(per_host_delay=delay))
    assert {f.kind for f in report.findings} == {Kind.never_captured}
    assert dict(server.most) == {"news.test": 1, "wire.test": 1, "desk.test": 1}
    assert sum(server.requests.values()) == 18


def test_hosts_are_checked_at_once_up_to_the_concurrency(server: LinkServer) -> None:
    """/together answers only once a request to each of two hosts is waiting at the same
    moment (a barrier in the server): a checker fetching one URL at a time would fail it."""
    import threading

    # The wait is bounded (1 s, under the fetch's 2 s deadline) so that a request that came
    # alone is answered 503 rather than cut off.
    served = server.answer_together(threading.Barrier(2, timeout=1))
    urls = [server.url("/together", host=h) for h in ("news.test", "wire.test")]
    report = check_links(cite(*urls), lambda u: None, server.settings(concurrency=2))
    assert [f.status for f in report.findings] == [200, 200]
    assert served == ["together", "together"]
    served = server.answer_together(threading.Barrier(2, timeout=1))
    one_at_a_time = check_links(cite(*urls), lambda u: None, server.settings(concurrency=1))
    assert [f.status for f in one_at_a_time.findings] == [503, 503]
    assert served == ["alone", "alone"]


# --- the store: the report kept, the cache, records untouched ---------------------------------


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "postgres":
        from tests.store.pg import fresh_database

        with fresh_database("casework_links") as url:
            opened = open_store(url)
            yield opened
            opened.close()
        return
    opened = open_store(f"sqlite:///{tmp_path / 'tracker.db'}")
    yield opened
    opened.close()


def seed(store: Store, server: LinkServer) -> None:
    def source(path: str, n: int) -> dict[str, str]:
        return {"url": server.url(path), "title": f"Report {n}", "publisher": "Courier"}

    store.create(
        make_record(
            "water-point",
            sources=[source("/story/healthy", 1), source("/dies", 2), source("/retracted", 3)],
            documents=[{"title": "Notice", "url": server.url("/old-home"), "kind": "notice"}],
        ),
        author="seed",
        message="seed",
        status=Status.published,
    )
    store.create(
        make_record("clinic-cases", sources=[source("/story/healthy", 1), source("/fresh", 2)]),
        author="seed",
        message="seed",
        status=Status.draft,
    )


def test_a_check_of_the_store_is_kept_and_changes_no_record(
    store: Store, server: LinkServer
) -> None:
    seed(store, server)
    captures = captured_at_edition_1(server, ["/story/healthy", "/dies", "/retracted", "/old-home"])
    before = {s.record.slug: s.revision for s in store.iter_records()}
    generation = store.generation()
    report = check_store(store, captures.get, server.settings(), origin="test")

    assert {s.record.slug: s.revision for s in store.iter_records()} == before
    assert store.generation() == generation
    assert report.records == 2 and len(report.findings) == 5
    healthy = next(f for f in report.findings if f.url == server.url("/story/healthy"))
    assert healthy.citations == (
        Citation("water-point", "sources.0.url", "published"),
        Citation("clinic-cases", "sources.0.url", "draft"),
    )
    old = next(f for f in report.findings if f.url == server.url("/old-home"))
    assert old.kind is Kind.moved and old.citations == (
        Citation("water-point", "documents.0.url", "published"),
    )
    saved = latest_report(store)
    assert saved is not None
    kept, origin = saved
    assert origin == "test" and kept == report  # the JSON round trip loses nothing


def test_a_url_checked_within_the_ttl_is_not_fetched_again(
    store: Store, server: LinkServer
) -> None:
    seed(store, server)
    captures = captured_at_edition_1(server, ["/story/healthy", "/dies", "/retracted", "/old-home"])
    first = check_store(store, captures.get, server.settings())
    asked = sum(server.requests.values())
    again = check_store(store, captures.get, server.settings())
    assert sum(server.requests.values()) == asked  # nothing fetched
    assert again.fetched == 0 and all(f.cached for f in again.findings)
    strip = lambda r: [(f.url, f.kind, f.status, f.similarity, f.citations) for f in r.findings]  # noqa: E731
    assert strip(again) == strip(first)
    # A new capture of one URL: that URL is compared again, the rest still come from the cache.
    url = server.url("/retracted")
    captures[url] = server.capture(url)
    third = check_store(store, captures.get, server.settings())
    assert third.fetched == 1
    assert next(f for f in third.findings if f.url == url).kind is Kind.ok
    # --fresh, or a TTL run out: fetched again.
    assert check_store(store, captures.get, server.settings(), fresh=True).fetched == 5
    assert check_store(store, captures.get, server.settings(cache_ttl=timedelta(0))).fetched == 5


def test_past_the_ttl_a_page_is_asked_for_only_if_it_changed(
    store: Store, server: LinkServer
) -> None:
    """ETag and Last-Modified from the last check make the next one a conditional GET: a 304
    renews the last result without a body; a changed page is read and compared again."""
    url = server.url("/validated")
    cited = cite(url)
    captures = {url: server.capture(url)}
    expired = server.settings(cache_ttl=timedelta(0))
    first = check_links(cited, captures.get, expired, cache=store.link_reports)
    (found,) = first.findings
    assert found.kind is Kind.ok and found.etag == '"edition-1"'
    assert found.last_modified == "Tue, 03 Feb 2026 09:00:00 GMT"
    (again,) = check_links(cited, captures.get, expired, cache=store.link_reports).findings
    assert server.not_modified == 1
    assert (again.kind, again.similarity, again.cached) == (Kind.ok, 1.0, False)
    server.edition = 3  # a retraction note on top, and a new ETag
    (changed,) = check_links(cited, captures.get, expired, cache=store.link_reports).findings
    assert server.not_modified == 1
    assert changed.kind is Kind.drifted and changed.etag == '"edition-3"'


def test_a_check_of_named_records_only(store: Store, server: LinkServer) -> None:
    seed(store, server)
    server.edition = 2
    report = check_store(store, links.no_captures, server.settings(), slugs=["clinic-cases"])
    assert report.records == 1
    assert {f.url for f in report.findings} == {server.url("/story/healthy"), server.url("/fresh")}
    with pytest.raises(RecordNotFound):
        check_store(store, links.no_captures, server.settings(), slugs=["no-such-record"])


# --- the parts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cited", "final", "is_moved"),
    [
        ("http://news.example.org/a", "https://news.example.org/a", False),
        ("https://news.example.org/a", "https://news.example.org/a/", False),
        ("https://news.example.org/a", "https://www.news.example.org/a", False),
        ("https://News.Example.org:443/a#top", "https://news.example.org/a", False),
        ("https://news.example.org/a", "https://news.example.org/b", True),
        ("https://news.example.org/a", "https://archive.example.org/a", True),
        ("https://news.example.org/a?id=1", "https://news.example.org/a?id=2", True),
        ("https://news.example.org/a", "https://news.example.org/", True),  # to the home page
    ],
)
def test_what_counts_as_moved(cited: str, final: str, is_moved: bool) -> None:
    assert moved(cited, final) is is_moved


def test_similarity() -> None:
    text = "the council closed the water point on quarry road without notice"
    assert similarity(text, text) == 1.0
    assert similarity(text, "Nothing in common at all, none whatsoever") == 0.0
    assert similarity(text, text.upper().replace(" ", "  ")) == 1.0  # case and spacing
    assert similarity("", "") == 1.0


def test_durations() -> None:
    assert parse_duration("24h") == timedelta(hours=24)
    assert parse_duration("30m") == timedelta(minutes=30)
    assert parse_duration("7d") == timedelta(days=7)
    for bad in ("", "24", "1w", "-1h", "0h"):
        with pytest.raises(ValueError, match="is not a duration"):
            parse_duration(bad)


def test_citations_name_each_field() -> None:
    record = make_record(
        "r",
        sources=[{"url": "https://a.example.org/1", "title": "A", "publisher": "P"}],
        legalAnalyses=[{"title": "L", "url": "https://a.example.org/1", "organization": "O"}],
    )
    assert citations([(record, Status.review)]) == {
        "https://a.example.org/1": [
            Citation("r", "sources.0.url", "review"),
            Citation("r", "legalAnalyses.0.url", "review"),
        ]
    }


def test_a_report_as_json() -> None:
    report = Report(
        checked_at=datetime(2026, 12, 4, 9, 0, tzinfo=UTC),
        findings=(
            links.Finding(
                url="https://a.example.org/1",
                kind=Kind.dead,
                citations=(Citation("r", "sources.0.url", "draft"),),
                checked_at=datetime(2026, 12, 4, 9, 0, 1, tzinfo=UTC),
                status=404,
                detail="cannot fetch https://a.example.org/1: HTTP 404 Not Found",
            ),
        ),
        records=1,
        fetched=1,
    )
    data = json.loads(json.dumps(report.to_json()))
    assert data["checkedAt"] == "2026-12-04T09:00:00Z"
    assert data["counts"]["dead"] == 1 and data["urls"] == 1
    assert data["findings"][0] == {
        "url": "https://a.example.org/1",
        "kind": "dead",
        "status": 404,
        "finalUrl": None,
        "similarity": None,
        "checkedAt": "2026-12-04T09:00:01Z",
        "capturedAt": None,
        "detail": "cannot fetch https://a.example.org/1: HTTP 404 Not Found",
        "baselineSha256": None,
        "cached": False,
        "etag": None,
        "lastModified": None,
        "records": [{"slug": "r", "field": "sources.0.url", "status": "draft"}],
    }
    assert Report.from_json(data) == report


def test_a_links_job_is_queued_when_the_last_is_older_than_the_schedule(store: Store) -> None:
    from casework.evidence.links import queue_if_due

    every = timedelta(hours=24)
    first = queue_if_due(store.jobs, every)
    assert first is not None and store.jobs.get(first).kind == "links"
    assert queue_if_due(store.jobs, every) is None  # one is queued already
    job = store.jobs.claim("w")
    assert job is not None and job.id == first
    assert queue_if_due(store.jobs, every) is None  # one is running
    store.jobs.finish(first, "1")
    created = store.jobs.get(first).created_at
    assert queue_if_due(store.jobs, every, now=created + timedelta(hours=23)) is None
    later = queue_if_due(store.jobs, every, now=created + timedelta(hours=25))
    assert later is not None and later != first
    assert store.jobs.latest("links") == store.jobs.get(later)
    assert store.jobs.latest("ingest") is None
