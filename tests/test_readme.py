"""The README is the set-up manual: its commands must be the ones CI runs, and it must
document every command of the CLI (as sqlite-utils' test_docs does)."""

from __future__ import annotations

import re
from pathlib import Path

from casework.cli import COMMANDS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _sh_blocks() -> list[str]:
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", README, flags=re.S)]


def test_ci_runs_exactly_the_readme_test_command() -> None:
    test_command = next(block for block in _sh_blocks() if "pytest" in block)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    ci_lines = [line for line in ci.splitlines() if line and not line.startswith("#")]
    assert ci_lines[-1] == test_command


def test_readme_set_up_starts_the_demo() -> None:
    assert any(block.endswith("casework demo") for block in _sh_blocks())


def test_every_command_is_documented_in_the_readme() -> None:
    names = list(COMMANDS)
    assert len(names) >= 10
    missing = [name for name in names if f"`casework {name}" not in README]
    assert missing == []


def test_every_check_rule_is_documented_in_the_readme() -> None:
    from casework.check import RULES

    missing = [rule.id for rule in RULES if f"`{rule.id}`" not in README]
    assert missing == []
