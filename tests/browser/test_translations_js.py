"""The static search page in the site's language once search.js has drawn its results, in the
real Chromium: the words search.js writes (the status line with its count, the facets'
names, "ongoing", the pager) come from the page's JSON of translated words
(render/i18n.py script_words), so a Spanish, French or Arabic page shows no English catalog
string, its status line is the live page's (web/public.py search_status) in that language,
and its dates are not English month names.

The tracker is the key test's (tests/render/test_translations.py), written in the site's
language, with enough records under one tag for a second page of results."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from casework.model import tag_slug
from casework.publish.build import build_site
from casework.render import i18n
from casework.store import open_store
from casework.web.public import SEARCH_RESULTS, search_status
from casework.web.static_site import static_site_app
from tests.browser.conftest import launched
from tests.render.test_translations import (
    CONTENT,
    SHIPPED,
    SITE,
    english_fragments,
    tracker,
    untranslated,
)
from tests.serving import serving
from tests.store.factories import make_record

MORE = 40  # beside the tracker's 22 under the tag: 62 matches, two pages of 50
MONTHS = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\b"
)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with launched() as browser:
        yield browser


@pytest.fixture(scope="module", params=SHIPPED)
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[
    tuple[str, str, int]
]:  # fmt: skip
    """(language, the served site's address, how many records carry the tag)."""
    language = request.param
    c = CONTENT[language]
    folder = tmp_path_factory.mktemp(f"search-{language}")
    store = open_store(folder / "tracker.db")
    try:
        tracker(store, language)
        more = [
            make_record(
                f"mas-{n}",
                title=f"{c['title']} {n}",
                summary=c["summary"],
                victims=c["party"],
                perpetrators=c["authority"],
                legalBasis=c["point"],
                date=f"2022-{1 + n % 12:02d}-{1 + n % 28:02d}",
                tags=[c["tag"]],
                structuredVictims=[],
                structuredPerpetrators=[],
                keyPoints=[],
                description="",
                timeline=[],
                sources=[],
                internationalLaw=[],
                **{"$body": c["body"]},
            )
            for n in range(MORE)
        ]
        store.import_records(more, author="test", message="more")
        build_site(store, SITE.model_copy(update={"language": language}), folder / "out")
    finally:
        store.close()
    with serving(static_site_app(folder / "out")) as url:
        yield language, url, 23 + MORE  # caso-0..21, borrado, and the MORE


def _drawn(page: Any) -> dict[str, Any]:
    page.wait_for_function(
        "() => document.querySelectorAll('#search-results li').length > 0 && "
        "document.getElementById('search-status').textContent.length > 0"
    )
    return {
        "html": page.content(),
        "status": page.inner_text("#search-status"),
        "results": page.inner_text("#search-results"),
        "pager": page.inner_text("#search-pager"),
        "facets": page.inner_text("#search-facets"),
    }


def test_search_js_draws_its_words_in_the_site_language(
    chromium: Any, site: tuple[str, str, int]
) -> None:
    language, url, total = site
    tag = CONTENT[language]["tag"]
    fragments = english_fragments(language)
    page = chromium.new_page()
    try:
        page.goto(f"{url}search/?q={tag}", wait_until="networkidle")
        first = _drawn(page)
        page.click("#search-pager a[rel=next]")
        page.wait_for_selector("#search-pager a[rel=prev]")
        second = _drawn(page)
    finally:
        page.close()
    assert first["results"].count("\n") >= 1
    for shown in (first, second):
        # What search.js wrote is in the page's language: no English catalog string in the
        # text or the attributes a reader meets, and no English month in a card's date.
        assert untranslated(shown["html"], fragments) == []
        assert not MONTHS.search(shown["results"]), shown["results"][:300]
        assert shown["facets"] and shown["pager"]
    # The status line is the live page's, word for word, on each page of the result.
    assert first["status"] == search_status(tag, total, 1, language)
    assert second["status"] == search_status(tag, total, 2, language)
    # The pager's words and the facets' names are the catalog's translations.
    of_pages = i18n.gettext(language, "Page %(page)s of %(pages)s")
    assert of_pages % {"page": 1, "pages": 2} in first["pager"]
    assert of_pages % {"page": 2, "pages": 2} in second["pager"]
    assert i18n.gettext(language, "Next") in first["pager"]
    assert i18n.gettext(language, "Tag") + ":" in first["facets"]
    assert total > SEARCH_RESULTS


def test_english_pages_keep_the_english_words(chromium: Any, tmp_path: Path) -> None:
    """An English site's page gives search.js its English words: what it drew before."""
    store = open_store(tmp_path / "tracker.db")
    try:
        store.import_records(
            [make_record(f"harbour-{n}", ongoing=True) for n in range(2)],
            author="test",
            message="seed",
        )
        build_site(store, SITE, tmp_path / "out")
    finally:
        store.close()
    page = chromium.new_page()
    with serving(static_site_app(tmp_path / "out")) as url:
        try:
            page.goto(f"{url}search/?q=harbour", wait_until="networkidle")
            shown = _drawn(page)
        finally:
            page.close()
    assert shown["status"] == "2 records match \u201charbour\u201d."
    assert "Ongoing" in shown["results"] and "Tag:" in shown["facets"]
    assert MONTHS.search(shown["results"])


def _listed(page: Any) -> dict[str, Any]:
    """A static listing once listing.js has drawn the view its query string asks for."""
    loading = i18n.script_words("en")["loading"]
    page.wait_for_function(
        "(loading) => { const s = document.getElementById('listing-status').textContent;"
        " return /\\d/.test(s) && s !== loading; }",
        arg=loading,
    )
    return {
        "html": page.content(),
        "status": page.inner_text("#listing-status"),
        "records": page.inner_text("#listing-records"),
        "months": page.eval_on_selector_all(
            "#listing-records h2[id^=m-]", "hs => hs.map(h => h.textContent)"
        ),
    }


def test_listing_js_draws_its_words_in_the_site_language(
    chromium: Any, site: tuple[str, str, int]
) -> None:
    """A listing narrowed on the static site (listing.js): its status line is the live app's
    in the page's language, its table heads, card badges and dates are translated, and a
    year's months are headed as the built page heads them."""
    language, url, total = site
    tag = CONTENT[language]["tag"]
    fragments = english_fragments(language)
    page = chromium.new_page()
    shown = {}
    try:
        for name, path in (
            ("table", f"tag/{tag_slug(tag)}/?sort=title&view=table"),
            ("cards", f"tag/{tag_slug(tag)}/?sort=oldest"),
            ("year", "year/2022/?sort=newest"),
        ):
            page.goto(url + path, wait_until="networkidle")
            shown[name] = _listed(page)
    finally:
        page.close()
    for name, drawn in shown.items():
        assert untranslated(drawn["html"], fragments) == [], name
        assert not MONTHS.search(drawn["records"]), (name, drawn["records"][:300])
    # The live app's words (web/public.py listing_page) for the same count.
    matches = i18n.plural(language, "%(num)s record matches.", "%(num)s records match.", total)
    assert shown["table"]["status"] == matches % {"num": f"{total:,}"}
    assert i18n.gettext(language, "Evidentiary standing") in shown["table"]["records"]
    months = shown["year"]["months"]
    assert months and all(
        m in {i18n.month_in_words(date(2022, n, 1), language) for n in range(1, 13)} for m in months
    ), months
