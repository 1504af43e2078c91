"""Moving records between files and a store: import (all or nothing) and export."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING

from casework.editing import Actor, Editing
from casework.editing.publishable import publish_problems
from casework.formats import (
    FORMATS,
    InvalidInput,
    Item,
    collection_document,
    dumps,
    format_generated_at,
    is_ndjson,
    open_tracker_json,
    read_any,
    read_records_of,
    write_markdown_folder,
)
from casework.import_reading import Read, read_in_other_processes
from casework.model import Collection, Record, Site, Status
from casework.publish.public_view import PublicView
from casework.store.base import CollectionNotFound, Store
from casework.store.prepared import PreparedRecord

if TYPE_CHECKING:
    from casework.evidence.captures import Captures
    from casework.formats.mapping import Mapping


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
    collection: str | None = None  # the slug of a collection document's collection


def import_path(
    editing: Editing,
    path: Path,
    *,
    actor: Actor,
    message: str | None = None,
    status: Status = Status.draft,
    replace: bool = False,
    skip_invalid: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import every record read from `path` (a tracker JSON/NDJSON file, a Markdown file or a
    folder of them) in one transaction, through the editing service: new records get
    `status` (draft unless the importer publishes explicitly — then each must be
    publishable); with `replace`, existing records keep their status and their public changes
    are disclosed (casework.editing).

    Without `skip_invalid`, one invalid record aborts the whole import (ImportAborted, listing
    every invalid record) and the store is left as it was. With it, valid records are imported
    and the invalid ones are listed in the report. A collection document's collection is
    saved too (its valid records, in order), after its records."""
    site = editing.site
    report = ImportReport()
    items: Iterator[Item] | Iterator[Read]
    collection: Collection | None = None
    if path.is_file() and path.suffix.lower() == ".json" and not is_ndjson(path):
        # One JSON document (at most 64 MB): read here, where its envelope is seen.
        opened = open_tracker_json(path, site)
        collection = opened.collection
        items = read_records_of(opened)
    elif _worth_a_second_core(path):
        items = read_in_other_processes(path, site)
    else:
        items = read_any(path, site)
    default = f"import {path.name}"
    if status is not Status.draft:
        default += f" ({status.value} by the importer)"
    _import_items(
        editing,
        items,
        report,
        file=str(path),
        actor=actor,
        message=message or default,
        status=status,
        replace=replace,
        skip_invalid=skip_invalid,
        progress=progress,
    )
    if collection is not None:
        editing.store.put_collection(collection)
        report.collection = collection.slug
    return report


def _import_items(
    editing: Editing,
    items: Iterator[Item] | Iterator[Read],
    report: ImportReport,
    *,
    file: str,
    actor: Actor,
    message: str,
    status: Status,
    replace: bool,
    skip_invalid: bool,
    progress: Callable[[int], None] | None,
) -> ImportReport:
    errors: list[InvalidInput] = []

    def valid_records() -> Iterator[Record | PreparedRecord]:
        # Streamed into the store's transaction; an invalid record (without skip_invalid)
        # stops yielding, the rest is still read so that every error is listed, and the
        # raise rolls the transaction back.
        first_seen: dict[str, str] = {}
        for item in items:
            report.warnings.extend(item.warnings)
            if isinstance(item, Read) and item.prepared is not None:
                # Readers in other processes each see part of the input: collisions between
                # their parts are caught here.
                slug = item.prepared.slug
                if slug in first_seen:
                    item.error = InvalidInput(
                        f"slug collision: {first_seen[slug]} has the same slug",
                        file=file,
                        slug=slug,
                        field="slug",
                    )
                else:
                    first_seen[slug] = item.location.removeprefix(f"{file}: ")
            ready = item.prepared if isinstance(item, Read) else item.record
            if item.error is None and ready is not None and status is Status.published:
                # Publishing by import: every record must be publishable, listed like any
                # other invalid record (a record already here is judged by the service).
                for field, problem in publish_problems(ready):
                    item.error = InvalidInput(problem, file=file, slug=ready.slug, field=field)
                    break
            if item.error is not None:
                errors.append(item.error)
                continue
            if errors and not skip_invalid:
                continue
            assert ready is not None
            yield ready
        if errors and not skip_invalid:
            raise ImportAborted(errors)

    report.imported = editing.import_records(
        actor,
        valid_records(),
        message=message,
        status=status,
        replace=replace,
        progress=progress,
    )
    report.skipped = errors
    return report


# Below this size a second process costs more to start than it saves.
_PARALLEL_FROM_BYTES = 4 * 1024 * 1024


def _worth_a_second_core(path: Path) -> bool:
    return (
        (os.cpu_count() or 1) > 1
        and path.is_file()
        and path.suffix.lower() in (".json", ".ndjson", ".jsonl")
        and path.stat().st_size >= _PARALLEL_FROM_BYTES
    )


class ExportFormat(StrEnum):
    """The formats `casework export` writes: names of formats.FORMATS (a test keeps the two
    in step)."""

    archive = "archive"  # one archive.json document
    ndjson = "ndjson"  # one record per line
    markdown = "markdown"  # a folder of SLUG.md files
    csv = "csv"
    geojson = "geojson"  # one Feature per location (casework.formats.geojson)


def write_export(
    records: Iterable[Record],
    site: Site,
    fmt: ExportFormat,
    stream: IO[str],
    *,
    count: int,
    progress: Callable[[int], None] | None = None,
    extensions: bool = False,
) -> None:
    """Write `records` (`count` of them: archive.json states it before the records) to
    `stream`, a record at a time, in one of the single-file forms. The JSON forms are the seed
    tracker's format: casework's own keys (provenance, ...) only with `extensions`."""
    writer = FORMATS[fmt.value].writer
    if writer is None:
        raise ValueError("the Markdown form is a folder of files: give --output a folder")
    writer(records, site, stream, count=count, progress=progress, extensions=extensions)


