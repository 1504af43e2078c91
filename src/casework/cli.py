"""The command line: a thin skin. Each command parses its arguments and calls one function.

No `from __future__ import annotations` here: typer reads every command's signature to build
the command line, whichever command runs, and string annotations would be compiled and
evaluated twice each (~20 ms of every command's start); evaluated once, as the functions are
defined, they cost a third of that. Names imported for type checking only are quoted.
"""

import getpass
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from casework import __version__
from casework.config import ConfigError
from casework.ingest.article import ReadError
from casework.model import Record, Site, Status, slugify
from casework.store.base import StoreError
from casework.tracker import Tracker, init_tracker, open_tracker

# What a command does not use it does not load: the editing service, the formats (YAML), the
# store's engines (SQLAlchemy, numpy) are imported by the commands that need them. Typer reads
# every command's signature to build the command line, so what a signature names (Status, Path)
# is imported here.
if TYPE_CHECKING:  # (store.accounts: the `user` commands only; argon2 is not needed elsewhere)
    from casework.editing import Actor, Editing
    from casework.store.accounts import Role, TokenScope
    from casework.store.jobs import Jobs
    from casework.web.server import Listening

app = typer.Typer(
    help="casework: document incidents — sourced, legally framed, their history kept — "
    "and publish them.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
out = Console()
err = Console(stderr=True)

_state: dict[str, Any] = {"tracker": Path("."), "verbose": False, "db": None}


def _version(value: bool) -> None:
    if value:
        out.print(f"casework {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    tracker: Annotated[
        Path,
        typer.Option("--tracker", "-t", envvar="CASEWORK_TRACKER", help="The tracker's folder."),
    ] = Path("."),
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show tracebacks.")] = False,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="CASEWORK_DATABASE_URL",
            help="The database URL (sqlite:///file.db, postgresql://…); default: casework.toml's.",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    _state["tracker"] = tracker
    _state["verbose"] = verbose
    _state["db"] = db


def _expected() -> tuple[type[BaseException], ...]:
    """Errors casework expects and explains in one line; anything else is a bug and shows in
    full with --verbose. (Imported when an error is raised: the editing service and the formats
    load only for the commands that use them.)"""
    from casework.editing import EditingError
    from casework.formats import InvalidInput

    return (
        ConfigError, InvalidInput, StoreError, ReadError, ValidationError, ValueError, OSError,
        EditingError,
    )  # fmt: skip


@contextmanager
def _errors() -> Iterator[None]:
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
        if not isinstance(error, _expected()) and storage_full(error) is None:
            raise
        if _state["verbose"]:
            err.print_exception()
        err.print(f"[red]error:[/red] {_one_line(error)}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None


def _one_line(error: BaseException) -> str:
    from casework.store.disk_errors import storage_full

    if not isinstance(error, StoreError) and (full := storage_full(error)) is not None:
        error = full
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return f"{where}: {first['msg']}"
    return " ".join(str(error).split()) or type(error).__name__


@contextmanager
def _tracker() -> Iterator[Tracker]:
    with _errors(), open_tracker(_state["tracker"], _state["db"]) as tracker:
        _said_imported(tracker)
        yield tracker


def _said_imported(tracker: Tracker) -> None:
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


def _bar() -> Progress:
    """A rich progress display on stderr, shown on a terminal (or with CASEWORK_PROGRESS=1)."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
        disable=not err.is_terminal and os.environ.get("CASEWORK_PROGRESS") != "1",
    )


@contextmanager
def _progress(description: str, total: int | None) -> Iterator[Callable[[int], None]]:
    with _bar() as bar:
        task = bar.add_task(description, total=total)
        yield lambda n: bar.advance(task, n)


def _author() -> str:
    try:
        return os.environ.get("CASEWORK_AUTHOR") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _actor() -> "Actor":
    """Who the command line acts as: the operator (an admin's rights), by name."""
    from casework.editing import Actor

    return Actor.operator(_author())


def _editing(tracker: Tracker) -> "Editing":
    """The editing service: every editorial change a command makes goes through it."""
    from casework.editing import Editing

    return Editing(tracker.store, tracker.site)


# --- init / demo / serve -----------------------------------------------------------------


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="Where to make the tracker.")],
    title: Annotated[str, typer.Option(help="The site's title.")] = "casework tracker",
    url: Annotated[str, typer.Option(help="The public site's base URL.")] = "https://example.org",
) -> None:
    """Make a new tracker: a casework.toml and an empty SQLite database."""
    from casework.evidence.checkpoint import key_path, make_key

    with _errors():
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


@app.command()
def demo(
    folder: Annotated[Path, typer.Argument(help="Where the demo tracker lives.")] = Path(
        "casework-demo"
    ),
    records: Annotated[int, typer.Option(help="How many example records.")] = 120,
    host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8000,
    serve: Annotated[bool, typer.Option(help="Serve it after making it.")] = True,
) -> None:
    """Make (once) a demo tracker of example records and serve it on localhost."""
    from casework.demo import ensure_demo
    from casework.web.server import Listening, is_loopback

    if serve and not is_loopback(host):
        _refuse(
            f"the demo serves this machine only (its passwords are in "
            f"{folder}/demo-accounts.txt), not {host}: serve a tracker on a network with "
            "casework serve (README: Deploying behind TLS)"
        )
    with _errors():
        with _progress("Generating example records", records) as advance:
            made = ensure_demo(folder, records, progress=advance)
    out.print(
        f"Demo tracker in [bold]{folder}[/bold] " + ("(new)" if made else "(already there, reused)")
    )
    if serve:
        from casework.demo import ensure_demo_accounts

        with _errors():
            team = ensure_demo_accounts(folder)
        login = "Sign in to the editor as " + ", ".join(
            f"[bold]{user}[/bold] ({role}) / {password}" for user, role, password in team
        )
        _serve(
            folder,
            Listening(host, port),
            login_help=login + f"  (also in {folder}/demo-accounts.txt)",
        )


