"""`casework rename` and `casework history` across a rename, on a real tracker."""

from __future__ import annotations

from pathlib import Path

import pytest

from casework.config import load_config
from casework.editing import Actor, Editing
from casework.model.roles import Role
from casework.store import open_store
from tests.store.factories import make_record
from tests.test_cli import cw, one_line_error
from tests.test_cli_notes import _published


@pytest.fixture
def tracker(tmp_path: Path) -> Path:
    folder = tmp_path / "t"
    assert cw(tmp_path, "init", str(folder), "--url", "https://m.example.org")[0] == 0
    store = open_store(folder / "tracker.db")
    try:
        Editing(store, load_config(folder).site).create(
            Actor("eve", Role.editor), make_record("harbor-closure")
        )
    finally:
        store.close()
    return folder


def test_a_rename_keeps_the_whole_history_and_verifies(tracker: Path) -> None:
    code, out, err = cw(tracker, "rename", "harbor-closure", "harbour-closure", "--message", "typo")
    assert code == 0, err
    assert "Renamed harbor-closure to harbour-closure." in out
    code, out, err = cw(tracker, "history", "harbour-closure", "--verify")
    assert code == 0, err
    assert "Was harbor-closure (revisions 1-1, below)." in out
    assert "rename" in out and "Renamed" in out
    assert "Hash chain verified: 2 revisions intact." in out
    code, out, err = cw(tracker, "verify")
    assert code == 0, err


def test_refused_renames_are_one_line_and_change_nothing(tracker: Path) -> None:
    _published(tracker, "quay-fire")
    code, _, err = cw(tracker, "rename", "harbor-closure", "quay-fire")
    one_line_error(code, err, "'quay-fire' is taken")
    code, _, err = cw(tracker, "rename", "quay-fire", "harbor-closure")
    one_line_error(code, err, "'harbor-closure' is taken")
    code, _, err = cw(tracker, "rename", "harbor-closure", "Not-A-Slug")
    one_line_error(code, err, "is not a slug")
    store = open_store(tracker / "tracker.db")
    try:
        assert store.slugs() == {"harbor-closure", "quay-fire"}
        assert store.get("harbor-closure").revision == 1
    finally:
        store.close()
