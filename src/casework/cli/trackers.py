"""Trackers as a whole: making one (`init`), bringing its database to the newest schema
(`migrate`), copying it to another database (`copy`)."""

from pathlib import Path
from typing import Annotated

import typer

from casework.cli.invocation import Invocation
from casework.cli.output import out, progress


def init(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Argument(help="Where to make the tracker.")],
    title: Annotated[str, typer.Option(help="The site's title.")] = "casework tracker",
    url: Annotated[str, typer.Option(help="The public site's base URL.")] = "https://example.org",
) -> None:
    """Make a new tracker: a casework.toml and an empty SQLite database."""
    from casework.evidence.checkpoint import key_path, make_key
    from casework.model import Site
    from casework.tracker import init_tracker

    with Invocation.of(ctx).errors():
        init_tracker(folder, Site(title=title, url=url))
        make_key(folder)
    out.print(
        f"New tracker in [bold]{folder}[/bold]. Edit {folder / 'casework.toml'} to set "
        "its URL, title and vocabularies."
    )
    out.print(
        f"Its signing key is {key_path(folder)}: keep it private and backed up (builds sign "
        "the history's checkpoints with it; its public half is published with the site)."
    )


def migrate(ctx: typer.Context) -> None:
    """Bring the tracker's database (or --db) to the newest schema; idempotent."""
    from casework.store.migrate import head_revision

    with Invocation.of(ctx).tracker() as tracker:
        out.print(
            f"{type(tracker.store).__name__}: at schema revision {head_revision()}",
            highlight=False,
        )


def _database_of(place: str) -> str:
    """A database URL as given, or the database of the tracker in that folder, or a file."""
    if "://" in place:
        return place
    from casework.config import CONFIG_NAME, load_config

    path = Path(place)
    if (path / CONFIG_NAME).exists():
        return load_config(path).resolved_database_url
    return "sqlite:///" + str(path.resolve())


def _search_of(place: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The search language and [places.names] of the tracker in that folder, which its
    search index is written with (english and none for a bare database)."""
    from casework.config import CONFIG_NAME, load_config
    from casework.search_words import DEFAULT_LANGUAGE

    path = Path(place)
    if "://" not in place and (path / CONFIG_NAME).exists():
        config = load_config(path)
        return config.search_language, config.site.place_names
    return DEFAULT_LANGUAGE, ()


def copy(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="A database URL, a tracker folder or a .db file.")],
    destination: Annotated[str, typer.Argument(help="Where to: an empty database, same forms.")],
) -> None:
    """Copy a whole tracker — records, history, collections, accounts, jobs — to another
    database (SQLite ↔ PostgreSQL), then check every row count and revision hash."""
    from casework.store import open_store
    from casework.store.copy import copy_store

    with Invocation.of(ctx).errors():
        language, names = _search_of(source)
        src = open_store(_database_of(source), language, place_names=names)
        try:
            # A copy is the same tracker: its search index is rebuilt in the source's language,
            # with its place names.
            dst = open_store(_database_of(destination), language, place_names=names)
            try:
                with progress("Copying rows", None) as advance:
                    report = copy_store(src, dst, lambda _table, n: advance(n))
            finally:
                dst.close()
        finally:
            src.close()
    out.print(
        f"Copied {report.records:,} records and {report.revisions:,} revisions "
        f"({sum(report.rows.values()):,} rows); counts, revision hashes and every hash chain "
        f"verified on the copy.",
        highlight=False,
    )
