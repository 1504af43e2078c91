"""The static site's search ranks as the live engines do (issue 16): the demo tracker built,
its /search/ page opened in chromium for every judged query of benchmarks/search_quality.py,
and the records it lists (its first page of 50) are the SQLite store's hits, in the same order.

search.js computes `search_rank`'s bm25 from the counts the index carries; the one order it
cannot know is the store's among records of one date with equal scores (the store puts the one
imported last first, the static index the one whose slug sorts first): the demo tracker's
judged queries meet no such tie, and the queries below were chosen to meet none either."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from casework.demo import DEMO_SITE
from casework.examples import generate_records
from casework.model import Status
from casework.publish.build import build_site
from casework.store.base import Query
from casework.tracker import init_tracker, open_tracker
from casework.web.static_site import static_site_app
from tests.browser.conftest import Visit, _open_visit, launched
from tests.serving import serving

JUDGMENTS = Path(__file__).parents[2] / "benchmarks" / "search_judgments.json"
JUDGED = [q["query"] for q in json.loads(JUDGMENTS.read_text(encoding="utf-8"))["queries"]]
# Beside them: prefixes, a word and its stem twice, stopwords the engines match and rank,
# a capitalised repeat, words found only in bodies.
EXTRA = ["attack civil*", "mine mines", "school attack shelling", "Curfew curfew", "the curfew",
         "on the ground", "deport*", "witnesses said"]  # fmt: skip
PAGE = 50
RESULTS = "#search-results li h2 a"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[list[str]]]]:
    """The demo tracker's static site served, and the store's first page for each query."""
    root = tmp_path_factory.mktemp("order")
    init_tracker(root / "tracker", DEMO_SITE)
    with open_tracker(root / "tracker") as tracker:
        records = list(generate_records(120, seed=1, site=DEMO_SITE, mutual_links=True))
        tracker.store.import_records(
            records, author="test", message="demo", status=Status.published
        )
        live = [
            [hit.slug for hit in tracker.store.search(
                Query(text=q, status=Status.published, limit=PAGE)).hits]
            for q in [*JUDGED, *EXTRA]
        ]  # fmt: skip
        build_site(tracker.store, tracker.site, root / "out")
    with serving(static_site_app(root / "out")) as url:
        yield url, live


@pytest.fixture(scope="module")
def page(demo: tuple[str, list[list[str]]]) -> Iterator[Visit]:
    with launched() as browser:
        yield from _open_visit(browser, demo[0], 1280)


def static_first_page(visit: Visit, query: str) -> list[str]:
    visit.open(f"search/?q={quote(query)}")
    # The status line is written when the search has run (the page's CSP forbids eval, so a
    # locator waits for it rather than a JavaScript predicate).
    visit.page.locator("#search-status", has_text=re.compile(r"\S")).wait_for()
    hrefs: list[Any] = visit.page.eval_on_selector_all(
        RESULTS, "links => links.map((a) => a.getAttribute('href'))"
    )
    return [str(h).rstrip("/").rsplit("/", 1)[-1] for h in hrefs]


def test_static_search_lists_the_stores_hits_in_its_order(
    page: Visit, demo: tuple[str, list[list[str]]]
) -> None:
    queries = [*JUDGED, *EXTRA]
    static = [static_first_page(page, q) for q in queries]
    assert sum(map(len, demo[1])) > 400  # the queries find records
    assert sum(len(live) > 10 for live in demo[1]) > 10  # past the first ten too
    different = [q for q, a, b in zip(queries, demo[1], static, strict=True) if a != b]
    assert different == []
    assert page.errors == []
