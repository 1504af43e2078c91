from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from casework.model import Collection, Record, Status
from casework.store.base import CollectionNotFound, RecordNotFound, SlugExists, Store

from .factories import make_record


def _records(n: int) -> list[Record]:
    return [make_record(f"incident-{i}", title=f"Incident number {i}") for i in range(n)]


def test_import_writes_every_record_with_one_revision_each_and_reports_progress(
    store: Store,
) -> None:
    done: list[int] = []
    n = store.import_records(_records(1203), author="bot", message="load", progress=done.append)
    assert n == 1203 and sum(done) == 1203
    assert store.count(status=Status.published) == 1203
    assert [s.record.slug for s in store.iter_records()][:3] == [
        "incident-0",
        "incident-1",
        "incident-2",
    ]
    first = store.history("incident-7")
    assert [(r.number, r.action, r.message) for r in first] == [(1, "import", "load")]
    assert store.verify_history() == []


def test_an_exception_midway_through_an_import_leaves_the_store_unchanged(store: Store) -> None:
    store.create(make_record("before"), author="a", message="")

    def failing() -> Iterator[Record]:
        yield from _records(700)
        raise ValueError("the file ended badly")

    with pytest.raises(ValueError):
        store.import_records(failing(), author="bot", message="")
    assert store.slugs() == {"before"}
    from casework.store.base import Query

    assert store.search(Query(text="incident", status=None)).total == 0


def _sqlite_indexes(path: Path) -> list[tuple[str, str, str | None]]:
    db = sqlite3.connect(path)
    try:
        return db.execute(
            "SELECT name, tbl_name, sql FROM sqlite_schema WHERE type = 'index' ORDER BY name"
        ).fetchall()
    finally:
        db.close()


@pytest.mark.sqlite_only
def test_an_import_into_an_empty_sqlite_tracker_makes_its_indexes_after_the_rows(
    store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from casework.store.sqlite import SQLiteStore

    monkeypatch.setattr(SQLiteStore, "_import_batch", 4)
    before = _sqlite_indexes(db_path)
    assert ("ix_records_listed_year", "records") in [row[:2] for row in before]
    assert ("ix_record_pages_walk", "record_pages") in [row[:2] for row in before]

    # The second batch fails: the rollback brings the dropped indexes back, writes nothing.
    with pytest.raises(SlugExists):
        store.import_records(_records(6) + _records(2)[1:], author="bot", message="")
    assert _sqlite_indexes(db_path) == before and store.count() == 0
    store.import_records(_records(10), author="bot", message="")
    assert _sqlite_indexes(db_path) == before  # made again before the commit
    from casework.store.base import Query

    assert store.search(Query(text="incident", status=None)).total == 10
    more = [make_record(f"more-{i}") for i in range(3)]
    store.import_records(more, author="bot", message="")  # into full tables: indexes kept
    assert _sqlite_indexes(db_path) == before and store.count() == 13
    db = sqlite3.connect(db_path)
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    db.close()


@pytest.mark.sqlite_only
def test_a_new_records_json_is_stored_as_text_in_sqlite(store: Store, db_path: Path) -> None:
    """A new row's `data` is bound as its UTF-8 bytes (`sqlite_rows._NEW_ROW_MARKS`): SQLite
    must still hold it as TEXT (a BLOB would compare unequal to every text, and read back as
    bytes), and what it holds must read back as the record it was."""
    records = [make_record("quote", title="“Curly” quotes, ö and \U0001f4a5"), *_records(3)]
    store.import_records(records, author="bot", message="")
    store.create(make_record("made-one", title="Çà"), author="a", message="")
    db = sqlite3.connect(db_path)
    assert {row[0] for row in db.execute("SELECT typeof(data) FROM records")} == {"text"}
    (found,) = db.execute("SELECT count(*) FROM records WHERE data LIKE '%“Curly”%'").fetchone()
    db.close()
    assert found == 1
    assert store.get("quote").record == records[0]
    assert store.get("made-one").record.title == "Çà"


def test_import_refuses_a_slug_collision_and_writes_nothing(store: Store) -> None:
    store.create(make_record("incident-5", title="Kept"), author="a", message="")
    with pytest.raises(SlugExists) as raised:
        store.import_records(_records(10), author="bot", message="")
    assert raised.value.slug == "incident-5"
    assert store.slugs() == {"incident-5"}
    assert store.get("incident-5").record.title == "Kept"


def test_import_refuses_the_same_slug_twice_in_one_input(store: Store) -> None:
    with pytest.raises(SlugExists):
        store.import_records([make_record("twin"), make_record("twin")], author="b", message="")
    assert store.count() == 0


def test_import_with_replace_saves_a_new_revision_over_an_existing_record(store: Store) -> None:
    store.create(make_record("incident-1", title="Old"), author="a", message="")
    n = store.import_records(_records(3), author="bot", message="again", replace=True)
    assert n == 3
    got = store.get("incident-1")
    assert (got.record.title, got.revision, got.status) == ("Incident number 1", 2, "published")
    assert [r.action for r in store.history("incident-1")] == ["create", "import"]
    assert store.verify_history() == []
    from casework.store.base import Query

    assert store.search(Query(text="old", status=None)).total == 0
    assert store.search(Query(text="number", status=None)).total == 3


def test_collections_keep_their_records_in_order_and_can_be_replaced(store: Store) -> None:
    store.import_records(_records(3), author="b", message="")
    first = Collection(
        slug="ports",
        title="Ports",
        lede="Short",
        description="Long",
        records=["incident-2", "incident-0"],
    )
    store.put_collection(first)
    assert store.get_collection("ports") == first
    second = first.model_copy(update={"title": "Harbours", "records": ["incident-1"]})
    store.put_collection(second)
    store.put_collection(Collection(slug="empty", title="Empty"))
    assert store.collections() == [Collection(slug="empty", title="Empty"), second]
    store.delete_collection("ports")
    with pytest.raises(CollectionNotFound):
        store.get_collection("ports")
    with pytest.raises(CollectionNotFound):
        store.delete_collection("ports")


def test_a_collection_naming_a_missing_record_is_refused_whole(store: Store) -> None:
    store.import_records(_records(1), author="b", message="")
    with pytest.raises(RecordNotFound):
        store.put_collection(Collection(slug="bad", title="Bad", records=["incident-0", "nowhere"]))
    assert store.collections() == []
