"""The command line: a thin skin. Each command parses its arguments and calls one function.

Commands live in modules by what they own (records.py, transfer.py, site.py, ...) and are
imported only when one runs (lazy.py): `COMMANDS` below names each with its one-line help, which
`casework --help` lists without importing any of them. The global options are kept on the
click context as an `Invocation` (invocation.py), which each command reads from its `ctx`.

No `from __future__ import annotations` in the command modules: typer reads a command's
signature to build it, and string annotations would be compiled and evaluated twice each
(~20 ms of a command's start); evaluated once, as the functions are defined, they cost a third
of that. Names imported for type checking only are quoted.
"""

from pathlib import Path
from typing import Annotated

import typer

from casework import __version__
from casework.cli.invocation import Invocation
from casework.cli.lazy import Entry, LazyGroup
from casework.cli.output import err, out

__all__ = ["COMMANDS", "app", "err", "out"]

# Every command: its module and function (or typer sub-app) in this package, and its one-line
# help for `casework --help` (tests/test_cli_registry.py checks it is the command's own).
COMMANDS: dict[str, Entry] = {
    name: Entry(target, help)
    for name, target, help in (
        ("init", "trackers:init",
         "Make a new tracker: a casework.toml and an empty SQLite database."),
        ("demo", "site:demo",
         "Make (once) a demo tracker of example records and serve it on localhost."),
        ("serve", "site:serve",
         "Serve the tracker live: the public site, the JSON API and the editor."),
        ("build", "site:build",
         "Write the static site: pages, record JSON, data files, feeds, search index."),
        ("new", "records:new",
         "Start a new draft record (edit it with import/export or the web editor). No legal "
         "classification is set unless you give one: publishing asks for it."),
        ("import", "transfer:import_",
         "Import records, all or nothing: one invalid record and nothing is imported."),
        ("export", "transfer:export",
         "Export records (published ones as the public sees them, unless --all), or a "
         "collection."),
        ("archive", "evidence:archive",
         "Capture every source and document URL of the records as WARC files (evidence: no "
         "record changes, no revision is made)."),
        ("generate", "transfer:generate",
         "Make COUNT realistic example records (marked as examples) for demos and benchmarks."),
        ("check", "check:check",
         "Run the rules over the tracker (or files) and print findings; exit 1 on errors. With "
         "--links, check the links records cite instead."),
        ("search", "reading:search", "Full-text search with facet counts."),
        ("show", "reading:show", "Show one record."),
        ("history", "reading:history",
         "A record's revisions, oldest first: who changed it, when and why (under the slugs it "
         "had before a rename too)."),
        ("verify", "evidence:verify",
         "Check that a history no one may rewrite was not rewritten: hash chains, the revision "
         "log, signed checkpoints. One line per problem; exit status 1 on any."),
        ("ingest", "ingest:ingest",
         "Read an article, extract what it says, find its record, and write a proposal."),
        ("worker", "ingest:worker",
         "Run queued jobs (`casework ingest --queue`, link checks) one at a time, one line per "
         "job, until Ctrl-C. Several workers may run at once: each job goes to one of them."),
        ("jobs", "ingest:jobs_list",
         "The job queue: every job, oldest first, with its state, attempts, result or error."),
        ("review", "ingest:review",
         "Accept or reject a proposal's items one by one; the accepted ones become one revision "
         "of the record, with an updateLog entry."),
        ("proposals", "ingest:proposals_list",
         "Proposals from ingested articles, oldest first: the open ones (what `casework review` "
         "goes through), or those of another status with who decided them."),
        ("publish", "records:publish",
         "Publish a draft or a record in review: an explicit act, kept in its history with your "
         "name. Refused while the record lacks what a published record needs (a legal "
         "classification); a change since it was last public is logged for readers."),
        ("unpublish", "records:unpublish",
         "Take a published record back to draft: it leaves the public site, API and data."),
        ("withdraw", "evidence:withdraw",
         "Take earlier public versions' words off the site (a name, an address) without "
         "unpublishing the record: their files become tombstones, their leaves stay in the "
         "public log, a checkpoint signed now lists them, and `casework verify` stays clean."),
        ("delete", "records:delete",
         "Delete a record with a tombstone. Nothing is lost: its history and internal notes "
         "stay (`casework history SLUG`) and its slug stays taken. If it was ever public, its "
         "page and JSON answer 410 Gone with the date and reason, its public versions are "
         "withdrawn for that reason, and a checkpoint is signed so that `casework verify` stays "
         "clean; if it never was, its address answers as one never used."),
        ("note", "records:note",
         "Add an internal note to a record: for the people who edit it, shown on the editor's "
         "record page, never published, in no export."),
        ("rename", "records:rename",
         "Give a record a new slug. Its history is kept: the revisions under the old slug stay "
         "as they were (`casework history NEW` shows both), and records naming it as related "
         "follow. Old public addresses lead to the new ones."),
        ("merge", "records:merge",
         "Merge a duplicate into the record kept: KEEP gets the duplicate's sources, documents, "
         "timeline, key points, tags and legal provisions it lacks (one revision); the "
         "duplicate's history is kept (`casework history KEEP` shows both) and its old "
         "addresses lead to KEEP."),
        ("notes", "records:notes",
         "A record's internal notes, oldest first (the only way notes leave the tracker)."),
        ("checkpoint", "evidence:checkpoint",
         "Sign a checkpoint of the logs now, without building (for a site served live by "
         "`casework serve`; run it from cron to sign on a schedule)."),
        ("migrate", "trackers:migrate",
         "Bring the tracker's database (or --db) to the newest schema; idempotent."),
        ("copy", "trackers:copy",
         "Copy a whole tracker — records, history, collections, accounts, jobs — to another "
         "database (SQLite ↔ PostgreSQL), then check every row count and revision hash."),
        ("mapping", "mapping:app",
         "Mappings from a spreadsheet's columns to a record's fields (docs/mapping.md)."),
        ("user", "users:app",
         "Accounts of the web editor and the API: users, roles, passwords, API tokens."),
        ("bulk", "bulk:app",
         "Change many records at once: choose them by words and filters (or --slug), then one "
         "action; each record is one revision, through the same rules as a single edit; "
         "--dry-run lists what would change."),
    )
}  # fmt: skip


class Casework(LazyGroup):
    registry = COMMANDS


app = typer.Typer(
    cls=Casework,
    help="casework: document incidents — sourced, legally framed, their history kept — "
    "and publish them.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        out.print(f"casework {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
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
    ctx.obj = Invocation(folder=tracker, db=db, verbose=verbose)
