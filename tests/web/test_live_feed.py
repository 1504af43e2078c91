"""The live site and the API's cache after a write, through the change feed: the records the
feed names are read again, never the whole store; an API answer is dropped only when a changed
record is on it (its old or its new values). A real SQLite tracker, served in-process (the
cache's counters are the app's own)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from starlette.testclient import TestClient

from casework.model import Status
from casework.publish.plan import FACET_FAMILIES, plan_pages
from casework.store.base import Store
from casework.web.app import create_app
from casework.web.context import AppContext
from casework.web.live import LiveSite, live_site
from tests.publish.conftest import SITE
from tests.serving import eventually


def _retitle(store: Store, slug: str, title: str, **changes: Any) -> None:
    stored = store.get(slug)
    record = stored.record.model_copy(update={"title": title, **changes})
    store.save(record, base_revision=stored.revision, author="t", message="m")


def _no_whole_read(live: LiveSite, monkeypatch: pytest.MonkeyPatch) -> None:
    def whole(*_args: object) -> None:
        raise AssertionError("read every version")

    monkeypatch.setattr(live.view, "versions", whole)


def test_a_save_and_an_unpublish_read_only_the_records_the_feed_names(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = live_site(store, SITE)
    before = live.snapshot()
    start = store.generation()
    _no_whole_read(live, monkeypatch)

    _retitle(store, "pier-arrests", "Fishermen held at the pier")
    after = live.snapshot()
    assert after.cards["pier-arrests"]["title"] == "Fishermen held at the pier"
    assert after.cards["ferry-halt"] is before.cards["ferry-halt"]
    assert list(after.cards) == list(before.cards)  # store order kept
    assert "Fishermen held at the pier" in str(after.pages["category/rule-of-law/index.html"])
    saved = store.generation()
    pairs = live.changed_cards(start, saved)
    assert pairs is not None and len(pairs) == 1
    old, new = pairs[0]
    assert old is not None and new is not None
    assert (old["title"], new["title"]) == ("Fishermen arrested at the pier", new["title"])

    draft = store.get("ferry-halt")
    store.set_status("ferry-halt", Status.draft, base_revision=draft.revision, author="t",
                     message="held")  # fmt: skip
    held = live.snapshot()
    assert "ferry-halt" not in held.cards and "ferry-halt" not in held.hashes
    assert "category/civil-liberties/index.html" in held.pages
    assert "Ferry service halted" not in str(held.pages["category/civil-liberties/index.html"])
    pairs = live.changed_cards(saved, store.generation())
    assert pairs == [(after.cards["ferry-halt"], None)]
    assert live.changed_cards(start, store.generation()) is not None  # contiguous


def test_a_newly_published_record_reads_every_version(store: Store) -> None:
    live = live_site(store, SITE)
    before = live.snapshot()
    start = store.generation()
    draft = store.get("secret-0")
    store.set_status("secret-0", Status.published, base_revision=draft.revision, author="t",
                     message="go")  # fmt: skip
    after = live.snapshot()
    # Its place in store order is not the feed's to tell: the whole list, as before the feed.
    assert list(after.cards) == [s for s in store.versions(status=Status.published)]
    assert "secret-0" in after.cards and "secret-0" not in before.cards
    assert live.changed_cards(start, store.generation()) is None  # unknown: drop all


def _counts(ctx: AppContext) -> tuple[int, int]:
    return ctx.api_cache.hits, ctx.api_cache.misses


def test_a_save_drops_only_the_api_answers_it_is_on(store: Store) -> None:
    app = create_app(store, SITE, warm=False)
    ctx: AppContext = app.state.casework
    client = TestClient(app)
    paths = {
        "rule": "/api/incidents?category=rule-of-law",
        "civil": "/api/incidents?category=civil-liberties",
        "ferry": "/api/incidents/ferry-halt",
        "pier": "/api/incidents/pier-arrests",
        "stats": "/api/stats",
        "words": "/api/incidents?q=ferry",
    }
    first = {name: client.get(path) for name, path in paths.items()}
    assert all(answer.status_code == 200 for answer in first.values())
    ctx.live.snapshot()  # made, as at start-up (warm) or by the first page

    # A title: on the rule-of-law listing, its own record, and any search by words.
    _retitle(store, "pier-arrests", "Fishermen held at the pier")
    for name, path in paths.items():
        hits, misses = _counts(ctx)
        answer = client.get(path)
        kept = _counts(ctx) == (hits + 1, misses)
        assert kept == (name in ("civil", "ferry", "stats")), name
        if kept:
            assert answer.content == first[name].content, name
    assert "Fishermen held at the pier" in client.get(paths["rule"]).text
    assert "Fishermen held at the pier" in client.get(paths["pier"]).text

    # A category moved: both listings it was and is on, and the counts.
    second = {name: client.get(path).content for name, path in paths.items()}
    _retitle(store, "ferry-halt", "Ferry service halted", category="rule-of-law")
    for name, path in paths.items():
        hits, misses = _counts(ctx)
        answer = client.get(path)
        kept = _counts(ctx) == (hits + 1, misses)
        assert kept == (name == "pier"), name
        assert (answer.content == second[name]) == kept, name
    slugs = [hit["slug"] for hit in client.get(paths["rule"]).json()["incidents"]]
    assert "ferry-halt" in slugs
    assert client.get(paths["civil"]).json()["total"] == 1


def test_facet_listings_after_a_feed_refresh_are_the_whole_plans(store: Store) -> None:
    live = live_site(store, SITE)
    live.warm()  # the whole plan made, as at start-up
    # A category and a year moved, and a record taken off: the listings answered per
    # request (`facet_page`) are what the whole plan of the refreshed snapshot has.
    _retitle(
        store, "harbour-closure", "Harbour shut", category="rule-of-law", date=date(2019, 3, 2)
    )
    draft = store.get("ferry-halt")
    store.set_status("ferry-halt", Status.draft, base_revision=draft.revision, author="t",
                     message="held")  # fmt: skip
    page = live.facet_page("category", "rule-of-law", 1)  # answered without any plan
    assert page is not None and "Harbour shut" in str(page.context)
    after = live.snapshot()
    whole = plan_pages(after.cards, SITE, list(after.collections))
    expected = {p.path: p for p in whole if p.path.split("/")[0] in FACET_FAMILIES}
    assert "year/2019/index.html" in expected
    for planned in expected.values():
        assert live.facet_page(planned.context["kind"], planned.context["key"], 1) == planned
    assert live.facet_page("category", "no-such", 1) is None
    assert after.pages["index.html"].template == "home.html"


def test_a_facet_listing_reads_its_records_at_once_or_takes_the_current_snapshots_cards(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A listing page's records: one read for all of them (on PostgreSQL each record read
    alone was several round trips: a page of 20 was ~100, most of its time under load), and
    none when the live snapshot is at the store's generation (the change feed's follower
    keeps it there after a save): its cards are what reading the records gives."""
    app = create_app(store, SITE, warm=False)
    ctx: AppContext = app.state.casework
    client = TestClient(app)
    ctx.live.snapshot()
    _retitle(store, "ferry-halt", "Ferry service stopped")
    single: list[str] = []
    many: list[list[str]] = []
    get, get_many = store.get, store.get_many

    def one(slug: str) -> Any:
        single.append(slug)
        return get(slug)

    def several(slugs: Any) -> Any:
        many.append(list(slugs))
        return get_many(slugs)

    monkeypatch.setattr(store, "get", one)
    monkeypatch.setattr(store, "get_many", several)
    page = client.get("/category/civil-liberties/")  # the snapshot is a save behind
    assert page.status_code == 200 and "Ferry service stopped" in page.text
    assert single == [] and [sorted(m) for m in many] == [["ferry-halt", "harbour-closure"]]

    ctx.live.snapshot()  # what the follower does after a save
    single.clear()
    many.clear()
    page = client.get("/posture/reported/")
    assert page.status_code == 200 and "Ferry service stopped" in page.text
    assert "Fishermen arrested at the pier" in page.text
    assert (single, many) == ([], [])


