"""The live app: published records only, escaped text, a real server on localhost (the
public site against the static build: test_public.py)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from starlette.testclient import TestClient

from casework.examples import generate_records
from casework.model import Record, Site, Status
from casework.store import open_store
from casework.store.base import Store
from casework.web.app import create_app

SITE = Site(url="https://m.example.org", title="Monitor")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = open_store(f"sqlite:///{tmp_path / 'tracker.db'}")
    records = list(generate_records(6, seed=5, site=SITE))
    store.import_records(records[:5], author="t", message="m", status=Status.published)
    hostile = records[5].model_copy(
        update={"title": "<script>alert('DRAFTMARKER')</script> draft", "related_incidents": []}
    )
    store.import_records([hostile], author="t", message="m", status=Status.draft)
    yield store
    store.close()


def test_list_shows_published_records_only(store: Store) -> None:
    client = TestClient(create_app(store, SITE))
    page = client.get("/")
    assert page.status_code == 200
    for stored in store.iter_records(status=Status.published):
        assert f"/incident/{stored.record.slug}/" in page.text
    assert "DRAFTMARKER" not in page.text


def test_record_page_and_json(store: Store) -> None:
    client = TestClient(create_app(store, SITE))
    record = next(store.iter_records(status=Status.published)).record
    page = client.get(f"/incident/{record.slug}/")
    assert page.status_code == 200
    assert record.sources[0].url in page.text
    doc = client.get(f"/incident/{record.slug}.json").json()
    assert doc["record"]["url"] == f"https://m.example.org/incident/{record.slug}/"
    assert doc["record"]["sourceCount"] == len(record.sources)


def test_drafts_are_not_found(store: Store) -> None:
    client = TestClient(create_app(store, SITE))
    draft = next(store.iter_records(status=Status.draft)).record
    assert client.get(f"/incident/{draft.slug}/").status_code == 404
    assert client.get(f"/incident/{draft.slug}.json").status_code == 404
    assert client.get("/incident/nothing-here/").status_code == 404


def test_search_finds_words_and_escapes_the_query(store: Store) -> None:
    client = TestClient(create_app(store, SITE))
    record: Record = next(store.iter_records(status=Status.published)).record
    word = max(record.title.split(), key=len).strip(".,")
    found = client.get("/search/", params={"q": word})
    assert found.status_code == 200
    assert f"/incident/{record.slug}/" in found.text
    assert "DRAFTMARKER" not in found.text
    page = client.get("/search/", params={"q": f"{word} <img src=x onerror=alert(1)>"})
    assert page.status_code == 200
    assert "<img src=x" not in page.text


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_served_on_a_real_http_server(store: Store) -> None:
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(store, SITE), host="127.0.0.1", port=port, log_level="error")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(100):
            if server.started:
                break
            time.sleep(0.05)
        response = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
        assert response.status_code == 200
        assert "Monitor" in response.text
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_the_public_site_is_planned_at_start_up_unless_told_not_to(store: Store) -> None:
    from casework.web.live import live_site

    with TestClient(create_app(store, SITE, warm=False)) as client:
        assert client.get("/api/stats").status_code == 200
        assert live_site(store, SITE)._current is None  # nothing planned yet
        # The home page and the facet listings are made per request, from the store alone.
        assert client.get("/").status_code == 200
        assert client.get("/category/rule-of-law/").status_code == 200
        # So are the about and search pages, the indexes, the collections, the sitemap, the
        # timeline's index and the map.
        for path in ("/about/", "/search/", "/tag/", "/collections/", "/sitemap.xml",
                     "/timeline/", "/map/"):  # fmt: skip
            assert client.get(path).status_code == 200, path
        assert live_site(store, SITE)._current is None
        # Planned by the first page needing it: a listing downloaded.
        assert client.get("/category/rule-of-law/?format=csv").status_code == 200
        assert live_site(store, SITE)._current is not None


def test_the_asgi_factory_reads_casework_warm_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from casework.web import asgi

    seen: list[bool] = []
    original = create_app

    def recording(*args: object, warm: bool = True, **kwargs: object) -> object:
        seen.append(warm)
        return original(*args, warm=warm, **kwargs)  # type: ignore[arg-type]

    from casework.config import render_config

    (tmp_path / "casework.toml").write_text(render_config(SITE), encoding="utf-8")
    monkeypatch.setattr(asgi, "create_app", recording)
    monkeypatch.setenv("CASEWORK_TRACKER", str(tmp_path))
    monkeypatch.setenv("CASEWORK_WARM_SITE", "0")
    asgi.create()
    monkeypatch.setenv("CASEWORK_WARM_SITE", "1")
    asgi.create()
    assert seen == [False, True]
