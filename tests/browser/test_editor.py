"""A day's work in the editor, in Debian's chromium against the live app on a real server:
an editor signs in, writes a record (with a row added by the page's script and the live
preview), sends it for review; a reviewer publishes it; it is on the public page and in
search; it is edited, the history shows the difference, and the earlier revision is restored.
The publish issue's XSS payloads never run in the editor, its history or its preview.
Screenshots of the editor and the history view land in build-screenshots/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from casework.model import Site, Status
from casework.store.accounts import Role
from casework.tracker import init_tracker, open_tracker
from casework.web.app import create_app
from tests.browser.conftest import (
    CHROMIUM,
    Visit,
    _unavailable,
    launched,
    save_screenshot,
    serving,
)
from tests.publish.xss import hostile_record
from tests.store.factories import make_record

PASSWORD = "a long password for the team"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    root = tmp_path_factory.mktemp("editor")
    init_tracker(root / "tracker", Site(title="Harbour Watch", url="https://example.org"))
    with open_tracker(root / "tracker") as tracker:
        store = tracker.store
        store.accounts.add_user("eve", PASSWORD, Role.editor, "Eve Editor")
        store.accounts.add_user("rita", PASSWORD, Role.reviewer, "Rita Reviewer")
        store.create(hostile_record(), author="seed", message="seed", status=Status.draft)
        with serving(create_app(store, tracker.site)) as url:
            yield url, store


@pytest.fixture(scope="module")
def chromium(live: tuple[str, Any]) -> Iterator[Any]:
    with launched() as browser:
        yield browser


@pytest.fixture
def visit(chromium: Any, live: tuple[str, Any]) -> Iterator[Visit]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    visit = Visit(page=page, base=live[0])
    page.on("console", lambda m: visit.console(m.type, m.text, m.location.get("url", "")))
    page.on("pageerror", lambda e: visit.errors.append(f"pageerror: {e}"))
    yield visit
    context.close()


def screenshot(page: Any, name: str) -> None:
    """The whole page, with the viewport as tall as the page, so that the sticky save bar
    sits at the bottom of the picture rather than across the middle of it."""
    height = int(page.evaluate("document.documentElement.scrollHeight"))
    page.set_viewport_size({"width": 1280, "height": height})
    save_screenshot(page, name)
    page.set_viewport_size({"width": 1280, "height": 900})


def sign_in(visit: Visit, username: str) -> None:
    visit.page.goto(visit.base + "login")
    visit.page.fill("#username", username)
    visit.page.fill("#password", PASSWORD)
    visit.page.click("button[type=submit]")
    visit.page.wait_for_url(re.compile(r"/edit/$"))


def sign_out(visit: Visit) -> None:
    visit.page.click("text=Sign out")
    visit.page.wait_for_url(re.compile(r"/login$"))


def test_a_days_work_from_draft_to_restored_revision(visit: Visit, live: tuple[str, Any]) -> None:
    _base, store = live
    page = visit.page
    sign_in(visit, "eve")
    page.click("nav >> text=New record")
    page.fill("#f-title", "Ferry crews detained at the lighthouse quay")
    page.fill("#f-date", "2026-03-02")
    page.select_option("#f-category", index=1)
    page.fill("#f-summary", "Port police held eleven ferry crew members for a night.")
    page.fill("[name='sources.0.url']", "https://example.org/quay-report")
    page.fill("[name='sources.0.title']", "Crews held at the quay")
    page.fill("[name='sources.0.publisher']", "Lighthouse Gazette")
    # A second timeline entry, through the page's "Add entry" button.
    page.fill("[name='timeline.0.date']", "2026-03-02")
    page.fill("[name='timeline.0.title']", "Detention")
    page.fill("[name='timeline.0.summary']", "Crews taken to the harbour station.")
    page.click("#rows-timeline [data-add-row]")
    page.fill("#rows-timeline li:last-child input[type=date]", "2026-03-03")
    page.fill("#rows-timeline li:last-child input[name$='.title']", "Release")
    page.fill(
        "#rows-timeline li:last-child textarea[name$='.summary']",
        "All eleven released without charge.",
    )
    page.fill("#f-body", "## Quayside account\n\nWitnesses saw **eleven** crew members led away.")
    page.wait_for_selector("#preview h2:has-text('Quayside account')")
    page.fill("#f-message", "First draft")
    screenshot(page, "editor-new-record")
    page.click("#save")
    page.wait_for_selector("#saved-notice")
    slug = "ferry-crews-detained-at-the-lighthouse-quay"
    stored = store.get(slug)
    assert stored.status is Status.draft
    # Nobody chose a legal classification, so none was made up.
    assert stored.record.war_crime_classification == ""
    assert [t.title for t in stored.record.timeline] == ["Detention", "Release"]
    assert page.text_content("#record-state") == "draft"
    screenshot(page, "editor-record")

    page.click("#submit-review")
    page.wait_for_selector("#record-state:has-text('review')")
    assert page.locator("#publish").count() == 0  # an editor cannot publish
    sign_out(visit)

    sign_in(visit, "rita")
    page.goto(visit.base + f"edit/{slug}/")
    page.click("#publish")  # refused: no classification chosen yet
    page.wait_for_selector("text=no legal classification has been chosen")
    assert store.get(slug).status is Status.review
    assert [e for e in visit.errors if "422" not in e] == []
    visit.errors.clear()  # the refusal's 422, as the browser logs it
    page.goto(visit.base + f"edit/{slug}/")
    page.select_option("#f-warCrimeClassification", "none")
    page.click("#save")
    page.wait_for_selector("#saved-notice")
    page.fill("#publish-log", "First published after checking the gazette report.")
    page.click("#publish")
    page.wait_for_selector("#record-state:has-text('published')")

    page.goto(visit.base + f"incident/{slug}/")
    assert "Ferry crews detained at the lighthouse quay" in page.inner_text("h1")
    page.goto(visit.base + "search/?q=lighthouse")
    page.wait_for_selector(f"a[href*='/incident/{slug}/']")

    page.goto(visit.base + f"edit/{slug}/")
    page.fill("#f-title", "Ferry crews detained overnight at the lighthouse quay")
    page.fill("#f-update_log", "Title now says the crews were held overnight.")
    page.fill("#f-message", "Overnight, per the second witness")
    page.click("#save")
    page.wait_for_selector("#saved-notice")
    assert store.get(slug).record.title.startswith("Ferry crews detained overnight")

    page.click("text=History")
    page.wait_for_selector("tr[data-path='title'] ins")
    assert "overnight" in page.inner_text("tr[data-path='title'] ins")
    assert "Overnight, per the second witness" in page.inner_text("#rev-5")
    screenshot(page, "editor-history")
    page.click("[data-restore='4']")
    page.wait_for_selector("#rev-6")
    restored = store.get(slug).record
    assert restored.title == "Ferry crews detained at the lighthouse quay"
    # A restore of a published record is a public change: logged, and the log kept whole.
    assert [e.summary for e in restored.update_log] == [
        "First published after checking the gazette report.",
        "Title now says the crews were held overnight.",
        "Updated the title.",
    ]
    page.goto(visit.base + f"incident/{slug}/")
    assert page.inner_text("h1") == "Ferry crews detained at the lighthouse quay"
    assert visit.errors == []


def test_hostile_payloads_never_run_in_the_editor(visit: Visit) -> None:
    page = visit.page
    sign_in(visit, "eve")
    for path in ("edit/", "edit/hostile/", "edit/hostile/history", "edit/hostile/history/1"):
        page.goto(visit.base + path)
        page.wait_for_load_state("load")
        assert visit.xss() == "undefined", path
    page.goto(visit.base + "edit/hostile/")
    # The live preview renders the hostile body too: through the sanitizer, it runs nothing.
    page.fill("#f-body", hostile_record().body + "\n\n<img src=x onerror=window.__xss=10>")
    page.wait_for_selector("#preview h1")
    page.wait_for_timeout(300)
    assert visit.xss() == "undefined"
    assert page.locator("#preview script, #preview [onerror], #preview iframe").count() == 0
    assert [e for e in visit.errors if "Content Security Policy" in e] == []


def test_the_editor_works_without_its_script(chromium: Any, live: tuple[str, Any]) -> None:
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    visit = Visit(page=page, base=live[0])
    sign_in(visit, "eve")
    page.goto(visit.base + "edit/new")
    page.fill("#f-title", "Harbour pilots suspended without a hearing")
    page.fill("#f-date", "2026-04-01")
    page.fill("[name='sources.0.url']", "https://example.org/pilots")
    page.fill("[name='sources.0.title']", "Pilots suspended")
    page.fill("[name='sources.0.publisher']", "Bay Herald")
    page.click("#save")
    page.wait_for_selector("#saved-notice")
    assert live[1].get("harbour-pilots-suspended-without-a-hearing").record.sources[
        0
    ].publisher == ("Bay Herald")
    context.close()


def test_two_editors_saving_the_same_record_see_a_conflict(
    chromium: Any, live: tuple[str, Any]
) -> None:
    base, store = live
    store.create(
        make_record("quay-fire", title="Fire at the quay warehouses"),
        author="seed",
        message="seed",
    )
    pages = []
    for username in ("eve", "rita"):
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        visit = Visit(page=context.new_page(), base=base)
        sign_in(visit, username)
        visit.page.goto(base + "edit/quay-fire/")
        pages.append((context, visit.page))
    (_, eve), (_, rita) = pages
    eve.fill("#f-summary", "Eve: the fire started in the north shed.")
    eve.click("#save")
    eve.wait_for_selector("#saved-notice")
    rita.fill("#f-summary", "Rita: the fire started in the south shed.")
    rita.click("#save")
    rita.wait_for_selector("#conflict")
    text = rita.inner_text("#conflict")
    assert "eve" in text and "north shed" in text and "south shed" in text
    assert store.get("quay-fire").record.summary.startswith("Eve:")  # nothing overwritten
    screenshot(rita, "editor-conflict")
    for context, _page in pages:
        context.close()


def test_an_editor_cites_sources_for_key_points_and_the_page_shows_footnotes(
    visit: Visit, live: tuple[str, Any]
) -> None:
    """Tick a source for a key point, add a key point with the page's button and cite it with
    its sentence, save; publish; the public page shows [N] markers that lead to the source."""
    _base, store = live
    store.create(
        make_record(
            "quay-closure",
            keyPoints=["No warning was given"],
            sources=[
                {"url": "https://example.org/harbour", "title": "Pier shut", "publisher": "Post"},
                {"url": "https://radio.example.net/q", "title": "Crews speak", "publisher": "R"},
            ],
        ),
        author="seed",
        message="seed",
        status=Status.draft,
    )
    page = visit.page
    sign_in(visit, "rita")
    page.goto(visit.base + "edit/quay-closure/")
    # Checkboxes are labelled: tick by the label's text, as a person (or a screen reader) does.
    page.locator("#rows-keyPoints li").first.get_by_label("[2] Crews speak").check()
    page.click("#rows-keyPoints [data-add-row]")
    row = page.locator("#rows-keyPoints li").last
    row.get_by_label("Key point").fill("Nets were cut overnight")
    row.get_by_label("[1] Pier shut").check()
    row.get_by_label("Supporting sentence").fill("Their nets were cut, a skipper said.")
    page.fill("#f-message", "Cite the sources")
    page.click("#save")
    page.wait_for_selector("#saved-notice")
    record = store.get("quay-closure").record
    assert record.key_points[-1] == "Nets were cut overnight"
    assert [(c.claim, c.sources, c.sentence) for c in record.provenance] == [
        ("keyPoints/0", ["https://radio.example.net/q"], None),
        (
            f"keyPoints/{len(record.key_points) - 1}",
            ["https://example.org/harbour"],
            "Their nets were cut, a skipper said.",
        ),
    ]
    page.click("#publish")
    page.wait_for_selector("#record-state:has-text('published')")
    page.goto(visit.base + "incident/quay-closure/")
    marker = page.locator("#key-points li").first.locator("sup.cites a")
    assert marker.inner_text() == "[2]"
    marker.click()
    page.wait_for_url(re.compile(r"#source-2$"))
    assert "Crews speak" in page.inner_text("#source-2")
    last = page.locator("#key-points li").last
    assert last.locator("sup.cites a").get_attribute("title") == (
        "Their nets were cut, a skipper said."
    )
    assert visit.errors == []
