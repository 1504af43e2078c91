"""`casework note`, `casework notes` and `casework unpublish --comment` on a real tracker."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from casework.config import load_config
from casework.editing import Actor, Editing
from casework.model import Status
from casework.model.roles import Role
from casework.store import open_store
from tests.store.factories import make_record
from tests.test_cli import cw, one_line_error


@pytest.fixture
def tracker(tmp_path: Path) -> Path:
    folder = tmp_path / "t"
    assert cw(tmp_path, "init", str(folder), "--url", "https://m.example.org")[0] == 0
    return folder


def _published(folder: Path, slug: str) -> None:
    store = open_store(folder / "tracker.db")
    try:
        editing = Editing(store, load_config(folder).site)
        editing.create(Actor("eve", Role.editor), make_record(slug))
        editing.move(Actor("rita", Role.reviewer), slug, Status.published, base_revision=1)
    finally:
        store.close()


def test_notes_are_added_listed_and_given_as_json(tracker: Path) -> None:
    _published(tracker, "quay-fire")
    code, out, err = cw(tracker, "note", "quay-fire", "Two reports, one photographer.")
    assert code == 0, err
    assert "note 1" in out
    assert cw(tracker, "note", "quay-fire", "Asked Aya\nto confirm.")[0] == 0
    code, out, _ = cw(tracker, "notes", "quay-fire")
    assert code == 0 and "Two reports, one photographer." in out and "to confirm." in out
    code, out, _ = cw(tracker, "notes", "quay-fire", "--json")
    found = json.loads(out)
    assert [n["text"] for n in found] == [
        "Two reports, one photographer.",
        "Asked Aya\nto confirm.",
    ]
    assert set(found[0]) == {"id", "slug", "createdAt", "author", "text"}
    # Exports are public-facing: no note in any of them, even with --all.
    for kind in ("archive", "ndjson", "csv"):
        code, out, err = cw(tracker, "export", "--format", kind, "--all", "-o", "-")
        assert code == 0, err
        assert "quay-fire" in out and "photographer" not in out


def test_a_bad_note_is_one_line_and_keeps_nothing(tracker: Path) -> None:
    _published(tracker, "quay-fire")
    code, _, err = cw(tracker, "note", "quay-fire", "   ")
    one_line_error(code, err, "quay-fire", "note")
    code, _, err = cw(tracker, "note", "no-such-record", "Orphan.")
    one_line_error(code, err, "no-such-record")
    assert "has no notes" in cw(tracker, "notes", "quay-fire")[1]


def test_unpublishing_someone_elses_publication_takes_a_comment(tracker: Path) -> None:
    _published(tracker, "quay-fire")
    code, _, err = cw(tracker, "unpublish", "quay-fire")
    one_line_error(code, err, "quay-fire", "comment")
    code, _, err = cw(tracker, "unpublish", "quay-fire", "--comment", "A witness withdrew.")
    assert code == 0, err
    store = open_store(tracker / "tracker.db")
    try:
        last = store.history("quay-fire")[-1]
    finally:
        store.close()
    assert last.status is Status.draft and last.message.endswith("comment: A witness withdrew.")
