"""The facet listings (category, severity, posture, year) answered per request by the live
app (`LiveSite.facet_page`: the store's facet counts and one index walk for a page's slugs,
`Store.listed`), on both engines: every page equals the page the static build plans from
every record, pages past the first included; records sharing a date are in the build's slug
order (bytewise, on PostgreSQL too); a draft among a page's records never shows, never moves
a record and never changes a count or a status code."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from casework.model import Status
from casework.publish.plan import FACET_FAMILIES, PER_PAGE, Page, plan_pages
from casework.store import open_store
from casework.store.base import Store
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
from tests.store.factories import make_record, save_changed

MARKER = "ZQXKEYSETDRAFT"
# Slugs whose bytewise order differs from a locale's (hyphens ignored, digits by value).
SLUGS = ("a-b", "ab", "a-10", "a-2", "a10", "a2", "a-c", "ac")


def _published() -> list[Any]:
    made = []
    for i in range(3 * PER_PAGE + 7):  # three pages of rule-of-law, the last part-full
        made.append(
            make_record(
                f"{SLUGS[i % len(SLUGS)]}-{i // len(SLUGS)}" if i % 3 else f"r{i}",
                title=f"Record {i}",
                # Few dates, so that most records share theirs with others on the same page.
                date=f"202{i % 3}-0{1 + i % 4}-1{i % 2}",
                category="rule-of-law" if i % 5 else "civil-liberties",
                severity=("concerning", "serious", "severe")[i % 3],
                tags=[f"tag-{i % 7}", "shared"],
            )
        )
    return made


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    opened.import_records(_published(), author="test", message="seed")
    yield opened
    opened.close()


def _number(page: Page) -> int:
    parts = page.path.split("/")
    return int(parts[3]) if len(parts) == 5 else 1


def test_every_facet_page_by_keyset_is_the_planned_page(store: Store) -> None:
    live = live_site(store, SITE)
    snapshot = live.snapshot()
    whole = plan_pages(snapshot.cards, SITE, list(snapshot.collections))
    planned = [page for page in whole if page.path.split("/")[0] in FACET_FAMILIES]
    assert live.home_page() == next(page for page in whole if page.path == "index.html")
    assert any(_number(page) == 3 for page in planned)  # past the first, by an offset
    for page in planned:
        name, key = page.context["kind"], page.context["key"]
        assert live.facet_page(name, key, _number(page)) == page, page.path
    # The pages the build has not: past the last, a value outside the vocabulary, a year
    # without records.
    assert live.facet_page("category", "rule-of-law", 4) is None
    assert live.facet_page("category", "no-such", 1) is None
    assert live.facet_page("year", "1999", 1) is None
    assert live.facet_page("year", "20x1", 1) is None
    # A vocabulary value without records has its (empty) page, as the build writes it.
    assert live.facet_page("category", "humanitarian-aid", 1) == next(
        p for p in planned if p.path == "category/humanitarian-aid/index.html"
    )


def test_a_draft_among_a_pages_records_changes_no_byte_count_or_status(store: Store) -> None:
    client = TestClient(create_app(store, SITE))
    paths = [
        "/",
        "/category/rule-of-law/",
        "/category/rule-of-law/page/2/",
        "/category/rule-of-law/page/3/",
        "/severity/severe/",
        "/year/2021/",
        "/year/2021/page/2/",
    ]
    before = {path: client.get(path) for path in paths}
    assert all(answer.status_code == 200 for answer in before.values())
    assert client.get("/category/rule-of-law/page/4/").status_code == 404
    # Drafts dated among the first page's records, on every one of their listings, and one
    # that would open a fourth page and a year of its own.
    for i in range(PER_PAGE):
        draft = make_record(
            f"a-{i}-draft",
            title=f"{MARKER} {i}",
            date="2021-02-11",
            category="rule-of-law",
            severity="severe",
            tags=[f"tag-{MARKER}".lower()],
        )
        store.create(draft, author="t", message="draft", status=Status.draft)
    store.create(  # the newest and most severe of all, were it published
        make_record("y-draft", title=MARKER, date="2030-01-01", severity="extreme", ongoing=True),
        author="t",
        message="draft",
        status=Status.draft,
    )
    store.create(
        make_record("z-draft", title=MARKER, date="1999-01-01", category="rule-of-law"),
        author="t",
        message="draft",
        status=Status.review,
    )
    for path, answer in before.items():
        again = client.get(path)
        assert (again.status_code, again.content) == (answer.status_code, answer.content), path
        assert MARKER.encode() not in again.content
    assert client.get("/category/rule-of-law/page/4/").status_code == 404
    assert client.get("/year/1999/").status_code == 404
    # Nor does a year only drafts hold redirect to its slash, as a year with records does.
    assert client.get("/year/1999", follow_redirects=False).status_code == 404
    assert client.get("/year/2021", follow_redirects=False).status_code == 308
    # Published, the same record moves the pages: the comparison above could fail.
    held = store.get("a-0-draft")
    store.set_status("a-0-draft", Status.published, base_revision=held.revision, author="t",
                     message="out")  # fmt: skip
    assert client.get("/category/rule-of-law/").content != before["/category/rule-of-law/"].content
    assert (
        f"{MARKER} 0".encode()
        in client.get("/year/2021/").content + client.get("/year/2021/page/2/").content
    )


def test_a_save_drops_the_generations_cached_pages(store: Store) -> None:
    live = live_site(store, SITE)
    first = live.facet_page("category", "rule-of-law", 1)
    assert first is not None and live.facet_page("category", "rule-of-law", 1) is first
    top = first.context["records"][0]["slug"]
    save_changed(store, top, message="m", title="Retitled by keyset")
    after = live.facet_page("category", "rule-of-law", 1)
    assert after is not None and after.context["records"][0]["title"] == "Retitled by keyset"
