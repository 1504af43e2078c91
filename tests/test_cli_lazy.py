"""The command line's registry (casework/cli/__init__.py, lazy.py): every command it names
loads, with the one-line help `casework --help` shows for it; `--help` imports no command's
module, and a command imports its own module only."""

from __future__ import annotations

import ast
import inspect
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from casework.cli import COMMANDS, app
from casework.cli.lazy import load

# The modules every command loads (the root, its registry and what the commands share).
SHARED = {"casework.cli", "casework.cli.invocation", "casework.cli.lazy", "casework.cli.output"}
PROBE = (
    "import atexit, sys; atexit.register(lambda: print(sorted(m for m in sys.modules "
    "if m.startswith('casework.cli') or m in ('pydantic', 'casework.model')))); "
    "sys.argv = ['casework'] + sys.argv[1:]; from casework.entry import main; main()"
)


def run(*args: str) -> tuple[str, list[str]]:
    """What `casework ARGS` printed, and which command-line modules it imported."""
    shown = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "200"},  # one command a line
    )
    assert shown.returncode == 0, shown.stderr
    output, _, last = shown.stdout.rstrip("\n").rpartition("\n")
    return output, ast.literal_eval(last)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_command_loads_with_the_help_the_registry_gives(name: str) -> None:
    entry = COMMANDS[name]
    command = load(name, entry, "rich")
    assert command.name == name
    first = inspect.cleandoc(command.help or "").split("\n\n")[0]
    assert " ".join(first.split()) == entry.help


def test_help_lists_every_command_and_imports_none(tmp_path: Path) -> None:
    output, modules = run("--help")
    for name, entry in COMMANDS.items():
        assert f" {name} " in output
        assert " ".join(entry.help.split()[:4]) in output, name
    assert set(modules) == SHARED  # neither a command's module nor the model (pydantic)


def test_a_command_imports_its_own_module_only(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    output, modules = run("init", str(folder))
    assert "New tracker" in output
    assert set(modules) - SHARED == {"casework.cli.trackers", "casework.model", "pydantic"}
    output, modules = run("-t", str(folder), "search", "x")
    assert "0 records match." in output
    # A search takes its quick path (quick.py): neither typer's parsing nor the model.
    assert set(modules) - SHARED == {"casework.cli.quick", "casework.cli.reading"}


def test_a_groups_subcommands_and_an_unknown_name() -> None:
    runner = CliRunner()
    shown = runner.invoke(app, ["user", "--help"])
    assert shown.exit_code == 0 and "revoke-token" in shown.stdout
    shown = runner.invoke(app, ["serch"])
    assert shown.exit_code == 2 and "Did you mean 'search'" in shown.stderr
