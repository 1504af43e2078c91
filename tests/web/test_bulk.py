"""The editor's bulk page (web/bulk.py): find, tick, review, confirm; each record changed
through the editing service, refusals reported per record."""

from __future__ import annotations

from casework.model import Status
from tests.web.editing import Team


def test_an_editor_tags_the_records_found_after_reviewing_the_change(team: Team) -> None:
    team.record("quay-fire", Status.draft, summary="Fire at the quay warehouse.")
    team.record("quay-arrests", Status.published, summary="Arrests at the quay gate.")
    team.record("inland-road", Status.draft, summary="A road closed inland.")
    eve = team.client("eve")
    page = eve.get("/edit/bulk?q=quay")
    assert page.status_code == 200
    assert 'value="quay-fire"' in page.text and 'value="quay-arrests"' in page.text
    assert 'value="inland-road"' not in page.text
    token = eve.csrf("/edit/bulk")
    data = {"csrf": token, "step": "confirm", "kind": "add-tag", "value": "checked-twice",
            "slug": ["quay-fire", "quay-arrests"]}  # fmt: skip
    plan = eve.post("/edit/bulk", data)
    assert plan.status_code == 200 and "Nothing has changed yet" in plan.text
    # An editor may not change a published record: the plan says so already.
    assert "would change" in plan.text and "may not edit a record that is published" in plan.text
    assert "checked-twice" not in team.store.get("quay-fire").record.tags
    done = eve.post("/edit/bulk", {**data, "step": "apply", "slug": ["quay-fire"]})
    assert done.status_code == 200 and "1 changed" in done.text
    fire = team.store.get("quay-fire")
    assert fire.record.tags[-1] == "checked-twice" and fire.revision == 2
    assert team.store.history("quay-fire")[-1].message == "Bulk change: add the tag 'checked-twice'"
    assert team.store.get("quay-arrests").revision == 2  # created, published: untouched


def test_a_bulk_publish_reports_a_record_that_may_not_move(team: Team) -> None:
    team.record("quay-fire", Status.review)
    team.record("quay-arrests", Status.published)
    rita = team.client("rita")
    token = rita.csrf("/edit/bulk")
    both = ["quay-fire", "quay-arrests"]
    done = rita.post("/edit/bulk", {"csrf": token, "step": "apply", "kind": "set-status",
                                    "value": "published", "slug": both})  # fmt: skip
    assert done.status_code == 200 and "1 changed" in done.text and "1 unchanged" in done.text
    assert team.store.get("quay-fire").status is Status.published
    back = rita.post("/edit/bulk", {"csrf": token, "step": "apply", "kind": "set-status",
                                    "value": "review", "slug": ["quay-arrests"]})  # fmt: skip
    assert "cannot become review" in back.text and "1 refused" in back.text
    assert team.store.get("quay-arrests").status is Status.published


def test_a_viewer_gets_no_bulk_page_and_bad_actions_change_nothing(team: Team) -> None:
    team.record("quay-fire", Status.draft)
    assert team.client("vic").get("/edit/bulk").status_code == 403
    eve = team.client("eve")
    token = eve.csrf("/edit/bulk")
    base = {"csrf": token, "step": "apply", "slug": ["quay-fire"]}
    assert eve.post("/edit/bulk", {**base, "kind": "delete", "value": "x"}).status_code == 400
    assert (
        eve.post("/edit/bulk", {**base, "kind": "set-status", "value": "gone"}).status_code == 422
    )
    missing = eve.post("/edit/bulk", {**base, "kind": "add-to-collection", "value": "nope"})
    assert missing.status_code == 422
    bad = eve.post("/edit/bulk", {**base, "kind": "set-category", "value": "not-a-key"})
    assert "1 refused" in bad.text and "vocabulary" in bad.text
    assert team.store.get("quay-fire").revision == 1
