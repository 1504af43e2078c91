"""Two `casework serve` processes on one database (SQLite file; PostgreSQL), as behind a proxy
(README: Past one machine): an edit through the API of one reaches the other's public page,
search and facet counts; an unpublish there takes the record out of the other's search,
listings, facets and record page. The change travels through the change feed
(store/change_feed.py); each check polls until a generous deadline, never timed."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from casework.cli import app
from tests.serving import eventually, free_port, launched
from tests.store.conftest import (  # noqa: F401  # fixtures and the engine parametrisation
    engine,
    postgres_url,
    pytest_configure,
    pytest_generate_tests,
)
from tests.store.conftest import store_url as store_url
from tests.test_cli import cw, ndjson_file, runner

DEADLINE = 20.0  # seconds: far past the feed's second, for a loaded test machine
WORD = "zanzibarquay"  # in no generated record
TAG = "feed-test-tag"


@pytest.fixture
def tracker(tmp_path: Path, store_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "t"
    if store_url.startswith("postgresql"):
        monkeypatch.setenv("CASEWORK_DATABASE_URL", store_url)  # --db, for the servers too
    assert cw(tmp_path, "init", str(folder), "--url", "https://m.example.org")[0] == 0
    records = ndjson_file(tmp_path / "r.ndjson", 8, seed=17)
    code, _, err = cw(folder, "import", "--status", "published", str(records))
    assert code == 0, err
    added = runner.invoke(
        app,
        ["--tracker", str(folder), "user", "add", "ada", "--role", "admin", "--password-stdin"],
        input="change feed test password\n",
    )
    assert added.exit_code == 0, added.stderr
    return folder


@pytest.fixture
def servers(tracker: Path) -> Iterator[tuple[str, str]]:
    """Two `casework serve` processes on the tracker's one database: their base URLs."""
    bases = []
    with ExitStack() as stack:
        for name in ("a", "b"):
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            command = [sys.executable, "-m", "casework", "-t", str(tracker), "serve"]
            log = tracker.parent / f"serve-{name}.log"
            stack.enter_context(launched([*command, "--port", str(port)], base, log=log))
            bases.append(base)
        yield bases[0], bases[1]


def _token(tracker: Path) -> str:
    code, out, err = cw(tracker, "user", "token", "ada", "--name", "feed test", "--scope", "write")
    assert code == 0, err
    return out.strip().splitlines()[-1]


def _eventually(check: Callable[[], bool], what: str) -> None:
    eventually(check, what, DEADLINE)


def _search(base: str, **params: str) -> dict:  # type: ignore[type-arg]
    answer = httpx.get(base + "/api/incidents", params={"perPage": "50", **params}, timeout=30)
    assert answer.status_code == 200, answer.text
    found: dict = answer.json()  # type: ignore[type-arg]
    return found


def _facet(body: dict, name: str) -> dict[str, int]:  # type: ignore[type-arg]
    return {f["value"]: f["count"] for f in body["facets"][name]}


def test_an_edit_and_an_unpublish_on_one_server_reach_the_other(
    tracker: Path, servers: tuple[str, str]
) -> None:
    a, b = servers
    auth = {"Authorization": f"Bearer {_token(tracker)}"}
    before = _search(b)
    slug = before["incidents"][0]["slug"]
    page = f"{b}/incident/{slug}/"
    # B's listing of the record's category, answered per request and cached for its generation.
    listing = f"{b}/category/{before['incidents'][0]['category']}/"
    assert f"/incident/{slug}/" in httpx.get(listing, timeout=30).text
    # B has built its caches: the facet index (a search), the planned site (a page).
    assert _search(b, q=WORD)["total"] == 0
    assert TAG not in _facet(before, "tag")
    assert httpx.get(page, timeout=30).status_code == 200
    assert f"/incident/{slug}/" in httpx.get(b + "/", timeout=30).text

    state = httpx.get(f"{a}/api/records/{slug}", headers=auth, timeout=30).json()
    record = state["record"] | {
        "title": f"Flooding at {WORD.capitalize()} pier",
        "tags": [*state["record"]["tags"], TAG],
    }
    saved = httpx.put(
        f"{a}/api/records/{slug}",
        headers=auth,
        json={"record": record, "baseRevision": state["revision"], "message": "retitled"},
        timeout=30,
    )
    assert saved.status_code == 200, saved.text

    _eventually(lambda: WORD.capitalize() in httpx.get(page, timeout=30).text, "B's record page")
    _eventually(lambda: _search(b, q=WORD)["total"] == 1, "B's API search")
    _eventually(lambda: WORD.capitalize() in httpx.get(listing, timeout=30).text, "B's listing")
    _eventually(lambda: _facet(_search(b), "tag").get(TAG) == 1, "B's tag facet count")
    found = httpx.get(b + "/search/", params={"q": WORD}, timeout=30).text
    assert f"/incident/{slug}/" in found  # B's search page

    moved = httpx.post(
        f"{a}/api/records/{slug}/status",
        headers=auth,
        json={"status": "draft", "baseRevision": saved.json()["revision"], "message": "held"},
        timeout=30,
    )
    assert moved.status_code == 200, moved.text

    _eventually(lambda: httpx.get(page, timeout=30).status_code in (404, 410), "B's page gone")
    assert _search(b, q=WORD)["total"] == 0
    listed = _search(b)
    assert slug not in [hit["slug"] for hit in listed["incidents"]]
    assert listed["total"] == before["total"] - 1
    assert TAG not in _facet(listed, "tag")
    assert httpx.get(b + "/api/stats", timeout=30).json()["total"] == before["total"] - 1
    assert f"/incident/{slug}/" not in httpx.get(b + "/", timeout=30).text
    assert f"/incident/{slug}/" not in httpx.get(listing, timeout=30).text
    found = httpx.get(b + "/search/", params={"q": WORD}, timeout=30).text
    assert f"/incident/{slug}/" not in found and WORD.capitalize() not in found
