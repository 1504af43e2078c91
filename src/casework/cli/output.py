"""What the command line prints besides a command's own lines: the two consoles (stdout for
results, stderr for progress, warnings and errors), progress bars, and an error in one line."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:
    from rich.progress import Progress

out = Console()
err = Console(stderr=True)


def expected() -> tuple[type[BaseException], ...]:
    """Errors casework expects and explains in one line; anything else is a bug and shows in
    full with --verbose. (Imported when an error is raised: the editing service and the formats
    load only for the commands that use them.)"""
    from pydantic import ValidationError

    from casework.config import ConfigError
    from casework.editing import EditingError
    from casework.formats import InvalidInput
    from casework.ingest.article import ReadError
    from casework.store.base import StoreError

    return (
        ConfigError, InvalidInput, StoreError, ReadError, ValidationError, ValueError, OSError,
        EditingError,
    )  # fmt: skip


@contextmanager
def one_line_errors(verbose: bool) -> Iterator[None]:
    """An expected error (or a full disk) said in one line on stderr, exit status 1; with
    `verbose`, its traceback first. Anything else goes on up, a bug in full."""
    try:
        yield
    except Exception as error:
        from casework.store.disk_errors import storage_full
        from casework.transfer import ImportAborted  # (transfer loads only with an error)

        if isinstance(error, ImportAborted):
            for item in error.errors[:20]:
                err.print(f"[red]error:[/red] {item}", highlight=False, soft_wrap=True)
            if len(error.errors) > 20:
                err.print(f"… and {len(error.errors) - 20} more invalid records", highlight=False)
            err.print("[red]nothing was imported[/red] (--skip-invalid imports the valid records)")
            raise typer.Exit(1) from None
        # A full or failing disk, from whichever engine or file write: one line, as expected.
        if not isinstance(error, expected()) and storage_full(error) is None:
            raise
        if verbose:
            err.print_exception()
        # Escaped: the message is the error's text, not markup ("[postgres]" is shown).
        err.print(f"[red]error:[/red] {escape(one_line(error))}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None


def one_line(error: BaseException) -> str:
    from pydantic import ValidationError

    from casework.store.base import StoreError
    from casework.store.disk_errors import storage_full

    if not isinstance(error, StoreError) and (full := storage_full(error)) is not None:
        error = full
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return f"{where}: {first['msg']}"
    return " ".join(str(error).split()) or type(error).__name__


def refuse(why: str) -> NoReturn:
    err.print(f"[red]error:[/red] {why}", highlight=False, soft_wrap=True)
    raise typer.Exit(1)


def shows_progress() -> bool:
    """Progress is shown on a terminal (or with CASEWORK_PROGRESS=1)."""
    return err.is_terminal or os.environ.get("CASEWORK_PROGRESS") == "1"


def progress_bar() -> Progress:
    """A rich progress display on stderr, shown on a terminal (or with CASEWORK_PROGRESS=1)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
        disable=not shows_progress(),
    )


@contextmanager
def progress(description: str, total: int | None) -> Iterator[Callable[[int], None]]:
    if not shows_progress():  # nothing to show: rich's progress display is not even loaded
        yield lambda n: None
        return
    with progress_bar() as bar:
        task = bar.add_task(description, total=total)
        yield lambda n: bar.advance(task, n)


@contextmanager
def stage_progress() -> Iterator[Callable[[str, int], None]]:
    """Progress for work in stages: `(stage, total)` starts one, `("", n)` advances it."""
    if not shows_progress():
        yield lambda stage, n: None
        return
    with progress_bar() as bar:
        current: list[Any] = []

        def advance(stage: str, n: int) -> None:
            if stage:
                current[:] = [bar.add_task(stage, total=n)]
            elif current:
                bar.advance(current[0], n)

        yield advance


def timestamp(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment is not None else "never"
