"""Markdown files with YAML front matter: a folder reads and writes back to the same bytes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from casework.formats import (
    read_any,
    read_markdown_folder,
    read_records,
    record_from_markdown,
    record_to_markdown,
    write_markdown_folder,
)
from casework.model import Record, Site
from casework.render.html import render_markdown
from tests.formats.helpers import FIXTURES

MARKDOWN = FIXTURES / "markdown"


def read_folder(folder: Path, site: Site) -> list[Record]:
    items = list(read_markdown_folder(folder, site))
    assert [str(item.error) for item in items if item.error] == []
    return [item.record for item in items if item.record is not None]


def test_a_folder_read_and_written_back_gives_identical_bytes(site: Site, tmp_path: Path) -> None:
    records = read_folder(MARKDOWN, site)
    assert len(records) == 3
    progress: list[int] = []
    assert write_markdown_folder(records, tmp_path / "out", progress.append) == 3
    assert progress == [1, 1, 1]
    for original in sorted(MARKDOWN.glob("*.md")):
        assert (tmp_path / "out" / original.name).read_bytes() == original.read_bytes()


def test_strings_that_look_like_other_yaml_types_stay_strings(site: Site) -> None:
    record = record_from_markdown(
        (MARKDOWN / "tricky-strings-record.md").read_text(encoding="utf-8"),
        MARKDOWN / "tricky-strings-record.md",
        site,
    )
    assert record.title == "2025"
    assert record.summary == "yes"
    assert record.victims == "null"
    assert record.perpetrators == "  leading and trailing spaces  "
    assert record.legal_basis == "Key: value with a colon, and # a hash"
    assert record.tags == ["true", "1.5", "2021-02-03", "~", 'it\'s "quoted"', "on", "22:00"]
    assert record.key_points[0] == "Café in São Paulo, 北京, القاهرة — and 🎉"
    assert record.description == (
        "First line.\n\nThird line, after a blank one: with a colon.\n  Indented line."
    )
    assert record.date.isoformat() == "2021-02-03"
    assert record.body == "Body with a line that looks like front matter:\n\n---\n\nAnd the end.\n"


def test_reading_renders_the_body_to_sanitized_html(site: Site) -> None:
    path = MARKDOWN / "vell-river-centre-water-shutoff.md"
    record = record_from_markdown(path.read_text(encoding="utf-8"), path, site)
    assert record.body.startswith("## What Happened")
    assert record.body_html == render_markdown(record.body)
    assert '<h2 id="what-happened">' in record.body_html


def test_front_matter_holds_authored_fields_in_format_order_and_unknown_keys(site: Site) -> None:
    path = MARKDOWN / "vell-river-centre-water-shutoff.md"
    text = path.read_text(encoding="utf-8")
    front = text.split("---\n")[1]
    keys = [line.split(":")[0] for line in front.splitlines() if line and line[0].isalpha()]
    assert keys[:5] == ["slug", "title", "date", "lastUpdated", "summary"]
    assert "fieldNotes" in keys and "reviewedBy" in keys
    assert not {"url", "displayDate", "contentHtml", "citation", "sourceCount"} & set(keys)
    assert "date: 2024-03-14\n" in front  # dates written plain, read back as the same text
    items = list(read_markdown_folder(MARKDOWN, site))
    [item] = [i for i in items if i.location.endswith("vell-river-centre-water-shutoff.md")]
    assert any("field sources.1.archivedAt: unknown key" in w for w in item.warnings)


def test_a_record_imported_as_html_gets_a_markdown_body(site: Site, tmp_path: Path) -> None:
    [item] = list(read_records(FIXTURES / "record-filled.json", site))
    assert item.record is not None and item.record.body == ""
    text = record_to_markdown(item.record)
    body = text.split("---\n", 2)[2]
    assert body.startswith("\n## What Happened")
    write_markdown_folder([item.record], tmp_path)
    [again] = read_folder(tmp_path, site)
    assert again.body == body[1:]
    assert '<h2 id="what-happened">' in again.body_html
    assert again.to_wire() == item.record.to_wire()


def test_json_to_markdown_to_json_keeps_every_authored_field(site: Site, tmp_path: Path) -> None:
    records = [item.record for item in read_records(FIXTURES / "archive.json", site)]
    write_markdown_folder([r for r in records if r is not None], tmp_path)
    again = {record.slug: record for record in read_folder(tmp_path, site)}
    for record in records:
        assert record is not None
        assert again[record.slug].to_wire() == record.to_wire()


def test_read_any_dispatches_on_what_the_path_is(site: Site, tmp_path: Path) -> None:
    assert len(list(read_any(MARKDOWN, site))) == 3
    [one] = list(read_any(MARKDOWN / "port-aldane-quay-closure.md", site))
    assert one.ok
    assert len(list(read_any(FIXTURES / "records.ndjson", site))) == 3
    shutil.copy(FIXTURES / "records.ndjson", tmp_path / "records.jsonl")
    assert len(list(read_any(tmp_path / "records.jsonl", site))) == 3
    assert len(list(read_any(FIXTURES / "archive.json", site))) == 3


def test_an_empty_body_writes_no_blank_line(site: Site) -> None:
    path = MARKDOWN / "port-aldane-quay-closure.md"
    text = path.read_text(encoding="utf-8")
    assert text.endswith("updateLog: []\n---\n")
    assert record_from_markdown(text, path, site).body == ""


TRICKY_STRINGS = [
    "line one\nline two",
    "ends with newlines\n\n",
    "\nstarts with a newline",
    "  indented first line\nsecond",
    "trailing space \nnext",
    "a\x85b next-line character",
    "a\u2028b line separator",
    "a\u2029b paragraph separator",
    "windows\r\nline ends",
    "tab\tinside",
    "\ufeffbyte order mark",
    "nul \x00 and bell \x07",
    "--- looks like a document marker",
    "---",
    "...",
    "null",
    "~",
    "0x1F",
    "1_000",
    "12:30:45",
    "=SUM(A1:A9)",
    "- dash",
    "? question",
    "# hash",
    "!tag",
    "&anchor",
    "*alias",
    "| pipe",
    "> fold",
    "%directive",
    "@at",
    "`tick",
    "{flow: map}",
    "[flow, seq]",
    "😀 emoji 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "עִבְרִית and العربية",
    "\u00a0non-breaking\u00a0",
]


@pytest.mark.parametrize("value", TRICKY_STRINGS)
def test_tricky_strings_survive_the_markdown_form(value: str, site: Site) -> None:
    path = MARKDOWN / "port-aldane-quay-closure.md"
    record = record_from_markdown(path.read_text(encoding="utf-8"), path, site)
    changed = Record.model_validate(
        {
            **record.to_wire(),
            "summary": value,
            "tags": [value] if value.strip() else [],
            "timeline": [{"date": "2023-07-10", "title": value, "summary": value}],
            "xNote": {"nested": [value]},
        },
        context={"site": site},
    )
    written = record_to_markdown(changed)
    again = record_from_markdown(written, path, site)
    assert again.summary == value
    assert again.timeline[0].title == value
    assert again.to_storage() == changed.to_storage()
    assert record_to_markdown(again) == written
