"""`check`: the rules over the tracker or over files before importing them; with `--links`,
the health of every URL the records cite."""

import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from casework.cli.invocation import Invocation
from casework.cli.output import out, progress_bar

if TYPE_CHECKING:
    from casework.model import Record


def check(
    ctx: typer.Context,
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
        _check_links(ctx, targets or [], as_json, fresh, concurrency, delay, threshold)
        return
    invocation = Invocation.of(ctx)
    if len(targets or []) > 1 or as_json or fresh:
        with invocation.errors():
            raise ValueError("check takes one PATH; --json and --fresh go with --links")
    path = Path(targets[0]) if targets else None
    from casework.check import Corpus, Level, run_checks
    from casework.formats import read_any
    from casework.model import Status
    from casework.tracker import open_tracker

    with invocation.errors():
        items: list[tuple[Record, Status]] = []
        unreadable: list[str] = []  # records of the files that would not import at all
        if path is not None:
            site = invocation.site_or_default()
            for item in read_any(path, site):
                if item.error is not None:
                    unreadable.append(str(item.error))
                    continue
                assert item.record is not None
                items.append((item.record, Status.published))
        else:
            with open_tracker(invocation.folder, invocation.db) as tracker:
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
    ctx: typer.Context, slugs: list[str], as_json: bool, fresh: bool, concurrency: int | None,
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
    with Invocation.of(ctx).tracker() as tracker, progress_bar() as bar:
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
