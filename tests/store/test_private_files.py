"""Owner-only files (store/private_files.py): a tracker's database and its -wal and -shm, its
casework.toml, archive/ and the demo's accounts are made 0600 / 0700 whatever the
umask, while the public site stays readable; and a write either lands whole or not at all."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from casework.demo import DEMO_ACCOUNTS, ensure_demo_accounts
from casework.ingest.pipeline import PROPOSALS, ingest
from casework.model import Site
from casework.store.private_files import private_folder, write_private
from casework.tracker import open_tracker
from tests.store.factories import make_record
from tests.test_cli import cw

ARTICLE = Path(__file__).resolve().parents[1] / "fixtures" / "articles" / "estmark-landmine-memo.md"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(params=[0o000, 0o022])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    """The most permissive umask there is, and the usual one."""
    before = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(before)


def test_a_tracker_keeps_its_unpublished_files_to_its_owner(tmp_path: Path, umask: int) -> None:
    folder = tmp_path / "t"
    code, _, err = cw(tmp_path, "init", str(folder), "--url", "https://m.example.org")
    assert code == 0, err
    with open_tracker(folder) as tracker:
        tracker.store.create(make_record("pier"), author="ada", message="first")
        siblings = [folder / "tracker.db-wal", folder / "tracker.db-shm"]
        assert all(path.exists() for path in siblings)  # made by SQLite, with the file's mode
        for path in [folder / "tracker.db", *siblings, folder / "casework.toml"]:
            assert mode(path) == 0o600, path
        proposal = ingest(str(ARTICLE), tracker.store, Site(url="https://m.example.org"), folder)
        # Kept in the database (0600 above), not as a file beside it.
        assert tracker.store.proposals.get(proposal.id)["id"] == proposal.id
    assert not (folder / PROPOSALS).exists()
    ensure_demo_accounts(folder)
    assert mode(folder / DEMO_ACCOUNTS) == 0o600

    # The public site is for everyone: what `casework build` writes stays readable.
    code, _, err = cw(folder, "build")
    assert code == 0, err
    page = folder / "site" / "index.html"
    assert mode(page) & 0o044 == 0o044 & ~umask


def test_private_folders_are_0700_and_existing_ones_keep_their_mode(
    tmp_path: Path, umask: int
) -> None:
    made = private_folder(tmp_path / "a" / "archive")
    assert mode(made) == 0o700 and made.is_dir()
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o750)  # an operator's choice
    private_folder(shared)
    assert mode(shared) == 0o750


def test_a_private_write_replaces_the_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text("old")
    path.chmod(0o644)
    write_private(path, b"new")
    assert path.read_bytes() == b"new" and mode(path) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["p.json"]
