"""Records in and out of the tracker: `import` (tracker JSON, NDJSON, Markdown, and
spreadsheets through a mapping), `export`, and `generate` (example records)."""

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from casework.cli.invocation import Invocation, editing_of, operator, public_view
from casework.cli.output import err, out, progress
from casework.model import Status

if TYPE_CHECKING:
    from casework.model import Record


def import_(
    ctx: typer.Context,
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
        _import_sheet(ctx, path, mapping, status, skip_invalid, message, dry_run, refused_report)
        return
    if dry_run or refused_report is not None:
        raise typer.BadParameter("--dry-run and --report go with --mapping (a spreadsheet)")
    invocation = Invocation.of(ctx)
    with invocation.tracker() as tracker, progress(f"Importing {path.name}", None) as advance:
        report = import_path(
            editing_of(tracker),
            path,
            actor=operator(),
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
    ctx: typer.Context,
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

    with Invocation.of(ctx).tracker() as tracker:
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
        with progress(f"Importing {path.name}", None) as advance:
            done = import_sheet(
                editing_of(tracker),
                path,
                mapping,
                actor=operator(),
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


def export(
    ctx: typer.Context,
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

    with Invocation.of(ctx).tracker() as tracker:
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
            view = public_view(tracker) if extensions else None
            records, total = published_records(
                tracker.store, view.captures if view is not None else None
            )
        if str(output) == "-":
            write_export(
                records, tracker.site, form, sys.stdout, count=total, extensions=extensions
            )
            return
        with progress(f"Exporting {form.value}", total) as advance:
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


def generate(
    ctx: typer.Context,
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

        invocation = Invocation.of(ctx)
        with invocation.errors():
            site = invocation.site_or_default()
            with (
                progress("Generating", count) as advance,
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
    with Invocation.of(ctx).tracker() as tracker, progress("Generating", count) as advance:
        n = editing_of(tracker).import_records(
            operator(),
            generate_records(count, seed=seed, site=tracker.site, mutual_links=True),
            message=f"generate {count} example records (seed {seed}), published",
            status=Status.published,
            progress=advance,
        )
    out.print(f"Added {n} example records.")


def _advancing(items: Iterator["Record"], advance: Callable[[int], None]) -> Iterator["Record"]:
    for item in items:
        yield item
        advance(1)