def test_a_record_page_names_its_related_records_as_they_are_now(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record page's related records: from the snapshot's cards when it is current (no
    read), read when it is behind; either way as the store has them now."""
    app = create_app(store, SITE, warm=False)
    ctx: AppContext = app.state.casework
    client = TestClient(app)
    ctx.live.snapshot()
    _retitle(store, "pier-arrests", "Fishermen held at the pier")
    ctx.live.snapshot()  # what the follower does after a save
    read: list[str] = []
    get = store.get

    def one(slug: str) -> Any:
        read.append(slug)
        return get(slug)

    monkeypatch.setattr(store, "get", one)
    page = client.get("/incident/harbour-closure/")
    assert page.status_code == 200 and "Fishermen held at the pier" in page.text
    assert read == ["harbour-closure"]  # the page's own record; its related one is a card
    _retitle(store, "pier-arrests", "Fishermen freed at the pier")  # the snapshot is behind
    assert "Fishermen freed at the pier" in client.get("/incident/harbour-closure/").text


def test_a_save_drops_only_the_listing_pages_it_is_on(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The facet listing pages a worker keeps outlive a save that none of their records is in
    (by its old or new values); the listings it is on, and the home page, are made again.
    Before, every worker made every page again after each save."""
    app = create_app(store, SITE, warm=False)
    ctx: AppContext = app.state.casework
    client = TestClient(app)
    ctx.live.snapshot()
    paths = ("/category/rule-of-law/", "/category/civil-liberties/", "/severity/severe/",
             "/posture/reported/", "/year/2021/", "/year/2022/", "/")  # fmt: skip
    first = {path: client.get(path) for path in paths}
    assert all(answer.status_code == 200 for answer in first.values())
    listed: list[tuple[Any, ...]] = []
    walk = store.listed

    def listing(*args: Any, **kwargs: Any) -> Any:
        listed.append((*args, *kwargs.values()))
        return walk(*args, **kwargs)

    monkeypatch.setattr(store, "listed", listing)
    # ferry-halt: civil-liberties, serious, reported, 2022 (and its title, on all of those).
    _retitle(store, "ferry-halt", "Ferry service stopped")
    ctx.live.snapshot()  # what the follower does after a save
    for path in paths:
        listed.clear()
        answer = client.get(path)
        made = bool(listed)
        assert made == (path not in ("/category/rule-of-law/", "/severity/severe/",
                                     "/year/2021/")), path  # fmt: skip
        if made:
            assert "Ferry service stopped" in answer.text, path
        else:
            assert answer.content == first[path].content, path

    # Without the snapshot's account of what changed, every page is made again.
    _retitle(store, "pier-arrests", "Fishermen held at the pier")
    listed.clear()
    assert "Fishermen held at the pier" in client.get("/severity/severe/").text
    assert listed


def test_a_search_by_words_after_a_save_is_made_again_without_refreshing_the_snapshot(
    store: Store,
) -> None:
    """A search by words is dropped at any save of a published record: the request makes it
    again rather than first refreshing the live snapshot to learn what changed (it waited for
    the follower's refresh, or made it: ~15 round trips on PostgreSQL, under load seconds)."""
    app = create_app(store, SITE, warm=False)
    ctx: AppContext = app.state.casework
    client = TestClient(app)
    ctx.live.snapshot()
    before = ctx.live.snapshot_generation()
    assert client.get("/api/incidents?q=zorblat").json()["total"] == 0
    _retitle(store, "ferry-halt", "Ferry service zorblat")
    found = client.get("/api/incidents?q=zorblat").json()
    assert [hit["slug"] for hit in found["incidents"]] == ["ferry-halt"]
    assert ctx.live.snapshot_generation() == before  # left to the follower


def test_an_api_answer_made_from_the_store_holds_no_other_request_of_the_worker() -> None:
    """The API's answers are looked up on the event loop, but made (a search, a record read:
    store round trips) in the thread pool: a search waiting on PostgreSQL leaves the worker
    answering what it has cached. Before, every worker made its searches again on the loop
    after each save, and each one stalled all the worker's other requests for its round
    trips (seconds under load: benchmarks/change_feed.py)."""
    import threading

    import httpx
    import psycopg

    from casework.store import open_store
    from tests.publish.conftest import fill
    from tests.serving import serving
    from tests.store.pg import fresh_database

    with fresh_database("casework_loop") as url:
        store = open_store(url)
        try:
            fill(store)
            with serving(create_app(store, SITE, warm=False)) as base:
                assert httpx.get(base + "api/stats", timeout=30).status_code == 200  # cached
                dsn = url.replace("postgresql+psycopg://", "postgresql://")
                with psycopg.connect(dsn) as locker, psycopg.connect(dsn, autocommit=True) as ask:
                    # Any search by words waits for this transaction.
                    locker.execute("LOCK TABLE record_words IN ACCESS EXCLUSIVE MODE")
                    answers: list[int] = []
                    search = threading.Thread(
                        target=lambda: answers.append(
                            httpx.get(base + "api/incidents?q=ferry", timeout=60).status_code
                        )
                    )
                    search.start()
                    try:
                        waiting = (
                            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = "
                            "'Lock' AND query LIKE '%record_words%'"
                        )
                        eventually(lambda: ask.execute(waiting).fetchone()[0] >= 1,
                                   "the search waits for the lock", 20)  # fmt: skip
                        # Answered while the search still waits (before, the loop was held).
                        stats = httpx.get(base + "api/stats", timeout=20)
                        assert stats.status_code == 200
                        assert search.is_alive() and answers == []
                    finally:
                        locker.rollback()
                        search.join(timeout=60)
                    assert answers == [200]
        finally:
            store.close()


def test_a_refresh_from_the_feed_patches_the_snapshot_without_walking_every_record(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the follower does in every worker after a save elsewhere: the snapshot patched
    for the records the feed names — no record hashed for the data files' key until they are
    asked for, the related slugs kept when no named record names others — and equal to one
    made from nothing."""
    from casework.web import live as live_module

    live = live_site(store, SITE)
    before = live.snapshot()
    assert before.records_key  # asked for once
    hashed: list[object] = []
    fingerprint = live_module._fingerprint

    def counted(*args: Any) -> str:
        hashed.append(args)
        return fingerprint(*args)

    monkeypatch.setattr(live_module, "_fingerprint", counted)
    _no_whole_read(live, monkeypatch)

    _retitle(store, "pier-arrests", "Fishermen held at the pier")
    after = live.snapshot()
    assert after.cards["pier-arrests"]["title"] == "Fishermen held at the pier"
    assert hashed == []  # every record's hash, at each save, before
    assert after.referenced is before.referenced  # a union over every record, before
    # A related slug named anew (a draft's: held back) is seen.
    _retitle(store, "pier-arrests", "Fishermen held", related_incidents=["secret-1"])
    named = live.snapshot()
    assert "secret-1" in named.referenced and "secret-1" in named.withheld
    monkeypatch.undo()
    fresh = live_site(store, SITE).snapshot()
    for name in ("hashes", "cards", "named", "referenced", "withheld"):
        assert getattr(named, name) == getattr(fresh, name), name
    assert list(named.cards) == list(fresh.cards)
    assert named.records_key == fresh.records_key
    assert before.records_key != named.records_key


def test_an_api_search_made_on_sqlite_holds_no_other_request_of_the_worker(store: Store) -> None:
    """On SQLite too an API answer that is not cached is made in a thread: after a save every
    worker makes its word searches again (and may refresh the live site's snapshot to learn
    what changed), and made on the event loop each one held the worker's record pages and
    listings behind it (benchmarks/change_feed.py). Here a search waits inside the store, and
    a record page and a cached answer are served meanwhile (before, they waited for it)."""
    import threading

    import httpx

    from tests.serving import serving

    app = create_app(store, SITE, warm=False)
    ctx: AppContext = app.state.casework
    entered, release = threading.Event(), threading.Event()
    search = ctx.public.search

    def waiting(query: Any) -> Any:
        if query.text:
            entered.set()
            release.wait(60)
        return search(query)

    with serving(app) as base:
        assert httpx.get(base + "api/stats", timeout=30).status_code == 200  # cached
        ctx.public.search = waiting  # type: ignore[method-assign]
        answers: list[int] = []
        asked = threading.Thread(
            target=lambda: answers.append(
                httpx.get(base + "api/incidents?q=ferry", timeout=90).status_code
            )
        )
        asked.start()
        try:
            eventually(entered.is_set, "the search is being made", 20)
            page = httpx.get(base + "incident/pier-arrests/", timeout=20)
            assert page.status_code == 200 and "pier" in page.text.lower()
            assert httpx.get(base + "api/stats", timeout=20).status_code == 200
            assert asked.is_alive() and answers == []
        finally:
            release.set()
            asked.join(timeout=90)
        assert answers == [200]
