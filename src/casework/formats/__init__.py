"""Reading and writing the outside forms of records: tracker JSON (docs/format.md) and NDJSON,
Markdown files with YAML front matter, CSV.

Readers yield `Item`s (a record, or the `InvalidInput` that kept it out, plus warnings) and
raise `InvalidInput` only when a whole input cannot be read. `read_any` picks the reader from
what the path is.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from casework.formats.common import Item
from casework.formats.csv_export import COLUMNS as CSV_COLUMNS
from casework.formats.csv_export import write_csv
from casework.formats.errors import InvalidInput, from_validation_error
from casework.formats.json_input import DEFAULT_DOCUMENT_LIMIT, DEFAULT_LINE_LIMIT
from casework.formats.markdown_files import (
    read_markdown_file,
    read_markdown_folder,
    record_from_markdown,
    record_to_markdown,
    write_markdown_folder,
)
from casework.formats.tracker_json import (
    Shard,
    TrackerJson,
    archive_document,
    collection_document,
    dumps,
    format_generated_at,
    is_ndjson,
    open_tracker_json,
    read_collection,
    read_records,
    read_records_of,
    record_dict,
    record_document,
    without_extensions,
    write_archive,
    write_ndjson,
)
from casework.model import Site

JSON_SUFFIXES = (".json", ".ndjson", ".jsonl")


def read_any(path: Path, site: Site) -> Iterator[Item]:
    """Records from `path`, whatever it is: a folder (Markdown files), a `.md` file, or a
    `.json` / `.ndjson` / `.jsonl` file. Raises InvalidInput when the path can't be read
    at all or its kind can't be told."""
    if path.is_dir():
        return read_markdown_folder(path, site)
    suffix = path.suffix.lower()
    if suffix == ".md":
        if not path.exists():
            raise InvalidInput("no such file", file=str(path))
        return iter([read_markdown_file(path, site)])
    if suffix in JSON_SUFFIXES:
        return read_records(path, site)
    if not path.exists():
        raise InvalidInput("no such file or folder", file=str(path))
    raise InvalidInput(
        "cannot tell the format: expected a folder of Markdown files, a .md file, "
        "or a .json, .ndjson or .jsonl file",
        file=str(path),
    )


__all__ = [
    "CSV_COLUMNS",
    "DEFAULT_DOCUMENT_LIMIT",
    "DEFAULT_LINE_LIMIT",
    "InvalidInput",
    "Item",
    "Shard",
    "TrackerJson",
    "archive_document",
    "collection_document",
    "dumps",
    "format_generated_at",
    "from_validation_error",
    "is_ndjson",
    "open_tracker_json",
    "read_any",
    "read_collection",
    "read_markdown_file",
    "read_markdown_folder",
    "read_records",
    "read_records_of",
    "record_dict",
    "record_document",
    "record_from_markdown",
    "record_to_markdown",
    "without_extensions",
    "write_archive",
    "write_csv",
    "write_markdown_folder",
    "write_ndjson",
]