@app.command()
def serve(
    host: Annotated[
        str,
        typer.Option(
            help="Address to serve on; another than loopback needs TLS, --proxy or --insecure-http."
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8000,
    ssl_certfile: Annotated[
        Path | None, typer.Option(help="Serve https: the certificate (PEM, with its chain).")
    ] = None,
    ssl_keyfile: Annotated[
        Path | None, typer.Option(help="Serve https: the certificate's private key (PEM).")
    ] = None,
    proxy: Annotated[
        str | None,
        typer.Option(
            metavar="ADDRESS[,ADDRESS]",
            help="The TLS reverse proxy in front: its X-Forwarded-For/-Proto are believed "
            "from these addresses (or networks) only.",
        ),
    ] = None,
    insecure_http: Annotated[
        bool,
        typer.Option(
            "--insecure-http",
            help="Serve plain HTTP on a network anyway (sign-ins in clear text: a warning).",
        ),
    ] = False,
    allow_host: Annotated[
        list[str] | None,
        typer.Option(
            help="Another host name requests may use (besides the site URL's, localhost and "
            "--host); repeat it for more.",
        ),
    ] = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
    cache_mb: Annotated[
        float,
        typer.Option(min=0, help="Megabytes of rendered API answers kept per process (0: none)."),
    ] = 128,
    static: Annotated[
        bool, typer.Option("--static", help="Build the static site and serve that instead.")
    ] = False,
    destination: Annotated[
        Path | None,
        typer.Option("--out", help="With --static: the built site (default: site/)."),
    ] = None,
) -> None:
    """Serve the tracker live: the public site, the JSON API and the editor."""
    from casework.web.api import CACHE_ENV
    from casework.web.server import Listening, ServeRefused, check

    try:
        listening = check(
            Listening(
                host,
                port,
                ssl_certfile,
                ssl_keyfile,
                tuple(a.strip() for a in (proxy or "").split(",") if a.strip()),
                insecure_http,
                tuple(allow_host or ()),
            )
        )
    except ServeRefused as refused:
        _refuse(str(refused))
    os.environ[CACHE_ENV] = str(cache_mb)
    _serve(_state["tracker"], listening, destination, static=static, workers=workers)


def _refuse(why: str) -> NoReturn:
    err.print(f"[red]error:[/red] {why}", highlight=False, soft_wrap=True)
    raise typer.Exit(1)


@app.command()
def build(
    destination: Annotated[
        Path | None,
        typer.Option("--out", help="Where the site goes (default: site/ in the tracker)."),
    ] = None,
    workers: Annotated[
        int | None, typer.Option(help="Processes rendering pages (default: one per core).")
    ] = None,
) -> None:
    """Write the static site: pages, record JSON, data files, feeds, search index.

    Only what changed since the last build is written; the new site replaces the old one
    in one step."""
    _build(_state["tracker"], destination, workers)


def _public(tracker: Tracker) -> Any:
    """What the public sees of the tracker: its published records, with the captures of
    their sources (the `captures` key of casework's own)."""
    from casework.evidence.captures import Captures
    from casework.publish.public_view import PublicView

    return PublicView(tracker.store, Captures.of(tracker.store, tracker.config.root))


def _signing_key(folder: Path) -> None:
    """The tracker's signing key, made (and said so) on first need: trackers made before
    checkpoints existed get one at their first build."""
    from casework.evidence.checkpoint import key_for

    key_for(folder, say=lambda text: err.print(text, highlight=False, soft_wrap=True))


def _build(folder: Path, destination: Path | None, workers: int | None = None) -> Path:
    from casework.publish.build import build_site

    with _errors(), open_tracker(folder, _state["db"]) as tracker:
        target = destination if destination is not None else tracker.config.root / "site"
        _signing_key(tracker.config.root)
        with _stage_progress() as progress:
            report = build_site(
                _public(tracker),
                tracker.site,
                target,
                workers=workers,
                progress=progress,
                tracker=tracker.config.root,
            )
    if not report.changed:
        out.print(f"{report.out}: up to date ({report.records} records, nothing written)")
    else:
        out.print(
            f"{report.out}: {report.records} records; wrote {report.pages_written} files, "
            f"kept {report.files_linked} unchanged, in {report.seconds:.2f} s"
        )
        if report.withdrawn:
            out.print(
                "The previous build was removed, not kept for rollback: it shows records "
                "or related slugs that are no longer public, or versions since withdrawn."
            )
        if _state["verbose"]:
            out.print(report.timings)
    return report.out


@contextmanager
def _stage_progress() -> Iterator[Callable[[str, int], None]]:
    """Progress for work in stages: `(stage, total)` starts one, `("", n)` advances it."""
    with _bar() as bar:
        current: list[Any] = []

        def progress(stage: str, n: int) -> None:
            if stage:
                current[:] = [bar.add_task(stage, total=n)]
            elif current:
                bar.advance(current[0], n)

        yield progress


def _serve(
    folder: Path,
    listening: "Listening",
    destination: Path | None = None,
    *,
    static: bool = False,
    workers: int = 1,
    login_help: str = "",
) -> None:
    import uvicorn

    from casework.render.pages import base_path
    from casework.web.server import export_hosts, hosts_for, uvicorn_options

    options = uvicorn_options(listening)
    options["loop"] = "uvloop" if _has("uvloop") else "auto"
    address = f"{listening.scheme}://{listening.host}:{listening.port}"
    warning = listening.warning()
    if static:
        from casework.web.api import create_api
        from casework.web.context import AppContext
        from casework.web.static_site import static_site_app

        built = _build(folder, destination)
        with _errors(), open_tracker(folder, _state["db"]) as tracker:
            site = tracker.site
            api = create_api(AppContext(tracker.store, site, tracker.config.root))
            app = static_site_app(
                built,
                base_path(site),
                api=api,
                allowed_hosts=hosts_for(listening, site),
                tile_origin=site.tile_origin(),
            )
            out.print(
                f"Serving the built site of [bold]{site.title}[/bold] on "
                f"{address}{base_path(site)} and its JSON API under /api/ (Ctrl-C stops)"
            )
            if warning:
                err.print(f"[bold red]{warning}[/bold red]", highlight=False, soft_wrap=True)
            uvicorn.run(app, **options)
        return
    with _errors(), open_tracker(folder, _state["db"]) as tracker:
        site = tracker.site
        hosts = hosts_for(listening, site)
        users = len(tracker.store.accounts.users())
        out.print(
            f"Serving [bold]{site.title}[/bold] live on {address}/ — the editor at "
            f"{address}/edit/, the JSON API under /api/ (Ctrl-C stops)"
        )
        if login_help:
            out.print(login_help)
        elif users == 0:
            out.print(
                "No accounts yet: add one with [bold]casework user add NAME --role admin[/bold]"
            )
        if warning:
            err.print(f"[bold red]{warning}[/bold red]", highlight=False, soft_wrap=True)
        if workers == 1:
            from casework.web.app import create_app

            uvicorn.run(
                create_app(
                    tracker.store,
                    site,
                    tracker.config.root,
                    publishers=tracker.config.publishers,
                    extract_seconds=tracker.config.extract_seconds,
                    allowed_hosts=hosts,
                ),
                **options,
            )
            return
    # Several processes: each opens the tracker itself (casework.web.asgi), with the same
    # server settings (uvicorn passes them on) and the same hosts (from the environment).
    os.environ["CASEWORK_TRACKER"] = str(folder.resolve())
    if _state["db"]:
        os.environ["CASEWORK_DATABASE_URL"] = _state["db"]
    export_hosts(hosts)
    uvicorn.run("casework.web.asgi:create", factory=True, workers=workers, **options)


def _has(module: str) -> bool:
    from importlib.util import find_spec

    return find_spec(module) is not None


# --- writing records ---------------------------------------------------------------------


@app.command()
def new(
    title: Annotated[str, typer.Argument(help="The record's title.")],
    slug: Annotated[str | None, typer.Option(help="Its slug (default: from the title).")] = None,
    when: Annotated[
        str | None, typer.Option("--date", help="When it happened, YYYY-MM-DD.")
    ] = None,
    category: Annotated[str | None, typer.Option(help="A category key.")] = None,
    severity: Annotated[str | None, typer.Option(help="A severity key.")] = None,
    posture: Annotated[str | None, typer.Option(help="A posture key.")] = None,
    classification: Annotated[
        str | None,
        typer.Option(help="A legal classification key (default: none chosen; needed to publish)."),
    ] = None,
    summary: Annotated[str, typer.Option(help="One paragraph.")] = "",
    message: Annotated[str, typer.Option("--message", "-m", help="Why.")] = "new record",
) -> None:
    """Start a new draft record (edit it with import/export or the web editor). No legal
    classification is set unless you give one: publishing asks for it."""
    from casework.model import UNCLASSIFIED

    with _tracker() as tracker:
        vocab = tracker.site.vocabularies
        today = date.today().isoformat()
        data = {
            "slug": slug or slugify(title),
            "title": title,
            "date": when or today,
            "lastUpdated": today,
            "summary": summary,
            "category": category or next(iter(vocab.category)),
            "severity": severity or next(iter(vocab.severity)),
            "posture": posture or next(iter(vocab.posture)),
            "ongoing": False,
            "victims": "",
            "perpetrators": "",
            "structuredVictims": [],
            "structuredPerpetrators": [],
            "legalBasis": "",
            "tags": [],
            "keyPoints": [],
            "warCrimeClassification": classification or UNCLASSIFIED,
            "internationalLaw": [],
            "iccRelevance": False,
            "legalAnalyses": [],
            "description": "",
            "relatedIncidents": [],
            "sources": [],
            "documents": [],
            "timeline": [],
            "updateLog": [],
        }
        if not data["slug"]:
            raise typer.BadParameter("the title has no letters or digits for a slug: give --slug")
        record = Record.model_validate(data, context={"site": tracker.site})
        stored = _editing(tracker).create(_actor(), record, message=message)
    out.print(f"Draft [bold]{stored.record.slug}[/bold] created (revision {stored.revision}).")


@app.command("import")
def import_(
    path: Annotated[
        Path,
        typer.Argument(
            help="Tracker JSON/NDJSON, a Markdown file or folder; a spreadsheet with --mapping."
        ),
    ],
    status: Annotated[
        Status,
        typer.Option(
            help="Status of new records (draft unless you publish them here, explicitly; "
            "records already in the tracker keep theirs)."
        ),
    ] = Status.draft,
    replace: Annotated[
        bool,
        typer.Option(
            help="Save over records whose slug exists (a new revision when something changed; "
            "a published record's change is logged for readers)."
        ),
    ] = False,
    skip_invalid: Annotated[
        bool, typer.Option(help="Import the valid records and list the invalid ones.")
    ] = False,
    message: Annotated[str | None, typer.Option("--message", "-m", help="Why.")] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(
            help="A spreadsheet (CSV, TSV, XLSX) read through this mapping (docs/mapping.md); "
            "`casework mapping suggest` writes a first one."
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            help="With --mapping: show the first records and every refused row; write nothing."
        ),
    ] = False,
    refused_report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            help="With --mapping --skip-invalid: where the refused rows go as CSV "
            "(default: DATA.refused.csv beside the sheet).",
        ),
    ] = None,
) -> None:
    """Import records, all or nothing: one invalid record and nothing is imported."""
    from casework.transfer import import_path

    if mapping is not None:
        _import_sheet(path, mapping, status, skip_invalid, message, dry_run, refused_report)
        return
    if dry_run or refused_report is not None:
        raise typer.BadParameter("--dry-run and --report go with --mapping (a spreadsheet)")
    with _tracker() as tracker, _progress(f"Importing {path.name}", None) as advance:
        report = import_path(
            _editing(tracker),
            path,
            actor=_actor(),
            message=message,
            status=status,
            replace=replace,
            skip_invalid=skip_invalid,
            progress=advance,
        )
    for warning in report.warnings[:50]:
        err.print(f"[yellow]warning:[/yellow] {warning}", highlight=False, soft_wrap=True)
    if len(report.warnings) > 50:
        err.print(f"… and {len(report.warnings) - 50} more warnings (run casework check)")
    for skipped in report.skipped:
        err.print(f"[red]skipped:[/red] {skipped}", highlight=False, soft_wrap=True)
    if report.collection:
        out.print(f"Saved collection {report.collection}.")
    out.print(
        f"Imported {report.imported} record{'s' * (report.imported != 1)}"
        + (f", skipped {len(report.skipped)} invalid" if report.skipped else "")
        + "."
    )


