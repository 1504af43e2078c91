"""`casework bulk` on a real tracker: records chosen by words and filters, each changed in one
revision through the editing service, refusals reported per record, --dry-run writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from casework.model import Collection, Status
from casework.store import open_store
from casework.store.base import Store
from tests.store.factories import make_record
from tests.test_cli import cw, one_line_error


@pytest.fixture
def tracker(tmp_path: Path) -> Path:
    folder = tmp_path / "t"
    assert cw(tmp_path, "init", str(folder), "--url", "https://m.example.org")[0] == 0
    store = open_store(folder / "tracker.db")
    try:
        for slug, summary, year in [
            ("quay-fire", "Fire at the quay warehouse.", "2024"),
            ("quay-arrests", "Arrests at the quay gate.", "2025"),
            ("inland-road", "A road closed inland.", "2025"),
        ]:
            store.create(make_record(slug, summary=summary, date=f"{year}-03-02"),
                         author="eve", message="seed")  # fmt: skip
        store.set_status("quay-arrests", Status.published, base_revision=1, author="rita",
                         message="p")  # fmt: skip
        store.put_collection(Collection(slug="harbour", title="The harbour", records=[]))
    finally:
        store.close()
    return folder


def _store(folder: Path) -> Store:
    return open_store(folder / "tracker.db")


def test_a_dry_run_lists_and_changes_nothing(tracker: Path) -> None:
    code, out, err = cw(tracker, "bulk", "--query", "quay", "--dry-run", "add-tag", "night-raid")
    assert code == 0, err
    flat = " ".join(out.split())
    assert "quay-fire" in flat and "quay-arrests" in flat and "inland-road" not in flat
    assert "2 would change" in flat
    store = _store(tracker)
    try:
        assert all(len(store.history(s)) == 1 for s in ("quay-fire", "inland-road"))
    finally:
        store.close()


def test_tags_and_category_change_one_revision_per_record(tracker: Path) -> None:
    code, _, err = cw(tracker, "bulk", "--year", "2025", "add-tag", "night-raid")
    assert code == 0, err
    code, _, err = cw(tracker, "bulk", "--slug", "quay-fire", "--slug", "inland-road",
                      "set-category", "civil-liberties")  # fmt: skip
    assert code == 0, err
    store = _store(tracker)
    try:
        arrests = store.get("quay-arrests")
        assert arrests.record.tags[-1] == "night-raid" and arrests.revision == 3
        # A published record's change is disclosed to readers, as a single edit's is.
        assert arrests.record.update_log[-1].summary == "Updated the tags."
        assert store.get("inland-road").record.category == "civil-liberties"
        assert "night-raid" not in store.get("quay-fire").record.tags
        assert store.history("inland-road")[-1].message.startswith("Bulk change:")
    finally:
        store.close()
    code, out, _ = cw(tracker, "bulk", "--year", "2025", "remove-tag", "night-raid")
    assert code == 0 and "2 changed" in " ".join(out.split())


def test_a_status_change_reports_what_may_not_move(tracker: Path) -> None:
    code, out, err = cw(tracker, "bulk", "--status", "draft", "set-status", "review")
    assert code == 0, err
    code, out, err = cw(tracker, "bulk", "--every", "set-status", "review")
    assert code == 1 and "2 unchanged, 1 refused" in " ".join(out.split())
    assert err.strip() == ("refused: quay-arrests: a published record cannot become review")
    store = _store(tracker)
    try:
        assert store.get("quay-arrests").status is Status.published
    finally:
        store.close()
    for dry in (["--dry-run"], []):  # the plan says so as the change would
        code, _, err = cw(tracker, "bulk", "--slug", "quay-arrests", *dry, "set-status", "draft")
        assert code == 1 and "comment: say why" in err  # rita published it
    code, out, err = cw(tracker, "bulk", "--slug", "quay-arrests", "set-status", "draft",
                        "--comment", "Dates disagree.")  # fmt: skip
    assert code == 0, err


def test_records_join_a_collection_once(tracker: Path) -> None:
    assert cw(tracker, "bulk", "--query", "quay", "add-to-collection", "harbour")[0] == 0
    code, out, _ = cw(tracker, "bulk", "--every", "add-to-collection", "harbour")
    assert code == 0 and "2 unchanged" in " ".join(out.split())
    store = _store(tracker)
    try:
        records = store.get_collection("harbour").records
        assert sorted(records[:2]) == ["quay-arrests", "quay-fire"] and records[2] == "inland-road"
    finally:
        store.close()


def test_no_filter_is_refused_and_a_bad_status_is_one_line(tracker: Path) -> None:
    code, _, err = cw(tracker, "bulk", "add-tag", "x")
    one_line_error(code, err, "--every")
    code, _, err = cw(tracker, "bulk", "--every", "set-status", "gone")
    one_line_error(code, err, "gone")
    code, _, err = cw(tracker, "bulk", "--every", "add-to-collection", "nope")
    one_line_error(code, err, "nope")
