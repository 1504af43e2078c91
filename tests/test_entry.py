"""The command's entry point (casework/entry.py): `casework --version` answers without loading
the command line, and every other command still reaches it."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

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


# What each command must not load (issue 15's start-up point): the probe runs the command in
# this interpreter and prints, when the process exits, which of these it imported.
WATCHED = (
    "numpy", "sqlalchemy", "alembic", "yaml", "trafilatura", "lxml", "pypdf", "argon2",
    "casework.editing", "casework.formats", "casework.transfer", "casework.store.sqlite_search",
)  # fmt: skip
LOADED = (
    "import atexit, sys; atexit.register(lambda: print(sorted(m for m in WATCHED "
    "if m in sys.modules))); sys.argv = ['casework'] + sys.argv[1:]; "
    "from casework.entry import main; main()"
)
ARTICLES = Path(__file__).parent / "fixtures" / "articles"


def loaded(folder: Path, *args: str) -> tuple[str, list[str]]:
    """What `casework -t FOLDER ARGS` printed, and which WATCHED modules it loaded."""
    shown = subprocess.run(
        [sys.executable, "-c", f"WATCHED = {WATCHED!r}; {LOADED}", "-t", str(folder), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.returncode == 0, shown.stderr
    output, _, last = shown.stdout.rstrip("\n").rpartition("\n")
    return output, ast.literal_eval(last)


@pytest.fixture(scope="module")
def tracker(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("startup") / "t"
    for args in (
        ["init", str(folder)],
        ["-t", str(folder), "import", str(ARTICLES / "records.ndjson")],
    ):
        made = subprocess.run(
            [sys.executable, "-m", "casework", *args], capture_output=True, text=True, timeout=120
        )
        assert made.returncode == 0, made.stderr
    return folder


def test_help_loads_no_database_code(tracker: Path) -> None:
    output, modules = loaded(tracker, "--help")
    assert "ingest" in output
    assert modules == []


def test_a_command_that_searches_nothing_loads_no_search(tracker: Path) -> None:
    output, modules = loaded(tracker, "show", "estmark-antipersonnel-mine-ban-reversal")
    assert "Estmark Defence Memo" in output
    # The store opens (SQLAlchemy), but the facet index, and numpy with it, is a search's.
    assert "sqlalchemy" in modules
    assert {"numpy", "casework.store.sqlite_search", "alembic"}.isdisjoint(modules)


def test_ingest_of_a_markdown_file_loads_only_what_it_reads_with(tracker: Path) -> None:
    output, modules = loaded(
        tracker, "ingest", str(ARTICLES / "estmark-landmine-memo.md"), "--json"
    )
    proposal = json.loads(output)
    assert proposal["target"] == "estmark-antipersonnel-mine-ban-reversal"
    assert proposal["items"]
    # Matching searches the tracker (numpy's facet arrays), but nothing reads HTML, PDF or
    # YAML front matter, and nothing edits, imports, exports or migrates.
    assert "casework.store.sqlite_search" in modules
    not_used = {"trafilatura", "lxml", "pypdf", "yaml", "alembic", "casework.editing",
                "casework.formats", "casework.transfer"}  # fmt: skip
    assert not_used.isdisjoint(modules)


def test_version_and_search_load_neither_sqlalchemy_nor_pydantic(tracker: Path) -> None:
    """Issue 17's start-up: `casework search` runs on its quick path (cli/quick.py) with the
    sqlite3 driver and the facet index kept on disk; the model, typer's pydantic coercion and
    the store's SQLAlchemy stay unloaded. What it prints is the command line's own."""
    heavy = {"sqlalchemy", "alembic", "pydantic", "casework.model", "typer._adapters"}
    for args in (["search", "landmines", "--all", "--json"], ["search", "--all", "--limit", "2"]):
        output, modules = loaded_modules(tracker, heavy, *args)
        assert modules == [], args
        via_typer = subprocess.run(
            [sys.executable, "-c", TYPER, "-t", str(tracker), *args],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert via_typer.returncode == 0, via_typer.stderr
        assert output == via_typer.stdout.rstrip("\n")
    found = json.loads(loaded_modules(tracker, heavy, "search", "landmines", "--all", "--json")[0])
    assert found["total"] >= 1  # the tracker's records are drafts: --all
    shown = subprocess.run(
        [sys.executable, "-c", f"WATCHED = {sorted(heavy)!r}; {LOADED}", "--version"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert shown.stdout.splitlines() == [f"casework {__version__}", "[]"]


def test_a_search_the_quick_path_cannot_read_goes_to_the_command_line(tracker: Path) -> None:
    # --help, an option it does not know, a value the command line refuses: typer's answers.
    output, modules = loaded_modules(tracker, {"typer._adapters"}, "search", "--help")
    assert "--category" in output and modules == ["typer._adapters"]
    for args, said in ((["search", "--colour", "red"], "No such option"),
                       (["search", "--limit", "ten"], "--limit")):  # fmt: skip
        shown = subprocess.run(
            [sys.executable, "-m", "casework", "-t", str(tracker), *args],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert shown.returncode == 2 and said in shown.stderr, shown.stderr
    # No tracker there: the command line's one-line error.
    shown = subprocess.run(
        [sys.executable, "-m", "casework", "-t", str(tracker / "nowhere"), "search", "x"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert shown.returncode == 1 and "casework init" in shown.stderr


TYPER = "import sys; sys.argv[0] = 'casework'; from casework.cli import app; app()"


def loaded_modules(folder: Path, watched: set[str], *args: str) -> tuple[str, list[str]]:
    """What `casework -t FOLDER ARGS` printed, and which of `watched` it loaded."""
    shown = subprocess.run(
        [sys.executable, "-c", f"WATCHED = {sorted(watched)!r}; {LOADED}", "-t", str(folder),
         *args],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    output, _, last = shown.stdout.rstrip("\n").rpartition("\n")
    return output, ast.literal_eval(last)