def _import_sheet(
    path: Path,
    mapping_path: Path,
    status: Status,
    skip_invalid: bool,
    message: str | None,
    dry_run: bool,
    report_path: Path | None,
) -> None:
    from casework.formats.mapping import load_mapping
    from casework.transfer import import_sheet, preview_sheet, write_refusals

    with _tracker() as tracker:
        mapping = load_mapping(mapping_path)
        if dry_run:
            read = preview_sheet(tracker.store, tracker.site, path, mapping)
            for record in read.preview:
                out.print(
                    f"[bold]{record.slug}[/bold]  {record.date}  {record.category}/"
                    f"{record.severity}/{record.posture}  {record.title}"
                    + (f"  (id {record.external_id})" if record.external_id else ""),
                    highlight=False,
                    soft_wrap=True,
                )
            for refused in read.refused:
                err.print(f"[red]refused:[/red] {refused}", highlight=False, soft_wrap=True)
            good = read.rows - len(read.refused)
            out.print(
                f"Dry run: {read.rows} rows, {good} would import, {len(read.refused)} refused; "
                "nothing was written."
            )
            return
        with _progress(f"Importing {path.name}", None) as advance:
            done = import_sheet(
                _editing(tracker),
                path,
                mapping,
                actor=_actor(),
                message=message,
                status=status,
                skip_invalid=skip_invalid,
                progress=advance,
            )
    if done.skipped:
        destination = report_path or path.with_name(path.name + ".refused.csv")
        write_refusals(done.skipped, destination)
        for skipped in done.skipped[:20]:
            err.print(f"[red]skipped:[/red] {skipped}", highlight=False, soft_wrap=True)
        err.print(f"{len(done.skipped)} refused rows listed in {destination}", highlight=False)
    out.print(
        f"Imported {path.name}: {done.new} new, {done.updated} updated, "
        f"{done.unchanged} unchanged"
        + (f", {len(done.skipped)} refused rows skipped" if done.skipped else "")
        + "."
    )


@app.command()
def export(
    output: Annotated[Path, typer.Option("--output", "-o", help="File or folder ('-': stdout).")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="archive, ndjson, markdown, csv or geojson.")
    ] = "archive",
    all_statuses: Annotated[
        bool, typer.Option("--all", help="Include drafts and records in review.")
    ] = False,
    collection: Annotated[
        str | None, typer.Option(help="Write this collection's document (docs/format.md) instead.")
    ] = None,
    extensions: Annotated[
        bool,
        typer.Option(
            "--extensions",
            help="Also write casework's own keys (the captures of sources, provenance, "
            "locations): "
            "JSON the seed tracker does not know.",
        ),
    ] = False,
) -> None:
    """Export records (published ones as the public sees them, unless --all), or a collection."""
    from casework.transfer import (
        ExportFormat,
        export_collection,
        export_records,
        published_records,
        write_export,
    )

    with _tracker() as tracker:
        if collection is not None:
            to_stdout = str(output) == "-"
            text = export_collection(
                tracker.store,
                collection,
                tracker.site,
                None if to_stdout else output,
                extensions=extensions,
            )
            if to_stdout:
                sys.stdout.write(text + "\n")
            else:
                out.print(f"Exported collection {collection} to {output}.")
            return
        try:
            form = ExportFormat(fmt)
        except ValueError:
            raise ValueError(f"--format {fmt!r}: use one of {', '.join(ExportFormat)}") from None
        records: Iterator[Record]
        if all_statuses:  # the editors' copy: every record as authored
            records = (s.record for s in tracker.store.iter_records())
            total = tracker.store.count()
        else:
            view = _public(tracker) if extensions else None
            records, total = published_records(
                tracker.store, view.captures if view is not None else None
            )
        if str(output) == "-":
            write_export(
                records, tracker.site, form, sys.stdout, count=total, extensions=extensions
            )
            return
        with _progress(f"Exporting {form.value}", total) as advance:
            export_records(
                records,
                tracker.site,
                form,
                output,
                count=total,
                progress=advance,
                extensions=extensions,
            )
    out.print(f"Exported {total} records to {output}.")


@app.command()
def archive(
    slugs: Annotated[
        list[str] | None, typer.Argument(help="Records whose sources to capture (default: all).")
    ] = None,
    concurrency: Annotated[int, typer.Option(help="How many URLs to fetch at once.")] = 4,
) -> None:
    """Capture every source and document URL of the records as WARC files (evidence: no
    record changes, no revision is made)."""
    from casework.evidence.captures import Captures, capture_records

    with _tracker() as tracker, _bar() as bar:
        task = bar.add_task("Capturing", total=None)

        def done(attempt: Any) -> None:
            bar.advance(task, 1)
            if _state["verbose"] and attempt.kept:
                bar.console.print(f"captured {attempt.url} ({attempt.sha256})", highlight=False)

        run = capture_records(
            tracker.store,
            Captures.of(tracker.store, tracker.config.root),
            slugs or (),
            concurrency=concurrency,
            started=lambda n: bar.update(task, total=n),
            done=done,
        )
    for failure in run.failures:  # one line each: the URL and why
        err.print(
            f"[yellow]not captured:[/yellow] {failure.error}", highlight=False, soft_wrap=True
        )
    kept, failed = len(run.kept), len(run.failures)
    out.print(
        f"Captured {kept} of {kept + failed} URL{'s' * (kept + failed != 1)} from "
        f"{run.records} record{'s' * (run.records != 1)}"
        + (f"; {failed} could not be captured." if failed else ".")
    )


@app.command()
def generate(
    count: Annotated[int, typer.Argument(help="How many example records.")],
    seed: Annotated[int, typer.Option(help="Random seed: the same seed, the same records.")] = 1,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write NDJSON here instead of importing.")
    ] = None,
) -> None:
    """Make COUNT realistic example records (marked as examples) for demos and benchmarks."""
    from casework.examples import generate_records

    if output is not None:
        from casework.formats import write_ndjson

        with _errors():
            site = _site_or_default()
            with (
                _progress("Generating", count) as advance,
                output.open("w", encoding="utf-8") as stream,
            ):
                write_ndjson(
                    _advancing(
                        generate_records(count, seed=seed, site=site, mutual_links=True), advance
                    ),
                    site,
                    stream,
                )
        out.print(f"Wrote {count} example records to {output}.")
        return
    with _tracker() as tracker, _progress("Generating", count) as advance:
        n = _editing(tracker).import_records(
            _actor(),
            generate_records(count, seed=seed, site=tracker.site, mutual_links=True),
            message=f"generate {count} example records (seed {seed}), published",
            status=Status.published,
            progress=advance,
        )
    out.print(f"Added {n} example records.")


def _advancing(items: Iterator[Record], advance: Callable[[int], None]) -> Iterator[Record]:
    for item in items:
        yield item
        advance(1)


def _site_or_default() -> Site:
    from casework.config import load_config

    try:
        return load_config(_state["tracker"]).site
    except ConfigError:
        return Site()


# --- reading -----------------------------------------------------------------------------


@app.command()
def check(
    targets: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[PATH | SLUG…]",
            help="Check this file or folder instead of the tracker; with --links, these records.",
        ),
    ] = None,
    links: Annotated[
        bool,
        typer.Option(
            "--links",
            help="Fetch every cited source and document: dead, moved, drifted, blocked, never "
            "captured. Exit 1 when one is dead or drifted.",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="With --links: print JSON.")] = False,
    fresh: Annotated[
        bool, typer.Option("--fresh", help="With --links: fetch every URL, cached or not.")
    ] = False,
    concurrency: Annotated[
        int | None,
        typer.Option("--concurrency", min=1, max=64, help="With --links: URLs at once [8]."),
    ] = None,
    delay: Annotated[
        float | None,
        typer.Option(
            "--per-host-delay",
            min=0.0,
            help="With --links: seconds between requests to one host [1].",
        ),
    ] = None,
    threshold: Annotated[
        float | None,
        typer.Option(
            "--threshold",
            min=0.0,
            max=1.0,
            help="With --links: text similarity below which a page has drifted.",
        ),
    ] = None,
) -> None:
    """Run the rules over the tracker (or files) and print findings; exit 1 on errors. With
    --links, check the links records cite instead."""
    if links:
        _check_links(targets or [], as_json, fresh, concurrency, delay, threshold)
        return
    if len(targets or []) > 1 or as_json or fresh:
        with _errors():
            raise ValueError("check takes one PATH; --json and --fresh go with --links")
    path = Path(targets[0]) if targets else None
    from casework.check import Corpus, Level, run_checks
    from casework.formats import read_any

    with _errors():
        items: list[tuple[Record, Status]] = []
        unreadable: list[str] = []  # records of the files that would not import at all
        if path is not None:
            site = _site_or_default()
            for item in read_any(path, site):
                if item.error is not None:
                    unreadable.append(str(item.error))
                    continue
                assert item.record is not None
                items.append((item.record, Status.published))
        else:
            with open_tracker(_state["tracker"], _state["db"]) as tracker:
                site = tracker.site
                items = [(s.record, s.status) for s in tracker.store.iter_records()]
        findings = run_checks(Corpus.from_records(items, site, date.today()))
    for message in unreadable:
        out.print(f"[red]error  invalid  {message}[/red]", highlight=False, soft_wrap=True)
    for finding in findings:
        colour = "red" if finding.level is Level.error else "yellow"
        out.print(f"[{colour}]{finding.format()}[/{colour}]", highlight=False, soft_wrap=True)
    errors = sum(1 for f in findings if f.level is Level.error) + len(unreadable)
    warnings = len(findings) + len(unreadable) - errors
    checked = len(items) + len(unreadable)
    out.print(f"{checked} records checked: {errors} errors, {warnings} warnings.")
    if errors:
        raise typer.Exit(1)


