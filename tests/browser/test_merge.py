"""Merging a duplicate from the editor, in Debian's chromium against the live app on a real
server: a reviewer opens the record kept, names the duplicate, reads what the merge would add,
confirms, and is back on the kept record's page with the duplicate's source; the duplicate's
old public address leads readers to the record kept. A screenshot of the confirmation page
lands in build-screenshots/."""

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
from tests.store.factories import make_record

PASSWORD = "a long password for the merging team"
SOURCE = {"url": "https://example.net/blaze", "title": "Quay on fire", "publisher": "Bay Radio"}


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    root = tmp_path_factory.mktemp("merge")
    init_tracker(root / "tracker", Site(title="Harbour Watch", url="https://example.org"))
    with open_tracker(root / "tracker") as tracker:
        store = tracker.store
        store.accounts.add_user("rita", PASSWORD, Role.reviewer, "Rita Reviewer")
        store.create(make_record("quay-fire", title="Fire at the quay"), author="eve",
                     message="seed", status=Status.published)  # fmt: skip
        store.create(make_record("quay-blaze", title="Quay blaze", sources=[SOURCE]),
                     author="eve", message="seed", status=Status.published)  # fmt: skip
        with serving(create_app(store, tracker.site, warm=False)) as url:
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


def test_a_reviewer_merges_a_duplicate_from_the_record_kept(
    visit: Visit, live: tuple[str, Any]
) -> None:
    _base, store = live
    page = visit.page
    sign_in(visit, "rita")
    page.goto(visit.base + "edit/quay-fire/")
    page.fill("#merge-duplicate", "quay-blaze")
    page.click("#merge")
    page.wait_for_selector("#merge-plan")
    assert "Nothing has changed yet" in page.inner_text("#merge-plan")
    assert "sources" in page.inner_text("#merge-added")
    assert SOURCE["url"] in page.content()
    save_screenshot(page, "editor-merge")
    assert store.exists("quay-blaze") and store.get("quay-fire").revision == 1  # not yet
    page.fill("#merge-message", "The same fire, reported twice")
    page.click("#confirm-merge")
    page.wait_for_url(re.compile(r"/edit/quay-fire/$"))
    assert page.inner_text("h1") == "Fire at the quay"
    urls = page.locator('input[name^="sources."][name$=".url"]')
    assert SOURCE["url"] in urls.evaluate_all("els => els.map(e => e.value)")
    assert not store.exists("quay-blaze")
    # The duplicate's old public address leads readers to the record kept, with its source.
    page.goto(visit.base + "incident/quay-blaze/")
    page.wait_for_url(re.compile(r"/incident/quay-fire/$"))
    assert page.inner_text("h1") == "Fire at the quay"
    assert SOURCE["title"] in page.inner_text("body")
