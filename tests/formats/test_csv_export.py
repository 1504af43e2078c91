"""CSV export: one row per record, lists joined, formulas neutralised."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from casework.formats import CSV_COLUMNS, read_records, write_csv
from casework.formats.csv_export import neutralise
from casework.model import Record, Site
from tests.formats.helpers import FIXTURES


def records(site: Site) -> list[Record]:
    items = list(read_records(FIXTURES / "archive.json", site))
    return [item.record for item in items if item.record is not None]


def exported(records: list[Record], site: Site) -> list[dict[str, str]]:
    stream = io.StringIO(newline="")
    assert write_csv(records, site, stream) == len(records)
    return list(csv.DictReader(io.StringIO(stream.getvalue(), newline="")))


def test_one_row_per_record_with_every_column(site: Site) -> None:
    rows = exported(records(site), site)
    assert [row["slug"] for row in rows] == [
        "vell-river-centre-water-shutoff",
        "port-aldane-quay-closure",
        "kestrel-square-protest-arrests",
    ]
    assert list(rows[0]) == list(CSV_COLUMNS)
    first = rows[0]
    assert first["url"] == "https://tracker.example.org/incident/vell-river-centre-water-shutoff/"
    assert first["categoryLabel"] == "Deportation & Detention"
    assert first["tags"] == "detention; water; Nelson Mandela Rules; children; 東京; حقوق"
    assert first["keyPoints"].count(" | ") == 2
    assert first["sources"] == (
        "https://news.example.com/2024/03/vell-river-water; "
        "https://radio.example.org/story/8812?lang=ar"
    )
    assert first["sourceCount"] == "2" and first["documentCount"] == "2"
    assert first["ongoing"] == "false"
    assert first["structuredVictims"].startswith(
        "Detainees of the Vell River centre (population, 240)"
    )
    assert (
        "International Covenant on Civil and Political Rights Article 10(1)"
        in first["internationalLaw"]
    )
    assert first["description"].count("\n") == 1  # multi-line text survives quoting
    assert rows[1]["tags"] == "" and rows[1]["sourceCount"] == "0"


@pytest.mark.parametrize(
    "value", ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
)
def test_formula_like_cells_get_a_leading_apostrophe(value: str, site: Site) -> None:
    [record] = [r for r in records(site) if r.slug == "port-aldane-quay-closure"]
    hostile = record.model_copy(update={"title": value, "tags": [value, "plain"]})
    [row] = exported([hostile], site)
    assert row["title"] == "'" + value
    assert row["tags"] == "'" + value + "; plain"
    assert row["citation"].startswith("'" + value)


@pytest.mark.parametrize(
    "value",
    [
        ' =HYPERLINK("http://evil")',
        "   +1+1",
        "\n=1+1",
        "\r\n-2+3",
        "\u00a0@SUM(A1)",  # a no-break space: spreadsheets trim it too
        "\u3000=1+1",
        '\uff1dHYPERLINK("http://evil")',  # a full-width equals sign
        "\nplain text on a second line",  # a line feed first is refused whatever follows
    ],
)
def test_cells_whose_first_visible_character_starts_a_formula_are_neutralised(
    value: str, site: Site
) -> None:
    """Spreadsheets trim leading whitespace before reading a formula (OWASP's CSV injection
    advice), so whitespace before = + - @ must not let a formula through."""
    [record] = [r for r in records(site) if r.slug == "port-aldane-quay-closure"]
    hostile = record.model_copy(update={"summary": value, "description": value})
    [row] = exported([hostile], site)
    assert row["summary"] == row["description"] == "'" + value


def test_ordinary_cells_are_unchanged() -> None:
    assert neutralise("Port Aldane") == "Port Aldane"
    assert neutralise("a=b") == "a=b"
    assert neutralise(" indented text") == " indented text"
    assert neutralise("   ") == "   "
    assert neutralise(12) == "12"
    assert neutralise(True) == "true"


def test_written_to_a_file_the_csv_reads_back(site: Site, tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        write_csv(records(site), site, stream)
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == list(CSV_COLUMNS)
    assert len(rows) == 4
