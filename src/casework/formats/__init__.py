"""Reading and writing the outside forms of records: tracker JSON (docs/format.md) and NDJSON,
Markdown files with YAML front matter, CSV.

Readers yield `Item`s (a record, or the `InvalidInput` that kept it out, plus warnings) and
raise `InvalidInput` only when a whole input cannot be read. `read_any` picks the reader from
what the path is.
"""

from __future__ import annotations

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
from casework.formats.registry import FORMATS, Format, data_file_formats, format_of, read_any
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

JSON_SUFFIXES = (".json", ".ndjson", ".jsonl")


__all__ = [
    "CSV_COLUMNS",
    "DEFAULT_DOCUMENT_LIMIT",
    "DEFAULT_LINE_LIMIT",
    "FORMATS",
    "Format",
    "InvalidInput",
    "Item",
    "Shard",
    "TrackerJson",
    "archive_document",
    "collection_document",
    "data_file_formats",
    "dumps",
    "format_generated_at",
    "format_of",
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
