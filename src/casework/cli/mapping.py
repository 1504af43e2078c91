"""`mapping`: mappings from a spreadsheet's columns to a record's fields (`mapping suggest`
writes a first one)."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from casework.cli.invocation import Invocation
from casework.cli.output import out

app = typer.Typer(
    help="Mappings from a spreadsheet's columns to a record's fields (docs/mapping.md).",
    no_args_is_help=True,
)


@app.command("suggest")
def mapping_suggest(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A spreadsheet: CSV, TSV or XLSX.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
) -> None:
    """Print a starting mapping (TOML) for a spreadsheet, from its header and values: review
    the lines marked REVIEW, then `casework import DATA --mapping MAPPING --dry-run`."""
    from casework.formats.mapping import suggest
    from casework.formats.sheets import open_table

    with Invocation.of(ctx).tracker() as tracker:
        text = suggest(open_table(path), tracker.site)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        out.print(f"Wrote {output}: check the lines marked REVIEW.")
