"""The editor's record page: the "Merge a duplicate into this record" form (web/editor.py
`merge_record`). Who may use it is tests/web/test_matrix.py's; this is what it shows, what it
does and what it answers when refused — a refusal changes nothing."""

from __future__ import annotations

import re

from casework.model import Status
from tests.web.editing import Browser, Team

SOURCE = {"url": "https://example.net/blaze", "title": "Quay on fire", "publisher": "Bay Radio"}


def two_records(team: Team, keep: Status = Status.draft, dup: Status = Status.draft) -> None:
    team.record("quay-fire", keep)
    team.record("quay-blaze", dup, title="Quay blaze", sources=[SOURCE], tags=["arson"])
    team.record("pier-note", Status.draft, relatedIncidents=["quay-blaze"])


def preview(browser: Browser, keep: str, duplicate: str, **extra: str) -> tuple[object, dict]:
    token, base = browser.form(f"/edit/{keep}/")
    data = {"csrf": token, "base_revision": str(base), "duplicate": duplicate, **extra}
    return browser.post(f"/edit/{keep}/merge", data), data


def revisions(team: Team) -> dict[str, int]:
    return {s: team.store.get(s).revision for s in sorted(team.store.slugs())}


def test_an_editor_merges_a_duplicate_after_seeing_what_it_adds(team: Team) -> None:
    two_records(team)
    ed = team.client("ed")
    page = ed.get("/edit/quay-fire/").text
    assert 'action="/edit/quay-fire/merge"' in page
    before = revisions(team)
    shown, data = preview(ed, "quay-fire", "quay-blaze")
    assert shown.status_code == 200
    assert "Nothing has changed yet" in shown.text
    assert SOURCE["url"] in shown.text and "arson" in shown.text  # what it would add
    assert 'id="merge-added">sources, tags<' in shown.text
    assert 'href="/edit/pier-note/"' in shown.text  # a record naming it as related
    assert revisions(team) == before
    revision = re.search(r'name="duplicate_revision" value="(\d+)"', shown.text)
    assert revision and revision.group(1) == "1"
    done = ed.post(
        "/edit/quay-fire/merge",
        {**data, "step": "merge", "duplicate_revision": "1", "message": "Same fire"},
    )
    assert done.status_code == 303 and done.headers["location"] == "/edit/quay-fire/"
    kept = team.store.get("quay-fire")
    assert kept.revision == 2 and SOURCE["url"] in [s.url for s in kept.record.sources]
    assert "arson" in kept.record.tags
    assert team.store.history("quay-fire")[-1].message == (
        "Merged with quay-blaze (added: sources, tags): Same fire"
    )
    assert not team.store.exists("quay-blaze")
    assert team.store.get("pier-note").record.related_incidents == ["quay-fire"]
    assert team.store.verify_history() == []


def test_refused_merges_change_nothing(team: Team) -> None:
    two_records(team)
    ed = team.client("ed")
    before = revisions(team)
    unknown, _ = preview(ed, "quay-fire", "quay-smoke")
    assert unknown.status_code == 422 and "No record &#39;quay-smoke&#39;" in unknown.text
    assert "Nothing changed" in unknown.text
    unknown, _ = preview(ed, "quay-fire", "quay-smoke", step="merge", duplicate_revision="1")
    assert unknown.status_code == 422
    itself, _ = preview(ed, "quay-fire", "quay-fire", step="merge", duplicate_revision="1")
    assert itself.status_code == 422 and "merged with itself" in itself.text
    blank, _ = preview(ed, "quay-fire", " ")
    assert blank.status_code == 422
    token, _ = ed.form("/edit/quay-fire/")
    stale = ed.post("/edit/quay-fire/merge",
                    {"csrf": token, "base_revision": "7", "duplicate": "quay-blaze"})  # fmt: skip
    assert stale.status_code == 409
    unsigned = {"base_revision": "1", "duplicate": "quay-blaze", "step": "merge",
                "duplicate_revision": "1"}  # fmt: skip
    no_token = ed.post("/edit/quay-fire/merge", unsigned)
    assert no_token.status_code == 403
    # The duplicate saved between the confirmation page and the confirmation: it is
    # merged as it is now only once someone has seen it.
    shown, data = preview(ed, "quay-fire", "quay-blaze")
    assert shown.status_code == 200
    blaze = team.store.get("quay-blaze")
    team.store.save(blaze.record.model_copy(update={"title": "Quay blaze (seen)"}),
                    base_revision=1, author="seed", message="meanwhile")  # fmt: skip
    before = revisions(team)
    late = ed.post("/edit/quay-fire/merge", {**data, "step": "merge", "duplicate_revision": "1"})
    assert late.status_code == 409 and "the duplicate meanwhile" in late.text
    assert revisions(team) == before
    assert team.store.verify_history() == []


def test_a_published_duplicate_is_merged_by_reviewers_only(team: Team) -> None:
    two_records(team, keep=Status.draft, dup=Status.published)
    ed = team.client("ed")
    before = revisions(team)
    refused, data = preview(ed, "quay-fire", "quay-blaze")
    assert refused.status_code == 403 and "may not rename" in refused.text
    refused = ed.post("/edit/quay-fire/merge", {**data, "step": "merge",
                                                "duplicate_revision": "2"})  # fmt: skip
    assert refused.status_code == 403
    assert revisions(team) == before
    rita = team.client("rita")
    shown, data = preview(rita, "quay-fire", "quay-blaze")
    assert shown.status_code == 200
    done = rita.post("/edit/quay-fire/merge", {**data, "step": "merge",
                                               "duplicate_revision": "2"})  # fmt: skip
    assert done.status_code == 303
    assert not team.store.exists("quay-blaze")
    assert [s.url for s in team.store.get("quay-fire").record.sources][-1] == SOURCE["url"]


def test_the_form_is_offered_to_whoever_may_rename_the_record(team: Team) -> None:
    team.record("quay-fire", Status.draft)
    team.record("pier-shut", Status.published)
    form = 'action="/edit/{}/merge"'
    assert form.format("quay-fire") not in team.client("vic").get("/edit/quay-fire/").text
    assert form.format("quay-fire") in team.client("eve").get("/edit/quay-fire/").text
    assert form.format("pier-shut") not in team.client("eve").get("/edit/pier-shut/").text
    assert form.format("pier-shut") in team.client("rita").get("/edit/pier-shut/").text
