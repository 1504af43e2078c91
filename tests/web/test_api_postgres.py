"""The public API on a real PostgreSQL database: a record's answer costs the server few round
trips, and a worker answers other requests while one of its reads waits on the server (the
reads run in threads there: web/api.py `answered`)."""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import event
from starlette.testclient import TestClient

from casework.examples import generate_records
from casework.model import Site, Status
from casework.store import open_store
from casework.store.base import Store
from casework.web.app import create_app
from tests.store.conftest import postgres_url  # noqa: F401  # the fixture

SITE = Site(url="https://m.example.org", title="Monitor")


@pytest.fixture
def store(postgres_url: str) -> Iterator[Store]:  # noqa: F811  # the fixture imported
    opened = open_store(postgres_url)
    records = list(generate_records(6, seed=5, site=SITE))
    opened.import_records(records, author="t", message="m", status=Status.published)
    yield opened
    opened.close()


def sent_to_server(store: Store) -> list[str]:
    """What the store's pooled connections send from now on, one entry per statement sent
    (libpq's trace of the protocol: a simple query, or an extended one's Sync), BEGIN and
    COMMIT included, which psycopg sends itself."""
    sent: list[str] = []
    traces: list[tuple[psycopg.Connection, int, str]] = []

    def trace(dbapi: object, _record: object, _proxy: object) -> None:
        driver = dbapi  # the psycopg connection
        assert isinstance(driver, psycopg.Connection)
        fd, name = tempfile.mkstemp(prefix="pgtrace-")
        driver.pgconn.trace(fd)
        traces.append((driver, fd, name))

    def checkin(dbapi: object, _record: object) -> None:
        for driver, fd, name in [t for t in traces if t[0] is dbapi]:
            driver.pgconn.untrace()
            os.close(fd)
            for line in Path(name).read_text(errors="replace").splitlines():
                # Each line: a time, the direction (F: to the server), length, message.
                fields = line.split("\t")
                if fields[1:2] == ["F"] and fields[3:4] in (["Query"], ["Sync"]):
                    sent.append(line)
            os.unlink(name)
            traces.remove((driver, fd, name))

    event.listen(store._engine, "checkout", trace)  # type: ignore[attr-defined]
    event.listen(store._engine, "checkin", checkin)  # type: ignore[attr-defined]
    return sent


def test_a_record_answer_is_two_statements_on_the_pooled_connections(
    store: Store, tmp_path: Path
) -> None:
    # No lifespan (no `with`): no follower. A tracker folder: the answers carry captures.
    client = TestClient(create_app(store, SITE, tmp_path, warm=False))
    first, slug = [s.record.slug for s in store.iter_records(status=Status.published)][:2]
    # The first record's answer also reads what the app keeps while the generation stays
    # (the deletions' tombstones, the renames).
    assert client.get(f"/api/incidents/{first}").status_code == 200
    sent = sent_to_server(store)
    response = client.get(f"/api/incidents/{slug}")
    assert response.status_code == 200
    assert response.json()["record"]["slug"] == slug
    # The record, then the captures of its sources, each one statement in autocommit (the
    # generation is read on a connection of its own). Before: BEGIN, the record, COMMIT,
    # BEGIN, the captures, ROLLBACK.
    assert len(sent) == 2, sent
    assert not any("BEGIN" in line for line in sent), sent


def test_a_worker_answers_while_another_request_waits_on_the_server(
    store: Store,
    postgres_url: str,  # noqa: F811  # the fixture imported
) -> None:
    slugs = [stored.record.slug for stored in store.iter_records(status=Status.published)]
    with TestClient(create_app(store, SITE, warm=False)) as client:
        assert client.get("/api/stats").status_code == 200  # made now, answered from the cache
        waited: list[int] = []
        released = threading.Event()
        answered_meanwhile: list[bool] = []
        with psycopg.connect(postgres_url) as locker:
            # Every read of the records table waits for this transaction.
            locker.execute("LOCK TABLE records IN ACCESS EXCLUSIVE MODE")

            def blocked() -> None:
                waited.append(client.get(f"/api/incidents/{slugs[0]}").status_code)

            waiting = threading.Thread(target=blocked)
            waiting.start()
            # Let go of the lock after a while whatever happens, so that the old code (its
            # event loop stopped by the waiting read) fails rather than hangs.
            timer = threading.Timer(15, lambda: (released.set(), locker.rollback()))
            timer.start()
            try:
                _wait_until_blocked(postgres_url)
                stats = client.get("/api/stats")
                answered_meanwhile.append(not released.is_set())
                assert stats.status_code == 200
            finally:
                timer.cancel()
                if not released.is_set():
                    locker.rollback()
            waiting.join(30)
        assert answered_meanwhile == [True]
        assert waited == [200]


def _wait_until_blocked(url: str) -> None:
    """Until a session of the database waits for a lock (the blocked request's read)."""
    with psycopg.connect(url, autocommit=True) as watcher:
        for _ in range(600):
            row = watcher.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            ).fetchone()
            if row and row[0]:
                return
            threading.Event().wait(0.05)
    raise AssertionError("no request waited for the lock")


def test_a_cached_answer_at_the_generation_the_feed_told_sends_nothing(
    store: Store,
    postgres_url: str,  # noqa: F811  # the fixture imported
) -> None:
    slug = next(s.record.slug for s in store.iter_records(status=Status.published))
    statements: list[str] = []
    executed = psycopg.Cursor.execute

    def counted(cursor: psycopg.Cursor, query: object, *args: object, **kwargs: object) -> object:
        # The request's statements only: the follower's thread reads the generation between
        # its listens whenever it wakes, which is not the answer's cost.
        if threading.current_thread().name != "casework-follow":
            statements.append(str(query))
        return executed(cursor, query, *args, **kwargs)  # type: ignore[arg-type]

    with TestClient(create_app(store, SITE, warm=False)) as client:  # its follower listens
        first = client.get(f"/api/incidents/{slug}")
        assert first.status_code == 200
        _wait_for(lambda: store.known_generation() is not None)  # type: ignore[attr-defined]
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(psycopg.Cursor, "execute", counted)
            again = client.get(f"/api/incidents/{slug}")
        assert again.content == first.content
        # Not even the generation: the follower's listener was told of every write.
        assert statements == []
        # A write from another process: the answer is made again once the feed tells of it.
        other = open_store(postgres_url)
        try:
            other.set_status(slug, Status.draft, base_revision=1, author="t", message="")
            moved = other.generation()
        finally:
            other.close()
        _wait_for(lambda: store.known_generation() == moved)  # type: ignore[attr-defined]
        assert client.get(f"/api/incidents/{slug}").status_code == 404


def _wait_for(condition: Callable[[], bool]) -> None:
    for _ in range(200):
        if condition():
            return
        threading.Event().wait(0.05)
    raise AssertionError("the condition did not come true in 10 s")
