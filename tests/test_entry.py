"""The command's entry point (casework/entry.py): `casework --version` answers without loading
the command line, and every other command still reaches it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from casework import __version__

PROBE = (
    "import sys; sys.argv = ['casework'] + sys.argv[1:]; from casework.entry import main; main(); "
    "print(sorted(m for m in ('typer', 'sqlalchemy', 'pydantic', 'casework.cli') "
    "if m in sys.modules))"
)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=60
    )


def test_version_loads_nothing_of_the_command_line() -> None:
    shown = run("--version")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines() == [f"casework {__version__}", "[]"]


def test_other_commands_reach_the_command_line(tmp_path: Path) -> None:
    shown = subprocess.run(
        [sys.executable, "-m", "casework", "init", str(tmp_path / "t")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.returncode == 0, shown.stderr
    assert (tmp_path / "t" / "casework.toml").exists()
    # `--version` with anything else is the command line's (its eager option answers).
    shown = run("--verbose", "--version")
    assert shown.stdout.splitlines() == [f"casework {__version__}"], shown.stdout
