"""Reading the tracker: `search` (full text, facets), `show` (one record) and `history` (its
revisions)."""

import html
import json
import re
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from casework.cli.invocation import Invocation, editing_of
from casework.cli.output import err, out

if TYPE_CHECKING:
    from casework.store.base import Query, SearchResult


def _snippet_text(snippet: str) -> Text:
    """A hit's snippet (HTML: escaped text, matches in <mark>) as terminal text: unescaped,
    matches in bold; never read as rich markup, whatever the record says."""
    text = Text()
    for i, part in enumerate(re.split(r"</?mark>", snippet)):
        text.append(html.unescape(part), style="bold" if i % 2 else "")
    return text


def search(
    ctx: typer.Context,
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
    query = search_query(
        text, category, severity, tag, year, country, all_statuses=all_statuses, limit=limit
    )
    with Invocation.of(ctx).tracker() as tracker:
        result = tracker.store.search(query)
    print_result(result, as_json)


def search_query(
    text: str,
    category: "list[str] | None",
    severity: "list[str] | None",
    tag: "list[str] | None",
    year: "list[int] | None",
    country: "list[str] | None",
    *,
    all_statuses: bool,
    limit: int,
) -> "Query":
    """The search `casework search` asks for (also on its quick path, `quick.py`)."""
    from casework.status import Status
    from casework.store.base import Query

    return Query(
        text=text,
        category=tuple(category or ()),
        severity=tuple(severity or ()),
        tag=tuple(tag or ()),
        year=tuple(year or ()),
        country=tuple(c.upper() for c in country or ()),
        status=None if all_statuses else Status.published,
        limit=limit,
    )


def print_result(result: "SearchResult", as_json: bool) -> None:
    """What `casework search` prints: JSON, or a table of hits then the facets."""
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


def show(
    ctx: typer.Context,
    slug: Annotated[str, typer.Argument(help="The record's slug.")],
    as_json: Annotated[bool, typer.Option("--json", help="Tracker JSON (docs/format.md).")] = False,
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Markdown with front matter.")
    ] = False,
) -> None:
    """Show one record."""
    from casework.formats import dumps, format_generated_at, record_document, record_to_markdown

    with Invocation.of(ctx).tracker() as tracker:
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


def history(
    ctx: typer.Context,
    slug: Annotated[str, typer.Argument(help="The record's slug.")],
    verify: Annotated[bool, typer.Option(help="Recompute the hash chain.")] = False,
) -> None:
    """A record's revisions, oldest first: who changed it, when and why (under the slugs it
    had before a rename too)."""
    from casework.evidence.published import engine_of
    from casework.store import deletions

    with Invocation.of(ctx).tracker() as tracker:
        chains = editing_of(tracker).full_history(slug)
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
