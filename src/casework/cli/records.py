"""Editorial acts on one record, each through the editing service as the operator: a new
draft (`new`), moving it through the workflow (`publish`, `unpublish`), `delete`, `rename`,
`merge`, and its internal notes (`note`, `notes`)."""

from datetime import date
from typing import Annotated

import typer

from casework.cli.invocation import Invocation, author, editing_of, operator
from casework.cli.output import err, out
from casework.model import Status


def new(
    ctx: typer.Context,
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
    from casework.model import UNCLASSIFIED, blank_record, slugify

    with Invocation.of(ctx).tracker() as tracker:
        vocab = tracker.site.vocabularies
        today = date.today()
        data = {
            "slug": slug or slugify(title),
            "title": title,
            "date": when or today.isoformat(),
            "summary": summary,
            "category": category or next(iter(vocab.category)),
            "severity": severity or next(iter(vocab.severity)),
            "posture": posture or next(iter(vocab.posture)),
            "warCrimeClassification": classification or UNCLASSIFIED,
        }
        if not data["slug"]:
            raise typer.BadParameter("the title has no letters or digits for a slug: give --slug")
        record = blank_record(data, today, tracker.site)
        stored = editing_of(tracker).create(operator(), record, message=message)
    out.print(f"Draft [bold]{stored.record.slug}[/bold] created (revision {stored.revision}).")


def _move(
    ctx: typer.Context, slug: str, status: Status, note: str, message: str | None, comment: str = ""
) -> None:
    with Invocation.of(ctx).tracker() as tracker:
        current = tracker.store.get(slug)
        stored = editing_of(tracker).move(
            operator(),
            slug,
            status,
            base_revision=current.revision,
            message=message or f"{status.value.capitalize()} from the command line",
            note=note,
            comment=comment,
        )
    out.print(
        f"[bold]{slug}[/bold] is {stored.status.value} (revision {stored.revision}, "
        f"by {author()}).",
        highlight=False,
    )


def publish(
    ctx: typer.Context,
    slug: Annotated[str, typer.Argument(help="The record.")],
    note: Annotated[
        str, typer.Option("--note", help="An update log entry readers see, dated today.")
    ] = "",
    message: Annotated[str | None, typer.Option("--message", "-m", help="Why.")] = None,
) -> None:
    """Publish a draft or a record in review: an explicit act, kept in its history with
    your name. Refused while the record lacks what a published record needs (a legal
    classification); a change since it was last public is logged for readers."""
    _move(ctx, slug, Status.published, note, message)


def unpublish(
    ctx: typer.Context,
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
    _move(ctx, slug, Status.draft, "", message, comment)


def delete(
    ctx: typer.Context,
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

    with Invocation.of(ctx).tracker() as tracker:
        current = tracker.store.get(slug)
        if not yes and not typer.confirm(
            f"Delete {slug} ({current.status.value}, revision {current.revision})?"
        ):
            raise typer.Exit(1)
        deleted = editing_of(tracker).delete(
            operator(), slug, base_revision=current.revision, reason=reason
        )
        sign_now(tracker.store, tracker.config.root, say=err.print)
    out.print(
        f"Deleted {slug} (its history is kept: casework history {slug}); "
        f"reason: {deleted.reason}. Rebuild a built site.",
        highlight=False,
    )


def note(
    ctx: typer.Context,
    slug: Annotated[str, typer.Argument(help="The record.")],
    words: Annotated[str, typer.Argument(metavar="TEXT", help="The note (never published).")],
) -> None:
    """Add an internal note to a record: for the people who edit it, shown on the editor's
    record page, never published, in no export."""
    with Invocation.of(ctx).tracker() as tracker:
        written = editing_of(tracker).add_note(operator(), slug, words)
    out.print(f"Noted on {slug} (note {written.id}, by {written.author}).", highlight=False)


def rename(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(help="The record's slug now.")],
    new: Annotated[str, typer.Argument(help="Its new slug (never used by any record before).")],
    message: Annotated[str, typer.Option(help="Why (in the history).")] = "",
) -> None:
    """Give a record a new slug. Its history is kept: the revisions under the old slug stay as
    they were (`casework history NEW` shows both), and records naming it as related follow.
    Old public addresses lead to the new ones."""
    with Invocation.of(ctx).tracker() as tracker:
        current = tracker.store.get(old)
        editing_of(tracker).rename(
            operator(), old, new, base_revision=current.revision, message=message
        )
    out.print(f"Renamed {old} to {new}.", highlight=False)


def merge(
    ctx: typer.Context,
    keep: Annotated[str, typer.Argument(help="The record kept.")],
    duplicate: Annotated[str, typer.Argument(help="Its duplicate, merged into it.")],
    message: Annotated[str, typer.Option(help="Why (in the history).")] = "",
) -> None:
    """Merge a duplicate into the record kept: KEEP gets the duplicate's sources, documents,
    timeline, key points, tags and legal provisions it lacks (one revision); the duplicate's
    history is kept (`casework history KEEP` shows both) and its old addresses lead to KEEP."""
    with Invocation.of(ctx).tracker() as tracker:
        kept, dup = tracker.store.get(keep), tracker.store.get(duplicate)
        editing_of(tracker).merge(
            operator(),
            keep,
            duplicate,
            keep_revision=kept.revision,
            duplicate_revision=dup.revision,
            message=message,
        )
    out.print(f"Merged {duplicate} into {keep}.", highlight=False)


def notes(
    ctx: typer.Context,
    slug: Annotated[str, typer.Argument(help="The record.")],
    as_json: Annotated[bool, typer.Option("--json", help="As JSON, for a script.")] = False,
) -> None:
    """A record's internal notes, oldest first (the only way notes leave the tracker)."""
    import json

    with Invocation.of(ctx).tracker() as tracker:
        found = editing_of(tracker).notes(operator(), slug)
    if as_json:
        typer.echo(json.dumps([n.to_json() for n in found], ensure_ascii=False, indent=2))
        return
    if not found:
        out.print(f"{slug} has no notes.", highlight=False)
    for n in found:
        when = n.created_at[:16].replace("T", " ")
        out.print(f"[bold]{when}[/bold] {n.author}:", highlight=False)
        out.print(n.text, highlight=False, markup=False)
