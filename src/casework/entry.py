"""The `casework` command's entry point: what a command costs before it does anything.

The command line (`cli/`) loads typer and rich, then only the module of the command that runs
(with the model its signature names; the command loads the rest of what it uses).
`casework --version` needs none of it, so it is answered here without loading them (issue
17's start-up goal); `casework search` is offered to its quick path first (`cli/quick.py`:
no typer parsing, pydantic or SQLAlchemy); every other command goes on to the command line.

Two costs of the process rather than of casework's code are cut here too, for the command only
(a program importing casework keeps its own settings):

- numpy (search's facet arrays) starts OpenBLAS, which starts a thread per core on import and
  spins them: ~50 ms of CPU. Nothing casework does with numpy calls BLAS, so one thread.
- When the command returns, the interpreter's finalization collects garbage over every object
  still alive, module by module: ~0.15 s after `casework ingest` has printed its proposal.
  Freezing the collector first leaves those objects to the OS, as os._exit would, while
  atexit handlers, finalizers of objects freed by reference counting and the flushing of
  output still run as before.
"""

from __future__ import annotations

import gc
import os
import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from casework import __version__

        print(f"casework {__version__}")
        return
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    if "search" in sys.argv[1:]:
        from casework.cli import quick

        if quick.search(sys.argv[1:]):
            gc.freeze()
            return
    from casework.cli import app

    try:
        app(prog_name="casework")
    finally:
        gc.freeze()


if __name__ == "__main__":
    main()
