"""The `casework` command's entry point: what a command costs before it does anything.

The command line (`cli.py`) loads typer, the model, the store and SQLAlchemy to define its
commands: ~0.8 s before the first line of any command. `casework --version` needs none of it,
so it is answered here without loading them (issue 17's start-up goal); every other command
goes on to the command line as before.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from casework import __version__

        print(f"casework {__version__}")
        return
    from casework.cli import app

    app(prog_name="casework")


if __name__ == "__main__":
    main()
