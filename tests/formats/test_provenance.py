"""`provenance`, casework's own key: written after the format's keys when it holds something,
read back to the same bytes, left out of the seed-compatible export unless asked, and refused
with one line naming the record and field when malformed."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from casework.formats import (
    archive_document,
    dumps,
    read_records,
    record_dict,
    record_document,
    write_ndjson,
)
from casework.model import Record, Site
from tests.formats.helpers import FIXTURES, GENERATED_AT

CITED = [
    {
        "claim": "keyPoints/0",
        "sources": ["https://news.example.com/2024/03/vell-river-water"],
        "sentence": 'Taps ran dry on the Thursday nite and stayed dry — "three days", '
        "one guard said.",
    },
    {
        "claim": "timeline/2",
        "sources": [
            "https://radio.example.org/story/8812?lang=ar",
            "https://courts.example.gov/orders/2024-118.pdf",
        ],
    },
]


A = "https://a.example"


def document_with(provenance: Any, name: str = "record-filled.json") -> dict[str, Any]:
    document: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    document["record"]["provenance"] = provenance
    return document


def read_one(path: Path, site: Site) -> Record:
    [item] = list(read_records(path, site))
    assert item.error is None, item.error
    assert item.record is not None
    return item.record


@pytest.mark.parametrize("name", ["record-filled.json", "record-empty-lists.json"])
def test_a_record_with_provenance_round_trips_byte_for_byte(
    name: str, site: Site, tmp_path: Path
) -> None:
    text = dumps(document_with(CITED, name))
    path = tmp_path / "in.json"
    path.write_text(text, encoding="utf-8")
    record = read_one(path, site)
    assert [c.claim for c in record.provenance] == ["keyPoints/0", "timeline/2"]
    assert record.provenance[1].sentence is None
    assert dumps(record_document(record, site, GENERATED_AT)) == text
    # After the format's keys (and after the unknown keys that stood before it).
    assert list(record_dict(record, site))[-1] == "provenance"


def test_without_extensions_the_export_is_the_seed_format_exactly(
    site: Site, tmp_path: Path
) -> None:
    path = tmp_path / "in.json"
    path.write_text(dumps(document_with(CITED)), encoding="utf-8")
    record = read_one(path, site)
    plain = dumps(record_document(record, site, GENERATED_AT, extensions=False))
    assert plain == (FIXTURES / "record-filled.json").read_text(encoding="utf-8")
    archive = archive_document([record], site, GENERATED_AT, extensions=False)
    assert "provenance" not in archive["records"][0]
    stream = io.StringIO()
    write_ndjson([record], site, stream, extensions=False)
    assert "provenance" not in json.loads(stream.getvalue())
    stream = io.StringIO()
    write_ndjson([record], site, stream)
    assert json.loads(stream.getvalue())["provenance"] == CITED


def test_an_empty_provenance_is_not_written(site: Site, tmp_path: Path) -> None:
    path = tmp_path / "in.json"
    path.write_text(dumps(document_with([])), encoding="utf-8")
    record = read_one(path, site)
    assert record.provenance == []
    assert "provenance" not in record.to_wire()
    written = dumps(record_document(record, site, GENERATED_AT))
    assert written == (FIXTURES / "record-filled.json").read_text(encoding="utf-8")


def test_storage_keeps_provenance(site: Site, tmp_path: Path) -> None:
    path = tmp_path / "in.json"
    path.write_text(dumps(document_with(CITED)), encoding="utf-8")
    record = read_one(path, site)
    again = Record.from_storage(json.loads(json.dumps(record.to_storage())))
    assert again.provenance == record.provenance


@pytest.mark.parametrize(
    ("provenance", "field", "words"),
    [
        ([{"claim": "keyPoint/0", "sources": [A]}], "provenance.0.claim", "claim"),
        ([{"claim": "keyPoints/01", "sources": [A]}], "provenance.0.claim", "claim"),
        ([{"claim": "timeline/0", "sources": []}], "provenance.0.sources", "at least 1"),
        (
            [{"claim": "timeline/0", "sources": ["javascript:alert(1)"]}],
            "provenance.0.sources.0",
            "http(s)",
        ),
        (
            [{"claim": "timeline/0", "sources": ["https://a.example", "https://a.example"]}],
            "provenance.0.sources",
            "cited twice",
        ),
        (
            [{"claim": "timeline/0", "sources": ["https://a.example"], "sentence": "  "}],
            "provenance.0.sentence",
            "blank",
        ),
        (
            [
                {"claim": "timeline/0", "sources": ["https://a.example"]},
                {"claim": "timeline/0", "sources": ["https://b.example"]},
            ],
            "provenance",
            "timeline/0 again",
        ),
        ({"claim": "timeline/0"}, "provenance", "list"),
    ],
)
def test_malformed_provenance_is_one_line_naming_record_and_field(
    provenance: Any, field: str, words: str, site: Site, tmp_path: Path
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(dumps(document_with(provenance)), encoding="utf-8")
    [item] = list(read_records(path, site))
    assert item.record is None and item.error is not None
    message = str(item.error)
    assert "\n" not in message
    assert "vell-river-centre-water-shutoff" in message
    assert field in message, message
    assert words in message, message


def test_the_markdown_form_keeps_provenance(site: Site, tmp_path: Path) -> None:
    from casework.formats import read_markdown_file, record_to_markdown

    path = tmp_path / "in.json"
    path.write_text(dumps(document_with(CITED)), encoding="utf-8")
    record = read_one(path, site)
    text = record_to_markdown(record)
    assert "provenance:" in text
    md = tmp_path / f"{record.slug}.md"
    md.write_text(text, encoding="utf-8")
    item = read_markdown_file(md, site)
    assert item.error is None and item.record is not None
    assert item.record.provenance == record.provenance
    assert record_to_markdown(item.record) == text
