"""Proposals from ingested articles in the editor: listed, shown item by item with their
sentences, applied with the checked items only (by a role that may change the record), and
an article read from a URL refused when it points at this machine."""

from __future__ import annotations

from pathlib import Path

import pytest

from casework.editing import Actor, Editing
from casework.ingest.pipeline import ingest, load_proposal
from casework.model import Status
from casework.transfer import import_path
from casework.web.app import create_app
from tests.web.editing import SITE, Team

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
