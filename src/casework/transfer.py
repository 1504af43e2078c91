"""Moving records between files and a store: import (all or nothing) and export."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from casework.formats import (
    InvalidInput,
    Item,
    archive_document,
    dumps,
    format_generated_at,
    read_any,
    write_csv,
    write_markdown_folder,
    write_ndjson,
)
from casework.model import Record, Site, Status
from casework.store.base import Store


class ImportAborted(Exception):
    """Invalid input was found: nothing was imported. `errors` lists every bad record."""

    def __init__(self, errors: list[InvalidInput]) -> None:
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"{first}{more}; nothing was imported")
        self.errors = errors


@dataclass
class ImportReport:
    imported: int = 0
    skipped: list[InvalidInput] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def import_path(
    store: Store,
    path: Path,
    site: Site,
    *,
    author: str,
    message: str | None = None,
    status: Status = Status.published,
    replace: bool = False,
    skip_invalid: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import every record read from `path` (a tracker JSON/NDJSON file, a Markdown file or a
    folder of them) in one transaction.

    Without `skip_invalid`, one invalid record aborts the whole import (ImportAborted, listing
    every invalid record) and the store is left as it was. With it, valid records are imported
    and the invalid ones are listed in the report."""
    report = ImportReport()
    return _import_items(
        store,
        read_any(path, site),
        report,
        author=author,
        message=message or f"import {path.name}",
        status=status,
        replace=replace,
        skip_invalid=skip_invalid,
        progress=progress,
    )


def import_records(
    store: Store,
    records: Iterable[Record],
    *,
    author: str,
    message: str,
    status: Status = Status.published,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Import records made in this process (already valid)."""
    return store.import_records(
        records, author=author, message=message, status=status, progress=progress
    )


def _import_items(
    store: Store,
    items: Iterator[Item],
    report: ImportReport,
    *,
    author: str,
    message: str,
    status: Status,
    replace: bool,
    skip_invalid: bool,
    progress: Callable[[int], None] | None,
) -> ImportReport:
    errors: list[InvalidInput] = []

    def valid_records() -> Iterator[Record]:
        # Streamed into the store's transaction; an invalid record (without skip_invalid)
        # stops yielding, the rest is still read so that every error is listed, and the
        # raise rolls the transaction back.
        for item in items:
            report.warnings.extend(item.warnings)
            if item.error is not None:
                errors.append(item.error)
                continue
            if errors and not skip_invalid:
                continue
            assert item.record is not None
            yield item.record
        if errors and not skip_invalid:
            raise ImportAborted(errors)

    report.imported = store.import_records(
        valid_records(),
        author=author,
        message=message,
        status=status,
        replace=replace,
        progress=progress,
    )
    report.skipped = errors
    return report


class ExportFormat(StrEnum):
    archive = "archive"  # one archive.json document
    ndjson = "ndjson"  # one record per line
    markdown = "markdown"  # a folder of SLUG.md files
    csv = "csv"


def export_records(
    records: Iterable[Record],
    site: Site,
    fmt: ExportFormat,
    destination: Path,
    *,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Write `records` to `destination` in `fmt`. Files are written to a temporary name and
    renamed into place, so an interrupted export never leaves half a file behind."""
    if fmt is ExportFormat.markdown:
        write_markdown_folder(records, destination, progress=progress)
        return
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    with partial.open("w", encoding="utf-8", newline="") as out:
        if fmt is ExportFormat.archive:
            doc = archive_document(
                _counted(records, progress), site, format_generated_at(datetime.now(UTC))
            )
            out.write(dumps(doc))
        elif fmt is ExportFormat.ndjson:
            write_ndjson(_counted(records, progress), site, out)
        else:
            write_csv(_counted(records, progress), site, out)
    partial.replace(destination)


def _counted(records: Iterable[Record], progress: Callable[[int], None] | None) -> Iterator[Record]:
    for record in records:
        yield record
        if progress is not None:
            progress(1)


def export_to_string(records: Iterable[Record], site: Site, fmt: ExportFormat) -> str:
    """The same export into a string (for `--output -`); not for the Markdown folder form."""
    out = io.StringIO()
    if fmt is ExportFormat.archive:
        out.write(dumps(archive_document(records, site, format_generated_at(datetime.now(UTC)))))
    elif fmt is ExportFormat.ndjson:
        write_ndjson(records, site, out)
    elif fmt is ExportFormat.csv:
        write_csv(records, site, out)
    else:
        raise ValueError("the Markdown form is a folder: give --output a folder")
    return out.getvalue()
