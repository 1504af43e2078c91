"""The formats casework reads and writes, in one place: a name, the suffixes a file of it has,
its media type, a reader and a writer. `casework import` (read_any), `casework export`
(transfer.write_export), the site's data files (publish/datafiles.py) and the API's export
(web/api.py) all look formats up here, so a new format is one entry.

A reader takes (path, site) and yields `Item`s; a spreadsheet's reader also needs a mapping
(formats/mapping.py), so it is read through `casework import --mapping` and `read_any` says
so. A writer takes (records, site, stream, count=, progress=, extensions=) and writes one file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from casework.formats.common import Item
from casework.formats.csv_export import write_csv
from casework.formats.errors import InvalidInput
from casework.formats.markdown_files import read_markdown_file, read_markdown_folder
from casework.formats.tracker_json import read_records, write_archive, write_ndjson
from casework.model import Record, Site

Reader = Callable[[Path, Site], Iterator[Item]]
Writer = Callable[..., None]


@dataclass(frozen=True)
class Format:
    name: str
    suffixes: tuple[str, ...]
    media_type: str
    description: str
    reader: Reader | None = None
    writer: Writer | None = None
    # The file of this format among the site's /data/ files and the API's /export/, if any.
    data_file: str | None = None
    # Read only through a mapping (`casework import --mapping`).
    needs_mapping: bool = False


def _read_markdown(path: Path, site: Site) -> Iterator[Item]:
    if not path.exists():
        raise InvalidInput("no such file", file=str(path))
    return iter([read_markdown_file(path, site)])


def _write_archive(
    records: Iterable[Record], site: Site, stream: IO[str], *, count: int, **options: Any
) -> None:
    write_archive(records, site, stream, count=count, **options)


def _write_ndjson(
    records: Iterable[Record], site: Site, stream: IO[str], *, count: int, **options: Any
) -> None:
    write_ndjson(records, site, stream, **options)


def _write_geojson(
    records: Iterable[Record],
    site: Site,
    stream: IO[str],
    *,
    count: int,
    extensions: bool = False,
    **options: Any,
) -> None:
    from casework.formats.geojson import write_geojson

    write_geojson(records, site, stream, **options)  # places only, at their published precision


def _write_csv(
    records: Iterable[Record],
    site: Site,
    stream: IO[str],
    *,
    count: int,
    extensions: bool = False,
    **options: Any,
) -> None:
    write_csv(records, site, stream, **options)  # a CSV has no extension keys


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "archive",
            (".json",),
            "application/json",
            "Every record in one JSON document (the archive form of the record format).",
            reader=read_records,
            writer=_write_archive,
            data_file="records.json",
        ),
        Format(
            "ndjson",
            (".ndjson", ".jsonl"),
            "application/x-ndjson",
            "One record per line as compact JSON, for streaming and line-oriented tools.",
            reader=read_records,
            writer=_write_ndjson,
            data_file="records.ndjson",
        ),
        Format(
            "markdown",
            (".md",),
            "text/markdown",
            "A Markdown file with YAML front matter per record (a folder of them).",
            reader=_read_markdown,
        ),
        Format(
            "csv",
            (),
            "text/csv",
            "One row per record for spreadsheets; lists are joined into one cell.",
            writer=_write_csv,
            data_file="records.csv",
        ),
        Format(
            "geojson",
            (),
            "application/geo+json",
            "Where incidents happened: a GeoJSON FeatureCollection, one Feature per location of "
            "a record, each at its published precision (coordinates in longitude, latitude "
            "order).",
            writer=_write_geojson,
            data_file="incidents.geojson",
        ),
        Format(
            "sheet",
            (".csv", ".tsv", ".tab", ".xlsx"),
            "text/csv",
            "A spreadsheet (CSV, TSV, XLSX) read through a mapping of columns to fields.",
            needs_mapping=True,
        ),
    )
}


def format_of(path: Path) -> Format | None:
    """The format a file's suffix names (a readable one), or None."""
    suffix = path.suffix.lower()
    for fmt in FORMATS.values():
        if suffix in fmt.suffixes:
            return fmt
    return None


def data_file_formats() -> list[Format]:
    """The formats the site's /data/ and the API's /export/ serve, in this order."""
    return [f for f in FORMATS.values() if f.data_file]


def read_any(path: Path, site: Site) -> Iterator[Item]:
    """Records from `path`, whatever it is: a folder (Markdown files), or a file of a readable
    format by its suffix. Raises InvalidInput when the path can't be read at all, its kind
    can't be told, or it is a spreadsheet (which needs a mapping)."""
    if path.is_dir():
        return read_markdown_folder(path, site)
    fmt = format_of(path)
    if fmt is not None and fmt.needs_mapping:
        raise InvalidInput(
            "a spreadsheet is imported through a mapping: give --mapping "
            "(`casework mapping suggest` writes a first one)",
            file=str(path),
        )
    if fmt is not None and fmt.reader is not None:
        return fmt.reader(path, site)
    if not path.exists():
        raise InvalidInput("no such file or folder", file=str(path))
    readable = [s for f in FORMATS.values() if f.reader for s in f.suffixes]
    raise InvalidInput(
        "cannot tell the format: expected a folder of Markdown files, or a "
        + ", ".join(readable)
        + " file (a spreadsheet with --mapping)",
        file=str(path),
    )
