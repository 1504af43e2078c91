"""SQLite's `search_postings` (store/postings.py): each search key's records as compact blobs,
kept equal on every write path to the keys the records hold, and filled by migration 0027
from FTS5's `search_all` alone (which 0028 drops and its downgrade makes again)."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from casework.model import Status
from casework.store import Store, open_store, postings
from casework.store.history import record_from_json
from casework.store.prepared import prepare_record
from casework.store.sqlite import SQLiteStore

from .factories import make_record, save_changed


@pytest.mark.parametrize(
    "ids",
    [[5], [0, 1, 2, 3], list(range(7, 5000, 3)), [8, 9, 70_000], list(range(65_000, 65_536))],
)
def test_a_blob_gives_back_the_ids_it_was_made_of(ids: list[int]) -> None:
    blob = postings.encode(ids)
    assert postings.decode(blob).tolist() == ids
    assert postings.decode(postings.encode(np.array(ids, dtype=np.int64))).tolist() == ids
    # Dense ids are a bitset, sparse ones a list: never more than 4 bytes an id and a header.
    assert len(blob) <= 4 * len(ids) + 5


@pytest.mark.parametrize("start", [[3], list(range(100, 400)), list(range(0, 4000, 2))])
def test_adding_and_taking_out_ids_in_place_matches_a_set(start: list[int]) -> None:
    held = set(start)
    blob = postings.encode(start)
    steps = [([1, 5000], []), ([], [3, 5000]), (list(range(50, 60)), [102]), ([], sorted(held))]
    for plus, minus in steps:
        held = (held | set(plus)) - set(minus)
        blob = postings._merged(blob, plus, minus)
        assert (postings.decode(blob).tolist() if blob else []) == sorted(held)


def _rows(where: Path | str, sql: str) -> list[tuple[Any, ...]]:
    """The rows of `sql` in the store at `where` (a SQLite file, or a PostgreSQL URL)."""
    if isinstance(where, Path):
        db = sqlite3.connect(where)
        try:
            return db.execute(sql).fetchall()
        finally:
            db.close()
    import psycopg

    with psycopg.connect(where) as pg:
        return pg.execute(sql).fetchall()


def _stored(path: Path | str) -> dict[str, list[int]]:
    found: defaultdict[str, list[int]] = defaultdict(list)
    for key, _chunk, blob in _rows(path, "SELECT key, chunk, ids FROM search_postings"):
        found[key] += postings.decode(bytes(blob)).tolist()
    return {key: sorted(ids) for key, ids in found.items()}


def _expected(path: Path | str) -> dict[str, list[int]]:
    """Each key of the records stored now, as a write makes them, with their ids."""
    found: defaultdict[str, list[int]] = defaultdict(list)
    for rowid, data in _rows(path, "SELECT id, data FROM records ORDER BY id"):
        prepared = prepare_record(record_from_json(data))
        for key in postings.record_keys(prepared.head_keys, prepared.all_keys):
            found[key].append(rowid)
    return dict(found)


def _indexed(path: Path | str) -> dict[str, list[int]]:
    """On PostgreSQL, each key as the GIN indexes' vectors hold it (`record_words`)."""
    found: defaultdict[str, list[int]] = defaultdict(list)
    for rowid, search, head in _rows(
        path,
        "SELECT record_id, tsvector_to_array(search), tsvector_to_array(search_head)"
        " FROM record_words ORDER BY record_id",
    ):
        for key in {*search, *(postings.HEAD + k for k in head)}:
            found[key].append(rowid)
    return dict(found)


