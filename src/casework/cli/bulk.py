"""`bulk`: one change to many records, chosen by a search, filters or slugs; each record is
one revision through the editing service, with a per-record report. The group's options are
the choice, kept on its context (`ctx.obj`) for the action that follows."""

from typing import Annotated

import typer
from rich.table import Table

from casework.cli.invocation import Invocation, editing_of, operator
from casework.cli.output import err, out, progress
from casework.model import Status

app = typer.Typer(
    help="Change many records at once: choose them by words and filters (or --slug), then one "
    "action; each record is one revision, through the same rules as a single edit; "
    "--dry-run lists what would change.",
    no_args_is_help=True,
)


@app.callback()
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
    with Invocation.of(ctx).tracker() as tracker:
        if not filtered and not chosen["every"]:
            raise InvalidInput("choose records (--query, --category, --tag, --year, --status, "
                               "--slug) or say --every")  # fmt: skip
        state = Status(chosen["status"]) if chosen["status"] else None
        editing = editing_of(tracker)
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
        with progress("Changing records", len(slugs)):
            outcomes = b.apply(editing, operator(), slugs, action, dry_run=chosen["dry_run"])
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


@app.command("set-category")
def bulk_set_category(
    ctx: typer.Context, key: Annotated[str, typer.Argument(help="A category key.")]
) -> None:
    """Set the chosen records' category."""
    _bulk(ctx, "set-category", key)


@app.command("add-tag")
def bulk_add_tag(ctx: typer.Context, tag: Annotated[str, typer.Argument(help="The tag.")]) -> None:
    """Add a tag to the chosen records."""
    _bulk(ctx, "add-tag", tag)


@app.command("remove-tag")
def bulk_remove_tag(
    ctx: typer.Context, tag: Annotated[str, typer.Argument(help="The tag.")]
) -> None:
    """Remove a tag from the chosen records."""
    _bulk(ctx, "remove-tag", tag)


@app.command("set-status")
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


@app.command("add-to-collection")
def bulk_add_to_collection(
    ctx: typer.Context, collection: Annotated[str, typer.Argument(help="The collection's slug.")]
) -> None:
    """Add the chosen records to a collection (at its end, in the order found)."""
    _bulk(ctx, "add-to-collection", collection)
