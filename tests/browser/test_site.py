"""The built site in a real browser: pages load without errors, no injected script runs,
search works from the keyboard to the record page, the skip link works, and screenshots
of home and a record page (desktop and phone) land in build-screenshots/."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from casework.model import Record
from tests.browser.conftest import BuiltSite, Visit, save_screenshot

RESULTS = "#search-results li a"
INJECTED = "script, iframe, [onerror], [onload], a[href^='javascript:' i]"


def known(built: BuiltSite) -> Record:
    return built.records[0]


def text_of(record: Record) -> str:
    return " ".join([record.title, record.summary, record.description, record.body]).lower()


def rarest_title_word(built: BuiltSite) -> tuple[Record, str]:
    """A record and a word of its title that as few other records as possible contain."""
    texts = [text_of(r) for r in built.records]
    best: tuple[int, Record, str] | None = None
    for record in built.records:
        for word in re.findall(r"[a-z]{5,}", record.title.lower()):
            hits = sum(word in text for text in texts)
            if best is None or hits < best[0]:
                best = (hits, record, word)
    assert best is not None
    return best[1], best[2]


def incident_link(slug: str) -> str:
    return f"{RESULTS}[href*='incident/{slug}/']"


PAGES = {
    "home": lambda b: "",
    "record": lambda b: f"incident/{known(b).slug}/",
    "listing": lambda b: f"category/{known(b).category}/",
    "search": lambda b: "search/",
    "timeline": lambda b: "timeline/",
    "law": lambda b: "law/",
    "hostile": lambda b: f"incident/{b.hostile.slug}/",
    "data": lambda b: "data/",
}


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_without_errors_or_injected_script(
    visit: Visit, built: BuiltSite, name: str
) -> None:
    visit.open(PAGES[name](built))
    assert visit.page.locator("h1").count() >= 1
    assert visit.xss() == "undefined"
    assert visit.errors == []


def test_hostile_record_shows_its_payloads_as_text_everywhere(
    visit: Visit, built: BuiltSite
) -> None:
    visit.open(f"incident/{built.hostile.slug}/")
    assert visit.page.locator("h1").first.inner_text() == built.hostile.title
    assert visit.page.locator(f"main :is({INJECTED})").count() == 0
    listings = visit.page.eval_on_selector_all(
        "main a[href]", "links => [...new Set(links.map(a => a.href))]"
    )
    listings = [u for u in listings if u.startswith(visit.base) and "/incident/" not in u]
    assert any("/category/" in u for u in listings) and any("/tag/" in u for u in listings)
    for url in listings:
        visit.open(url.removeprefix(visit.base).split("#")[0])
        assert visit.xss() == "undefined", url
        assert visit.page.locator(f"main :is({INJECTED})").count() == 0, url
    assert visit.errors == []


def search_for(visit: Visit, words: str) -> None:
    visit.open("search/")
    box = visit.page.locator("#search-form input[name=q]")
    box.press_sequentially(words)
    box.press("Enter")


def test_search_shows_the_hostile_title_as_text(visit: Visit, built: BuiltSite) -> None:
    search_for(visit, "xss")
    link = visit.page.locator(incident_link(built.hostile.slug))
    link.first.wait_for()
    assert "<script>" in link.first.inner_text()
    assert visit.page.locator(f"#search-results :is({INJECTED})").count() == 0
    assert visit.xss() == "undefined"
    assert visit.errors == []


def test_search_finds_a_record_and_opens_it(visit: Visit, built: BuiltSite) -> None:
    record, word = rarest_title_word(built)
    search_for(visit, word)
    link = visit.page.locator(incident_link(record.slug))
    link.first.wait_for()
    assert visit.page.locator("#search-status").inner_text().strip() != ""
    link.first.click()
    visit.page.wait_for_url(re.compile(rf"/incident/{re.escape(record.slug)}/$"))
    assert visit.page.locator("h1").first.inner_text() == record.title
    assert visit.errors == []


def test_category_filter_alone_lists_that_category_only(visit: Visit, built: BuiltSite) -> None:
    counts = Counter(r.category for r in built.records if r.category != built.hostile.category)
    category = min(counts, key=lambda key: (counts[key], key))
    expected = {r.slug for r in built.records if r.category == category}
    visit.open("search/")
    visit.page.select_option("#search-form select[name=category]", category)
    visit.page.locator("#search-form [type=submit]").click()
    visit.page.locator(RESULTS).first.wait_for()
    hrefs = visit.page.eval_on_selector_all(RESULTS, "links => links.map(a => a.href)")
    slugs = {m.group(1) for h in hrefs if (m := re.search(r"/incident/([^/]+)/", h))}
    assert len(slugs) == len(hrefs)
    assert slugs == expected
    assert visit.errors == []


def test_first_tab_reaches_the_skip_link_and_enter_jumps_to_main(visit: Visit) -> None:
    page = visit.page
    visit.open("")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.hash]")
    assert focused == ["skip", "#main"]
    page.keyboard.press("Enter")
    page.wait_for_function("location.hash === '#main'")
    assert page.evaluate("document.querySelector('#main').matches(':target')")
    # The next Tab starts from #main, not from the header's navigation.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('#main').contains(document.activeElement)")


def test_screenshots_of_home_and_a_record(visit: Visit, phone: Visit, built: BuiltSite) -> None:
    record = f"incident/{known(built).slug}/"
    visit.open("")
    save_screenshot(visit.page, "home-1280")
    visit.open(record)
    save_screenshot(visit.page, "record-1280")
    phone.open(record)
    save_screenshot(phone.page, "record-390")
    assert visit.errors == [] and phone.errors == []


@pytest.mark.parametrize("name", ["home", "record", "hostile", "search"])
def test_nothing_scrolls_sideways_on_a_phone(phone: Visit, built: BuiltSite, name: str) -> None:
    phone.open(PAGES[name](built))
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 390


def test_print_hides_navigation_and_keeps_the_record(visit: Visit, built: BuiltSite) -> None:
    visit.open(f"incident/{known(built).slug}/")
    visit.page.emulate_media(media="print")
    assert not visit.page.locator("header.site nav").is_visible()
    assert not visit.page.locator("footer.site").is_visible()
    assert visit.page.locator("h1").first.is_visible()


def test_a_listing_narrowed_by_listing_js_shows_the_hostile_record_as_text(
    visit: Visit, built: BuiltSite
) -> None:
    """static/listing.js draws records from the listing files: as cards and as a table, every
    payload stays text."""
    hostile = built.hostile
    for view in ("cards", "table"):
        visit.open(f"category/{hostile.category}/?sort=title&view={view}")
        # The page as built lists it too: wait for the script's own view (and its requests).
        visit.page.locator("#listing-status", has_text="match").wait_for()
        link = visit.page.locator(f"#listing-records a[href*='incident/{hostile.slug}/']")
        link.first.wait_for()
        assert "<script>" in link.first.inner_text()
        assert visit.page.locator(f"main :is({INJECTED})").count() == 0
        assert visit.xss() == "undefined"
    assert visit.errors == []