_KIND_COLOURS = {
    "dead": "red",
    "drifted": "red",
    "blocked": "yellow",
    "moved": "yellow",
    "never-captured": "cyan",
    "ok": "green",
}


def _check_links(
    slugs: list[str], as_json: bool, fresh: bool, concurrency: int | None,
    delay: float | None, threshold: float | None,
) -> None:  # fmt: skip
    """`check --links`: the report saved as the latest, shown; exit 1 on dead or drifted."""
    from dataclasses import replace

    from casework.evidence import links

    settings = links.default_settings()
    if concurrency is not None:
        settings = replace(settings, concurrency=concurrency)
    if delay is not None:
        settings = replace(settings, per_host_delay=delay)
    if threshold is not None:
        settings = replace(settings, threshold=threshold)
    with _tracker() as tracker, _bar() as bar:
        task = bar.add_task("Checking links", total=None)
        report = links.check_store(
            tracker.store,
            links.tracker_baseline(tracker),
            settings,
            slugs=slugs,
            fresh=fresh,
            origin="command line",
            progress=lambda n: bar.advance(task, n),
            on_total=lambda n: bar.update(task, total=n),
        )
    if as_json:
        sys.stdout.write(json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        _links_table(report)
    if report.failing:
        raise typer.Exit(1)


def _links_table(report: Any) -> None:
    from rich.markup import escape

    table = Table("kind", "URL", "answer", "similarity", "records", title="Link health")
    for finding in report.findings:
        colour = _KIND_COLOURS.get(finding.kind.value, "white")
        answer = "no answer" if finding.status is None else f"HTTP {finding.status}"
        if finding.final_url and finding.final_url != finding.url:
            answer += f" → {escape(finding.final_url)}"
        if finding.detail:
            answer += f"\n[dim]{escape(finding.detail)}[/dim]"
        if finding.cached:
            answer += "\n[dim](cached)[/dim]"
        similar = "" if finding.similarity is None else f"{finding.similarity:.2f}"
        cited = "\n".join(f"{c.slug} {c.field}" for c in finding.citations)
        table.add_row(
            f"[{colour}]{finding.kind.value}[/{colour}]",
            escape(finding.url),
            answer,
            similar,
            escape(cited),
        )
    out.print(table)
    counts = ", ".join(f"{n} {kind}" for kind, n in report.counts().items() if n)
    out.print(
        f"{len(report.findings)} URLs in {report.records} records checked "
        f"({report.fetched} fetched): {counts or 'none cited'}.",
        highlight=False,
        soft_wrap=True,
    )


def _snippet_text(snippet: str) -> Any:
    """A hit's snippet (HTML: escaped text, matches in <mark>) as terminal text: unescaped,
    matches in bold; never read as rich markup, whatever the record says."""
    import html

    from rich.text import Text

    text = Text()
    for i, part in enumerate(re.split(r"</?mark>", snippet)):
        text.append(html.unescape(part), style="bold" if i % 2 else "")
    return text


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="Words to find.")] = "",
    category: Annotated[list[str] | None, typer.Option(help="Only this category.")] = None,
    severity: Annotated[list[str] | None, typer.Option(help="Only this severity.")] = None,
    tag: Annotated[list[str] | None, typer.Option(help="Only this tag.")] = None,
    year: Annotated[list[int] | None, typer.Option(help="Only this year.")] = None,
    country: Annotated[
        list[str] | None,
        typer.Option(help="Only records with a location in this country (ISO code: PS, UA)."),
    ] = None,
    all_statuses: Annotated[bool, typer.Option("--all", help="Drafts and reviews too.")] = False,
    limit: Annotated[int, typer.Option(help="How many results.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Full-text search with facet counts."""
    from casework.store.base import Query

    with _tracker() as tracker:
        result = tracker.store.search(
            Query(
                text=text,
                category=tuple(category or ()),
                severity=tuple(severity or ()),
                tag=tuple(tag or ()),
                year=tuple(year or ()),
                country=tuple(c.upper() for c in country or ()),
                status=None if all_statuses else Status.published,
                limit=limit,
            )
        )
    if as_json:
        sys.stdout.write(
            json.dumps(
                {
                    "total": result.total,
                    "hits": [hit.__dict__ for hit in result.hits],
                    "facets": result.facets,
                },
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
        return
    table = Table("record", "date", "match", show_lines=False)
    for hit in result.hits:
        table.add_row(f"[bold]{hit.slug}[/bold]\n{hit.title}", hit.date, _snippet_text(hit.snippet))
    out.print(table)
    out.print(f"{result.total} records match.")
    for name, counts in result.facets.items():
        if counts:
            shown = ", ".join(f"{value} ({n})" for value, n in counts[:8])
            out.print(f"[dim]{name}:[/dim] {shown}", highlight=False)


@app.command()
def show(
    slug: Annotated[str, typer.Argument(help="The record's slug.")],
    as_json: Annotated[bool, typer.Option("--json", help="Tracker JSON (docs/format.md).")] = False,
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Markdown with front matter.")
    ] = False,
) -> None:
    """Show one record."""
    from casework.formats import dumps, format_generated_at, record_document, record_to_markdown

    with _tracker() as tracker:
        stored = tracker.store.get(slug)
        record = stored.record
        if as_json:
            doc = record_document(record, tracker.site, format_generated_at(datetime.now(UTC)))
            sys.stdout.write(dumps(doc) + "\n")
            return
        if markdown:
            sys.stdout.write(record_to_markdown(record))
            return
    out.print(f"[bold]{record.title}[/bold]")
    out.print(
        f"[dim]{record.slug} · {record.date} · {record.category} · {record.severity} · "
        f"{record.posture} · {stored.status.value} · revision {stored.revision}[/dim]"
    )
    out.print(record.summary)
    for point in record.key_points:
        out.print(f" • {point}", highlight=False)
    out.print(
        f"[dim]{len(record.sources)} sources, {len(record.timeline)} timeline entries, "
        f"{len(record.related_incidents)} related records[/dim]"
    )


@app.command()
def history(
    slug: Annotated[str, typer.Argument(help="The record's slug.")],
    verify: Annotated[bool, typer.Option(help="Recompute the hash chain.")] = False,
) -> None:
    """A record's revisions, oldest first: who changed it, when and why (under the slugs it
    had before a rename too)."""
    from casework.evidence.published import engine_of
    from casework.store import deletions

    with _tracker() as tracker:
        chains = _editing(tracker).full_history(slug)
        problems = [p for s, _ in chains for p in tracker.store.verify_history(s)] if verify else []
        engine = engine_of(tracker.store)
        deleted = deletions.read_one(engine, slug) if engine is not None else None
    revisions = [rev for _, found in chains for rev in found]
    for earlier, found in chains[:-1]:
        out.print(f"Was {earlier} (revisions 1-{len(found)}, below).", highlight=False)
    table = Table("rev", "when (UTC)", "who", "action", "status", "message", "hash")
    for rev in revisions:
        table.add_row(
            str(rev.number),
            rev.created_at.strftime("%Y-%m-%d %H:%M:%S"),
            rev.author,
            rev.action.value,
            rev.status.value,
            rev.message,
            rev.hash[:12],
        )
    out.print(table)
    if deleted is not None:
        out.print(f"Deleted {deleted.at} by {deleted.author}: {deleted.reason}", highlight=False)
    if verify:
        for problem in problems:
            err.print(
                f"[red]tampered:[/red] {problem.slug} revision {problem.number}: {problem.message}",
                highlight=False,
            )
        if problems:
            raise typer.Exit(1)
        out.print(f"Hash chain verified: {len(revisions)} revisions intact.")


@app.command()
def verify(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="A built site folder, a downloaded dataset folder (the /data/ files), or one "
            "version or history JSON file. Without it: this tracker."
        ),
    ] = None,
    against: Annotated[
        str | None,
        typer.Option(
            help="A published site (its URL, or a folder) or dataset folder whose checkpoints "
            "the tracker (or the file given) must agree with."
        ),
    ] = None,
    key: Annotated[
        str | None,
        typer.Option(
            help="The public key to trust ('ed25519 <base64>' or a file holding it), instead "
            "of the one published beside the checkpoints (or the tracker's own)."
        ),
    ] = None,
) -> None:
    """Check that a history no one may rewrite was not rewritten: hash chains, the revision
    log, signed checkpoints. One line per problem; exit status 1 on any."""
    from casework.evidence import verify as checks
    from casework.evidence.checkpoint import CheckpointError

    with _errors(), tempfile.TemporaryDirectory(prefix="casework-verify-") as downloads:
        pinned = checks.read_public_key(key) if key is not None else None
        published: Path | None = None
        if against is not None and checks.is_url(against):
            published = checks.fetch_published(against, Path(downloads))
        elif against is not None:
            published = Path(against)
        with _stage_progress() as progress:
            if path is None:
                with open_tracker(_state["tracker"], _state["db"]) as tracker:
                    problems = checks.verify_tracker(
                        tracker.store,
                        tracker.config.root,
                        key=pinned,
                        against=published,
                        tick=progress,
                    )
                what = "the tracker"
            else:
                if not path.exists():
                    raise CheckpointError(f"{path}: no such file or folder")
                problems = checks.verify_published(
                    path, key=pinned, against=published, tick=progress
                )
                what = str(path)
    for problem in problems:
        err.print(f"[red]problem:[/red] {problem}", highlight=False, soft_wrap=True)
    if problems:
        err.print(f"{len(problems)} problem(s) found in {what}.", highlight=False)
        raise typer.Exit(1)
    out.print(f"Verified {what}: no problems found.", highlight=False)


# --- mapping -------------------------------------------------------------------------------

mapping_app = typer.Typer(
    help="Mappings from a spreadsheet's columns to a record's fields (docs/mapping.md).",
    no_args_is_help=True,
)
app.add_typer(mapping_app, name="mapping")


@mapping_app.command("suggest")
def mapping_suggest(
    path: Annotated[Path, typer.Argument(help="A spreadsheet: CSV, TSV or XLSX.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
) -> None:
    """Print a starting mapping (TOML) for a spreadsheet, from its header and values: review
    the lines marked REVIEW, then `casework import DATA --mapping MAPPING --dry-run`."""
    from casework.formats.mapping import suggest
    from casework.formats.sheets import open_table

    with _tracker() as tracker:
        text = suggest(open_table(path), tracker.site)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        out.print(f"Wrote {output}: check the lines marked REVIEW.")


# --- user ----------------------------------------------------------------------------------

user_app = typer.Typer(
    help="Accounts of the web editor and the API: users, roles, passwords, API tokens.",
    no_args_is_help=True,
)
app.add_typer(user_app, name="user")


def _password(password_stdin: bool, generate: bool) -> tuple[str, bool]:
    """The new password (from standard input, generated, or typed twice without echo), and
    whether it was generated (then it must be shown, once)."""
    from casework.store.accounts import AccountError, check_password, generate_password

    if password_stdin and generate:
        raise AccountError("--password-stdin and --generate exclude each other: choose one")
    if generate:
        return generate_password(), True
    if password_stdin:
        # The first line, without its line ending: a password may hold spaces.
        password = sys.stdin.readline().removesuffix("\n").removesuffix("\r")
        if not password:
            raise AccountError("no password on standard input")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return check_password(password), False


def _show_generated(password: str) -> None:
    sys.stdout.write(password + "\n")
    err.print("[yellow]Store this password now: it will not be shown again.[/yellow]")


def _role(value: str) -> "Role":
    from casework.store.accounts import AccountError, Role

    try:
        return Role(value.strip().lower())
    except ValueError:
        choices = ", ".join(role.value for role in Role)
        raise AccountError(f"unknown role {value!r}: choose one of {choices}") from None


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment is not None else "never"


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument(help="Lowercase letters, digits, '.', '_', '-'.")],
    role: Annotated[str, typer.Option(help="viewer, editor, reviewer or admin.")] = "editor",
    name: Annotated[str, typer.Option("--name", help="The name shown in the editor.")] = "",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    generate: Annotated[
        bool, typer.Option("--generate", help="Make a strong random password and print it once.")
    ] = False,
) -> None:
    """Add a user (the password is asked twice, without echo, unless given another way)."""
    from casework.store.accounts import check_username

    with _errors():
        check_username(username)
        chosen = _role(role)
        password, generated = _password(password_stdin, generate)
    with _tracker() as tracker:
        user = tracker.store.accounts.add_user(username, password, chosen, display_name=name)
    # When a password was generated, standard output carries it alone (for a script to read).
    (err if generated else out).print(
        f"Added user [bold]{user.username}[/bold] ({user.role.value}).", highlight=False
    )
    if generated:
        _show_generated(password)


@user_app.command("passwd")
def user_passwd(
    username: Annotated[str, typer.Argument(help="The user.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    generate: Annotated[
        bool, typer.Option("--generate", help="Make a strong random password and print it once.")
    ] = False,
) -> None:
    """Set a user's password; signs out all their sessions (API tokens keep working)."""
    with _tracker() as tracker:
        tracker.store.accounts.get_user(username)  # an unknown user fails before the prompt
        password, generated = _password(password_stdin, generate)
        tracker.store.accounts.set_password(username, password)
    (err if generated else out).print(
        f"Password of [bold]{username}[/bold] changed; their sessions are signed out."
    )
    if generated:
        _show_generated(password)


@user_app.command("role")
def user_role(
    username: Annotated[str, typer.Argument(help="The user.")],
    role: Annotated[str, typer.Argument(help="viewer, editor, reviewer or admin.")],
) -> None:
    """Change a user's role."""
    with _tracker() as tracker:
        chosen = _role(role)
        tracker.store.accounts.set_role(username, chosen)
    out.print(f"[bold]{username}[/bold] is now {chosen.value}.", highlight=False)


@user_app.command("disable")
def user_disable(username: Annotated[str, typer.Argument(help="The user.")]) -> None:
    """Refuse a user's logins and revoke all their sessions and API tokens."""
    with _tracker() as tracker:
        tracker.store.accounts.disable(username)
    out.print(f"Disabled [bold]{username}[/bold]; their sessions and API tokens are revoked.")


@user_app.command("enable")
def user_enable(username: Annotated[str, typer.Argument(help="The user.")]) -> None:
    """Let a disabled user sign in again (revoked sessions and tokens stay revoked)."""
    with _tracker() as tracker:
        tracker.store.accounts.enable(username)
    out.print(f"Enabled [bold]{username}[/bold].")


@user_app.command("list")
def user_list() -> None:
    """Every user: username, name, role, whether disabled, when created."""
    with _tracker() as tracker:
        users = tracker.store.accounts.users()
    table = Table("username", "name", "role", "disabled", "created (UTC)")
    for user in users:
        table.add_row(
            user.username,
            user.display_name,
            user.role.value,
            "yes" if user.disabled else "no",
            _when(user.created_at),
        )
    out.print(table)
    out.print(f"{len(users)} users.")


def _lifetime(text: str | None) -> timedelta | None:
    """`--expires`: a number of hours, days or weeks (12h, 90d, 2w); None (or "never"): the
    token never expires."""
    from casework.store.accounts import AccountError

    if text is None or text.strip().lower() == "never":
        return None
    found = re.fullmatch(r"\s*(\d{1,5})\s*([hdw])\s*", text.lower())
    if found is None or int(found.group(1)) == 0:
        raise AccountError(
            f"invalid --expires {text!r}: a number of hours, days or weeks (12h, 90d, 2w), or never"
        )
    unit = {"h": "hours", "d": "days", "w": "weeks"}[found.group(2)]
    return timedelta(**{unit: int(found.group(1))})


def _scope(text: str) -> "TokenScope":
    from casework.store.accounts import AccountError, TokenScope

    try:
        return TokenScope(text.strip().lower())
    except ValueError:
        raise AccountError(f"unknown --scope {text!r}: choose read or write") from None


@user_app.command("token")
def user_token(
    username: Annotated[str, typer.Argument(help="The user the token acts for.")],
    name: Annotated[str, typer.Option("--name", help="What uses it, e.g. 'import script'.")],
    scope: Annotated[
        str,
        typer.Option(help="read (may only read; the default) or write (may also change records)."),
    ] = "read",
    expires: Annotated[
        str | None,
        typer.Option(help="Stops working after this long: 12h, 90d, 2w (default: never)."),
    ] = None,
) -> None:
    """Make an API token (sent as `Authorization: Bearer TOKEN`); it is printed once."""
    with _errors():
        chosen, lifetime = _scope(scope), _lifetime(expires)
    with _tracker() as tracker:
        token, record = tracker.store.accounts.create_token(
            username, name, scope=chosen, lifetime=lifetime
        )
    sys.stdout.write(token + "\n")
    until = f", until {_when(record.expires_at)} UTC" if record.expires_at else ""
    err.print(
        f"[yellow]API token {record.id} ({record.name!r}, {record.scope.value}{until}) for "
        f"{username}: store it now, it will not be shown again.[/yellow]",
        highlight=False,
        soft_wrap=True,
    )


@user_app.command("tokens")
def user_tokens(
    username: Annotated[str | None, typer.Argument(help="Only this user's tokens.")] = None,
) -> None:
    """API tokens (never the tokens themselves): id, user, name, scope, created, last used,
    and when it expires (or that it has expired or was revoked)."""
    from casework.store.accounts import utc_now

    with _tracker() as tracker:
        tokens = tracker.store.accounts.tokens(username)
    now = utc_now()
    table = Table("id", "user", "name", "scope", "created", "last used", "expires",
                  caption="Times are UTC.")  # fmt: skip
    table.columns[2].no_wrap = True
    for column in table.columns[4:]:  # at 80 columns, a time goes under its date
        column.min_width = 10
    for token in tokens:
        if token.revoked:
            expires = "revoked"
        elif token.expired(now):
            expires = f"expired {_when(token.expires_at)}"
        else:
            expires = _when(token.expires_at)
        table.add_row(
            str(token.id),
            token.username,
            token.name,
            token.scope.value,
            _when(token.created_at),
            _when(token.last_used_at),
            expires,
        )
    out.print(table)


@user_app.command("revoke-token")
def user_revoke_token(
    token_id: Annotated[int, typer.Argument(metavar="ID", help="The token's id (`user tokens`).")],
) -> None:
    """Revoke an API token for good."""
    with _tracker() as tracker:
        tracker.store.accounts.revoke_token(token_id)
    out.print(f"Revoked API token {token_id}.")


# --- ingest --------------------------------------------------------------------------------


@app.command()
def ingest(
    source: Annotated[str, typer.Argument(help="A URL (fetched and archived) or a file.")],
    record: Annotated[
        str | None, typer.Option("--record", help="Propose to this record, whatever matches.")
    ] = None,
    url: Annotated[
        str | None, typer.Option("--url", help="Where a file's article was published.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the proposal as JSON.")] = False,
    queue: Annotated[
        bool, typer.Option("--queue", help="Queue it for `casework worker` instead of now.")
    ] = False,
) -> None:
    """Read an article, extract what it says, find its record, and write a proposal."""
    import json

    from casework.ingest.pipeline import ingest as run_ingest

    if queue:
        with _tracker() as tracker:
            _not_the_database(tracker.store, source)
            payload = _ingest_payload(tracker.store, source, record, url)
            job_id = _jobs(tracker.store).enqueue("ingest", payload)
        out.print(f"Queued job {job_id}: {payload['source']}", highlight=False, soft_wrap=True)
        return
    with _errors(), _tracker() as tracker:
        _not_the_database(tracker.store, source)
        folder = tracker.config.root
        proposal = run_ingest(
            source,
            tracker.store,
            tracker.site,
            folder,
            target=record,
            url=url,
            extract_seconds=tracker.config.extract_seconds,
        )
    if as_json:
        print(json.dumps(proposal.to_json(), ensure_ascii=False, indent=2))
        return
    _show_proposal(proposal)


def _not_the_database(store: Any, source: str) -> None:
    """Refuse, before anything opens it, a file that is the tracker's SQLite database or one of
    its -wal, -shm, -journal files (by any name): reading it in a process that holds the
    database would drop SQLite's locks (store/guard.py, which refuses it too)."""
    from casework.ingest.pipeline import is_url
    from casework.store.guard import database_of

    database = getattr(store, "path", None)  # a SQLite store's file; PostgreSQL has none
    if database is not None and not is_url(source) and database_of(source, database):
        raise ReadError(
            f"{source}: is the tracker's database (or one of its files), not an article"
        )


def _jobs(store: Any) -> "Jobs":
    jobs: Jobs = store.jobs
    return jobs


def _ingest_payload(store: Any, source: str, record: str | None, url: str | None) -> dict[str, Any]:
    """What an ingest job needs, checked now rather than at its first attempt: a file is named
    by its absolute path (the worker may run in another folder), and must exist."""
    from casework.ingest.pipeline import is_url
    from casework.store.base import RecordNotFound

    if record is not None and not store.exists(record):
        raise RecordNotFound(record)
    if not is_url(source):
        path = Path(source).expanduser().resolve()
        if not path.is_file():
            raise ReadError(f"{source}: no such file")
        source = str(path)
    return {"source": source, "target": record, "url": url}


@app.command()
def worker(
    once: Annotated[
        bool, typer.Option("--once", help="Run the queued jobs until none is left, then exit.")
    ] = False,
    poll: Annotated[
        float, typer.Option("--poll", min=0.1, help="Seconds between looks at an empty queue.")
    ] = 2.0,
    links_every: Annotated[
        str | None,
        typer.Option(
            "--links-every",
            metavar="DURATION",
            help="Queue a link check (`check --links`) when the last is older than this "
            "(30m, 24h, 7d).",
        ),
    ] = None,
    checkpoint_every: Annotated[
        str | None,
        typer.Option(
            "--checkpoint-every",
            metavar="DURATION",
            help="Sign a checkpoint (`casework checkpoint`) when the newest is older than this "
            "(30m, 24h): for a site served live.",
        ),
    ] = None,
) -> None:
    """Run queued jobs (`casework ingest --queue`, link checks) one at a time, one line per
    job, until Ctrl-C. Several workers may run at once: each job goes to one of them."""
    import socket
    import time

    from casework.evidence.checkpoint import checkpoint_due, sign_now
    from casework.evidence.links import parse_duration, queue_if_due
    from casework.store.jobs import JobError

    with _errors():
        every = parse_duration(links_every) if links_every is not None else None
        signing = parse_duration(checkpoint_every) if checkpoint_every is not None else None
    name = f"{socket.gethostname()}:{os.getpid()}"
    done = failed = 0
    with _tracker() as tracker:
        jobs = _jobs(tracker.store)
        if not once:
            out.print(f"Worker {name} waiting for jobs (Ctrl-C stops it).", highlight=False)
        held: int | None = None
        try:
            while True:
                if every is not None and (queued := queue_if_due(jobs, every)) is not None:
                    out.print(f"Queued link check: job {queued}.", highlight=False)
                if signing is not None and checkpoint_due(tracker.config.root, signing):
                    made = sign_now(tracker.store, tracker.config.root, say=err.print)
                    out.print(f"Signed a checkpoint at {made.checkpoint['time']}.")
                job = jobs.claim(name)
                if job is None:
                    if once:
                        break
                    time.sleep(poll)
                    continue
                held = job.id
                try:
                    result, summary = _run_job(tracker, job)
                except KeyboardInterrupt:
                    raise
                except Exception as error:  # a job's failure, whatever it is, is the job's
                    if _state["verbose"]:
                        err.print_exception()
                    ended = jobs.fail(job.id, _one_line(error))
                    held = None
                    if ended.status == "failed":
                        failed += 1
                        tail = f"failed for good after {ended.attempts} attempts"
                    else:
                        tries = f"attempt {ended.attempts} of {ended.max_attempts}"
                        tail = f"failed ({tries}, queued again)"
                    out.print(
                        f"job {job.id} {tail}: {ended.error}", highlight=False, soft_wrap=True
                    )
                else:
                    jobs.finish(job.id, result)
                    held = None
                    done += 1
                    out.print(f"job {job.id} done: {summary}", highlight=False, soft_wrap=True)
        except KeyboardInterrupt:
            if held is not None:
                try:  # back to the queue: the next worker takes it, the attempt not counted
                    jobs.release(held)
                except JobError:
                    pass
            out.print(f"Stopped: {done} jobs done, {failed} failed.")
            return
    out.print(f"No more queued jobs: {done} done, {failed} failed.")
    if failed:
        raise typer.Exit(1)


def _run_job(tracker: Tracker, job: Any) -> tuple[str, str]:
    """Run one claimed job: (its result — a proposal id, a link report's id —, a one-line
    summary)."""
    from casework.ingest.pipeline import ingest as run_ingest

    if job.kind == "links":
        from casework.evidence import links

        baseline = links.tracker_baseline(tracker)
        return links.run_job(tracker.store, job.payload, baseline, origin=f"job {job.id}")
    if job.kind != "ingest":
        raise ValueError(f"job kind {job.kind!r} is not one this worker runs")
    payload = job.payload
    if not isinstance(payload.get("source"), str):
        raise ValueError("the job's payload names no source")
    proposal = run_ingest(
        payload["source"],
        tracker.store,
        tracker.site,
        tracker.config.root,
        target=payload.get("target"),
        url=payload.get("url"),
        extract_seconds=tracker.config.extract_seconds,
    )
    target = proposal.target or "a new draft record"
    return proposal.id, f"proposal {proposal.id} for {target} ({len(proposal.items)} items)"


@app.command("jobs")
def jobs_list(
    status: Annotated[
        str | None, typer.Option("--status", help="Only queued, running, done or failed jobs.")
    ] = None,
) -> None:
    """The job queue: every job, oldest first, with its state, attempts, result or error."""
    with _tracker() as tracker:
        found = _jobs(tracker.store).list(status)
    if not found:
        out.print("No jobs.")
        return
    from rich.table import Column

    from casework.ingest.pipeline import is_url

    # Ids, states and results stay whole (they are what one types next); the rest folds.
    table = Table(
        Column("id", no_wrap=True), Column("status", no_wrap=True),
        Column("tries", no_wrap=True), Column("source", overflow="fold", min_width=10, ratio=2),
        Column("result", no_wrap=True), Column("created", no_wrap=True),
        Column("error", overflow="fold", min_width=10, ratio=2),
        title="Jobs",
    )  # fmt: skip
    for job in found:
        source = str(job.payload.get("source", ""))
        state = job.status.value
        if job.status == "running" and job.worker:
            state += f" ({job.worker})"
        table.add_row(
            str(job.id),
            state if job.kind == "ingest" else f"{job.kind}: {state}",
            f"{job.attempts}/{job.max_attempts}",
            source if is_url(source) else Path(source).name,
            job.proposal_id or "",
            _when(job.created_at),
            job.error or "",
        )
    out.print(table)


def _show_proposal(proposal: Any) -> None:
    source = proposal.source
    out.print(
        f"[bold]{source.get('title') or '(untitled)'}[/bold] — {source.get('publisher') or '?'}"
        f" {source.get('date') or ''}",
        highlight=False,
    )
    if proposal.candidates:
        table = Table("score", "record", "why", title="Records it may be about")
        for c in proposal.candidates:
            table.add_row(f"{c['score']:.2f}", c["slug"], "; ".join(c["reasons"]))
        out.print(table)
    target = proposal.target or "a new draft record"
    out.print(f"Proposal [bold]{proposal.id}[/bold] for [bold]{target}[/bold]: "
              f"{len(proposal.items)} items", highlight=False)  # fmt: skip
    if proposal.status == "empty":
        out.print(f"Nothing proposed: {proposal.source.get('why', '')}")
    elif getattr(proposal, "match", {}).get("ambiguous"):
        out.print(f"[yellow]Ambiguous[/yellow]: {proposal.source.get('why', '')}", highlight=False)
    for item in proposal.items:
        flag = " [red](possible inconsistency)[/red]" if item.flag else ""
        out.print(f"  {item.id:>3}. {item.kind}{flag}: {_item_text(item)}", highlight=False)
    if proposal.items:
        out.print(f"Review it with: casework review {proposal.id}")


def _item_text(item: Any) -> str:
    value = item.value
    if item.kind == "source":
        text = f"{value.get('title')} ({value.get('publisher')}) {value.get('url')}"
    elif item.kind == "timeline":
        text = f"{value.get('date')}: {value.get('summary')}"
    elif item.kind == "figure":
        text = f"{value.get('figure')} — {item.note}"
    elif item.kind == "legalProvision":
        text = " ".join(p for p in (value.get("statute"), value.get("article")) if p)
    elif item.kind == "record":
        text = f"{value.get('title')} ({value.get('date')})"
    else:  # keyPoint, tag
        text = str(value.get("keyPoint") or value.get("tag") or "")
    return " ".join(text.split())[:300]


@app.command()
def review(
    proposal_id: Annotated[
        str | None, typer.Argument(help="The proposal (default: the oldest open one).")
    ] = None,
    accept: Annotated[
        str | None,
        typer.Option(help="Accept these items without asking: 'all' or numbers, '1,3,4'."),
    ] = None,
) -> None:
    """Accept or reject a proposal's items one by one; the accepted ones become one revision
    of the record, with an updateLog entry."""
    from casework.ingest.pipeline import load_proposal, open_proposals

    with _errors(), _tracker() as tracker:
        if proposal_id is None:
            waiting = open_proposals(tracker.store)
            if not waiting:
                out.print("No open proposals.")
                return
            proposal = waiting[0]
        else:
            proposal = load_proposal(tracker.store, proposal_id)
        if proposal.status != "open":
            raise ValueError(f"proposal {proposal.id} is {proposal.status}, not open")
        ids = {item.id for item in proposal.items}
        if accept is not None:
            chosen = ids if accept.strip() == "all" else _numbers(accept, ids)
        else:
            chosen = _ask(proposal)
        stored = _editing(tracker).apply_proposal(_actor(), proposal, chosen)
    if stored is None:
        out.print("Nothing accepted: the record is unchanged.")
    else:
        out.print(
            f"Accepted {len(chosen)} of {len(ids)} items: [bold]{stored.record.slug}[/bold] "
            f"is at revision {stored.revision}.",
            highlight=False,
        )


@app.command("proposals")
def proposals_list(
    status: Annotated[
        str, typer.Option("--status", help="open, applied, rejected, empty, or all.")
    ] = "open",
) -> None:
    """Proposals from ingested articles, oldest first: the open ones (what `casework review`
    goes through), or those of another status with who decided them."""
    from rich.table import Column

    from casework.ingest.pipeline import is_url
    from casework.ingest.propose import Proposal
    from casework.store.proposals import STATUSES

    with _errors():
        if status not in (*STATUSES, "all"):
            raise ValueError(f"--status {status!r}: expected {', '.join(STATUSES)} or all")
    with _tracker() as tracker:
        found = tracker.store.proposals.list(None if status == "all" else status)
    if not found:
        out.print("No proposals." if status == "all" else f"No {status} proposals.")
        return
    decisions = status != "open"
    table = Table(
        Column("id", no_wrap=True), Column("status", no_wrap=True),
        Column("for", no_wrap=True), Column("items", no_wrap=True),
        Column("article", overflow="fold", min_width=12),
        *([Column("decided", no_wrap=True)] if decisions else []),
        title="Proposals",
    )  # fmt: skip
    for data in found:
        proposal = Proposal.from_json(data)
        source = proposal.source
        where = str(source.get("url") or source.get("file") or "")
        article = str(source.get("title") or (where if is_url(where) else Path(where).name))
        decided = f"{proposal.decided_by} {proposal.decided_at[:10]}".strip()
        table.add_row(
            proposal.id,
            proposal.status,
            proposal.target or "a new draft",
            str(len(proposal.items)),
            article,
            *([decided] if decisions else []),
        )
    out.print(table)


def _numbers(text: str, ids: set[int]) -> set[int]:
    chosen = set()
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or int(part) not in ids:
            raise ValueError(f"--accept: {part!r} is not an item of this proposal")
        chosen.add(int(part))
    return chosen


def _ask(proposal: Any) -> set[int]:
    _show_proposal(proposal)
    chosen: set[int] = set()
    for item in proposal.items:
        out.print(f"\n[bold]{item.id}. {item.kind}[/bold]: {_item_text(item)}", highlight=False)
        if item.sentence:
            out.print(f"   from: [italic]{item.sentence[:500]}[/italic]", highlight=False)
        if item.note:
            out.print(f"   note: {item.note}", highlight=False)
        answer = typer.prompt("   accept? [y]es / [n]o / [q]uit (the rest rejected)", default="n")
        if answer.lower().startswith("q"):
            break
        if answer.lower().startswith("y"):
            chosen.add(item.id)
    return chosen


def _move(slug: str, status: Status, note: str, message: str | None, comment: str = "") -> None:
    with _tracker() as tracker:
        current = tracker.store.get(slug)
        stored = _editing(tracker).move(
            _actor(),
            slug,
            status,
            base_revision=current.revision,
            message=message or f"{status.value.capitalize()} from the command line",
            note=note,
            comment=comment,
        )
    out.print(
        f"[bold]{slug}[/bold] is {stored.status.value} (revision {stored.revision}, "
        f"by {_author()}).",
        highlight=False,
    )


@app.command()
def publish(
    slug: Annotated[str, typer.Argument(help="The record.")],
    note: Annotated[
        str, typer.Option("--note", help="An update log entry readers see, dated today.")
    ] = "",
    message: Annotated[str | None, typer.Option("--message", "-m", help="Why.")] = None,
) -> None:
    """Publish a draft or a record in review: an explicit act, kept in its history with
    your name. Refused while the record lacks what a published record needs (a legal
    classification); a change since it was last public is logged for readers."""
    _move(slug, Status.published, note, message)


@app.command()
def unpublish(
    slug: Annotated[str, typer.Argument(help="The record.")],
    message: Annotated[str | None, typer.Option("--message", "-m", help="Why.")] = None,
    comment: Annotated[
        str,
        typer.Option(
            "--comment",
            help="A reviewer's comment for whoever published it (required when that was not "
            "you); in the history and on the editor's page, never public.",
        ),
    ] = "",
) -> None:
    """Take a published record back to draft: it leaves the public site, API and data."""
    _move(slug, Status.draft, "", message, comment)


@app.command()
def withdraw(
    slug: Annotated[str, typer.Argument(help="The record.")],
    versions: Annotated[
        list[int], typer.Argument(metavar="N [N…]", help="Its public versions to withdraw.")
    ],
    reason: Annotated[
        str, typer.Option("--reason", help="Why (published: in the tombstone and updateLog).")
    ] = "",
) -> None:
    """Take earlier public versions' words off the site (a name, an address) without
    unpublishing the record: their files become tombstones, their leaves stay in the public
    log, a checkpoint signed now lists them, and `casework verify` stays clean."""
    from casework.evidence.checkpoint import sign_now

    with _tracker() as tracker:
        written, found = _editing(tracker).withdraw_versions(
            _actor(), slug, versions, reason=reason
        )
        sign_now(tracker.store, tracker.config.root, say=err.print)
    listed = ", ".join(str(w.version) for w in found)
    out.print(
        f"Withdrew public version{'s' * (len(found) > 1)} {listed} of {slug} (revision "
        f"{written.revision} says so) and signed a checkpoint listing it; rebuild a built site.",
        highlight=False,
    )


@app.command()
def delete(
    slug: Annotated[str, typer.Argument(help="The record.")],
    reason: Annotated[
        str,
        typer.Option(
            "--reason", help="Why (required; published on the tombstone if it was ever public)."
        ),
    ] = "",
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete a record with a tombstone. Nothing is lost: its history and internal notes stay
    (`casework history SLUG`) and its slug stays taken. If it was ever public, its page and
    JSON answer 410 Gone with the date and reason, its public versions are withdrawn for that
    reason, and a checkpoint is signed so that `casework verify` stays clean; if it never was,
    its address answers as one never used."""
    from casework.evidence.checkpoint import sign_now

    with _tracker() as tracker:
        current = tracker.store.get(slug)
        if not yes and not typer.confirm(
            f"Delete {slug} ({current.status.value}, revision {current.revision})?"
        ):
            raise typer.Exit(1)
        deleted = _editing(tracker).delete(
            _actor(), slug, base_revision=current.revision, reason=reason
        )
        sign_now(tracker.store, tracker.config.root, say=err.print)
    out.print(
        f"Deleted {slug} (its history is kept: casework history {slug}); "
        f"reason: {deleted.reason}. Rebuild a built site.",
        highlight=False,
    )


@app.command()
def note(
    slug: Annotated[str, typer.Argument(help="The record.")],
    words: Annotated[str, typer.Argument(metavar="TEXT", help="The note (never published).")],
) -> None:
    """Add an internal note to a record: for the people who edit it, shown on the editor's
    record page, never published, in no export."""
    with _tracker() as tracker:
        written = _editing(tracker).add_note(_actor(), slug, words)
    out.print(f"Noted on {slug} (note {written.id}, by {written.author}).", highlight=False)


@app.command()
def rename(
    old: Annotated[str, typer.Argument(help="The record's slug now.")],
    new: Annotated[str, typer.Argument(help="Its new slug (never used by any record before).")],
    message: Annotated[str, typer.Option(help="Why (in the history).")] = "",
) -> None:
    """Give a record a new slug. Its history is kept: the revisions under the old slug stay as
    they were (`casework history NEW` shows both), and records naming it as related follow.
    Old public addresses lead to the new ones."""
    with _tracker() as tracker:
        current = tracker.store.get(old)
        _editing(tracker).rename(
            _actor(), old, new, base_revision=current.revision, message=message
        )
    out.print(f"Renamed {old} to {new}.", highlight=False)


@app.command()
def merge(
    keep: Annotated[str, typer.Argument(help="The record kept.")],
    duplicate: Annotated[str, typer.Argument(help="Its duplicate, merged into it.")],
    message: Annotated[str, typer.Option(help="Why (in the history).")] = "",
) -> None:
    """Merge a duplicate into the record kept: KEEP gets the duplicate's sources, documents,
    timeline, key points, tags and legal provisions it lacks (one revision); the duplicate's
    history is kept (`casework history KEEP` shows both) and its old addresses lead to KEEP."""
    with _tracker() as tracker:
        kept, dup = tracker.store.get(keep), tracker.store.get(duplicate)
        _editing(tracker).merge(
            _actor(),
            keep,
            duplicate,
            keep_revision=kept.revision,
            duplicate_revision=dup.revision,
            message=message,
        )
    out.print(f"Merged {duplicate} into {keep}.", highlight=False)


@app.command()
def notes(
    slug: Annotated[str, typer.Argument(help="The record.")],
    as_json: Annotated[bool, typer.Option("--json", help="As JSON, for a script.")] = False,
) -> None:
    """A record's internal notes, oldest first (the only way notes leave the tracker)."""
    import json

    with _tracker() as tracker:
        found = _editing(tracker).notes(_actor(), slug)
    if as_json:
        typer.echo(json.dumps([n.to_json() for n in found], ensure_ascii=False, indent=2))
        return
    if not found:
        out.print(f"{slug} has no notes.", highlight=False)
    for n in found:
        when = n.created_at[:16].replace("T", " ")
        out.print(f"[bold]{when}[/bold] {n.author}:", highlight=False)
        out.print(n.text, highlight=False, markup=False)


bulk_app = typer.Typer(
    help="Change many records at once: choose them by words and filters (or --slug), then one "
    "action; each record is one revision, through the same rules as a single edit; "
    "--dry-run lists what would change.",
    no_args_is_help=True,
)
app.add_typer(bulk_app, name="bulk")


@bulk_app.callback()
def bulk(
    ctx: typer.Context,
    query: Annotated[str, typer.Option("--query", "-q", help="Words the records hold.")] = "",
    category: Annotated[list[str] | None, typer.Option(help="Only this category.")] = None,
    tag: Annotated[list[str] | None, typer.Option(help="Only this tag.")] = None,
    year: Annotated[list[int] | None, typer.Option(help="Only this year.")] = None,
    status: Annotated[
        str | None, typer.Option(help="Only records in this state (draft, review, published).")
    ] = None,
    slug: Annotated[list[str] | None, typer.Option(help="This record (repeat for more).")] = None,
    every: Annotated[bool, typer.Option("--every", help="Every record (no filter).")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List, change nothing.")] = False,
) -> None:
    """Choose records by a search or filters; the subcommand says what to do to them."""
    ctx.obj = {
        "query": query, "category": category or [], "tag": tag or [], "year": year or [],
        "status": status, "slug": slug or [], "every": every, "dry_run": dry_run,
    }  # fmt: skip


def _bulk(ctx: typer.Context, kind: str, value: str, comment: str = "") -> None:
    from casework.editing import bulk as b
    from casework.formats import InvalidInput
    from casework.store.base import Query

    chosen = ctx.obj
    filtered = any(chosen[k] for k in ("query", "category", "tag", "year", "status", "slug"))
    with _tracker() as tracker:
        if not filtered and not chosen["every"]:
            raise InvalidInput("choose records (--query, --category, --tag, --year, --status, "
                               "--slug) or say --every")  # fmt: skip
        state = Status(chosen["status"]) if chosen["status"] else None
        editing = _editing(tracker)
        if chosen["slug"] and not any(chosen[k] for k in ("query", "category", "tag", "year")):
            slugs = list(chosen["slug"])
            if state is not None:
                slugs = [s for s in slugs if tracker.store.get(s).status is state]
        else:
            slugs = b.select(editing, Query(
                text=chosen["query"], category=tuple(chosen["category"]),
                tag=tuple(chosen["tag"]), year=tuple(chosen["year"]), status=state,
            ))  # fmt: skip
            if chosen["slug"]:
                slugs = [s for s in slugs if s in set(chosen["slug"])]
        action = b.Action(b.Kind(kind), value, comment)
        with _progress("Changing records", len(slugs)):
            outcomes = b.apply(editing, _actor(), slugs, action, dry_run=chosen["dry_run"])
    table = Table("record", "result", "detail")
    for outcome in outcomes:
        colour = {"refused": "red", "changed": "green"}.get(outcome.result, "")
        result = f"[{colour}]{outcome.result}[/{colour}]" if colour else outcome.result
        table.add_row(outcome.slug, result, outcome.detail)
    out.print(table)
    tally = b.counts(outcomes)
    said = ", ".join(f"{n} {what}" for what, n in tally.items()) or "no records chosen"
    out.print(f"{action.describe().capitalize()}: {said}.", highlight=False)
    for outcome in outcomes:  # each refusal also whole on one line, for a script to read
        if outcome.result == "refused":
            said = outcome.detail
            said = said if said.startswith(outcome.slug) else f"{outcome.slug}: {said}"
            err.print(f"[red]refused:[/red] {said}", highlight=False, soft_wrap=True)
    if tally.get("refused"):
        raise typer.Exit(1)


@bulk_app.command("set-category")
def bulk_set_category(
    ctx: typer.Context, key: Annotated[str, typer.Argument(help="A category key.")]
) -> None:
    """Set the chosen records' category."""
    _bulk(ctx, "set-category", key)


@bulk_app.command("add-tag")
def bulk_add_tag(ctx: typer.Context, tag: Annotated[str, typer.Argument(help="The tag.")]) -> None:
    """Add a tag to the chosen records."""
    _bulk(ctx, "add-tag", tag)


@bulk_app.command("remove-tag")
def bulk_remove_tag(
    ctx: typer.Context, tag: Annotated[str, typer.Argument(help="The tag.")]
) -> None:
    """Remove a tag from the chosen records."""
    _bulk(ctx, "remove-tag", tag)


@bulk_app.command("set-status")
def bulk_set_status(
    ctx: typer.Context,
    status: Annotated[str, typer.Argument(help="draft, review or published.")],
    comment: Annotated[
        str, typer.Option("--comment", help="A reviewer's comment, for records sent back.")
    ] = "",
) -> None:
    """Move the chosen records through the workflow; a record that may not move is
    reported, not forced."""
    try:
        Status(status)
    except ValueError:
        err.print(f"[red]error:[/red] {status!r} is no status (draft, review, published)")
        raise typer.Exit(1) from None
    _bulk(ctx, "set-status", status, comment)


@bulk_app.command("add-to-collection")
def bulk_add_to_collection(
    ctx: typer.Context, collection: Annotated[str, typer.Argument(help="The collection's slug.")]
) -> None:
    """Add the chosen records to a collection (at its end, in the order found)."""
    _bulk(ctx, "add-to-collection", collection)


@app.command()
def checkpoint() -> None:
    """Sign a checkpoint of the logs now, without building (for a site served live by
    `casework serve`; run it from cron to sign on a schedule)."""
    from casework.evidence.checkpoint import CHECKPOINTS_NAME, sign_now

    with _tracker() as tracker:
        made = sign_now(tracker.store, tracker.config.root, say=err.print)
    out.print(
        f"Signed a checkpoint of {made.checkpoint['size']} public versions at "
        f"{made.checkpoint['time']}; appended to {CHECKPOINTS_NAME}.",
        highlight=False,
    )


@app.command("migrate")
def migrate_command() -> None:
    """Bring the tracker's database (or --db) to the newest schema; idempotent."""
    from casework.store.migrate import head_revision

    with _tracker() as tracker:
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


@app.command()
def copy(
    source: Annotated[str, typer.Argument(help="A database URL, a tracker folder or a .db file.")],
    destination: Annotated[str, typer.Argument(help="Where to: an empty database, same forms.")],
) -> None:
    """Copy a whole tracker — records, history, collections, accounts, jobs — to another
    database (SQLite ↔ PostgreSQL), then check every row count and revision hash."""
    from casework.store import open_store
    from casework.store.copy import copy_store

    with _errors():
        src = open_store(_database_of(source))
        try:
            dst = open_store(_database_of(destination))
            try:
                with _progress("Copying rows", None) as advance:
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
