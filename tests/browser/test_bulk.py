"""The bulk editor in Debian's chromium against the live app on a real server: an editor
finds records by a word, unticks one, tags the rest after reviewing the change, and leaves an
internal note on one of them; a reviewer sends a record in review back with a comment that
the editor then reads on its page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from casework.model import Site, Status
from casework.store.accounts import Role
from casework.tracker import init_tracker, open_tracker
from casework.web.app import create_app
from tests.browser.conftest import CHROMIUM, Visit, _unavailable, launched, serving
from tests.store.factories import make_record

PASSWORD = "a long password for the bulk team"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    root = tmp_path_factory.mktemp("bulk")
    init_tracker(root / "tracker", Site(title="Harbour Watch", url="https://example.org"))
    with open_tracker(root / "tracker") as tracker:
        store = tracker.store
        store.accounts.add_user("eve", PASSWORD, Role.editor, "Eve Editor")
        store.accounts.add_user("rita", PASSWORD, Role.reviewer, "Rita Reviewer")
        for slug, summary in [
            ("lighthouse-crews", "Ferry crews held at the lighthouse quay overnight."),
            ("lighthouse-curfew", "A curfew around the lighthouse, two weeks long."),
            ("lighthouse-fire", "The lighthouse keeper's store burnt; cause unknown."),
            ("inland-road", "A road closed inland after the protest."),
        ]:
            store.create(make_record(slug, summary=summary), author="eve", message="seed")
        with serving(create_app(store, tracker.site)) as url:
            yield url, store


@pytest.fixture
def visit(live: tuple[str, Any]) -> Iterator[Visit]:
    with launched() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        page = context.new_page()
        visit = Visit(page=page, base=live[0])
        page.on("pageerror", lambda e: visit.errors.append(f"pageerror: {e}"))
        yield visit
    assert not visit.errors, visit.errors


def sign_in(visit: Visit, username: str) -> None:
    visit.page.goto(visit.base + "login")
    visit.page.fill("#username", username)
    visit.page.fill("#password", PASSWORD)
    visit.page.click("button[type=submit]")
    visit.page.wait_for_url(re.compile(r"/edit/$"))


def test_an_editor_tags_the_records_found_after_reviewing_the_change(
    visit: Visit, live: tuple[str, Any]
) -> None:
    _base, store = live
    page = visit.page
    sign_in(visit, "eve")
    page.click("text=Bulk changes")
    page.fill("#q", "lighthouse")
    page.click("#find")
    page.wait_for_selector("#found")
    picks = page.locator("#bulk-form input[name=slug]")
    assert sorted(picks.evaluate_all("els => els.map(e => e.value)")) == [
        "lighthouse-crews", "lighthouse-curfew", "lighthouse-fire",
    ]  # fmt: skip
    page.uncheck("input[name=slug][value=lighthouse-fire]")
    page.select_option("#kind", "add-tag")
    page.fill("#value", "night-detention")
    page.click("#review-change")
    page.wait_for_selector("#bulk-plan")
    assert page.locator("#bulk-outcomes tbody tr").count() == 2
    assert "night-detention" not in store.get("lighthouse-crews").record.tags  # not yet
    page.click("#confirm-change")
    page.wait_for_selector("#bulk-done")
    assert "2 changed" in page.inner_text("#bulk-done")
    for slug in ("lighthouse-crews", "lighthouse-curfew"):
        assert store.get(slug).record.tags[-1] == "night-detention"
    assert "night-detention" not in store.get("lighthouse-fire").record.tags
    # An internal note, from the record's page.
    page.click("#bulk-outcomes >> text=lighthouse-crews")
    page.fill("#note-text", "Two of the crew asked us not to name the ferry.")
    page.click("#add-note")
    page.wait_for_selector("#notes-list")
    assert "not to name the ferry" in page.inner_text("#notes-list")


def test_a_reviewer_sends_a_record_back_and_the_editor_reads_why(
    visit: Visit, live: tuple[str, Any]
) -> None:
    _base, store = live
    store.set_status("inland-road", Status.review, base_revision=1, author="eve", message="r")
    page = visit.page
    sign_in(visit, "rita")
    page.goto(visit.base + "edit/inland-road/")
    assert page.get_attribute("#withdraw-comment", "required") is not None
    page.fill("#withdraw-comment", "Which road? Name it from the second source.")
    page.click("#return-to-draft")
    page.wait_for_selector("#record-state:has-text('draft')")
    page.click("text=Sign out")
    sign_in(visit, "eve")
    page.goto(visit.base + "edit/inland-road/")
    assert "Name it from the second source." in page.inner_text("#sent-back")
