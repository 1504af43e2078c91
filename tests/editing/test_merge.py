"""Merging a duplicate into the record kept through the editing service on a real store
(both engines): additive content, one revision, the duplicate's history kept and verified,
its slug never usable again, refusals change nothing."""

from __future__ import annotations

import pytest

from casework.editing import Editing, NotAllowed
from casework.editing.errors import CannotMerge
from casework.model import Collection, Status
from casework.store.base import Conflict, Query, RecordNotFound, SlugExists
from tests.editing.test_service import EVE, RITA
from tests.store.factories import make_record

DUPLICATE = {
    "tags": ["harbour", "fishing"],
    "keyPoints": ["No warning was given", "Nets were cut loose by night"],
    "sources": [
        {"url": "https://example.org/harbour", "title": "Pier shut", "publisher": "Coast Post"},
        {"url": "https://example.net/nets", "title": "nets gone??", "publisher": "Bay Radio"},
    ],
    "timeline": [
        {"date": "2021-03-14", "title": "Closure", "summary": "pier shut (radio)"},
        {"date": "2021-03-12", "title": "Notice posted", "summary": "A notice went up late."},
    ],
    "internationalLaw": [
        {"statute": "ICCPR", "article": "12", "provision": "Movement"},
        {"statute": "ICESCR", "article": "6", "provision": "Work"},
    ],
    "provenance": [
        {"claim": "keyPoints/1", "sources": ["https://example.net/nets"], "sentence": "cut"},
    ],
}


def two_records(editing: Editing, publish: bool) -> None:
    editing.create(EVE, make_record("pier-closure"))
    editing.create(EVE, make_record("pier-closed-again", title="Pier shut (dup)", **DUPLICATE))
    if publish:
        editing.move(RITA, "pier-closure", Status.published, base_revision=1)
        editing.move(RITA, "pier-closed-again", Status.published, base_revision=1)


def test_a_duplicate_is_merged_additively_and_both_histories_are_kept(editing: Editing) -> None:
    store = editing.store
    two_records(editing, publish=True)
    editing.create(EVE, make_record("other-one", relatedIncidents=["pier-closed-again"]))
    store.put_collection(Collection(slug="port", title="Port", records=["pier-closed-again"]))
    with pytest.raises(NotAllowed):  # published records: reviewer and above
        editing.merge(EVE, "pier-closure", "pier-closed-again", keep_revision=2,
                      duplicate_revision=2)  # fmt: skip
    editing.add_note(EVE, "pier-closed-again", "ask the radio who saw it")
    kept = editing.merge(
        RITA, "pier-closure", "pier-closed-again", keep_revision=2, duplicate_revision=2
    )
    record = kept.record
    assert kept.revision == 3 and kept.status is Status.published
    assert record.title == "Harbour closed without warning"  # nothing KEEP had changes
    assert record.tags == ["harbour", "movement", "fishing"]
    assert record.key_points == [
        "No warning was given", "Boats were left unattended", "Nets were cut loose by night",
    ]  # fmt: skip
    assert [s.url for s in record.sources] == ["https://example.org/harbour",
                                               "https://example.net/nets"]  # fmt: skip
    assert [(str(t.date), t.title) for t in record.timeline] == [
        ("2021-03-12", "Notice posted"), ("2021-03-14", "Closure"),
    ]  # fmt: skip
    assert [p.statute for p in record.international_law] == ["ICCPR", "ICESCR"]
    assert [(c.claim, c.sentence) for c in record.provenance] == [("keyPoints/2", "cut")]
    assert record.update_log[-1].summary == (
        "Merged with pier-closed-again (its old address leads here)"
    )
    assert not store.exists("pier-closed-again")
    assert store.history("pier-closure")[-1].message.startswith("Merged with pier-closed-again")
    chains = editing.full_history("pier-closure")
    assert [(s, [r.number for r in revs]) for s, revs in chains] == [
        ("pier-closed-again", [1, 2]),
        ("pier-closure", [1, 2, 3]),
    ]
    assert [n.text for n in editing.notes(EVE, "pier-closure")] == ["ask the radio who saw it"]
    assert store.get("other-one").record.related_incidents == ["pier-closure"]
    assert store.get_collection("port").records == ["pier-closure"]
    assert store.verify_history() == []
    assert store.verify_history("pier-closed-again") == []
    with pytest.raises(SlugExists):  # the slug stays taken
        editing.create(EVE, make_record("pier-closed-again"))


def test_refused_merges_change_nothing(editing: Editing) -> None:
    store = editing.store
    two_records(editing, publish=False)
    with pytest.raises(CannotMerge, match="itself"):
        editing.merge(EVE, "pier-closure", "pier-closure", keep_revision=1, duplicate_revision=1)
    with pytest.raises(RecordNotFound):
        editing.merge(EVE, "pier-closure", "no-such", keep_revision=1, duplicate_revision=1)
    with pytest.raises(RecordNotFound):
        editing.merge(EVE, "no-such", "pier-closure", keep_revision=1, duplicate_revision=1)
    with pytest.raises(Conflict):
        editing.merge(EVE, "pier-closure", "pier-closed-again", keep_revision=1,
                      duplicate_revision=5)  # fmt: skip
    with pytest.raises(Conflict):
        editing.merge(EVE, "pier-closure", "pier-closed-again", keep_revision=4,
                      duplicate_revision=1)  # fmt: skip
    assert store.slugs() == {"pier-closure", "pier-closed-again"}
    assert store.get("pier-closure").revision == 1
    assert store.get("pier-closed-again").revision == 1
    assert store.verify_history() == []
    # Drafts: an editor may merge them.
    editing.merge(EVE, "pier-closure", "pier-closed-again", keep_revision=1, duplicate_revision=1)
    assert store.slugs() == {"pier-closure"}
    assert store.get("pier-closure").record.update_log == []
    assert store.verify_history() == []


def test_search_and_facets_forget_the_duplicate(editing: Editing) -> None:
    store = editing.store
    two_records(editing, publish=True)
    before = store.search(Query(text="harbour"))  # builds the facet index in memory
    assert before.total == 2
    editing.merge(RITA, "pier-closure", "pier-closed-again", keep_revision=2, duplicate_revision=2)
    after = store.search(Query(text="harbour"))
    assert after.total == 1 and [h.slug for h in after.hits] == ["pier-closure"]
    assert [h.slug for h in store.search(Query(text="dup")).hits] == []
    assert dict(after.facets["category"]) == {"civil-liberties": 1}
