"""/edit/links, on each engine: the latest link report for signed-in users, grouped by kind
with the records citing each URL; a button (an editor's, CSRF-protected) that queues a fresh
check for the worker; the sign-in page for anyone else, and nothing of it on the public site."""

from __future__ import annotations

import html
from collections.abc import Iterator

import pytest

from casework.evidence.links import check_store
from casework.model import Status
from tests.evidence.linkserver import LinkServer, link_server
from tests.web.editing import Team


@pytest.fixture
def server() -> Iterator[LinkServer]:
    with link_server() as running:
        yield running


@pytest.fixture
def checked(team: Team, server: LinkServer) -> LinkServer:
    """A published and a draft record citing pages of the server, checked once."""

    def source(path: str) -> dict[str, str]:
        return {"url": server.url(path), "title": "Report", "publisher": "Courier"}

    team.record("water-point", Status.published, sources=[source("/dies"), source("/retracted")])
    team.record("clinic-cases", Status.draft, sources=[source("/old-home")])
    captures = {server.url("/retracted"): server.capture(server.url("/retracted"))}
    server.edition = 2
    check_store(team.store, captures.get, server.settings(), origin="test")
    return server


def test_an_editor_sees_the_findings_grouped_by_kind(team: Team, checked: LinkServer) -> None:
    before = {s.record.slug: s.revision for s in team.store.iter_records()}
    page = team.client("eve").get("/edit/links")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    text = page.text
    assert 'id="kind-dead"' in text and 'id="kind-drifted"' in text and 'id="kind-moved"' in text
    assert 'id="kind-ok"' not in text  # no empty groups
    dead = text[text.index('id="kind-dead"') : text.index('id="kind-moved"')]
    assert html.escape(checked.url("/dies")) in dead and "HTTP 404" in dead
    assert 'href="/edit/water-point/"' in dead and "sources.0.url" in dead
    moved = text[text.index('id="kind-moved"') : text.index('id="kind-drifted"')]
    assert checked.url("/archive/water-point", host="wire.test") in moved
    assert 'href="/edit/clinic-cases/"' in moved  # a draft's links are checked too
    drifted = text[text.index('id="kind-drifted"') :]
    assert "0.85" in drifted  # the similarity to the capture
    assert "3 URLs in 2 records" in text
    assert {s.record.slug: s.revision for s in team.store.iter_records()} == before


def test_the_button_queues_a_fresh_check(team: Team) -> None:
    eve = team.client("eve")
    page = eve.get("/edit/links")
    assert 'id="links-none"' in page.text and "Check every link again" in page.text
    assert eve.post("/edit/links", {"csrf": "forged"}).status_code == 403
    assert team.store.jobs.latest("links") is None
    done = eve.post("/edit/links", {"csrf": eve.csrf("/edit/links")})
    assert done.status_code == 303 and done.headers["location"] == "/edit/links"
    job = team.store.jobs.latest("links")
    assert (
        job is not None and job.status == "queued" and job.payload == {"slugs": [], "fresh": True}
    )
    assert f"is queued (job {job.id})" in eve.get("/edit/links").text


def test_a_viewer_reads_the_report_but_may_not_queue(team: Team) -> None:
    vic = team.client("vic")
    page = vic.get("/edit/links")
    assert page.status_code == 200 and "Check every link again" not in page.text
    refused = vic.post("/edit/links", {"csrf": vic.csrf("/edit/links")})
    assert refused.status_code == 403 and team.store.jobs.latest("links") is None


def test_anonymous_callers_get_the_sign_in_page_and_the_public_site_nothing(
    team: Team, checked: LinkServer
) -> None:
    anonymous = team.client()
    page = anonymous.get("/edit/links")
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    posted = anonymous.post("/edit/links", {"csrf": ""})
    assert posted.status_code == 401 and team.store.jobs.latest("links") is None
    for path in ("/links", "/edit/links/", "/incident/water-point/"):
        answer = anonymous.get(path)  # the public site, and the editor's other addresses
        assert "Link health" not in answer.text and "kind-dead" not in answer.text
