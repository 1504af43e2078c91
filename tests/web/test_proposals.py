"""Proposals from ingested articles in the editor: listed, shown item by item with their
sentences, applied with the checked items only (by a role that may change the record), and
an article read from a URL refused when it points at this machine."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest

from casework.editing import Actor, Editing
from casework.ingest.pipeline import ingest, load_proposal
from casework.ingest.propose import Proposal
from casework.model import Status
from casework.model.record import TimelineEntry
from casework.model.roles import Role
from casework.transfer import import_path
from casework.web.app import create_app
from casework.web.proposals import NEW_DRAFT
from tests.fixtures import review
from tests.serving import serving
from tests.web.editing import SITE, Browser, Team

GOLD = Path(__file__).resolve().parents[1] / "fixtures" / "articles"
ARTICLE = GOLD / "reliefwire-kell-convoys.md"
SLUG = "haldren-aid-convoys-blocked"


@pytest.fixture
def folder(team: Team, tmp_path: Path) -> Path:
    editing = Editing(team.store, SITE)
    import_path(
        editing, GOLD / "records.ndjson", actor=Actor.operator("seed"), status=Status.published
    )
    team.app = create_app(team.store, SITE, tmp_path)
    return tmp_path


def test_an_editor_applies_only_the_items_checked(team: Team, folder: Path) -> None:
    proposal = ingest(str(ARTICLE), team.store, SITE, folder, url="https://example.org/kell")
    assert proposal.target == SLUG
    eve = team.client("eve")
    listing = eve.get("/edit/proposals")
    assert listing.status_code == 200 and proposal.id in listing.text
    page = eve.get(f"/edit/proposals/{proposal.id}")
    assert page.status_code == 200
    sentence = next(i.sentence for i in proposal.items if i.sentence)
    assert sentence[:40].replace("'", "&#39;").replace('"', "&#34;") in page.text
    before = team.store.get(SLUG)
    # The gold record is published: only a reviewer may change it.
    token = eve.csrf()
    source = next(i.id for i in proposal.items if i.kind == "source")
    refused = eve.post(f"/edit/proposals/{proposal.id}", {"csrf": token, "accept": str(source)})
    assert refused.status_code == 403 and team.store.get(SLUG).revision == before.revision
    rita = team.client("rita")
    applied = rita.post(
        f"/edit/proposals/{proposal.id}", {"csrf": rita.csrf(), "accept": str(source)}
    )
    assert applied.status_code == 303
    after = team.store.get(SLUG)
    assert after.revision == before.revision + 1 and after.status is Status.published
    assert "https://example.org/kell" in {s.url for s in after.record.sources}
    assert len(after.record.timeline) == len(before.record.timeline)  # not checked: not added
    assert load_proposal(team.store, proposal.id).status == "applied"
    again = rita.post(f"/edit/proposals/{proposal.id}", {"csrf": rita.csrf(), "accept": "1"})
    assert again.status_code == 409


def test_reading_a_url_that_points_at_this_machine_is_refused(team: Team, folder: Path) -> None:
    eve = team.client("eve")
    response = eve.post(
        "/edit/proposals", {"csrf": eve.csrf(), "url": "http://127.0.0.1:8000/admin"}
    )
    assert response.status_code == 400 and 'id="ingest-error"' in response.text
    assert team.store.proposals.list(None) == []
    viewer = team.client("vic")  # a viewer reads proposals but does not ingest
    refused = viewer.post("/edit/proposals", {"csrf": viewer.csrf(), "url": "https://x.org"})
    assert refused.status_code == 403


def test_the_article_box_never_reads_a_file_on_the_server(team: Team, folder: Path) -> None:
    """Anything but an http(s) address is refused before it is looked at: the tracker's own
    files (the demo's passwords, its database), system files, file: URLs, a FIFO that would
    hang a thread for good."""
    import os

    (folder / "demo-accounts.txt").write_text("admin\tadmin\tsecret-password-123\n", "utf-8")
    fifo = folder / "pipe"
    os.mkfifo(fifo)
    eve = team.client("eve")
    for typed in (
        "demo-accounts.txt",
        str(folder / "demo-accounts.txt"),
        str(folder / "tracker.db"),
        "/etc/passwd",
        f"file://{folder}/demo-accounts.txt",
        str(fifo),
        "ftp://example.org/article",
        "https:///no-host",
    ):
        response = eve.post("/edit/proposals", {"csrf": eve.csrf(), "url": typed})
        assert response.status_code == 400, typed
        assert "only web addresses" in response.text, typed
        assert "secret-password-123" not in response.text and "root:" not in response.text
    assert team.store.proposals.list(None) == []


def test_a_proposal_address_that_is_no_proposal_is_a_plain_404(team: Team, folder: Path) -> None:
    eve = team.client("eve")
    for wanted in ("20260101-000000-abcdef", "x" * 5000, "..%2F..%2Fetc%2Fpasswd", "1-2"):
        page = eve.get(f"/edit/proposals/{wanted}")
        assert page.status_code == 404, wanted
        assert str(folder) not in page.text  # the server's paths are its own business


def test_a_server_without_its_folder_still_lists_and_applies_the_stores_proposals(
    team: Team, tmp_path: Path
) -> None:
    """Proposals are the store's: a web app started without the tracker's folder (another
    machine's) shows and applies what a worker elsewhere proposed; only reading an article,
    which archives it in the folder, waits for the command line."""
    editing = Editing(team.store, SITE)
    import_path(
        editing, GOLD / "records.ndjson", actor=Actor.operator("seed"), status=Status.published
    )
    proposal = ingest(str(ARTICLE), team.store, SITE, tmp_path, url="https://example.org/kell")
    team.app = create_app(team.store, SITE)
    rita = team.client("rita")
    assert proposal.id in rita.get("/edit/proposals").text
    refused = rita.post("/edit/proposals", {"csrf": rita.csrf(), "url": "https://x.org/a"})
    assert refused.status_code == 400 and "without its tracker folder" in refused.text
    source = next(i.id for i in proposal.items if i.kind == "source")
    applied = rita.post(
        f"/edit/proposals/{proposal.id}", {"csrf": rita.csrf(), "accept": str(source)}
    )
    assert applied.status_code == 303
    assert load_proposal(team.store, proposal.id).decided_by == "rita"


# --- choosing the record of an ambiguous proposal (issue 15), over real sockets -------------
DIGEST = re.compile(r'name="digest" value="([0-9a-f]{64})"')


@contextmanager
def browsers(team: Team) -> Iterator[Callable[[str | None], Browser]]:
    """Browsers of the editor served by uvicorn on a real socket (tests/serving.py)."""
    with serving(team.app) as base, ExitStack() as clients:

        def browser(username: str | None) -> Browser:
            http = clients.enter_context(httpx.Client(base_url=base, follow_redirects=False))
            made = Browser(http)  # type: ignore[arg-type]  # httpx's Client, as TestClient is
            if username is not None:
                made.sign_in(username)
            return made

        yield browser


@pytest.fixture
def orrin(team: Team, tmp_path: Path) -> Iterator[Proposal]:
    """The Orrin article fetched from a real server and archived in the tracker's folder,
    ambiguous between its two records; the site then rewrites the article, so that only the
    archive holds what was read."""
    review.seed(team.store)
    team.app = create_app(team.store, SITE, tmp_path)
    with review.served_article() as (url, page):
        made = review.ingest_served(team.store, SITE, tmp_path, url)
        page["body"] = b"# Nothing\n\nThis page was rewritten after it was read.\n"
    assert made.target is None and made.match["ambiguous"]
    assert made.source["archived"].startswith("archive/")
    assert review.DRAFT not in {c["slug"] for c in made.candidates}
    yield made


def test_a_reviewer_chooses_the_record_and_applies_what_it_lacks(
    team: Team, orrin: Proposal
) -> None:
    page_of = f"/edit/proposals/{orrin.id}"
    with browsers(team) as browser:
        rita = browser("rita")
        listing = rita.get("/edit/proposals")
        assert f"to choose: {review.BRANNOCK}, {review.CARROW}" in listing.text
        page = rita.get(page_of)
        assert page.status_code == 200 and 'id="choose-form"' in page.text
        for value in (review.BRANNOCK, review.CARROW, NEW_DRAFT):
            assert f'name="target" value="{value}"' in page.text
        assert "Shelling cuts water at the Brannock pumping station" in page.text
        assert "(0.43" in page.text  # the candidates' scores
        before = team.store.get(review.BRANNOCK)
        chosen = rita.post(
            page_of, {"csrf": rita.csrf(), "step": "choose", "target": review.BRANNOCK}
        )
        assert chosen.status_code == 200 and 'id="made-again"' in chosen.text
        # Made against the chosen record: its tag is not proposed again, and the article's
        # 4 killed is flagged against the record's 3.
        assert "the record states 3 killed" in chosen.text
        assert 'value="water"' not in chosen.text and "<dd>water</dd>" not in chosen.text
        assert team.store.get(review.BRANNOCK).revision == before.revision  # nothing written
        digest = DIGEST.search(chosen.text)
        assert digest
        source = re.search(r'name="accept" value="(\d+)"[^>]*>\s*<strong>\d+\. source', chosen.text)
        assert source
        applied = rita.post(
            page_of,
            [
                ("csrf", rita.csrf()), ("step", "apply"), ("target", review.BRANNOCK),
                ("digest", digest.group(1)), ("accept", source.group(1)),
            ],
        )  # fmt: skip
        assert applied.status_code == 303, applied.text
        assert applied.headers["location"] == f"/edit/{review.BRANNOCK}/history"
    after = team.store.get(review.BRANNOCK)
    assert after.revision == before.revision + 1
    assert orrin.source["url"] in {s.url for s in after.record.sources}
    kept = load_proposal(team.store, orrin.id)
    assert kept.status == "applied" and kept.target == review.BRANNOCK
    assert kept.decided_by == "rita" and kept.match["chosen"] == review.BRANNOCK


def test_an_edit_since_the_page_was_read_is_kept_and_the_items_shown_again(
    team: Team, orrin: Proposal
) -> None:
    page_of = f"/edit/proposals/{orrin.id}"
    with browsers(team) as browser:
        rita = browser("rita")
        chosen = rita.post(
            page_of, {"csrf": rita.csrf(), "step": "choose", "target": review.CARROW}
        )
        digest = DIGEST.search(chosen.text)
        assert chosen.status_code == 200 and digest
        # Meanwhile an editor of the record adds a timeline entry on the article's date.
        current = team.store.get(review.CARROW)
        entry = {"date": "2025-10-03", "title": "Crew turned back", "summary": "Shots fired."}
        record = current.record.model_copy(
            update={"timeline": [*current.record.timeline, TimelineEntry.model_validate(entry)]}
        )
        Editing(team.store, SITE).save(
            Actor("ada", Role.admin), record, base_revision=current.revision
        )
        every = re.findall(r'name="accept" value="(\d+)"', chosen.text)
        stale = rita.post(
            page_of,
            [("csrf", rita.csrf()), ("step", "apply"), ("target", review.CARROW),
             ("digest", digest.group(1)), *(("accept", n) for n in every)],
        )  # fmt: skip
        assert stale.status_code == 409 and 'id="proposal-notice"' in stale.text
        now = team.store.get(review.CARROW)
        assert now.revision == current.revision + 1  # the editor's, and nothing else
        assert load_proposal(team.store, orrin.id).status == "open"
        # Shown again as made for the record now: the entry it has is no longer proposed.
        crew = "turned back from the Carrow station"
        assert crew in chosen.text and crew not in stale.text
        fresh = DIGEST.search(stale.text)
        assert fresh and fresh.group(1) != digest.group(1)
        every = re.findall(r'name="accept" value="(\d+)"', stale.text)
        applied = rita.post(
            page_of,
            [("csrf", rita.csrf()), ("step", "apply"), ("target", review.CARROW),
             ("digest", fresh.group(1)), *(("accept", n) for n in every)],
        )  # fmt: skip
        assert applied.status_code == 303
    final = team.store.get(review.CARROW)
    assert final.revision == now.revision + 1
    assert [e.title for e in final.record.timeline].count("Crew turned back") == 1
    assert load_proposal(team.store, orrin.id).status == "applied"


def test_who_may_choose_and_what(team: Team, orrin: Proposal) -> None:
    page_of = f"/edit/proposals/{orrin.id}"
    with browsers(team) as browser:
        # Signed out: refused before the proposal is looked up (the same for none at all).
        nobody = browser(None)
        for where in (page_of, "/edit/proposals/20260101-000000-abcdef"):
            answer = nobody.post(where, {"step": "choose", "target": review.BRANNOCK})
            assert answer.status_code in (401, 403), where
            assert review.BRANNOCK not in answer.text
        rita = browser("rita")
        # No CSRF token: refused.
        forged = rita.post(page_of, {"step": "choose", "target": review.BRANNOCK})
        assert forged.status_code == 403 and "Form expired" in forged.text
        # A viewer reads the choices but may not choose.
        vic = browser("vic")
        assert (
            'name="target"' in vic.get(page_of).text and 'id="choose"' not in vic.get(page_of).text
        )
        refused = vic.post(page_of, {"csrf": vic.csrf(), "step": "choose", "target": NEW_DRAFT})
        assert refused.status_code == 403
        # An editor may choose a new draft, not a published candidate (only a reviewer edits
        # it), and not a record outside the candidates, even a draft the editor could edit.
        eve = browser("eve")
        draft = eve.post(page_of, {"csrf": eve.csrf(), "step": "choose", "target": NEW_DRAFT})
        assert draft.status_code == 200 and "a new draft record: the reviewer chose" in draft.text
        for slug in (review.BRANNOCK, review.DRAFT, review.ELSEWHERE):
            answer = eve.post(page_of, {"csrf": eve.csrf(), "step": "choose", "target": slug})
            assert answer.status_code == 403, slug
        assert "outside a proposal&#39;s candidates" in answer.text  # the last: no candidate
        # A reviewer may choose any record (Act.choose_any); one there is none of is a 404.
        other = rita.post(page_of, {"csrf": rita.csrf(), "step": "choose", "target": review.DRAFT})
        assert other.status_code == 200 and 'id="made-again"' in other.text
        missing = rita.post(page_of, {"csrf": rita.csrf(), "step": "choose", "target": "no-such"})
        assert missing.status_code == 404
    assert load_proposal(team.store, orrin.id).status == "open"
    assert team.store.proposals.counts()["open"] == 1


def test_an_archive_gone_is_said_without_the_servers_paths(
    team: Team, orrin: Proposal, tmp_path: Path
) -> None:
    archived = tmp_path / orrin.source["archived"]
    archived.chmod(0o644)
    archived.write_bytes(b"not a WARC file")
    with browsers(team) as browser:
        rita = browser("rita")
        answer = rita.post(
            f"/edit/proposals/{orrin.id}",
            {"csrf": rita.csrf(), "step": "choose", "target": review.BRANNOCK},
        )
    assert answer.status_code == 409 and "no longer kept as it was read" in answer.text
    assert str(tmp_path) not in answer.text and "archive/" not in answer.text
    assert load_proposal(team.store, orrin.id).status == "open"
