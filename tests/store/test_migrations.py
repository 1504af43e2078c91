from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from casework.store import UnsupportedDatabase, migrate, open_store


def _tables(path: Path) -> set[str]:
    db = sqlite3.connect(path)
    try:
        return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        db.close()


def test_migrate_creates_the_schema_in_an_empty_file_and_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    migrate(f"sqlite:///{path}")
    tables = _tables(path)
    assert {"records", "record_tags", "revisions", "collections", "collection_records"} <= tables
    assert {"search_head", "search_all", "store_meta", "alembic_version"} <= tables
    migrate(f"sqlite:///{path}")
    assert _tables(path) == tables
    db = sqlite3.connect(path)
    assert db.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
    db.close()


def test_open_store_uses_wal_and_full_sync(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    store = open_store(path)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()
    store.close()


@pytest.mark.parametrize(
    "url", ["postgresql://localhost/db", "mysql://x/y", "sqlite:///:memory:", "sqlite://"]
)
def test_open_store_refuses_what_it_cannot_open_with_a_clear_error(url: str) -> None:
    with pytest.raises(UnsupportedDatabase, match="casework"):
        open_store(url)
