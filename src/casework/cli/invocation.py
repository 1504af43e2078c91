"""One run of the command line: its global options (`--tracker`, `--db`, `--verbose`), kept as
the click context's object (`ctx.obj`) by the root callback, and what every command does with
them: open the tracker, explain an error in one line, act as the operator through the editing
service."""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from casework.cli.output import err, one_line_errors

if TYPE_CHECKING:
    from casework.editing import Actor, Editing
    from casework.model import Site
    from casework.tracker import Tracker


@dataclass(frozen=True)
class Invocation:
    folder: Path = Path(".")  # --tracker
    db: str | None = None  # --db: the database URL, instead of casework.toml's
    verbose: bool = False  # --verbose: tracebacks with errors

    @classmethod
    def of(cls, ctx: typer.Context) -> Invocation:
        """The run's options, from the command's context or a parent's (a group such as
        `bulk` keeps its own object on its context)."""
        found = ctx.find_object(cls)
        return found if found is not None else cls()

    def errors(self) -> AbstractContextManager[None]:
        """Errors casework expects, said in one line (exit status 1)."""
        return one_line_errors(self.verbose)

    @contextmanager
    def tracker(self) -> Iterator[Tracker]:
        """The tracker, open, within `errors()`."""
        from casework.tracker import open_tracker

        with self.errors(), open_tracker(self.folder, self.db) as tracker:
            said_imported(tracker)
            yield tracker

    def site_or_default(self) -> Site:
        from casework.config import ConfigError, load_config
        from casework.model import Site

        try:
            return load_config(self.folder).site
        except ConfigError:
            return Site()


def said_imported(tracker: Tracker) -> None:
    """Tell, on stderr (stdout may be JSON), what became of proposal files found in the
    tracker's folder: imported into the database, or left there unreadable."""
    done = tracker.imported
    if done is None:
        return
    if done.added or done.present:
        err.print(
            f"Imported {len(done.added)} proposal file{'s' * (len(done.added) != 1)} into the "
            f"database ({done.present} there already); the files are in proposals-imported/.",
            highlight=False,
        )
    for name, why in done.refused:
        err.print(
            f"[yellow]warning:[/yellow] proposals/{name} is not a proposal casework can read "
            f"({why}): left where it is",
            highlight=False,
            soft_wrap=True,
        )


def author() -> str:
    try:
        return os.environ.get("CASEWORK_AUTHOR") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def operator() -> Actor:
    """Who the command line acts as: the operator (an admin's rights), by name."""
    from casework.editing import Actor

    return Actor.operator(author())


def editing_of(tracker: Tracker) -> Editing:
    """The editing service: every editorial change a command makes goes through it."""
    from casework.editing import Editing

    return Editing(tracker.store, tracker.site)


def public_view(tracker: Tracker) -> Any:
    """What the public sees of the tracker: its published records, with the captures of
    their sources (the `captures` key of casework's own)."""
    from casework.evidence.captures import Captures
    from casework.publish.public_view import PublicView

    return PublicView(tracker.store, Captures.of(tracker.store, tracker.config.root))
