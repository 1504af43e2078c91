"""The signing key and the checkpoints: made by `casework init` (or at first need), private,
never published; every build appends a checkpoint that the next ones extend."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from casework.cli import app as cli_app
from casework.evidence import checkpoint as cp
from casework.evidence.ledger import LogHead
from casework.model import Status
from casework.store import open_store
from tests.store.factories import make_record

runner = CliRunner()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_init_makes_a_private_key_which_no_published_byte_holds(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    result = runner.invoke(cli_app, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    key = folder / cp.KEY_NAME
    assert _mode(key) == 0o600 and "signing key" in result.stdout
    store = open_store(folder / "tracker.db")
    store.create(make_record("pier-arrests"), author="a", message="m", status=Status.published)
    store.close()
    site = tmp_path / "site"
    assert (
        runner.invoke(cli_app, ["--tracker", str(folder), "build", "--out", str(site)]).exit_code
        == 0
    )
    assert _mode(folder / cp.CHECKPOINTS_NAME) == 0o600
    private = cp.load_key(folder)
    secret = private.private_bytes_raw()
    published = b"".join(p.read_bytes() for p in site.resolve().rglob("*") if p.is_file())
    assert secret not in published and key.read_bytes().strip() not in published
    # What is published is the public half, in the manifest and beside it.
    public = cp.public_key_text(private.public_key())
    manifest = json.loads((site / "data" / "manifest.json").read_text())
    assert manifest["publicKey"] == public
    assert (site / "data" / cp.PUBLIC_KEY_NAME).read_text().strip() == public
    # The salt that opens the log commitment stays in the tracker folder.
    salt = cp.read_checkpoints(folder)[0].private["salt"]
    assert salt.encode() not in published


def test_a_tracker_without_a_key_gets_one_at_its_first_build(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    assert runner.invoke(cli_app, ["init", str(folder)]).exit_code == 0
    (folder / cp.KEY_NAME).unlink()  # as a tracker made before keys were
    result = runner.invoke(
        cli_app, ["--tracker", str(folder), "build", "--out", str(tmp_path / "s")]
    )
    assert result.exit_code == 0, result.output
    assert "made a signing key" in result.stderr
    assert _mode(folder / cp.KEY_NAME) == 0o600
    result = runner.invoke(cli_app, ["--tracker", str(folder), "verify"])
    assert result.exit_code == 0, result.output


def test_a_key_is_never_replaced_and_signatures_hold_only_for_it(tmp_path: Path) -> None:
    key = cp.make_key(tmp_path)
    assert cp.make_key(tmp_path).private_bytes_raw() == key.private_bytes_raw()
    made = cp.make_checkpoint(
        key, public=LogHead(1, "ab" * 32), full=LogHead(3, "cd" * 32), time="t", files={}
    )
    assert cp.signature_ok(key.public_key(), made.published())
    assert made.checkpoint["logCommitment"] == cp.commitment(made.private["salt"], 3, "cd" * 32)
    other = tmp_path / "other"
    other.mkdir()
    assert not cp.signature_ok(cp.make_key(other).public_key(), made.published())
    tampered = {**made.published(), "checkpoint": {**made.checkpoint, "size": 2}}
    assert not cp.signature_ok(key.public_key(), tampered)


@pytest.mark.parametrize("text", ["", "ed25519", "ed25519 !!!", "ed25519 AAAA", "rsa AAAA AAAA"])
def test_a_bad_public_key_is_one_clear_error(text: str) -> None:
    with pytest.raises(cp.CheckpointError, match="not an Ed25519 public key"):
        cp.parse_public_key(text)


def test_a_broken_checkpoints_file_is_named_with_its_line(tmp_path: Path) -> None:
    (tmp_path / cp.CHECKPOINTS_NAME).write_text(
        '{"checkpoint": {}, "signature": "", "private": {}}\nnot json\n'
    )
    with pytest.raises(cp.CheckpointError, match="line 2"):
        cp.read_checkpoints(tmp_path)
    folder = tmp_path
    result = runner.invoke(
        cli_app, ["--tracker", str(folder), "verify", str(tmp_path / "nothing-here")]
    )
    assert result.exit_code == 1 and "no such file or folder" in result.stderr
