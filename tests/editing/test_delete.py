"""Deleting a record with a tombstone through the editing service on a real store (both
engines): the row leaves, nothing it was is lost (history, notes, a verified chain), its slug
stays taken, other records stop naming it, and refusals change nothing."""

from __future__ import annotations

import pytest

from casework.editing import Editing, NotAllowed
from casework.editing.errors import CannotDelete
from casework.evidence.published import engine_of, read_versions
from casework.model import Collection, Status
from casework.store import deletions, notes
from casework.store.base import Conflict, Query, RecordNotFound, SlugExists
from tests.editing.test_service import EVE, RITA
from tests.store.factories import make_record

REASON = "Entered twice by mistake; the incident is documented under pier-closure"


def test_a_draft_is_deleted_and_nothing_it_was_is_lost(editing: Editing) -> None:
    store = editing.store
    editing.create(EVE, make_record("pier-closure"))
    editing.create(EVE, make_record("pier-closed-twice", title="Pier shut twice"))
    editing.create(EVE, make_record("other-one", relatedIncidents=["pier-closed-twice"]))
    store.put_collection(
        Collection(slug="port", title="Port", records=["pier-closure", "pier-closed-twice"])
    )
    editing.add_note(EVE, "pier-closed-twice", "the radio's account, ask again")
    assert store.search(Query(text="twice", status=None)).total == 1  # the facet index is built now

    deleted = editing.delete(EVE, "pier-closed-twice", base_revision=1, reason=f"  {REASON} ")
    assert (deleted.slug, deleted.author, deleted.reason) == ("pier-closed-twice", "eve", REASON)
    assert deleted.last_number == 1
    assert not store.exists("pier-closed-twice")
    assert store.slugs() == {"pier-closure", "other-one"}
    with pytest.raises(RecordNotFound):
        store.get("pier-closed-twice")
    # Nothing is lost: the history and the notes stay, and the chain verifies to its end.
    assert [r.number for r in store.history("pier-closed-twice")] == [1]
    assert store.history("pier-closed-twice")[0].record.title == "Pier shut twice"
    engine = engine_of(store)
    assert engine is not None
    assert [n.text for n in notes.read_for(engine, "pier-closed-twice")] == [
        "the radio's account, ask again"
    ]
    assert deletions.read_one(engine, "pier-closed-twice") == deleted
    assert store.verify_history() == []
    assert store.verify_history("pier-closed-twice") == []
    # Its slug stays taken, by a new record and by an import.
    with pytest.raises(SlugExists):
        editing.create(EVE, make_record("pier-closed-twice"))
    with pytest.raises(SlugExists):
        store.import_records(
            [make_record("pier-closed-twice")], author="x", message="m", status=Status.draft
        )
    # The others: a relation to it is gone (a revision saying so), its membership too.
    other = store.get("other-one")
    assert other.record.related_incidents == [] and other.revision == 2
    assert store.history("other-one")[-1].message == "Related record deleted: pier-closed-twice"
    assert store.get_collection("port").records == ["pier-closure"]
    # Search and facets forget it.
    assert store.search(Query(text="twice", status=None)).total == 0
    assert sum(n for _, n in store.search(Query(status=None)).facets["category"]) == 2


def test_a_tampered_end_of_a_deleted_chain_is_caught(editing: Editing) -> None:
    from sqlalchemy import text

    editing.create(EVE, make_record("pier-closed-twice"))
    editing.delete(EVE, "pier-closed-twice", base_revision=1, reason=REASON)
    engine = engine_of(editing.store)
    assert engine is not None
    with engine.begin() as connection:  # someone claims the chain went on
        connection.execute(text("UPDATE deletions SET last_number = 3"))
    problems = editing.store.verify_history("pier-closed-twice")
    assert [p.message for p in problems] == ["its rename or deletion says it ended at 3"]


def test_a_published_record_is_deleted_by_a_reviewer_and_its_versions_withdrawn(
    editing: Editing,
) -> None:
    store = editing.store
    editing.create(EVE, make_record("pier-closure"))
    editing.move(RITA, "pier-closure", Status.published, base_revision=1)
    engine = engine_of(store)
    assert engine is not None
    assert [v.withdrawn for v in read_versions(engine, "pier-closure")] == [None]
    with pytest.raises(NotAllowed):  # published: reviewer and above
        editing.delete(EVE, "pier-closure", base_revision=2, reason=REASON)
    editing.delete(RITA, "pier-closure", base_revision=2, reason=REASON)
    versions = read_versions(engine, "pier-closure")
    assert [(v.version, v.withdrawn is not None) for v in versions] == [(1, True)]
    assert versions[0].withdrawn is not None and versions[0].withdrawn.reason == REASON
    assert store.slugs() == set()
    assert store.verify_history() == []


def test_an_unpublished_record_that_was_public_needs_who_may_withdraw(editing: Editing) -> None:
    store = editing.store
    editing.create(EVE, make_record("pier-closure"))
    editing.move(RITA, "pier-closure", Status.published, base_revision=1)
    editing.move(RITA, "pier-closure", Status.draft, base_revision=2, comment="check sources")
    assert store.get("pier-closure").status is Status.draft
    with pytest.raises(NotAllowed):  # an editor may delete drafts, but not withdraw versions
        editing.delete(EVE, "pier-closure", base_revision=3, reason=REASON)
    assert store.exists("pier-closure")
    editing.delete(RITA, "pier-closure", base_revision=3, reason=REASON)
    assert not store.exists("pier-closure")


def test_refused_deletions_change_nothing(editing: Editing) -> None:
    store = editing.store
    editing.create(EVE, make_record("pier-closure"))
    editing.create(RITA, make_record("published-one", relatedIncidents=["pier-closure"]))
    editing.move(RITA, "published-one", Status.published, base_revision=1)
    with pytest.raises(CannotDelete, match="needs a reason"):
        editing.delete(EVE, "pier-closure", base_revision=1, reason="   ")
    with pytest.raises(Conflict):
        editing.delete(EVE, "pier-closure", base_revision=4, reason=REASON)
    with pytest.raises(RecordNotFound):
        editing.delete(EVE, "no-such", base_revision=1, reason=REASON)
    # A published record names it: the editor may not change that record, so nothing happens.
    with pytest.raises(NotAllowed):
        editing.delete(EVE, "pier-closure", base_revision=1, reason=REASON)
    assert store.slugs() == {"pier-closure", "published-one"}
    assert store.get("pier-closure").revision == 1
    assert store.get("published-one").revision == 2
    engine = engine_of(store)
    assert engine is not None and deletions.read_all(engine) == {}
    assert store.verify_history() == []
