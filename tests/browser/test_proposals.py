"""A reviewer resolves an ambiguous proposal in Debian's chromium against the live app on a real
server: the article (served on 127.0.0.1, then rewritten by its site) matched two records
equally; the reviewer picks one in the radio list, sees the items made again for it, checks
the article's source and applies it, and lands on the record's history with one revision
more. The same form with its script refused still works (it is a plain form)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher

from casework.ingest.pipeline import load_proposal
from casework.model import Site
from casework.store import open_store
from casework.store.accounts import Role
from casework.web.app import create_app
from tests.browser.conftest import CHROMIUM, Visit, _unavailable, launched, serving
from tests.fixtures import review

PASSWORD = "a long password for the reviewers"
SITE = Site(title="Orrin Water Watch", url="https://example.org")


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[str, Any, str, str]]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    store = open_store(f"sqlite:///{tmp_path / 'tracker.db'}")
    store.accounts.hasher = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1)
    store.accounts.add_user("rita", PASSWORD, Role.reviewer, "Rita Reviewer")
    review.seed(store)
    with review.served_article() as (url, page):
        proposal = review.ingest_served(store, SITE, tmp_path, url)
        page["body"] = b"# Nothing\n\nThis page was rewritten after it was read.\n"
    assert proposal.target is None and proposal.match["ambiguous"]
    try:
        with serving(create_app(store, SITE, tmp_path)) as base:
            yield base, store, proposal.id, proposal.source["url"]
    finally:
        store.close()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with launched() as browser:
        yield browser


def choose_and_apply(visit: Visit, proposal: str) -> None:
    page = visit.page
    page.goto(visit.base + "login")
    page.fill("#username", "rita")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/edit/$"))
    visit.open(f"/edit/proposals/{proposal}")
    # Both look-alike records are offered, with "a new draft"; nothing is chosen for her.
    radios = page.locator('#choose-form input[name="target"]')
    values = {radios.nth(i).get_attribute("value") for i in range(radios.count())}
    assert {review.BRANNOCK, review.CARROW} <= values and len(values) == 3
    page.check(f'#choose-form input[name="target"][value="{review.BRANNOCK}"]')
    page.click("#choose")
    page.wait_for_selector("#made-again")
    assert "the record states 3 killed" in page.content()
    source = page.locator(
        'label:has(strong:text-matches("^\\\\d+\\\\. source")) input[name="accept"]'
    )
    assert source.count() == 1
    source.first.check()
    page.click("#apply")
    page.wait_for_url(re.compile(rf"/edit/{review.BRANNOCK}/history$"))


@pytest.mark.parametrize("script", [True, False], ids=["with-script", "without-script"])
def test_a_reviewer_chooses_the_record_in_the_browser_and_applies_the_source(
    chromium: Any, live: tuple[str, Any, str, str], script: bool
) -> None:
    base, store, proposal, article = live
    before = store.get(review.BRANNOCK).revision
    untouched = store.get(review.CARROW).revision
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=script
    )
    context.set_default_timeout(10_000)
    visit = Visit(page=context.new_page(), base=base)
    visit.page.on("console", lambda m: visit.console(m.type, m.text, m.location.get("url", "")))
    visit.page.on("pageerror", lambda e: visit.errors.append(f"pageerror: {e}"))
    try:
        choose_and_apply(visit, proposal)
        assert visit.errors == []
    finally:
        context.close()
    after = store.get(review.BRANNOCK)
    assert after.revision == before + 1
    assert article in {s.url for s in after.record.sources}
    assert store.get(review.CARROW).revision == untouched
    kept = load_proposal(store, proposal)
    assert kept.status == "applied" and kept.target == review.BRANNOCK
    assert kept.decided_by == "rita"
