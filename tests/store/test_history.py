from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from casework.model import Status
from casework.store import history as h
from casework.store.base import Action, Conflict, RecordNotFound, RevisionNotFound, Store

from .factories import make_record


def _three_revisions(store: Store) -> None:
    store.create(make_record(), author="ana", message="draft")
    store.save(make_record(title="Second"), base_revision=1, author="ben", message="edit")
    store.set_status("harbour-closure", Status.published, base_revision=2, author="ed", message="")


def test_history_keeps_every_revision_with_its_author_message_and_chain(store: Store) -> None:
    _three_revisions(store)
    revisions = store.history("harbour-closure")
    assert [r.number for r in revisions] == [1, 2, 3]
    assert [r.action for r in revisions] == [Action.create, Action.edit, Action.status]
    assert [r.author for r in revisions] == ["ana", "ben", "ed"]
    assert revisions[0].prev_hash == ""
    assert revisions[1].prev_hash == revisions[0].hash
    assert revisions[2].prev_hash == revisions[1].hash
    assert revisions[0].record.title == "Harbour closed without warning"
    assert revisions[1].record.title == "Second"
    assert store.verify_history() == []


def test_restore_makes_old_content_current_as_a_new_revision(store: Store) -> None:
    _three_revisions(store)
    restored = store.restore("harbour-closure", 1, base_revision=3, author="ana", message="undo")
    assert restored.revision == 4
    assert restored.status == Status.published
    got = store.get("harbour-closure")
    assert got.record.to_storage() == make_record().to_storage()
    assert store.history("harbour-closure")[-1].action == Action.restore
    with pytest.raises(Conflict):
        store.restore("harbour-closure", 2, base_revision=3, author="ana", message="")


def test_missing_history_and_revisions_raise(store: Store) -> None:
    store.create(make_record(), author="a", message="")
    with pytest.raises(RecordNotFound):
        store.history("nowhere")
    with pytest.raises(RevisionNotFound):
        store.revision("harbour-closure", 9)


def _tamper(path: Path, sql: str) -> None:
    db = sqlite3.connect(path)
    db.execute(sql)
    db.commit()
    db.close()


def test_verify_history_reports_a_revision_edited_with_raw_sql(store: Store, db_path: Path) -> None:
    _three_revisions(store)
    store.create(make_record("untouched"), author="a", message="")
    _tamper(
        db_path,
        "UPDATE revisions SET author = 'mallory' WHERE slug = 'harbour-closure' AND number = 2",
    )
    problems = store.verify_history()
    assert [(p.slug, p.number) for p in problems] == [("harbour-closure", 2)]
    assert "hash" in problems[0].message
    assert store.verify_history("untouched") == []


def test_verify_history_reports_rewritten_record_data_even_with_a_fresh_hash(
    store: Store, db_path: Path
) -> None:
    _three_revisions(store)
    # Rewrite revision 1 and recompute its own hash: the chain to revision 2 still breaks.
    import zlib

    from casework.store import history as h

    db = sqlite3.connect(db_path)
    row = db.execute(
        "SELECT slug, number, action, author, message, created_at, status, data "
        "FROM revisions WHERE number = 1"
    ).fetchone()
    data = zlib.decompress(row[7]).decode().replace("Harbour closed", "Nothing happened")
    from datetime import datetime

    digest = h.revision_hash(
        slug=row[0],
        number=1,
        action=row[2],
        author=row[3],
        message=row[4],
        created_at=datetime.fromisoformat(row[5]),
        status=row[6],
        data=data,
        prev_hash="",
    )
    db.execute(
        "UPDATE revisions SET data = ?, hash = ? WHERE number = 1", (h.compress(data), digest)
    )
    db.commit()
    db.close()
    problems = store.verify_history()
    assert [(p.slug, p.number) for p in problems] == [("harbour-closure", 2)]
    assert "prev_hash" in problems[0].message


def test_verify_history_reports_a_deleted_revision_and_a_changed_current_record(
    store: Store, db_path: Path
) -> None:
    _three_revisions(store)
    _tamper(db_path, "DELETE FROM revisions WHERE number = 2")
    _tamper(db_path, "UPDATE records SET data = replace(data, 'Second', 'Third')")
    messages = [p.message for p in store.verify_history("harbour-closure")]
    assert any("expected revision 2" in m for m in messages)
    assert any("differs from its last revision" in m for m in messages)


def test_the_stored_json_is_the_compact_json_module_form() -> None:
    # Whichever serializer writes it (orjson when installed), the stored bytes are those of
    # json.dumps(ensure_ascii=False, compact): hashes made by either agree.
    record = make_record(
        "cafe-naive",
        title="Café \u2028 “quotes” \\ back\u0007slash",
        summary='Emoji 💥 and "escapes" </script>',
    )
    expected = json.dumps(record.to_storage(), ensure_ascii=False, separators=(",", ":"))
    assert h.record_json(record) == expected
    assert h.record_json_bytes(record) == expected.encode("utf-8")
