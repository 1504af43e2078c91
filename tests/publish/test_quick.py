"""publish/quick.py through the command line: a build with nothing to do stops before the
store's code loads, and any commit since — an unpublish first of all — takes the long way."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CASEWORK = [sys.executable, "-m", "casework"]


def cw(tracker: Path, *args: str, importtime: bool = False) -> subprocess.CompletedProcess[str]:
    flags = ["-X", "importtime"] if importtime else []
    return subprocess.run(
        [sys.executable, *flags, "-m", "casework", "--tracker", str(tracker), *args],
        check=True,
        capture_output=True,
        text=True,
    )


def fingerprint(tracker: Path) -> str | None:
    """publish/quick.py's fingerprint as a command's start takes it: in a new process, which
    holds no database open (this test process may: quick.fingerprint then declines, rightly,
    since reading a database file's header could drop SQLite's locks)."""
    code = "import sys; from pathlib import Path; from casework.publish.quick import fingerprint;"
    code += " print(fingerprint(Path(sys.argv[1])))"
    done = subprocess.run(
        [sys.executable, "-c", code, str(tracker)], check=True, capture_output=True, text=True
    )
    printed = done.stdout.strip()
    return None if printed == "None" else printed


def age(tracker: Path) -> None:
    """As if the tracker's database were last written an hour ago."""
    past = 1_767_225_600  # always the same moment: only a commit can tell the files apart
    for path in tracker.iterdir():
        if path.name.startswith("tracker.db"):
            os.utime(path, (past, past))


def quick_build(tracker: Path) -> bool:
    """Build; whether it stopped before loading the store's code."""
    done = cw(tracker, "build", importtime=True)
    return "sqlalchemy" not in done.stderr


def test_a_build_with_nothing_to_do_does_not_open_the_store(tmp_path: Path) -> None:
    tracker = tmp_path / "t"
    subprocess.run([*CASEWORK, "init", str(tracker)], check=True, capture_output=True)
    cw(tracker, "generate", "12")
    cw(tracker, "build")
    slug = sorted(p.stem for p in (tracker / "site" / "incident").glob("*.json"))[0]
    # Just written: the fingerprint cannot vouch (a commit in the same tick could hide).
    os.utime(tracker / "tracker.db")
    assert fingerprint(tracker) is None
    age(tracker)
    assert fingerprint(tracker) is not None
    assert not quick_build(tracker)  # the long way, which keeps the fingerprint
    assert quick_build(tracker)
    assert "up to date" in " ".join(cw(tracker, "build").stdout.split())  # (wrapped lines)
    # A commit since: the long way, and the record is gone from the site.
    cw(tracker, "unpublish", slug)
    assert not quick_build(tracker)
    assert not (tracker / "site" / "incident" / f"{slug}.json").exists()
    # Even when the database's times say nothing happened, a commit is seen (the database
    # file's header, the write-ahead log's size) as long as it happened after the look.
    age(tracker)
    assert not quick_build(tracker)
    before = fingerprint(tracker)
    cw(tracker, "publish", slug)
    age(tracker)
    assert fingerprint(tracker) != before
    assert not quick_build(tracker)
    assert (tracker / "site" / "incident" / f"{slug}.json").exists()
    # The configuration is read too.
    assert quick_build(tracker)
    config = tracker / "casework.toml"
    config.write_text(config.read_text().replace('title = "', 'title = "New: ', 1))
    assert not quick_build(tracker)
    assert "New: " in (tracker / "site" / "index.html").read_text()
