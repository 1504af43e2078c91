"""The live /search/ page: stemmed matches with highlighted snippets in the listings' card,
facet counts and pages of results; and "N unpublished records also match", which only a
signed-in editor ever sees, on a page never cached, while the public's answer stays the same
bytes whether drafts match or not."""

from __future__ import annotations

import re

from casework.model import Status
from tests.store.factories import make_record
from tests.web.editing import Team


def _published(team: Team, count: int, **fields: str) -> None:
    team.store.import_records(
        [
            make_record(f"mine-{i:02d}", date=f"2020-01-{1 + i % 28:02d}", **fields)
            for i in range(count)
        ],
        author="t",
        message="",
        status=Status.published,
    )


def test_the_page_shows_snippets_facets_and_pages(team: Team) -> None:
    _published(team, 55, summary="A landmine killed two children near the road.")
    team.record("mine-field", Status.published, title="Mine field", summary="O'Neil's landmines.")
    public = team.client()
    page = public.get("/search/", params={"q": "landmines"}).text
    assert "56 records match \u201clandmines\u201d; showing 1–50." in page
    # The listing's card, with the snippet in place of the summary, every form marked.
    assert page.count('<li class="card">') == 50
    assert '<p class="snippet">' in page and "<mark>landmine</mark>" in page
    assert "O&#x27;Neil&#x27;s <mark>landmines</mark>" in page
    facets = page[page.index('id="search-facets"') : page.index('id="search-results"')]
    assert re.search(r">[^<]+</a> \(56\)", facets)  # every record in its category
    second = public.get("/search/", params={"q": "landmines", "page": "2"}).text
    assert second.count('<li class="card">') == 6 and "showing 51–56" in second
    assert 'rel="prev" href="?q=landmines&amp;page=1"' in second


def test_drafts_also_match_only_for_a_signed_in_editor(team: Team) -> None:
    team.record("harbour-mines", Status.published, title="Harbour mines", summary="Sea mines.")
    public = team.client()
    before = public.get("/search/", params={"q": "mines"})
    team.record("draft-mines", Status.draft, title="Draft mines", summary="More mines.")
    team.record("review-mines", Status.review, title="Mines in review", summary="Mines.")
    after = public.get("/search/", params={"q": "mines"})
    # The public's answer: the same bytes, status and headers, drafts or none.
    assert after.status_code == before.status_code == 200
    assert after.content == before.content
    assert after.headers.get("etag") == before.headers.get("etag")
    assert "also match" not in after.text and "Draft mines" not in after.text
    # A forged session cookie is nobody.
    public.http.cookies.set("casework_session", "forged")
    assert public.get("/search/", params={"q": "mines"}).content == before.content
    # An editor sees the count, on a page no cache keeps; a viewer (who writes nothing) not.
    editor = team.client("eve")
    seen = editor.get("/search/", params={"q": "mines"})
    assert "2 unpublished records (drafts or in review) also match" in seen.text
    assert seen.headers["cache-control"] == "private, no-store"
    assert "Draft mines" not in seen.text  # a count, never the drafts themselves
    viewer = team.client("vic")
    assert "also match" not in viewer.get("/search/", params={"q": "mines"}).text
