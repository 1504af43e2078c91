"""The editor's record page: internal notes (shown to the team, added by editors) and the
reviewer's comment that sent a record back to draft (web/editor.py)."""

from __future__ import annotations

from casework.model import Status
from tests.web.editing import Team


def test_an_editor_adds_a_note_and_a_viewer_reads_it_without_a_form(team: Team) -> None:
    team.record("ferry-stop", Status.published)
    ed = team.client("ed")
    token, _base = ed.form("/edit/ferry-stop/")
    response = ed.post("/edit/ferry-stop/notes", {"csrf": token, "text": "Ask <b>Aya</b> first."})
    assert response.status_code == 303
    assert response.headers["location"] == "/edit/ferry-stop/#notes"
    page = team.client("vic").get("/edit/ferry-stop/").text
    assert "Ask &lt;b&gt;Aya&lt;/b&gt; first." in page and "<b>Aya" not in page
    assert 'action="/edit/ferry-stop/notes"' not in page  # a viewer adds none
    assert team.store.history("ferry-stop")[-1].number == 2  # created, published: no more
    empty = ed.post("/edit/ferry-stop/notes", {"csrf": token, "text": "   "})
    assert empty.status_code == 422 and "needs some words" in empty.text
    assert "Aya" not in team.client().get("/incident/ferry-stop/").text


def test_a_reviewer_sends_a_record_back_with_a_comment_the_editor_sees(team: Team) -> None:
    team.record("ferry-stop", Status.review)
    rita = team.client("rita")
    token, base = rita.form("/edit/ferry-stop/")
    data = {"csrf": token, "base_revision": str(base), "act": "withdraw"}
    refused = rita.post("/edit/ferry-stop/workflow", data)
    assert refused.status_code == 422 and "say why" in refused.text
    assert team.store.get("ferry-stop").status is Status.review
    sent = rita.post("/edit/ferry-stop/workflow", {**data, "comment": "Source 2 is a repost."})
    assert sent.status_code == 303
    page = team.client("ed").get("/edit/ferry-stop/").text
    assert 'id="sent-back"' in page and "Source 2 is a repost." in page
    assert (
        "reviewer&#39;s comment: Source 2 is a repost." in rita.get("/edit/ferry-stop/history").text
    )
