from __future__ import annotations

from datetime import UTC

import pytest

from casework.model import Status
from casework.store.base import Conflict, RecordNotFound, SlugExists, Store

from .factories import make_record


def test_create_then_get_gives_back_the_same_record(store: Store) -> None:
    record = make_record(tags=["harbour", "Ottawa Treaty"], unknownKey={"kept": [1, 2]})
    created = store.create(record, author="ana", message="first draft")
    got = store.get("harbour-closure")
    assert got.record.to_storage() == record.to_storage()
    assert (got.status, got.revision) == (Status.draft, 1)
    assert created.revision == 1
    assert got.updated_at.tzinfo == UTC


def test_create_refuses_a_slug_that_exists(store: Store) -> None:
    store.create(make_record(), author="ana", message="")
    with pytest.raises(SlugExists):
        store.create(make_record(title="Another"), author="ben", message="")
    assert store.get("harbour-closure").record.title == "Harbour closed without warning"


def test_save_over_the_current_revision_makes_the_next_one(store: Store) -> None:
    store.create(make_record(), author="ana", message="")
    saved = store.save(
        make_record(title="Pier closed"), base_revision=1, author="ben", message="retitle"
    )
    assert saved.revision == 2
    got = store.get("harbour-closure")
    assert (got.record.title, got.revision, got.status) == ("Pier closed", 2, Status.draft)


def test_save_over_a_stale_revision_raises_conflict_and_changes_nothing(store: Store) -> None:
    store.create(make_record(), author="ana", message="")
    store.save(make_record(title="Ben's title"), base_revision=1, author="ben", message="")
    with pytest.raises(Conflict) as raised:
        store.save(make_record(title="Ana's title"), base_revision=1, author="ana", message="")
    assert (raised.value.base_revision, raised.value.current_revision) == (1, 2)
    assert store.get("harbour-closure").record.title == "Ben's title"
    assert len(store.history("harbour-closure")) == 2


def test_conflict_is_detected_across_two_open_stores_on_one_file(store: Store, db_path) -> None:
    from casework.store import open_store

    store.create(make_record(), author="ana", message="")
    other = open_store(db_path)
    try:
        other.save(make_record(title="From elsewhere"), base_revision=1, author="b", message="")
        with pytest.raises(Conflict):
            store.save(make_record(title="Here"), base_revision=1, author="a", message="")
    finally:
        other.close()


def test_save_of_a_missing_record_raises_record_not_found(store: Store) -> None:
    with pytest.raises(RecordNotFound):
        store.save(make_record(), base_revision=1, author="ana", message="")


def test_set_status_is_a_revision_of_its_own(store: Store) -> None:
    store.create(make_record(), author="ana", message="")
    moved = store.set_status(
        "harbour-closure", Status.published, base_revision=1, author="ed", message="publish"
    )
    assert (moved.status, moved.revision) == (Status.published, 2)
    last = store.history("harbour-closure")[-1]
    assert (last.action, last.status, last.author, last.message) == (
        "status",
        Status.published,
        "ed",
        "publish",
    )
    with pytest.raises(Conflict):
        store.set_status("harbour-closure", Status.draft, base_revision=1, author="x", message="")


def test_save_keeps_the_status_unless_given_one(store: Store) -> None:
    store.create(make_record(), author="ana", message="", status=Status.review)
    assert store.save(make_record(), base_revision=1, author="a", message="").status == "review"
    saved = store.save(make_record(), base_revision=2, author="a", message="", status=Status.draft)
    assert saved.status == Status.draft


def test_iter_records_goes_in_insertion_order_and_filters_by_status(store: Store) -> None:
    for slug, status in (
        ("zeta", Status.published),
        ("alpha", Status.draft),
        ("mid", Status.published),
    ):
        store.create(make_record(slug), author="a", message="", status=status)
    assert [s.record.slug for s in store.iter_records()] == ["zeta", "alpha", "mid"]
    published = [s.record.slug for s in store.iter_records(status=Status.published)]
    assert published == ["zeta", "mid"]
    assert store.count() == 3
    assert store.count(status=Status.draft) == 1
    assert store.slugs() == {"zeta", "alpha", "mid"}
    assert store.slugs(status=Status.draft) == {"alpha"}
    assert store.slugs(status=Status.published) == {"zeta", "mid"}
    assert store.slugs(status=Status.review) == set()
    assert store.exists("alpha") and not store.exists("omega")


def test_get_of_a_missing_slug_raises_record_not_found(store: Store) -> None:
    with pytest.raises(RecordNotFound):
        store.get("nowhere")


def test_get_many_reads_the_records_held_as_get_does_and_leaves_out_the_others(
    store: Store,
) -> None:
    for slug in ("alpha", "beta", "gamma"):
        store.create(make_record(slug=slug, title=f"Title {slug}"), author="ana", message="")
    store.set_status("beta", Status.published, base_revision=1, author="ana", message="")
    got = store.get_many(["gamma", "nowhere", "beta", "gamma"])
    assert sorted(got) == ["beta", "gamma"]
    for slug, stored in got.items():
        one = store.get(slug)
        assert stored.record.to_storage() == one.record.to_storage()
        assert (stored.status, stored.revision, stored.updated_at) == (
            one.status,
            one.revision,
            one.updated_at,
        )
    assert store.get_many([]) == {}
