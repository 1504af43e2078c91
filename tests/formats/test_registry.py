"""The registry of formats (formats/registry.py) is what import, export, the data files and the
API read: each of them agrees with it."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest

from casework.formats import FORMATS, InvalidInput, data_file_formats, format_of, read_any
from casework.model import Site
from casework.publish.datafiles import DESCRIPTIONS
from casework.transfer import ExportFormat
from casework.web.api import ExportName


def test_every_export_format_is_a_registered_format() -> None:
    for fmt in ExportFormat:
        assert fmt.value in FORMATS
    writers = {name for name, f in FORMATS.items() if f.writer is not None}
    assert writers | {"markdown"} == {f.value for f in ExportFormat}


def test_the_data_files_and_the_api_serve_the_registered_data_files() -> None:
    names = [f.data_file for f in data_file_formats()]
    assert list(typing.get_args(ExportName)) == names
    for f in data_file_formats():
        assert DESCRIPTIONS[f.data_file or ""] == (f.media_type, f.description)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.JSON", "archive"),
        ("a.jsonl", "ndjson"),
        ("a.md", "markdown"),
        ("a.xlsx", "sheet"),
        ("a.tsv", "sheet"),
        ("a.csv", "sheet"),
        ("a.pdf", None),
    ],
)
def test_a_file_is_read_as_its_suffix_says(name: str, fmt: str | None) -> None:
    found = format_of(Path(name))
    assert (found.name if found else None) == fmt


def test_a_spreadsheet_without_a_mapping_is_told_to_give_one(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="give --mapping"):
        read_any(path, Site())
