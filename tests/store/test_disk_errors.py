"""A full disk, from the real engines and a real file-size limit, is a one-line StorageFull and
keeps nothing of the write (store/disk_errors.py)."""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text

from casework.store import open_store
from casework.store.accounts import Role
from casework.store.base import StorageFull
from casework.store.disk_errors import storage_full
from casework.store.sqlite import SQLiteStore
from tests.store.factories import make_record


def _cap_pages(store: SQLiteStore) -> Any:
    """Make every connection of `store` refuse to grow the database past its size now:
    SQLite's own SQLITE_FULL, as on a full disk. Returns the listener, to lift the cap."""
    raw = store._engine.raw_connection()
    try:
        pages = raw.driver_connection.execute("PRAGMA page_count").fetchone()[0]  # type: ignore[union-attr]
    finally:
        raw.close()

    def cap(connection: sqlite3.Connection, _record: Any) -> None:
        connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(store._engine, "connect", cap)
    store._engine.dispose()  # the pool's connections are made again, capped
    return cap


def _one_line(error: StorageFull, *words: str) -> None:
    message = str(error)
    assert "\n" not in message and "nothing was saved" in message, message
    for word in words:
        assert word in message, message


def test_a_full_sqlite_database_refuses_an_import_whole(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "tracker.db")
    try:
        store.create(make_record("pier"), author="ada", message="first")
        cap = _cap_pages(store)
        records = [make_record(f"r{i}", summary="detained " * 400) for i in range(100)]
        with pytest.raises(StorageFull) as full:
            store.import_records(records, author="ada", message="many")
        _one_line(full.value, str(tmp_path / "tracker.db"), "full")
        assert store.count() == 1 and store.verify_history() == []
        # Accounts write through SQLAlchemy: the same error.
        store.accounts.add_user("vic", "a long enough password", Role.editor)
        with pytest.raises(StorageFull):
            for n in range(5000):
                store.accounts.create_token("vic", f"script {n} " + "x" * 80)
        # Space again: the import goes through, and the history holds.
        event.remove(store._engine, "connect", cap)
        store._engine.dispose()
        assert store.import_records(records, author="ada", message="many") == 100
        assert store.count() == 101 and store.verify_history() == []
    finally:
        store.close()


def test_a_full_postgresql_disk_is_storage_full(postgres_url: str) -> None:
    store = open_store(postgres_url)
    try:
        # The server itself answers SQLSTATE 53100 (disk_full) to the store's INSERTs.
        with store._engine.begin() as connection:  # type: ignore[attr-defined]
            connection.execute(
                text(
                    "CREATE FUNCTION no_space() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    "RAISE EXCEPTION 'could not extend file: No space left on device' "
                    "USING ERRCODE = 'disk_full'; END $$"
                )
            )
            for table in ("revisions", "users"):
                connection.execute(
                    text(f"CREATE TRIGGER full_{table} BEFORE INSERT ON {table} "
                         "FOR EACH ROW EXECUTE FUNCTION no_space()")
                )  # fmt: skip
        with pytest.raises(StorageFull) as full:
            store.create(make_record("pier"), author="ada", message="first")
        _one_line(full.value, "PostgreSQL", "No space left on device")
        with pytest.raises(StorageFull):
            store.accounts.add_user("vic", "a long enough password", Role.editor)
        assert store.count() == 0 and store.accounts.users() == []
    finally:
        store.close()


WRITE_UNDER_A_SIZE_LIMIT = """
import resource, sys
from pathlib import Path
from casework.store.private_files import write_private
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
try:
    write_private(Path(sys.argv[1]), b"new " * 10_000)
except Exception as error:
    print(type(error).__name__, error)
"""


def test_a_file_write_the_disk_refuses_keeps_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "proposal.json"
    path.write_bytes(b"old")
    done = subprocess.run(
        [sys.executable, "-c", WRITE_UNDER_A_SIZE_LIMIT, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    said = done.stdout.strip()
    assert said.startswith(f"StorageFull {path}: cannot be written ("), said
    assert said.endswith("nothing was saved") and "\n" not in said
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["proposal.json"]  # no half-written file


def test_what_counts_as_a_full_disk() -> None:
    for number in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO):
        full = storage_full(OSError(number, os.strerror(number), "site/index.html"))
        assert isinstance(full, StorageFull) and str(full).startswith("site/index.html: ")
    assert storage_full(OSError(errno.ENOENT, "No such file", "x")) is None
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
    db.execute("INSERT INTO t VALUES (1)")
    with pytest.raises(sqlite3.IntegrityError) as constraint:
        db.execute("INSERT INTO t VALUES (1)")
    assert storage_full(constraint.value) is None  # other database errors stay what they are
