"""The live app's pages that show every record's values at once, answered per request from
the store's indexed queries rather than planned from every record's card (web/live.py): the
sitemap and its index (`LiveSite.sitemap`), on both engines. Each equals, byte for byte,
what the static build writes for the same records; a draft changes no byte of them, and
published, the same record does (so the comparison could fail)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from casework.model import Collection, Status
from casework.publish.build import build_site
from casework.publish.plan import PER_PAGE, Page, plan_pages
from casework.store import open_store
from casework.store.base import Store
from casework.web import live as live_module
from casework.web.app import create_app
from casework.web.live import live_site
from tests.publish.conftest import SITE
from tests.store.conftest import (  # noqa: F401  # fixtures and the engine parametrisation
    engine,
    postgres_url,
    pytest_configure,
    pytest_generate_tests,
)
from tests.store.conftest import store_url as store_url
from tests.web.test_tag_pages import _party, _record

MARKER = "ZQXWIDEDRAFT"


def _located(i: int) -> list[dict[str, Any]]:
    """Places for most records: a point for some, a country alone for others, none for
    every fifth (the map lists the located)."""
    if i % 5 == 0:
        return []
    point = {"latitude": 31.5 + i / 100, "longitude": 34.5, "precision": "town"}
    place = {"country": ("PS", "UA", "FR")[i % 3], "precision": "country"}
    return [place | point if i % 2 else place]


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    # More than a page of located records, several years, tags, entities and statutes.
    records = [_record(i, locations=_located(i)) for i in range(3 * PER_PAGE + 5)]
    opened.import_records(records, author="t", message="s")
    slugs = [r.slug for r in records]
    opened.put_collection(
        Collection(slug="docks", title="The docks", lede="Night.", records=slugs[3:9])
    )
    opened.put_collection(Collection(slug="empty", title="None yet", records=[]))
    yield opened
    opened.close()


def _drafts(store: Store) -> None:
    """Drafts that, were they published, would add pages, a year, a tag, an entity, a
    statute, a located record, a collection's member, and move every record's page."""
    for i in range(PER_PAGE + 1):
        draft = _record(
            i,
            title=f"{MARKER} {i}",
            date="2029-02-11",
            lastUpdated="2031-01-01",
            tags=["shared", f"only-{MARKER}".lower()],
            structuredVictims=[_party(f"{MARKER} named", "crew-0"), _party("N", f"only-{i}")],
            internationalLaw=[{"statute": f"Only {MARKER} Act", "article": "", "provision": "x"}],
            timeline=[{"date": "1998-01-01", "title": MARKER, "summary": MARKER}],
            locations=[{"country": "DE", "precision": "country"}],
        ).model_copy(update={"slug": f"a-{i}-draft"})
        store.create(draft, author="t", message="draft", status=Status.draft)
    held = store.get_collection("docks")
    store.put_collection(held.model_copy(update={"records": [*held.records, "a-0-draft"]}))


def _built(store: Store, folder: Path, limit: int) -> dict[str, bytes]:
    build_site(store, SITE, folder, workers=1, sitemap_limit=limit)
    return {path.name: path.read_bytes() for path in folder.glob("sitemap*.xml")}


def _served(client: TestClient, names: Iterator[str] | list[str]) -> dict[str, bytes]:
    found = {}
    for name in names:
        answer = client.get(f"/{name}")
        assert answer.status_code == 200, name
        found[name] = answer.content
    return found


@pytest.mark.parametrize("limit", [7, 50_000])
def test_the_sitemap_is_the_builds_without_the_snapshot(
    store: Store, tmp_path: Path, limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Read a few records at a time: the walk's seams are met.
    monkeypatch.setattr(live_module, "CARDS_READ", 3)
    live = live_site(store, SITE)
    live.sitemap_limit = limit
    client = TestClient(create_app(store, SITE))
    built = _built(store, tmp_path / "one", limit)
    assert (len(built) > 10) == (limit == 7)
    assert _served(client, built) == built
    assert live.snapshot_generation() is None  # no snapshot was made: no card, no plan
    assert client.get(f"/sitemap-{len(built)}.xml").status_code == 404
    assert client.get("/sitemap-0.xml").status_code == 404
    # Drafts change no byte, the build's nor the live app's.
    _drafts(store)
    assert _served(client, built) == built == _built(store, tmp_path / "two", limit)
    assert all(MARKER.lower().encode() not in body for body in built.values())
    assert all(
        b"2031" not in body and b"1998" not in body and b"2029" not in body
        for body in built.values()
    )
    # Published, one of them moves them: the comparison could fail.
    held = store.get("a-0-draft")
    store.set_status("a-0-draft", Status.published, base_revision=held.revision, author="t",
                     message="out")  # fmt: skip
    after = _built(store, tmp_path / "three", limit)
    assert after != built
    assert _served(client, after) == after
    assert live.snapshot_generation() is None


# The planned pages `LiveSite.index_page` makes per request, beside the collections' own.
INDEXES = ("about/index.html", "search/index.html", "collections/index.html",
           "tag/index.html", "entity/index.html", "law/index.html",
           "timeline/index.html")  # fmt: skip


def _plan(store: Store) -> dict[str, Page]:
    """The build's plan of the store's published records (from every card)."""
    snapshot = live_site(store, SITE).snapshot()
    pages = plan_pages(snapshot.cards, SITE, list(snapshot.collections))
    return {page.path: page for page in pages}


# The map's pages: 52 of the 65 records are located (`_located`), three pages of them.
MAPS = ("map/index.html", "map/page/2/index.html", "map/page/3/index.html")


def _index_pages(store: Store) -> list[str]:
    return [*INDEXES, *MAPS, "collections/docks/index.html", "collections/empty/index.html"]


def test_the_indexes_search_and_collections_pages_are_the_plans(store: Store) -> None:
    live = live_site(store, SITE)
    made = {file: live.index_page(file) for file in _index_pages(store)}
    assert live.snapshot_generation() is None  # made without a snapshot
    planned = _plan(store)
    for file, page in made.items():
        assert page == planned[file], file
    # Two entities of one name (in the order the plan met them: newest record first), a
    # tag spelled three ways, a statute cited by three spellings on one page.
    entities = planned["entity/index.html"].context["items"]
    assert [name for _slug, name, _n in entities].count("Crews") == 2
    assert len(planned["law/index.html"].context["items"]) == 2
    assert live.index_page("collections/none/index.html") is None
    assert live.index_page("tag/shared/index.html") is None  # not an index: tag_page's
    # The map's pages end where the plan's do; its counts are points, not records.
    assert "map/page/4/index.html" not in planned
    for file in ("map/page/4/index.html", "map/page/1/index.html", "map/page/02/index.html"):
        assert live.index_page(file) is None, file
    shown = planned["map/index.html"].context
    assert (shown["total"], shown["pages"]) == (52, 3) and 0 < shown["points"] < 52
    # A year's events, not its records: each record has two events of one day.
    years = dict(planned["timeline/index.html"].context["years"])
    assert years["2010"] == 2 * sum(1 for i in range(3 * PER_PAGE + 5) if i % 2 == 0)


def test_a_draft_changes_no_byte_of_an_index_search_or_collection_page(store: Store) -> None:
    client = TestClient(create_app(store, SITE))
    paths = ["/" + file.removesuffix("index.html") for file in _index_pages(store)]
    paths += ["/search/?q=record", "/search/?tag=shared&page=2", "/search/?q=record&format=csv"]
    before = {path: client.get(path) for path in paths}
    assert all(answer.status_code == 200 for answer in before.values())
    assert client.get("/collections/none/").status_code == 404
    assert client.get("/collections/docks", follow_redirects=False).status_code == 308
    _drafts(store)
    for path, answer in before.items():
        again = client.get(path)
        assert (again.status_code, again.content) == (answer.status_code, answer.content), path
        assert MARKER.encode() not in again.content and MARKER.lower().encode() not in again.content
    live = live_site(store, SITE)
    planned = _plan(store)
    for file in _index_pages(store):
        assert live.index_page(file) == planned[file], file
    # Published, a draft changes them: the comparison could fail.
    held = store.get("a-0-draft")
    store.set_status("a-0-draft", Status.published, base_revision=held.revision, author="t",
                     message="out")  # fmt: skip
    for path in (
        "/tag/",
        "/entity/",
        "/law/",
        "/collections/docks/",
        "/collections/",
        "/timeline/",
        "/map/",
    ):
        assert client.get(path).content != before[path].content, path
    assert b"DE" in client.get("/search/").content
    assert b"1998" in client.get("/timeline/").content
    assert client.get("/map/page/3/").content != before["/map/page/3/"].content
    planned = _plan(store)
    for file in _index_pages(store):
        assert live.index_page(file) == planned[file], file


def test_a_records_address_without_its_slash_redirects_without_the_snapshot(
    store: Store,
) -> None:
    client = TestClient(create_app(store, SITE))
    live = live_site(store, SITE)
    slug = store.get(next(iter(sorted(store.slugs())))).record.slug
    for path in (
        f"/incident/{slug}",
        "/data",
        "/tag",
        "/collections/docks",
        "/search",
        "/map",
        "/timeline",
        "/map/page/2",
    ):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 308 and answer.headers["location"] == path + "/", path
    assert live.snapshot_generation() is None
    _drafts(store)
    # A draft's address answers as no record's: the plan is asked, and has no such page.
    assert client.get("/incident/a-0-draft", follow_redirects=False).status_code == 404
