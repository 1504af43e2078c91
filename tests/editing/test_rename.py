"""Renaming a record through the editing service on a real store (both engines): history kept
under both slugs and verified, the old slug never usable again, refusals change nothing."""

from __future__ import annotations

import pytest

from casework.editing import Actor, Editing, NotAllowed
from casework.editing.errors import CannotRename
from casework.model import Collection, Status
from casework.model.roles import Role
from casework.store.base import Action, Conflict, RecordNotFound, SlugExists
from tests.editing.test_service import EVE, RITA
from tests.store.factories import make_record

VIC = Actor("vic", Role.viewer)


def test_a_draft_is_renamed_and_its_whole_history_is_kept_and_verifies(editing: Editing) -> None:
    store = editing.store
    record = make_record("harbor-closure", title="Harbour gates shut")
    editing.create(EVE, record)
    editing.save(EVE, record.model_copy(update={"summary": "Gates shut at dawn."}), base_revision=1)
    moved = editing.rename(EVE, "harbor-closure", "harbour-closure", base_revision=2)
    assert moved.revision == 1 and moved.status is Status.draft
    assert not store.exists("harbor-closure")
    now = store.get("harbour-closure")
    assert now.record.slug == "harbour-closure" and now.record.summary == "Gates shut at dawn."
    assert now.record.title == "Harbour gates shut"
    chains = editing.full_history("harbour-closure")
    assert [(slug, [r.number for r in revs]) for slug, revs in chains] == [
        ("harbor-closure", [1, 2]),
        ("harbour-closure", [1]),
    ]
    first = chains[1][1][0]
    assert first.action is Action.rename and first.message == "Renamed from harbor-closure"
    assert first.prev_hash == "" and first.author == "eve"
    assert store.verify_history() == []
    assert store.verify_history("harbor-closure") == []
    # The new slug's chain goes on as any record's does.
    editing.save(EVE, now.record.model_copy(update={"summary": "Shut."}), base_revision=1)
    assert store.verify_history() == []
    assert [r.record.slug for r in store.iter_records()] == ["harbour-closure"]


def test_renamed_twice_tells_the_whole_story(editing: Editing) -> None:
    editing.create(EVE, make_record("a-first"))
    editing.rename(EVE, "a-first", "a-second", base_revision=1)
    editing.rename(EVE, "a-second", "a-third", base_revision=1)
    assert [s for s, _ in editing.full_history("a-third")] == ["a-first", "a-second", "a-third"]
    assert editing.store.verify_history() == []


def test_a_used_slug_is_refused_and_nothing_changes(editing: Editing) -> None:
    store = editing.store
    editing.create(EVE, make_record("one-record"))
    editing.create(EVE, make_record("two-record"))
    with pytest.raises(CannotRename, match="'two-record' is taken"):
        editing.rename(EVE, "one-record", "two-record", base_revision=1)
    editing.rename(EVE, "one-record", "first-record", base_revision=1)
    # The old slug was a record's: no rename and no new record may take it.
    with pytest.raises(CannotRename, match="'one-record' is taken"):
        editing.rename(EVE, "two-record", "one-record", base_revision=1)
    with pytest.raises(SlugExists):
        editing.create(EVE, make_record("one-record"))
    with pytest.raises(CannotRename, match="is not a slug"):
        editing.rename(EVE, "two-record", "Two Record", base_revision=1)
    with pytest.raises(CannotRename, match="the one it has"):
        editing.rename(EVE, "two-record", "two-record", base_revision=1)
    with pytest.raises(Conflict):
        editing.rename(EVE, "two-record", "second-record", base_revision=7)
    with pytest.raises(RecordNotFound):
        editing.rename(EVE, "no-such-record", "some-record", base_revision=1)
    with pytest.raises(NotAllowed):
        editing.rename(VIC, "two-record", "second-record", base_revision=1)
    assert store.slugs() == {"first-record", "two-record"}
    assert store.get("two-record").revision == 1
    assert store.verify_history() == []


def test_a_published_record_is_renamed_by_a_reviewer_and_readers_are_told(
    editing: Editing,
) -> None:
    editing.create(EVE, make_record("quay-fire"))
    editing.move(RITA, "quay-fire", Status.published, base_revision=1)
    with pytest.raises(NotAllowed):
        editing.rename(EVE, "quay-fire", "quay-fires", base_revision=2)
    moved = editing.rename(RITA, "quay-fire", "quay-fires", base_revision=2)
    assert moved.status is Status.published
    assert moved.record.update_log[-1].summary == (
        "Renamed from quay-fire (its old address leads here)"
    )
    assert editing.store.verify_history() == []


def test_relations_and_collections_follow_the_new_slug(editing: Editing) -> None:
    store = editing.store
    editing.create(EVE, make_record("old-name"))
    editing.create(EVE, make_record("pointing-record", relatedIncidents=["old-name"]))
    store.put_collection(Collection(slug="port", title="Port", records=["old-name"]))
    editing.rename(EVE, "old-name", "new-name", base_revision=1)
    pointing = store.get("pointing-record")
    assert pointing.record.related_incidents == ["new-name"] and pointing.revision == 2
    assert (
        store.history("pointing-record")[-1].message
        == "Related record renamed: old-name → new-name"
    )
    assert store.get_collection("port").records == ["new-name"]
    assert store.verify_history() == []


def test_an_editor_cannot_rename_a_draft_a_published_record_names(editing: Editing) -> None:
    editing.create(EVE, make_record("draft-one"))
    editing.create(EVE, make_record("public-one", relatedIncidents=["draft-one"]))
    editing.move(RITA, "public-one", Status.published, base_revision=1)
    with pytest.raises(NotAllowed):
        editing.rename(EVE, "draft-one", "draft-two", base_revision=1)
    assert editing.store.exists("draft-one")  # checked before anything was written


def test_an_import_may_not_take_a_renamed_records_old_slug(editing: Editing) -> None:
    editing.create(EVE, make_record("old-name"))
    editing.rename(EVE, "old-name", "new-name", base_revision=1)
    for replace in (False, True):
        with pytest.raises(SlugExists):
            editing.import_records(
                EVE, [make_record("fresh-one"), make_record("old-name")], message="i",
                replace=replace,
            )  # fmt: skip
    assert editing.store.slugs() == {"new-name"}  # all or nothing
    assert editing.store.verify_history() == []


def test_the_internal_notes_go_on_with_the_renamed_record(editing: Editing) -> None:
    editing.create(EVE, make_record("harbor-closure"))
    editing.add_note(EVE, "harbor-closure", "The harbour master asked not to be named.")
    editing.rename(EVE, "harbor-closure", "harbour-closure", base_revision=1)
    assert [n.text for n in editing.notes(EVE, "harbour-closure")] == [
        "The harbour master asked not to be named."
    ]