def export_records(
    records: Iterable[Record],
    site: Site,
    fmt: ExportFormat,
    destination: Path,
    *,
    count: int,
    progress: Callable[[int], None] | None = None,
    extensions: bool = False,
) -> None:
    """Write `records` to `destination` in `fmt` (see `write_export`; the Markdown form is a
    folder). A file is written to a temporary name and renamed into place, so an
    interrupted export never leaves half a file behind."""
    if fmt is ExportFormat.markdown:
        write_markdown_folder(records, destination, progress=progress)
        return
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as out:
            write_export(
                records, site, fmt, out, count=count, progress=progress, extensions=extensions
            )
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(destination)


def published_records(
    store: Store, captures: Captures | None = None
) -> tuple[Iterator[Record], int]:
    """What `casework export` writes without --all: the published records in their public
    form (publish/public_view.py), and how many there are; with `captures` (--extensions),
    each carrying the `captures` key of casework's own."""
    view = PublicView(store, captures)
    return (public.record for public in view.records()), view.count()


def export_collection(
    store: Store, slug: str, site: Site, destination: Path | None, *, extensions: bool = False
) -> str:
    """A collection document (docs/format.md) of collection `slug` and its published records in
    their public form, in the collection's order; written to `destination` unless None.
    Returns the text. Raises CollectionNotFound."""
    view = PublicView(store)
    collection = view.collection(slug)
    if collection is None:
        raise CollectionNotFound(slug)
    members = view.read(collection.records)
    records = [members[s].record for s in collection.records if s in members]
    text = dumps(
        collection_document(
            collection,
            records,
            site,
            format_generated_at(datetime.now(UTC)),
            extensions=extensions,
        )
    )
    if destination is not None:
        partial = destination.with_name(destination.name + ".partial")
        partial.write_text(text, encoding="utf-8")
        partial.replace(destination)
    return text


# --- spreadsheets (formats/sheets.py, formats/mapping.py) -----------------------------------


@dataclass
class SheetReport(ImportReport):
    """An import's report, with what became of each row's record."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class SheetRead:
    """A table read through a mapping, nothing written: the first records and every refusal."""

    rows: int = 0
    preview: list[Record] = field(default_factory=list)
    refused: list[InvalidInput] = field(default_factory=list)


def _sheet_items(
    store: Store, site: Site, path: Path, mapping: Mapping, revisions: dict[str, int] | None = None
) -> Iterator[Item]:
    from casework.formats.mapping import Applier
    from casework.formats.sheets import open_table

    known: dict[str, str] = {}
    taken: set[str] = set()
    if store.count():
        # Re-import: each external id already here keeps its record (and slug).
        for stored in store.iter_records():
            taken.add(stored.record.slug)
            if stored.record.external_id:
                known[stored.record.external_id] = stored.record.slug
                if revisions is not None:
                    revisions[stored.record.slug] = stored.revision
    table = open_table(
        path, encoding=mapping.encoding, delimiter=mapping.delimiter, sheet=mapping.worksheet
    )
    return Applier(mapping, site, known=known, taken=taken).items(table)


def preview_sheet(
    store: Store, site: Site, path: Path, mapping: Mapping, *, first: int = 5
) -> SheetRead:
    """What `import_sheet` would do, writing nothing: the first `first` records and every row
    that would be refused (`casework import --mapping ... --dry-run`)."""
    read = SheetRead()
    for item in _sheet_items(store, site, path, mapping):
        read.rows += 1
        if item.error is not None:
            read.refused.append(item.error)
        elif item.record is not None and len(read.preview) < first:
            read.preview.append(item.record)
    return read


def import_sheet(
    editing: Editing,
    path: Path,
    mapping: Mapping,
    *,
    actor: Actor,
    message: str | None = None,
    status: Status = Status.draft,
    skip_invalid: bool = False,
    progress: Callable[[int], None] | None = None,
) -> SheetReport:
    """Import the rows of a spreadsheet through `mapping`, in one transaction, through the
    editing service: all or nothing unless `skip_invalid`. A row whose external id is already
    in the tracker updates that record (a new revision only when something changed; a
    published record's public change is disclosed); other rows make new records with
    `status` (draft unless the importer publishes explicitly)."""
    report = SheetReport()
    revisions: dict[str, int] = {}
    slugs: list[str] = []

    def noted(items: Iterator[Item]) -> Iterator[Item]:
        for item in items:
            if item.record is not None:
                slugs.append(item.record.slug)
            yield item

    default = f"import {path.name} with {Path(mapping.path).name}"
    if status is not Status.draft:
        default += f" ({status.value} by the importer)"
    _import_items(
        editing,
        noted(_sheet_items(editing.store, editing.site, path, mapping, revisions)),
        report,
        file=str(path),
        actor=actor,
        message=message or default,
        status=status,
        replace=True,
        skip_invalid=skip_invalid,
        progress=progress,
    )
    for slug in slugs:
        if slug not in revisions:
            report.new += 1
        elif editing.store.get(slug).revision != revisions[slug]:
            report.updated += 1
        else:
            report.unchanged += 1
    return report


def write_refusals(refused: list[InvalidInput], destination: Path) -> None:
    """The refused rows as CSV (row, field, problem): the report `--skip-invalid` leaves."""
    import csv

    with destination.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["row", "field", "problem"])
        for error in refused:
            row = (error.position or "").removeprefix("row ")
            writer.writerow([row, error.field or "", error.message])
