"""`casework copy`: a whole tracker — records with their full history, collections, accounts
— into an empty store, verified by counts, revision hashes and every hash chain."""

from __future__ import annotations

from pathlib import Path

import pytest

from casework.examples import generate_records
from casework.model import Collection, Site, Status
from casework.store import open_store
from casework.store.accounts import Role
from casework.store.base import Query, Store
from casework.store.copy import CopyError, copy_store
from tests.test_cli import cw

SITE = Site(url="https://m.example.org", title="Monitor")


def filled(path: Path) -> Store:
    store = open_store(f"sqlite:///{path}")
    records = list(generate_records(12, seed=3, site=SITE))
    store.import_records(records[:10], author="seed", message="m", status=Status.published)
    store.create(records[10], author="eve", message="draft")
    current = store.get(records[0].slug)
    store.save(
        current.record.model_copy(update={"title": "Edited once"}),
        base_revision=current.revision,
        author="eve",
        message="edit",
    )
    store.put_collection(Collection(slug="c", title="C", records=[records[1].slug]))
    store.accounts.add_user("ada", "a long enough password", Role.admin)
    return store


def test_a_copy_holds_every_record_revision_and_account(tmp_path: Path) -> None:
    source = filled(tmp_path / "a.db")
    destination = open_store(f"sqlite:///{tmp_path / 'b.db'}")
    try:
        report = copy_store(source, destination)
        assert report.records == 11 and report.revisions == 12
        assert destination.versions() == source.versions()
        assert destination.verify_history() == []
        slug = next(source.iter_records()).record.slug
        assert destination.history(slug) == source.history(slug)
        assert [c.slug for c in destination.collections()] == ["c"]
        assert destination.accounts.get_user("ada").role is Role.admin
        hits = destination.search(Query(text="Edited", status=None))
        assert [h.title for h in hits.hits] == ["Edited once"]
        with pytest.raises(CopyError, match="empty"):
            copy_store(source, destination)
    finally:
        destination.close()
        source.close()


def test_the_cli_copies_a_tracker_folder_to_a_database_file(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    assert cw(tmp_path, "demo", str(folder), "--records", "6", "--no-serve")[0] == 0
    code, out, err = cw(folder, "copy", str(folder), str(tmp_path / "copy.db"))
    assert code == 0, err
    assert "6 records" in out and "verified" in out
    code, _, err = cw(folder, "copy", str(folder), str(tmp_path / "copy.db"))
    assert code == 1 and "empty" in err


def test_the_demo_tracker_to_postgresql_and_back_exports_the_same(
    tmp_path: Path, postgres_url: str
) -> None:
    folder = tmp_path / "t"
    assert cw(tmp_path, "demo", str(folder), "--records", "8", "--no-serve")[0] == 0
    code, _, err = cw(folder, "user", "add", "ana", "--role", "admin", "--generate")
    assert code == 0, err
    code, _, err = cw(folder, "copy", str(folder), postgres_url)
    assert code == 0, err
    back = tmp_path / "back.db"
    code, _, err = cw(folder, "copy", postgres_url, str(back))
    assert code == 0, err

    def exported(*db: str) -> str:
        code, out, err = cw(folder, *db, "export", "--format", "ndjson", "--all", "-o", "-")
        assert code == 0, err
        return out

    original = exported()
    assert original.count("\n") == 8
    assert exported("--db", postgres_url) == original
    assert exported("--db", f"sqlite:///{back}") == original
    copied = open_store(postgres_url)
    try:
        assert copied.accounts.get_user("ana").role is Role.admin
        assert copied.verify_history() == []
        word = copied.iter_records().__next__().record.title.split()[0]
        assert copied.search(Query(text=word, status=None)).total >= 1
    finally:
        copied.close()


def test_a_copy_carries_every_table_of_the_schema() -> None:
    """A table added to the schema and forgotten here would be lost by every `casework copy`
    (withdrawn versions were, until this test)."""
    from casework.store import copy, schema

    assert {t.name for t in copy.TABLES} == set(schema.metadata.tables)
