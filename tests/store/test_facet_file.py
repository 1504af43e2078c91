"""The facet index kept beside a SQLite database (store/facet_file.py): reused by the next
process while nothing changed, built again after an edit through the editing service, never
trusted when torn, owner-only, and never a way for a public search to count unpublished
records, whether the search runs in a store or on the command line's quick path
(store/sqlite_reader.py)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from casework.editing import Actor, Editing
from casework.model import Site, Status
from casework.store import open_store
from casework.store.base import Query, SearchResult
from casework.store.facet_file import facet_path
from casework.store.sqlite_reader import search_file

from .factories import make_record

SITE = Site(url="https://m.example.org", title="Monitor")
EDITOR = Actor.operator("Rita Okafor")


def _seen(result: SearchResult) -> tuple[int, list[str], dict[str, list[tuple[str, int]]]]:
    return result.total, [h.slug for h in result.hits], result.facets


@pytest.fixture
def database(tmp_path: Path) -> Path:
    """A tracker's database: two published records, one draft holding a name and a category,
    tag and country no published record has (the draft is what the public must not count)."""
    path = tmp_path / "tracker.db"
    store = open_store(path)
    try:
        store.import_records(
            [
                make_record("pier-closure", tags=["harbour", "movement"]),
                make_record(
                    "dock-strike", date="2018-02-02", category="rule-of-law", tags=["labour"],
                    title="Dock  strike broken up — Ünal's crew detained",
                ),
            ],
            author="t", message="import", status=Status.published,
        )  # fmt: skip
        store.create(
            make_record(
                "secret-raid", category="domestic-military", tags=["informant Kovač"],
                summary="A raid on the harbour named an informant, Kovač, at the pier.",
            ),
            author="t", message="draft", status=Status.draft,
        )  # fmt: skip
    finally:
        store.close()
    return path


def _store_search(path: Path, query: Query) -> SearchResult:
    """`query` in a store opened for it (a new process's first search)."""
    store = open_store(path)
    try:
        return store.search(query)
    finally:
        store.close()


def _built_search(path: Path, query: Query) -> SearchResult:
    """`query` with no facet file: the index built from the database."""
    facet_path(path).unlink(missing_ok=True)
    found = _store_search(path, query)
    return found


PUBLIC = Query(text="harbour")
EVERY = Query(text="harbour", status=None)


def test_the_file_is_kept_owner_only_and_reused_while_nothing_changes(database: Path) -> None:
    first = _store_search(database, PUBLIC)
    kept = facet_path(database)
    made = kept.stat()
    assert stat.S_IMODE(made.st_mode) == 0o600  # it holds drafts' titles
    again = _store_search(database, PUBLIC)
    quick = search_file(database, PUBLIC)
    assert quick is not None
    assert _seen(again) == _seen(first) == _seen(quick)
    # Read, not written again: the same file (a rewrite renames a new one over it).
    after = kept.stat()
    assert (after.st_ino, after.st_mtime_ns) == (made.st_ino, made.st_mtime_ns)


def test_an_edit_through_the_editing_service_is_counted_by_the_next_process(
    database: Path,
) -> None:
    before = search_file(database, PUBLIC)
    assert before is not None
    assert ("civil-liberties", 1) in before.facets["category"]
    kept = facet_path(database).stat().st_ino
    store = open_store(database)
    try:
        current = store.get("pier-closure")
        changed = current.record.model_copy(update={"category": "rule-of-law"})
        Editing(store, SITE).save(EDITOR, changed, base_revision=current.revision)
    finally:
        store.close()
    after = search_file(database, PUBLIC)
    assert after is not None
    assert after.facets["category"] == [("rule-of-law", 2)]
    assert facet_path(database).stat().st_ino != kept  # built again and kept
    assert _seen(after) == _seen(_built_search(database, PUBLIC))


def test_public_searches_never_count_the_draft_before_or_after_a_publish(database: Path) -> None:
    for search in (lambda q: search_file(database, q), lambda q: _store_search(database, q)):
        public = search(PUBLIC)
        assert public is not None
        assert public.total == 2
        assert "secret-raid" not in [h.slug for h in public.hits]
        shown = {value for counts in public.facets.values() for value, _ in counts}
        assert {"domestic-military", "informant Kovač"}.isdisjoint(shown)
        every = search(EVERY)
        assert every is not None and every.total == 3  # the same file serves editors
        assert ("informant Kovač", 1) in every.facets["tag"]
    nobody = search_file(database, Query(text="Kovač"))
    assert nobody is not None and nobody.total == 0 and nobody.facets["tag"] == []
    store = open_store(database)
    try:
        draft = store.get("secret-raid")
        Editing(store, SITE).move(
            EDITOR, "secret-raid", Status.published, base_revision=draft.revision
        )
        published = search_file(database, PUBLIC)
        assert published is not None and published.total == 3
        current = store.get("secret-raid")
        Editing(store, SITE).move(
            EDITOR, "secret-raid", Status.draft, base_revision=current.revision
        )
    finally:
        store.close()
    public = search_file(database, PUBLIC)
    assert public is not None and public.total == 2
    assert ("domestic-military", 1) not in public.facets["category"]
    assert _seen(public) == _seen(_built_search(database, PUBLIC))


@pytest.mark.parametrize("damage", ["torn", "garbage", "empty"])
def test_a_damaged_file_is_built_again(database: Path, damage: str) -> None:
    expected = _seen(_store_search(database, EVERY))
    kept = facet_path(database)
    whole = kept.read_bytes()
    kept.write_bytes(
        {"torn": whole[: len(whole) // 2], "garbage": os.urandom(len(whole)), "empty": b""}[damage]
    )
    found = search_file(database, EVERY)
    assert found is not None and _seen(found) == expected
    assert kept.read_bytes()[:20] == whole[:20]  # written whole again


def test_a_file_of_another_database_is_not_used(database: Path, tmp_path: Path) -> None:
    """A database replaced under the same name (a restored copy, another tracker) has its own
    facet index even where the generation and record counts happen to agree."""
    _store_search(database, EVERY)
    other = tmp_path / "other.db"
    store = open_store(other)
    try:
        store.import_records(
            [make_record(f"other-{i}", category="deportation", tags=["harbour"]) for i in range(3)],
            author="t", message="import", status=Status.published,
        )  # fmt: skip
    finally:
        store.close()
    facet_path(database).replace(facet_path(other))  # the first tracker's index, misplaced
    found = search_file(other, EVERY)
    assert found is not None
    assert found.facets["category"] == [("deportation", 3)]
