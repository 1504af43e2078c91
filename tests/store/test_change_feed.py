"""The change feed (store/change_feed.py): every write leaves its rows in the same transaction,
and a store that another process wrote to patches its facet index from them instead of
rebuilding it, ending with the index a fresh build gives."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from casework.model import Collection, Status
from casework.store import open_store
from casework.store.base import Query, Store
from casework.store.change_feed import Follower, prune
from casework.store.facets import FacetIndex

from .factories import make_record

ALL = Query(status=None, limit=50)
PORTO = {"name": "Porto docks", "country": "PT", "precision": "town"}
VIGO = {"adminArea": "Galicia", "country": "ES", "precision": "region"}
NANTES = {"name": "Nantes quay", "country": "FR", "precision": "town"}
QUERIES = (
    ALL,
    Query(limit=50),
    Query(status=Status.draft, limit=50),
    Query(tag=("harbour",), status=None, limit=50),
    Query(text="harbour", limit=50),
    Query(sort="title", status=None, limit=50),
)


def _index(store: Store) -> FacetIndex:
    found = store._facets.current  # type: ignore[attr-defined]
    assert found is not None
    return found


def _feed(store: Store) -> list[tuple[int, int | None, str | None, int | None, str]]:
    with store._reading() as r:  # type: ignore[attr-defined]
        rows = r.execute(
            "SELECT generation, record_id, slug, revision, kind FROM changes ORDER BY seq"
        ).fetchall()
    return [tuple(row) for row in rows]


def _same_index(patched: FacetIndex, fresh: FacetIndex) -> None:
    """The two indexes hold the same records with the same facet values (codes may differ:
    a patched index keeps the values it met first)."""
    assert (patched.count, patched.published) == (fresh.count, fresh.published)
    live = np.flatnonzero(fresh.status)
    assert list(np.flatnonzero(patched.status)) == list(live)
    assert list(patched.status[live]) == list(fresh.status[live])
    for name, codes in fresh.codes.items():
        mine = [patched.values[name][c] for c in patched.codes[name][live]]
        assert mine == [fresh.values[name][c] for c in codes[live]], name
    assert list(patched.date_key[live]) == list(fresh.date_key[live])
    assert [patched.titles[i] for i in live] == [fresh.titles[i] for i in live]
    for query in QUERIES:
        allowed = fresh.allowed(query)
        assert list(np.flatnonzero(patched.allowed(query))) == list(np.flatnonzero(allowed))
        ids = np.flatnonzero(allowed).astype(np.int64)
        assert patched.counts(ids) == fresh.counts(ids)


@pytest.fixture
def two(store: Store, db_path: Path | str) -> tuple[Store, Store]:
    """`store` (a worker whose index is built) and another store on the same database (a
    second worker), after an import both have seen."""
    store.import_records(
        [
            make_record("pier-closure", category="civil-liberties", tags=["harbour", "movement"]),
            make_record("dock-strike", date="2018-02-02", category="rule-of-law", tags=["labour"]),
            make_record("salt-pans", title="Salt pans seized", locations=[PORTO, VIGO]),
        ],
        author="t",
        message="",
    )
    store.search(ALL)  # builds the facet index
    return store, open_store(db_path)


def test_every_kind_of_write_leaves_its_rows_in_the_feed(two: tuple[Store, Store]) -> None:
    _, other = two
    try:
        start = len(_feed(other))
        other.create(make_record("quay-fire", tags=["fire"]), author="t", message="")
        other.set_status("quay-fire", Status.published, base_revision=1, author="t", message="")
        other.set_status("pier-closure", Status.draft, base_revision=1, author="t", message="")
        other.save(make_record("dock-strike", severity="grave"), base_revision=1, author="t",
                   message="")  # fmt: skip
        other.rename("salt-pans", make_record("salt-flats"), base_revision=1, author="t",
                     message="")  # fmt: skip
        other.delete("dock-strike", base_revision=2, author="t", reason="a duplicate")
        rows = _feed(other)[start:]
    finally:
        other.close()
    kinds = [(slug, revision, kind) for _g, _id, slug, revision, kind in rows]
    assert kinds == [
        ("quay-fire", 1, "created"),
        ("quay-fire", 2, "published"),
        ("pier-closure", 2, "unpublished"),
        ("dock-strike", 2, "saved"),
        ("salt-flats", 1, "renamed"),
        (None, None, "deleted"),  # the record left the store
    ]
    generations = [row[0] for row in rows]
    assert generations == sorted(generations) and len(set(generations)) == 6


def test_another_workers_writes_are_patched_in_and_equal_a_fresh_build(
    two: tuple[Store, Store], db_path: Path | str
) -> None:
    store, other = two
    built = _index(store)
    try:
        other.create(
            make_record("quay-fire", title="Quay fire", tags=["fire", "harbour"]),
            author="t",
            message="",
            status=Status.published,
        )
        other.set_status("pier-closure", Status.draft, base_revision=1, author="t", message="")
        other.save(
            make_record("dock-strike", date="2022-05-05", category="deportation", tags=["new"]),
            base_revision=1,
            author="t",
            message="",
        )
        other.rename("salt-pans", make_record("salt-flats", locations=[NANTES]), base_revision=1,
                     author="t", message="")  # fmt: skip
        other.delete("dock-strike", base_revision=2, author="t", reason="a duplicate")
        other.import_records(
            [make_record("pier-closure", category="rule-of-law", tags=["harbour"])],
            author="t",
            message="",
            replace=True,
            status=Status.published,
        )
    finally:
        other.close()
    store.follow()  # what the worker's follower does when it hears of the writes
    patched = _index(store)
    assert patched.generation == store.generation() and patched is not built
    assert patched.writes > 0  # patched: a rebuilt index starts counting writes at 0
    fresh = open_store(db_path)
    try:
        for query in QUERIES:
            got, expected = store.search(query), fresh.search(query)
            assert (got.total, [h.slug for h in got.hits], got.facets) == (
                expected.total,
                [h.slug for h in expected.hits],
                expected.facets,
            ), query
        _same_index(_index(store), _index(fresh))
    finally:
        fresh.close()
    assert _index(store) is patched  # the searches used the patched index as it was
    public = store.search(Query(limit=50))
    assert sorted(h.slug for h in public.hits) == ["pier-closure", "quay-fire", "salt-flats"]
    assert "new" not in dict(public.facets["tag"])  # dock-strike's, deleted
    assert dict(public.facets["country"]) == {"FR": 1}  # salt-pans' PT and ES left with it


def test_a_search_before_the_follower_patches_too(two: tuple[Store, Store]) -> None:
    store, other = two
    try:
        other.set_status("salt-pans", Status.draft, base_revision=1, author="t", message="")
    finally:
        other.close()
    result = store.search(Query(limit=50))  # no follow() first
    assert "salt-pans" not in [h.slug for h in result.hits]
    assert _index(store).writes > 0


def test_a_worker_behind_the_pruned_feed_rebuilds(
    two: tuple[Store, Store], db_path: Path | str
) -> None:
    store, other = two
    try:
        other.set_status("salt-pans", Status.draft, base_revision=1, author="t", message="")
        with other._write() as db:  # type: ignore[attr-defined]
            prune(other._statements(db), other.generation() + 1, keep=0)  # type: ignore[attr-defined]
    finally:
        other.close()
    store.follow()
    index = _index(store)
    assert index.generation == store.generation() and index.writes == 0  # rebuilt
    assert "salt-pans" not in [h.slug for h in store.search(Query(limit=50)).hits]


def test_the_follower_hears_another_stores_write(two: tuple[Store, Store]) -> None:
    store, other = two
    calls: list[int] = []
    follower = Follower(store, lambda: calls.append(store.generation())).start()  # type: ignore[arg-type]
    try:
        time.sleep(0.3)  # it has read the generation once
        other.set_status("salt-pans", Status.draft, base_revision=1, author="t", message="")
        deadline = time.monotonic() + 10
        while not calls and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        follower.stop()
        other.close()
    assert calls and calls[0] == store.generation()


def test_a_write_that_changes_no_record_is_followed_without_a_rebuild(
    two: tuple[Store, Store],
) -> None:
    store, other = two
    built = _index(store)
    try:
        other.put_collection(
            Collection(slug="harbours", title="Harbours", records=["pier-closure"])
        )
        assert _feed(other)[-1][1:] == (None, None, None, "other")
    finally:
        other.close()
    store.follow()
    index = _index(store)
    assert index.generation == store.generation() == built.generation + 1
    assert index.titles is built.titles  # the same arrays, moved on: not rebuilt
