"""The search facet cache after writes: patched for this store's own writes, rebuilt after
another connection's, and always giving the counts a freshly built index gives."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from casework.model import Status
from casework.store import facets, open_store
from casework.store.base import Query, SearchResult, Store
from casework.store.sqlite import SQLiteStore

from .factories import make_record


def _seen(result: SearchResult) -> tuple[int, list[str], dict[str, list[tuple[str, int]]]]:
    return result.total, [h.slug for h in result.hits], result.facets


def _same_as_fresh(store: Store, db_path: Path, query: Query) -> SearchResult:
    """`store`'s answer to `query`, checked against a new store that builds its index anew."""
    fresh = open_store(db_path)
    try:
        expected = fresh.search(query)
    finally:
        fresh.close()
    got = store.search(query)
    assert _seen(got) == _seen(expected)
    return got


@pytest.fixture
def searched(store: Store) -> Store:
    store.import_records(
        [
            make_record("pier-closure", category="civil-liberties", tags=["harbour", "movement"]),
            make_record("dock-strike", date="2018-02-02", category="rule-of-law", tags=["labour"]),
        ],
        author="t",
        message="",
    )
    store.search(Query())  # builds the facet index
    return store


ALL = Query(status=None, limit=50)


def test_a_created_record_is_found_and_counted_at_once(searched: Store, db_path: Path) -> None:
    searched.create(
        make_record("quay-fire", title="Quay fire", category="deportation", tags=["fire"]),
        author="t",
        message="",
    )
    result = _same_as_fresh(searched, db_path, ALL)
    assert result.total == 3 and dict(result.facets["tag"])["fire"] == 1
    assert dict(result.facets["category"])["deportation"] == 1
    assert [h.slug for h in searched.search(Query(text="quay", status=None)).hits] == ["quay-fire"]
    assert searched.search(Query(text="quay")).total == 0  # a draft is not public


def test_a_save_moves_the_counts_to_the_new_values(searched: Store, db_path: Path) -> None:
    searched.save(
        make_record("dock-strike", date="2022-05-05", category="deportation", tags=["fire"]),
        base_revision=1,
        author="t",
        message="",
    )
    result = _same_as_fresh(searched, db_path, ALL)
    assert dict(result.facets["category"]) == {"civil-liberties": 1, "deportation": 1}
    assert dict(result.facets["tag"]) == {"fire": 1, "harbour": 1, "movement": 1}
    assert dict(result.facets["year"]) == {"2021": 1, "2022": 1}
    assert searched.search(Query(sort="-date")).hits[0].slug == "dock-strike"
    _same_as_fresh(searched, db_path, Query(tag=("fire",)))


def test_a_status_change_moves_a_record_out_of_public_search(
    searched: Store, db_path: Path
) -> None:
    searched.set_status(
        "pier-closure", Status.draft, base_revision=1, author="t", message="withdrawn"
    )
    public = _same_as_fresh(searched, db_path, Query())
    assert [h.slug for h in public.hits] == ["dock-strike"]
    assert "harbour" not in dict(public.facets["tag"])
    assert _same_as_fresh(searched, db_path, Query(status=Status.draft)).total == 1


def test_an_import_adds_and_replaces_and_counts_stay_right(searched: Store, db_path: Path) -> None:
    searched.import_records(
        [
            make_record("pier-closure", category="rule-of-law", tags=["harbour"]),
            make_record("salt-pans", title="Salt pans seized", date="2010-10-10"),
        ],
        author="t",
        message="",
        replace=True,
    )
    result = _same_as_fresh(searched, db_path, ALL)
    assert result.total == 3
    assert dict(result.facets["category"]) == {"rule-of-law": 2, "civil-liberties": 1}
    by_title = _same_as_fresh(searched, db_path, Query(sort="title")).hits
    assert [h.slug for h in by_title] == ["pier-closure", "dock-strike", "salt-pans"]
    assert searched.search(Query(text="salt")).total == 1


