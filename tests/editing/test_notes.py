"""Internal notes and a reviewer's comment when sending a record back to draft, through the
editing service on a real store (both engines). That neither reaches a public byte is
tests/test_public_bytes.py's."""

from __future__ import annotations

import pytest

from casework.editing import Actor, Editing, NotAllowed
from casework.editing.errors import BadNote, NeedsComment
from casework.model import Status
from casework.model.roles import Role
from casework.store.base import RecordNotFound
from tests.editing.test_service import EVE, RITA
from tests.store.factories import make_record

VIC = Actor("vic", Role.viewer)
ROB = Actor("rob", Role.reviewer)


def test_an_editor_adds_notes_a_viewer_reads_them_and_no_revision_is_made(
    editing: Editing,
) -> None:
    slug = editing.create(EVE, make_record()).record.slug
    editing.add_note(EVE, slug, "  The second photo is the same\nphotographer as the first.  ")
    editing.add_note(RITA, slug, "Ask before citing.")
    notes = editing.notes(VIC, slug)
    assert [(n.author, n.text) for n in notes] == [
        ("eve", "The second photo is the same\nphotographer as the first."),
        ("rita", "Ask before citing."),
    ]
    assert notes[0].created_at.endswith("Z") and notes[0].id < notes[1].id
    assert len(editing.store.history(slug)) == 1  # a note is not the record's content


def test_a_viewer_adds_no_note_and_an_empty_or_huge_note_is_refused(editing: Editing) -> None:
    slug = editing.create(EVE, make_record()).record.slug
    with pytest.raises(NotAllowed):
        editing.add_note(VIC, slug, "A viewer's remark.")
    with pytest.raises(BadNote, match="needs some words"):
        editing.add_note(EVE, slug, " \n ")
    with pytest.raises(BadNote, match="at most 5000"):
        editing.add_note(EVE, slug, "x" * 5001)
    with pytest.raises(RecordNotFound):
        editing.add_note(EVE, "no-such-record", "Orphan.")
    assert editing.notes(VIC, slug) == []


def test_notes_are_per_record(editing: Editing) -> None:
    one = editing.create(EVE, make_record("one-record")).record.slug
    two = editing.create(EVE, make_record("two-record")).record.slug
    editing.add_note(EVE, one, "About one.")
    assert editing.notes(EVE, two) == [] and len(editing.notes(EVE, one)) == 1


def test_a_reviewer_sending_someone_elses_record_back_must_say_why(editing: Editing) -> None:
    slug = editing.create(EVE, make_record()).record.slug
    editing.move(EVE, slug, Status.review, base_revision=1)
    with pytest.raises(NeedsComment, match="say why"):
        editing.move(RITA, slug, Status.draft, base_revision=2)
    assert editing.store.get(slug).status is Status.review
    back = editing.move(
        RITA, slug, Status.draft, base_revision=2, comment="The  dates\ndisagree with source 2."
    )
    assert back.status is Status.draft
    message = editing.store.history(slug)[-1].message
    assert message == "Returned to draft — reviewer's comment: The dates disagree with source 2."
    assert editing.sent_back(slug) == ("rita", "The dates disagree with source 2.")
    # Submitting again ends it: the comment stays in the history only.
    editing.move(EVE, slug, Status.review, base_revision=3)
    assert editing.sent_back(slug) is None
    assert "source 2" in editing.store.history(slug)[2].message


def test_sending_back_ones_own_record_needs_no_comment(editing: Editing) -> None:
    slug = editing.create(EVE, make_record()).record.slug
    editing.move(EVE, slug, Status.review, base_revision=1)
    editing.move(EVE, slug, Status.draft, base_revision=2)
    assert editing.sent_back(slug) is None
    editing.move(RITA, slug, Status.published, base_revision=3)
    editing.move(RITA, slug, Status.draft, base_revision=4)  # her own publication


def test_unpublishing_someone_elses_publication_takes_a_comment(editing: Editing) -> None:
    slug = editing.create(EVE, make_record()).record.slug
    editing.move(RITA, slug, Status.published, base_revision=1)
    with pytest.raises(NeedsComment):
        editing.move(ROB, slug, Status.draft, base_revision=2)
    editing.move(ROB, slug, Status.draft, base_revision=2, comment="A witness withdrew consent.")
    assert editing.sent_back(slug) == ("rob", "A witness withdrew consent.")
    # Saving the draft keeps the comment shown: it is still the draft that came back.
    current = editing.store.get(slug)
    editing.save(EVE, current.record.model_copy(update={"summary": "Fixed."}), base_revision=3)
    assert editing.sent_back(slug) == ("rob", "A witness withdrew consent.")


def test_a_comment_belongs_to_sending_back_only_and_is_bounded(editing: Editing) -> None:
    slug = editing.create(EVE, make_record()).record.slug
    with pytest.raises(NeedsComment, match="only"):
        editing.move(EVE, slug, Status.review, base_revision=1, comment="Please look.")
    editing.move(EVE, slug, Status.review, base_revision=1)
    with pytest.raises(NeedsComment, match="at most 400"):
        editing.move(RITA, slug, Status.draft, base_revision=2, comment="x" * 401)
    assert editing.store.get(slug).status is Status.review
