"""Without psycopg (the `postgres` extra), every way to a PostgreSQL database is refused in one
line naming the extra (store/postgres_driver.py), and SQLite trackers work as before."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from casework.store import open_store
from casework.store.migrate import migrate
from casework.store.postgres_driver import PostgresDriverMissing

URL = "postgresql://postgres@127.0.0.1/casework_never_made"
# `casework ARGS` in a Python where `import psycopg` fails, as where it is not installed.
WITHOUT = (
    "import sys; sys.modules['psycopg'] = None; sys.argv = ['casework'] + sys.argv[1:]; "
    "from casework.entry import main; main()"
)


def test_opening_or_migrating_a_postgres_database_names_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    for attempt in (lambda: open_store(URL), lambda: migrate(URL)):
        with pytest.raises(PostgresDriverMissing, match=r"casework\[postgres\]"):
            attempt()


def test_the_command_line_says_it_in_one_line(tmp_path: Path) -> None:
    def casework(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", WITHOUT, *args], capture_output=True, text=True, timeout=120
        )

    folder = tmp_path / "t"
    assert casework("init", str(folder)).returncode == 0  # SQLite needs no driver
    for args in (["--db", URL, "search", "x"], ["copy", str(folder), URL]):
        shown = casework("-t", str(folder), *args)
        assert shown.returncode == 1
        assert shown.stderr.strip().splitlines() == [
            "error: PostgreSQL needs the psycopg driver, which is not installed here: "
            "pip install 'casework[postgres]'"
        ]
    assert casework("-t", str(folder), "search", "x").returncode == 0
