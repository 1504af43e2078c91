"""The editor's record page: the Rename form (web/editor.py `rename_record`). Who may use it
is tests/web/test_matrix.py's; this is what it does and what it answers when refused."""

from __future__ import annotations

from casework.model import Status
from tests.web.editing import Team


def test_an_editor_renames_a_draft_from_its_page(team: Team) -> None:
    team.record("ferry-stp", Status.draft)
    team.record("quay-fire", Status.draft)
    ed = team.client("ed")
    page = ed.get("/edit/ferry-stp/").text
    assert 'action="/edit/ferry-stp/rename"' in page
    assert 'action="/edit/ferry-stp/rename"' not in team.client("vic").get("/edit/ferry-stp/").text
    token, base = ed.form("/edit/ferry-stp/")
    data = {"csrf": token, "base_revision": str(base)}
    taken = ed.post("/edit/ferry-stp/rename", {**data, "new_slug": "quay-fire"})
    assert taken.status_code == 422 and "is taken" in taken.text
    bad = ed.post("/edit/ferry-stp/rename", {**data, "new_slug": "Ferry Stop"})
    assert bad.status_code == 422 and "is not a slug" in bad.text
    stale = ed.post("/edit/ferry-stp/rename", {"csrf": token, "base_revision": "9",
                                                "new_slug": "ferry-stop"})  # fmt: skip
    assert stale.status_code == 409
    assert team.store.exists("ferry-stp") and not team.store.exists("ferry-stop")
    done = ed.post("/edit/ferry-stp/rename", {**data, "new_slug": "ferry-stop"})
    assert done.status_code == 303 and done.headers["location"] == "/edit/ferry-stop/"
    assert not team.store.exists("ferry-stp")
    assert team.store.history("ferry-stop")[0].message == "Renamed from ferry-stp"
    assert ed.get("/edit/ferry-stp/").status_code == 404


def test_a_published_record_offers_rename_to_reviewers_only(team: Team) -> None:
    team.record("ferry-stop", Status.published)
    assert 'action="/edit/ferry-stop/rename"' in team.client("rita").get("/edit/ferry-stop/").text
    assert 'action="/edit/ferry-stop/rename"' not in team.client("ed").get("/edit/ferry-stop/").text
