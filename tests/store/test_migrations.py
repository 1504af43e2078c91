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
    assert db.execute("SELECT version_num FROM alembic_version").fetchall() == [("0006",)]
    db.close()


def test_a_database_at_0001_is_brought_to_head_when_opened(tmp_path: Path) -> None:
    """A tracker made before migration 0002 gains its index, and keeps its records."""
    from alembic import command

    from casework.store.migrate import _alembic_config
    from tests.store.factories import make_record

    path = tmp_path / "old.db"
    store = open_store(path)
    store.create(make_record("kept"), author="t", message="m")
    store.close()
    config = _alembic_config()
    config.set_main_option("sqlalchemy.url", f"sqlite:///{path}")
    command.downgrade(config, "0001")
    db = sqlite3.connect(path)
    indexes = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "ix_revisions_slug_number_hash" not in indexes
    db.close()
    store = open_store(path)
    assert list(store.versions()) == ["kept"]
    store.close()
    db = sqlite3.connect(path)
    indexes = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "ix_revisions_slug_number_hash" in indexes
    assert db.execute("SELECT version_num FROM alembic_version").fetchall() == [("0006",)]
    db.close()


def test_open_store_uses_wal_and_full_sync(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    store = open_store(path)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()
    store.close()


@pytest.mark.parametrize("url", ["mysql://x/y", "sqlite:///:memory:", "sqlite://"])
def test_open_store_refuses_what_it_cannot_open_with_a_clear_error(url: str) -> None:
    with pytest.raises(UnsupportedDatabase, match="casework"):
        open_store(url)
