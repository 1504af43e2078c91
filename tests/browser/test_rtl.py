"""An Arabic site ([site] language = "ar") right to left in the real Chromium: its pages meet
the same standards as the English ones (no Nu HTML Checker error, no axe violation), nothing
scrolls sideways on a phone, and the layout mirrors (the facts column on the left at a
desktop's width, the text starting at the right)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from casework.publish.build import build_site
from casework.store import open_store
from casework.web.static_site import static_site_app
from tests.browser.conftest import _unavailable, launched, vnu_errors
from tests.render.test_translations import SITE, tracker
from tests.serving import serving

PAGES = {
    "record": "incident/caso-0/",
    "listing": "category/civil-liberties/",
    "home": "",
    "map": "map/",
    "search": "search/",
}


@pytest.fixture(scope="module")
def arabic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("arabic")
    store = open_store(folder / "tracker.db")
    try:
        tracker(store, "ar")
        build_site(store, SITE.model_copy(update={"language": "ar"}), folder / "out", workers=1)
    finally:
        store.close()
    return folder / "out"


@pytest.fixture(scope="module")
def chromium(arabic: Path) -> Iterator[tuple[Any, str]]:
    with serving(static_site_app(arabic)) as url, launched() as browser:
        yield browser, url


def test_nu_html_checker_finds_no_error_on_arabic_pages(arabic: Path) -> None:
    files = [str(arabic / path / "index.html") for path in PAGES.values()]
    assert vnu_errors(files) == []


@pytest.mark.parametrize("width", (1280, 390))
def test_arabic_pages_have_no_axe_violation_and_fit_a_phone(
    chromium: tuple[Any, str], width: int
) -> None:
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        _unavailable("axe-playwright-python is not installed (pip install -e '.[test]')")
    browser, url = chromium
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    found, wide = {}, {}
    try:
        for name, path in PAGES.items():
            page.goto(url + path, wait_until="networkidle")
            page.eval_on_selector_all("details", "ds => ds.forEach(d => d.open = true)")
            violations = Axe().run(page).response["violations"]
            found[name] = [
                f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in violations
            ]
            if page.evaluate("document.documentElement.scrollWidth") > width:
                wide[name] = page.evaluate("document.documentElement.scrollWidth")
    finally:
        context.close()
    assert {name: v for name, v in found.items() if v} == {}
    assert wide == {}


def test_the_record_page_mirrors(chromium: tuple[Any, str]) -> None:
    browser, url = chromium
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(url + PAGES["record"], wait_until="networkidle")
        box = {
            name: page.locator(selector).bounding_box()
            for name, selector in (("facts", ".facts"), ("main", ".record-main"), ("h1", "h1"))
        }
        # The facts column is on the left of the text, which starts at the right.
        assert box["facts"]["x"] + box["facts"]["width"] <= box["main"]["x"]
        assert box["h1"]["x"] + box["h1"]["width"] == pytest.approx(
            box["main"]["x"] + box["main"]["width"], abs=2
        )
        # A timeline's marker sits on its line, at the right (inset-inline-start).
        marker = page.evaluate(
            "getComputedStyle(document.querySelector('ol.timeline li'), '::before').right"
        )
        assert marker == "-6px"
    finally:
        context.close()