def test_every_write_path_keeps_the_postings_equal_to_the_records(
    store: Store, db_path: Path | str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Chunks of 4 ids: a dozen records span several rows of each key.
    monkeypatch.setattr(postings, "CHUNK_BITS", 2)
    store.import_records(
        [make_record(f"r{i}", title=f"Harbour case {i} lighthouse") for i in range(10)],
        author="t",
        message="",
    )
    store.create(make_record("draft", title="Quarry draft"), author="t", message="")
    save_changed(store, "r3", title="Saltmarsh wardens fined")  # words gone and new
    save_changed(store, "draft", summary="Nothing about harbours here.")
    stored = store.get("r5")
    store.set_status("r5", Status.draft, base_revision=stored.revision, author="t", message="")
    store.delete("r7", base_revision=store.get("r7").revision, author="t", reason="test")
    renamed = store.get("r8")
    store.rename(
        "r8",
        renamed.record.model_copy(update={"slug": "r8-moved", "title": "Moved"}),
        base_revision=renamed.revision,
        author="t",
        message="",
    )
    store.retire("r9", "r1", base_revision=store.get("r9").revision, author="t")
    path = db_path
    store.close()
    assert _stored(path) == _expected(path)
    assert "saltmarsh" in _stored(path)
    assert "lighthous" in _stored(path)  # stemmed, as search_all holds it
    assert _stored(path)["t:saltmarsh"] == _stored(path)["h:saltmarsh"] == [4]
    if not isinstance(path, Path):
        assert _stored(path) == _indexed(path)

    store = open_store(path)
    store.rebuild_search_index()
    store.close()
    assert _stored(path) == _expected(path)


def test_an_import_holds_its_postings_a_chunk_at_a_time_and_a_failed_one_leaves_none(
    store: Store, db_path: Path | str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Batches of 2 records, chunks of 4 ids, written each 4 records held (postings.Pending):
    # flushed inside the import's transaction, then at its end, or dropped with it.
    monkeypatch.setattr(postings, "CHUNK_BITS", 2)
    monkeypatch.setattr(postings, "CHUNK_IDS", 4)
    monkeypatch.setattr(store, "_import_batch", 2)
    store.create(make_record("kept", title="Lighthouse keeper"), author="t", message="")
    doomed = [make_record(f"d{i}", title=f"Zeppelin {i}") for i in range(7)]
    with pytest.raises(Exception, match="kept"):
        store.import_records([*doomed, make_record("kept")], author="t", message="")
    store.create(make_record("late", title="Quarry late"), author="t", message="")
    path = db_path
    assert _stored(path) == _expected(path)
    assert "zeppelin" not in _stored(path)  # nothing held from the failed import was written
    store.import_records(doomed, author="t", message="")
    assert _stored(path) == _expected(path)
    assert len(_stored(path)["zeppelin"]) == 7


@pytest.mark.sqlite_only
def test_migration_0027_fills_the_postings_from_search_all(store: SQLiteStore) -> None:
    """Down to 0026 and up again: 0028's downgrade makes `search_all` again from the stored
    records, 0027's upgrade fills the postings from it, 0028's upgrade drops it."""
    from alembic import command

    from casework.store.migrate import _alembic_config

    store.import_records(
        [make_record(f"r{i}", title=f"Harbour case {i}") for i in range(5)], author="t", message=""
    )
    store.create(make_record("draft", title="Quarry draft"), author="t", message="")
    path = store.path
    store.close()
    written = _stored(path)
    config = _alembic_config()
    config.set_main_option("sqlalchemy.url", f"sqlite:///{path}")
    command.downgrade(config, "0026")
    db = sqlite3.connect(path)
    assert not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'search_postings'").fetchall()
    assert db.execute("SELECT 1 FROM sqlite_master WHERE name = 'search_all'").fetchall()
    db.close()
    command.upgrade(config, "head")
    assert _stored(path) == written == _expected(path)
    db = sqlite3.connect(path)
    assert not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'search_all'").fetchall()
    db.close()


def test_a_prepared_record_sent_by_pickle_leaves_its_texts_behind_and_makes_them_again() -> None:
    """A reader sends prepared records without their plain texts (`PreparedRecord.__reduce__`):
    what arrives is equal, and its `head` and `body_text`, made again from its JSON, are the
    texts it was prepared with."""
    import pickle

    record = make_record("sent", title="Harbour “gauge”", description="By the pier.")
    prepared = prepare_record(record)
    sent = pickle.dumps(prepared)
    arrived = pickle.loads(sent)
    assert arrived == prepared and arrived.texts is None
    assert (arrived.head, arrived.body_text) == (prepared.head, prepared.body_text)
    assert arrived.all_text == prepared.all_text


@pytest.mark.postgres_only
def test_migration_0029_fills_postgresqls_postings_from_the_gin_indexes_vectors(
    store: Store, db_path: str
) -> None:
    from alembic import command

    from casework.store.migrate import _alembic_config, sqlalchemy_url

    store.import_records(
        [make_record(f"r{i}", title=f"Harbour case {i}") for i in range(5)], author="t", message=""
    )
    store.create(make_record("draft", title="Quarry draft"), author="t", message="")
    store.close()
    written = _stored(db_path)
    config = _alembic_config()
    config.set_main_option("sqlalchemy.url", sqlalchemy_url(db_path))
    command.downgrade(config, "0027")
    assert _rows(db_path, "SELECT to_regclass('search_postings') IS NULL") == [(True,)]
    command.upgrade(config, "head")
    assert _stored(db_path) == written == _expected(db_path) == _indexed(db_path)
    assert written["t:harbour"] == [1, 2, 3, 4, 5]


def test_a_searchs_matches_come_from_the_postings(store: Store, db_path: Path | str) -> None:
    """A key's postings alone decide which records a word finds (no second look at the text
    or, on PostgreSQL, at the GIN index): a record put in a word's postings by hand is found
    by it, one taken out is not."""
    from casework.store.base import Query

    store.create(make_record("kite", title="Kite festival"), author="t", message="")
    store.create(make_record("boat", title="Boat parade"), author="t", message="")
    ids = dict(_rows(db_path, "SELECT slug, id FROM records"))
    store.close()
    # "kite" now names the boat record alone; "parad" (stemmed) no record.
    blob = postings.encode([ids["boat"]])
    chunk = ids["boat"] >> postings.CHUNK_BITS
    if isinstance(db_path, Path):
        db = sqlite3.connect(db_path)
        with db:
            db.execute("DELETE FROM search_postings WHERE key IN ('kite', 'parad')")
            db.execute("INSERT INTO search_postings VALUES ('kite', ?, ?)", (chunk, blob))
        db.close()
    else:
        import psycopg

        with psycopg.connect(db_path) as pg:
            pg.execute("DELETE FROM search_postings WHERE key IN ('kite', 'parad')")
            pg.execute("INSERT INTO search_postings VALUES ('kite', %s, %s)", (chunk, blob))
    store = open_store(db_path)
    try:
        found = store.search(Query(text="kite", status=None))
        assert [hit.slug for hit in found.hits] == ["boat"]
        assert store.search(Query(text="parade", status=None)).total == 0
    finally:
        store.close()


@pytest.mark.postgres_only
def test_concurrent_writers_keep_postgresqls_postings_whole(store: Store, db_path: str) -> None:
    """Writers in threads, each saving its own record again and again with words the others
    share (the same (key, chunk) rows), and creating new ones: no update of a row is lost and
    no writer deadlocks (each takes the revision log's lock before its postings)."""
    import threading

    for i in range(4):
        store.create(make_record(f"w{i}", title=f"Harbour writer {i}"), author="t", message="")
    failures: list[BaseException] = []

    def work(i: int) -> None:
        try:
            for step in range(6):
                word = ("lighthouse", "saltmarsh", "quarry")[step % 3]
                save_changed(store, f"w{i}", title=f"Harbour {word} writer {i}")
                store.create(
                    make_record(f"n{i}-{step}", title=f"Harbour {word} new"), author="t", message=""
                )
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    store.close()
    assert _stored(db_path) == _expected(db_path) == _indexed(db_path)
    assert len(_stored(db_path)["t:harbour"]) == 4 + 4 * 6
