"""The editing service on a real store (both engines): what each editorial act writes, and
what it refuses. The same rules through every entry point are in test_invariants.py."""

from __future__ import annotations

from datetime import date

import pytest

from casework.editing import Actor, Editing, NoSuchMove, NotAllowed, NotPublishable
from casework.editing.disclosure import change_note, public_changes
from casework.model import Site, Status
from casework.model.roles import Role
from casework.store.base import Conflict
from tests.store.factories import make_record

SITE = Site(url="https://m.example.org")
DAY = date(2026, 5, 4)
ADA = Actor("ada", Role.admin)
EVE = Actor("eve", Role.editor)
RITA = Actor("rita", Role.reviewer)


def test_a_new_record_starts_as_a_draft_with_no_public_history(editing: Editing) -> None:
    record = make_record(lastUpdated="2001-01-01", updateLog=[{"date": "2001-01-01",
                                                               "summary": "Made up."}])  # fmt: skip
    stored = editing.create(EVE, record)
    assert stored.status is Status.draft
    assert stored.record.last_updated == DAY and stored.record.update_log == []


def test_a_viewer_creates_nothing_and_an_editor_publishes_nothing(editing: Editing) -> None:
    with pytest.raises(NotAllowed):
        editing.create(Actor("vic", Role.viewer), make_record())
    with pytest.raises(NotAllowed):
        editing.create(EVE, make_record(), status=Status.published)
    stored = editing.create(EVE, make_record())
    with pytest.raises(NotAllowed):
        editing.move(EVE, stored.record.slug, Status.published, base_revision=1)
    assert editing.store.get(stored.record.slug).status is Status.draft


def test_the_first_publication_logs_only_what_the_reviewer_wrote(editing: Editing) -> None:
    slug = editing.create(EVE, make_record()).record.slug
    published = editing.move(RITA, slug, Status.published, base_revision=1)
    assert published.record.update_log == [] and published.record.last_updated == DAY
    assert published.status is Status.published


def test_publishing_again_after_a_change_is_logged_from_the_changes(editing: Editing) -> None:
    slug = editing.create(EVE, make_record()).record.slug
    editing.move(RITA, slug, Status.published, base_revision=1)
    editing.move(RITA, slug, Status.draft, base_revision=2)
    current = editing.store.get(slug)
    changed = current.record.model_copy(update={"summary": "Two nights, not one."})
    editing.save(EVE, changed, base_revision=current.revision)  # a draft: no entry
    assert editing.store.get(slug).record.update_log == []
    again = editing.move(RITA, slug, Status.published, base_revision=4)
    assert [(e.date, e.summary) for e in again.record.update_log] == [(DAY, "Updated the summary.")]


def test_a_save_that_changes_nothing_makes_no_revision(editing: Editing) -> None:
    stored = editing.create(EVE, make_record())
    same = editing.save(EVE, stored.record, base_revision=1)
    assert same.revision == 1 and len(editing.store.history(stored.record.slug)) == 1


def test_a_save_over_a_published_record_is_logged_and_keeps_the_log(editing: Editing) -> None:
    record = make_record(updateLog=[{"date": "2020-02-02", "summary": "Corrected a date."}])
    editing.store.create(record, author="seed", message="seed", status=Status.published)
    changed = record.model_copy(update={"title": "Harbour sealed", "update_log": []})
    saved = editing.save(RITA, changed, base_revision=1, note="Retitled after the ruling.")
    assert [e.summary for e in saved.record.update_log] == [
        "Corrected a date.",
        "Retitled after the ruling.",
    ]
    assert saved.record.last_updated == DAY


def test_a_published_record_cannot_lose_its_classification(editing: Editing) -> None:
    record = make_record()
    editing.store.create(record, author="seed", message="seed", status=Status.published)
    cleared = record.model_copy(update={"war_crime_classification": ""})
    with pytest.raises(NotPublishable) as refused:
        editing.save(RITA, cleared, base_revision=1)
    assert refused.value.field == "warCrimeClassification"
    assert editing.store.get(record.slug).revision == 1


def test_a_move_that_is_no_step_of_the_workflow_is_refused(editing: Editing) -> None:
    slug = editing.create(EVE, make_record()).record.slug
    editing.move(RITA, slug, Status.published, base_revision=1)
    with pytest.raises(NoSuchMove):
        editing.move(ADA, slug, Status.review, base_revision=2)


def test_a_stale_base_revision_is_a_conflict_and_writes_nothing(editing: Editing) -> None:
    stored = editing.create(EVE, make_record())
    editing.save(EVE, stored.record.model_copy(update={"title": "First"}), base_revision=1)
    with pytest.raises(Conflict):
        editing.save(EVE, stored.record.model_copy(update={"title": "Second"}), base_revision=1)
    assert editing.store.get(stored.record.slug).record.title == "First"


def test_restoring_a_published_record_keeps_the_log_and_says_what_changed(
    editing: Editing,
) -> None:
    record = make_record()
    editing.store.create(record, author="seed", message="seed", status=Status.published)
    changed = record.model_copy(update={"summary": "Shorter."})
    editing.save(RITA, changed, base_revision=1, note="Summary shortened.")
    restored = editing.restore(RITA, record.slug, 1, base_revision=2)
    assert restored.record.summary == record.summary
    assert [e.summary for e in restored.record.update_log] == [
        "Summary shortened.",
        "Updated the summary.",
    ]
    assert editing.store.history(record.slug)[-1].action == "restore"


def test_the_note_written_from_changes_names_each_field_once() -> None:
    old = make_record()
    new = old.model_copy(
        update={
            "summary": "Changed.",
            "key_points": ["One", "Two", "Three"],
            "sources": [*old.sources, *old.sources],
        }
    )
    assert change_note(public_changes(old, new)) == ("Updated the summary, key points and sources.")
    assert public_changes(old, old.model_copy(update={"last_updated": DAY})) == []