def test_own_writes_patch_the_index_without_a_rebuild(searched: SQLiteStore) -> None:
    # Engine-specific: the index object after a write is a patched copy at the new generation.
    before = searched._facets.current
    assert before is not None
    searched.create(make_record("quay-fire"), author="t", message="")
    after = searched._facets.current
    assert after is not None and after is not before
    assert after.generation == before.generation + 1
    searched.search(Query())
    assert searched._facets.current is after  # the search did not rebuild it


def test_a_write_through_another_connection_is_seen(searched: Store, db_path: Path) -> None:
    other = open_store(db_path)
    try:
        other.create(
            make_record("quay-fire", title="Quay fire", tags=["fire"]),
            author="t",
            message="",
            status=Status.published,
        )
    finally:
        other.close()
    searched.create(make_record("salt-pans"), author="t", message="")  # after the other write
    result = _same_as_fresh(searched, db_path, ALL)
    assert result.total == 4 and dict(result.facets["tag"])["fire"] == 1
    assert searched.search(Query(text="quay")).total == 1


def test_a_failed_write_leaves_the_index_as_it_was(searched: Store, db_path: Path) -> None:
    with pytest.raises(Exception, match="dock-strike"):
        searched.create(make_record("dock-strike", tags=["ghost"]), author="t", message="")
    result = _same_as_fresh(searched, db_path, ALL)
    assert "ghost" not in dict(result.facets["tag"])


def test_counting_most_records_as_all_minus_the_rest_gives_the_same_counts(
    searched: SQLiteStore,
) -> None:
    # Engine-specific: the two ways FacetIndex counts agree.
    searched.create(make_record("quay-fire", tags=["fire", "harbour"]), author="t", message="")
    index = searched._facets.current
    assert index is not None
    allowed = index.allowed(Query(status=None))
    for ids in ([1, 2, 3], [1, 3], [2], []):
        chosen = np.array(ids, dtype=np.int64)
        assert index.counts(chosen, allowed, "all") == index.counts(chosen)


def test_lookups_are_kept_with_the_index_and_never_answer_after_a_write(
    store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search's full-text lookups (a word's ids, a bm25 tier's scores) are kept with the
    facet index of its generation (`facets.Matches`), and a two-word search is then answered
    from its words' kept ids; any write, this store's or another connection's, starts afresh."""
    monkeypatch.setattr(facets, "MATCHES_KEPT_FROM", 0)  # keep every lookup
    store.import_records(
        [
            make_record(f"convoy-{i}", title=f"Convoy {i} stopped", tags=["checkpoint"])
            for i in range(3)
        ]
        + [make_record("convoy-late", title="Convoy late", summary="It was stopped at dawn.")],
        author="t",
        message="",
        status=Status.published,
    )
    both = Query(text="convoy stopped", status=Status.published)
    expected = _seen(store.search(both))
    assert expected[0] == 4
    for word in ("convoy", "stopped"):
        store.search(Query(text=word, status=Status.published))
    index = store._facets.current  # type: ignore[attr-defined]
    assert len(facets._matches[index]) > 0  # the lookups are kept with the index
    scores = [hit.score for hit in store.search(both).hits]
    assert _seen(store.search(both)) == expected  # from what was kept
    assert scores == [hit.score for hit in store.search(both).hits]
    store.create(
        make_record("convoy-new", title="Convoy stopped again"),
        author="t",
        message="",
        status=Status.published,
    )
    assert "convoy-new" in {hit.slug for hit in _same_as_fresh(store, db_path, both).hits}
    other = open_store(db_path)
    try:
        other.set_status("convoy-1", Status.draft, base_revision=1, author="t", message="")
    finally:
        other.close()
    found = _same_as_fresh(store, db_path, both)
    assert "convoy-1" not in {hit.slug for hit in found.hits} and found.total == 4
