"""One store generation read per web request (store/request_generation.py), counted as the
SQL statements a real SQLite store runs; and a write in the same request is seen after it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event
from starlette.testclient import TestClient

from casework.examples import generate_records
from casework.model import Site, Status
from casework.store import open_store, request_generation
from casework.store.base import Store
from casework.web.app import create_app

SITE = Site(url="https://m.example.org", title="Monitor")
ASK = "SELECT generation FROM store_meta"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = open_store(f"sqlite:///{tmp_path / 'tracker.db'}")
    records = list(generate_records(6, seed=5, site=SITE))
    store.import_records(records[:5], author="t", message="m", status=Status.published)
    yield store
    store.close()


def generation_asks(store: Store) -> list[str]:
    """The generation statements `store` runs from now on, on any of its connections."""
    seen: list[str] = []

    def trace(dbapi: object, record: object, proxy: object) -> None:
        dbapi.set_trace_callback(lambda sql: seen.append(sql) if ASK in sql else None)  # type: ignore[attr-defined]

    event.listen(store._engine, "checkout", trace)  # type: ignore[attr-defined]
    return seen


def test_a_public_request_reads_the_generation_once(store: Store) -> None:
    # No `with`: no lifespan, so no change-feed follower asking from its own thread.
    client = TestClient(create_app(store, SITE, warm=False))
    slug = next(store.iter_records(status=Status.published)).record.slug
    seen = generation_asks(store)
    # The home page asked 8 times before (snapshot, hidden, moved, gone, ...); the JSON 2.
    for url in ["/", f"/incident/{slug}/", f"/incident/{slug}.json", "/api/stats"]:
        for _ in range(2):  # made, then answered from the caches
            seen.clear()
            assert client.get(url).status_code == 200
            # A first stats answer and a first home page also search (the facet index reads
            # its own generation, in its read's snapshot).
            if url not in ("/api/stats", "/") or _:
                assert len(seen) == 1, (url, seen)


def test_a_write_in_the_same_request_is_seen_after_it(store: Store) -> None:
    seen = generation_asks(store)
    with request_generation.one_read():
        before = store.generation()
        assert store.generation() == before
        assert len(seen) == 1
        more = list(generate_records(7, seed=6, site=SITE))[6:]
        store.import_records(more, author="t", message="m", status=Status.published)
        assert store.generation() > before
    # Outside a request every ask reads.
    seen.clear()
    store.generation(), store.generation()
    assert len(seen) == 2
