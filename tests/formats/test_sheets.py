"""Reading messy spreadsheets (formats/sheets.py) and applying a mapping to them
(formats/mapping.py): encodings, delimiters, placeholders, dates, parties, refusals, suggest."""

from __future__ import annotations

import codecs
import random
from datetime import date, datetime
from pathlib import Path

import pytest

from casework.formats.errors import InvalidInput
from casework.formats.mapping import Applier, MappingError, load_mapping, parse_mapping, suggest
from casework.formats.sheets import open_table
from casework.model import Site

SHEETS = Path(__file__).parent.parent / "fixtures" / "sheets"
SITE = Site(url="https://m.example.org")


def rows_of(path: Path) -> list[tuple[int, dict[str, str]]]:
    return list(open_table(path).rows)


def written(tmp_path: Path, name: str, text: str, encoding: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


MESSY = (
    "Ref;Fecha;Lieu;Témoin\r\n"
    'A1;03/04/2025;Café du Port;"Zoé said ""they ran"""\r\n'
    "A2; 2025-04-05 ;  Mérida;N/A\r\n"
)


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8", "utf-8-sig"])
def test_encodings_and_semicolons_are_sniffed(tmp_path: Path, encoding: str) -> None:
    path = written(tmp_path, "messy.csv", MESSY, encoding)
    table = open_table(path)
    assert table.delimiter == ";"
    assert table.header == ["Ref", "Fecha", "Lieu", "Témoin"]  # no BOM left on "Ref"
    rows = list(table.rows)
    assert rows[0] == (
        2,
        {
            "Ref": "A1",
            "Fecha": "03/04/2025",
            "Lieu": "Café du Port",
            "Témoin": 'Zoé said "they ran"',
        },
    )
    assert rows[1][1]["Lieu"] == "Mérida"  # leading spaces trimmed
    assert rows[1][1]["Fecha"] == "2025-04-05"


def test_a_cp1252_byte_far_into_the_file_is_not_taken_for_utf8(tmp_path: Path) -> None:
    lines = ["id,place"] + [f"{i},plain ascii town" for i in range(8000)] + ["8000,Señora"]
    path = written(tmp_path, "late.csv", "\n".join(lines) + "\n", "cp1252")
    assert rows_of(path)[-1][1]["place"] == "Señora"


def test_tsv_and_a_stated_delimiter(tmp_path: Path) -> None:
    path = written(tmp_path, "t.tsv", "id\tnote\n1\ta, b; c\n", "utf-8")
    assert rows_of(path) == [(2, {"id": "1", "note": "a, b; c"})]
    pipe = written(tmp_path, "p.txt", "id|note\n1|x\n", "utf-8")
    assert list(open_table(pipe, delimiter="|").rows) == [(2, {"id": "1", "note": "x"})]


def test_blank_lines_are_skipped_and_short_rows_padded_row_numbers_kept(tmp_path: Path) -> None:
    path = written(tmp_path, "b.csv", "a,b,c\n1,2\n\n,,\n3,4,5\n", "utf-8")
    assert rows_of(path) == [
        (2, {"a": "1", "b": "2", "c": ""}),
        (5, {"a": "3", "b": "4", "c": "5"}),
    ]


def test_unreadable_tables_are_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no such file"):
        open_table(tmp_path / "none.csv")
    with pytest.raises(InvalidInput, match="empty"):
        open_table(written(tmp_path, "e.csv", "", "utf-8"))
    with pytest.raises(InvalidInput, match="appears twice"):
        open_table(written(tmp_path, "d.csv", "a,a\n1,2\n", "utf-8"))
    with pytest.raises(InvalidInput, match="not a readable XLSX"):
        open_table(written(tmp_path, "x.xlsx", "not a zip", "utf-8"))
    with pytest.raises(InvalidInput, match="row 3 has 3 cells"):
        list(open_table(written(tmp_path, "w.csv", "a,b\n1,2\n1,2,3\n", "utf-8")).rows)


def test_xlsx_cells_read_as_text_and_dates(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "Incidents"
    ws.append(["ID", "When", "Killed", "Place "])
    ws.append(["X-1", datetime(2025, 4, 3), 2.0, "  Kerrow"])
    ws.append([None, None, None, None])
    ws.append(["X-2", date(2025, 3, 1), None, "Dunmere"])
    path = tmp_path / "book.xlsx"
    book.save(path)
    assert rows_of(path) == [
        (2, {"ID": "X-1", "When": "2025-04-03", "Killed": "2", "Place": "Kerrow"}),
        (4, {"ID": "X-2", "When": "2025-03-01", "Killed": "", "Place": "Dunmere"}),
    ]
    with pytest.raises(InvalidInput, match="no worksheet 'Other'; it has Incidents"):
        open_table(path, sheet="Other")


def items(csv_name: str = "incidents.csv", **kwargs: object) -> list:  # type: ignore[type-arg]
    mapping = load_mapping(SHEETS / "incidents.toml")
    applier = Applier(mapping, SITE, **kwargs)  # type: ignore[arg-type]
    return list(applier.items(open_table(SHEETS / csv_name)))


def test_the_fixture_maps_to_records_and_refuses_the_undated_row() -> None:
    got = items()
    records = [i.record for i in got if i.record is not None]
    refused = [i.error for i in got if i.error is not None]
    assert [r.slug for r in records] == [
        "shot-in-kerrow-market",
        "arrest-in-dunmere",
        "shelling-in-old-quarter-of-kerrow",
        "shot-in-salt-road-checkpoint",
        "detention-in-kerrow",
    ]
    # Mixed date formats, each read by the first stated format that fits.
    assert [str(r.date) for r in records] == [
        "2025-04-03",
        "2025-04-05",
        "2025-03-04",
        "2025-03-12",
        "2025-03-20",
    ]
    first = records[0]
    assert first.external_id == "RV-001"
    assert first.category == "domestic-military"
    assert first.war_crime_classification == ""  # never defaulted
    assert first.summary.endswith('"a grey saloon", shortly after noon.')
    assert [(p.name, p.kind.value, p.count) for p in first.structured_victims] == [
        ("Amal Haddou", "person", 1)
    ]
    assert first.sources[0].title == "Report on RV-001"
    # Placeholders ("N/A", "unknown", "-") are blank: no party, empty text.
    assert records[1].structured_victims == [] and records[1].victims == ""
    assert records[2].structured_perpetrators == [] and records[2].sources == []
    assert [str(e) for e in refused] == [
        f"{SHEETS / 'incidents.csv'}: row 6: field date: column 'Date' is blank"
    ]


def test_slugs_keep_their_records_and_avoid_others() -> None:
    got = items(
        known={"RV-002": "the-pier-arrests"}, taken={"shot-in-kerrow-market", "the-pier-arrests"}
    )
    slugs = [i.record.slug for i in got if i.record is not None]
    assert slugs[:2] == ["shot-in-kerrow-market-2", "the-pier-arrests"]


def test_rows_are_refused_naming_row_field_and_column(tmp_path: Path) -> None:
    path = written(
        tmp_path,
        "bad.csv",
        "Incident ID,Date,Type,Location,Victim name,Killed,Perpetrator,Notes,Source URL\n"
        "B1,31/02/2025,shot,Kerrow,,,,,\n"
        "B2,2025-01-01,flood,Kerrow,,,,,\n"
        "B3,2025-01-01,shot,Kerrow,Ana,many,,,\n"
        "B1,2025-01-02,shot,Kerrow,,,,,\n"
        "B5,2025-01-02,shot,Kerrow,,,,,ftp://x\n",
        "utf-8",
    )
    mapping = load_mapping(SHEETS / "incidents.toml")
    mapping.fields["category"].otherwise = None
    got = list(Applier(mapping, SITE).items(open_table(path)))
    errors = [str(i.error).removeprefix(f"{path}: ") for i in got]
    assert errors[0].startswith("row 2: field date: column 'Date': '31/02/2025' matches none")
    assert errors[1].startswith("row 3: field category: column 'Type': 'flood' is not a key")
    assert (
        errors[2]
        == "row 4: field structuredVictims.0.count: column 'Killed': 'many' is not a whole number"
    )
    assert errors[3] == "row 5: field externalId: column 'Incident ID': 'B1' is also row 2's id"
    assert errors[4].startswith("row 6: field sources.0.url:")


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ({"fields": {}}, "fields.title: missing"),
        ({"fields": {"colour": "x"}}, "fields.colour: not a field"),
        ({"sheet": {}, "legal": {}}, "legal: not a table"),
        (
            {
                "fields": {
                    "title": "t",
                    "date": {"column": "d"},
                    "category": {"value": "x"},
                    "severity": {"value": "x"},
                    "posture": {"value": "x"},
                    "warCrimeClassification": {"value": "war-crime"},
                }
            },
            "a legal classification is never defaulted",
        ),
        ({"fields": {"title": {"column": "a", "value": "b"}}}, "exactly one of column"),
    ],
)
def test_a_wrong_mapping_names_its_key(raw: dict, problem: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(MappingError, match=problem):
        parse_mapping(raw, "m.toml")


def test_a_mapping_naming_a_missing_column_names_it(tmp_path: Path) -> None:
    mapping = load_mapping(SHEETS / "incidents.toml")
    path = written(tmp_path, "few.csv", "Incident ID,Date\nx,2025-01-01\n", "utf-8")
    with pytest.raises(InvalidInput, match="lacks: 'Killed', 'Location'"):
        list(Applier(mapping, SITE).items(open_table(path)))


def generated_sheet(path: Path, rows: int, seed: int = 7) -> Path:
    """A field team's sheet: cp1252-free UTF-8 with a BOM, mixed date formats, blank cells and
    placeholders, doubled quotes, leading spaces; every row well-formed (dated, typed)."""
    rng = random.Random(seed)
    places = ["Kerrow", " Dunmere", "Salt road", "Old quarter", "Mérida"]
    kinds = ["shot", "arrest", "shelling", "detention", "beating"]
    names = ["Amal Haddou", "N/A", "", "unknown", "Idris Ben Omar", "-", "Zoé Marchetti"]
    lines = ["Case no,Reported on,Event type,Village,Victim,Deaths,Notes"]
    for i in range(rows):
        day = date(2024, 1, 1).toordinal() + rng.randrange(700)
        when = date.fromordinal(day)
        shown = rng.choice([when.isoformat(), when.strftime("%d/%m/%Y"), when.strftime("%d %B %Y")])
        note = rng.choice(['Said ""stop"" twice', "", "Held overnight, released", "N/A"])
        lines.append(
            f"C-{i:06d},{shown},{rng.choice(kinds)},{rng.choice(places)},"
            f'{rng.choice(names)},{rng.choice(["", "0", "1", "3"])},"{note}"'
        )
    path.write_bytes(codecs.BOM_UTF8 + ("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path


def test_suggest_makes_a_mapping_that_imports_every_well_formed_row(tmp_path: Path) -> None:
    path = generated_sheet(tmp_path / "team.csv", 10_500)
    text = suggest(open_table(path), SITE)
    assert 'external_id = "Case no"' in text
    assert 'date = { column = "Reported on"' in text
    assert "REVIEW" in text and "warCrimeClassification" not in text.split("# warCrime")[0]
    mapping_file = tmp_path / "m.toml"
    mapping_file.write_text(text, encoding="utf-8")
    got = list(Applier(load_mapping(mapping_file), SITE).items(open_table(path)))
    assert len(got) == 10_500
    assert [str(i.error) for i in got if i.error is not None] == []
    records = [i.record for i in got if i.record is not None]
    assert all(r.war_crime_classification == "" for r in records)
    assert len({r.slug for r in records}) == 10_500
    assert records[0].external_id == "C-000000"


@pytest.mark.parametrize("name", ["incidents.csv", "ledger.tsv"])
def test_suggest_on_each_fixture_imports_every_dated_row(tmp_path: Path, name: str) -> None:
    path = SHEETS / name
    mapping_file = tmp_path / "m.toml"
    mapping_file.write_text(suggest(open_table(path), SITE), encoding="utf-8")
    got = list(Applier(load_mapping(mapping_file), SITE).items(open_table(path)))
    refused = [str(i.error) for i in got if i.error is not None]
    assert all("field date:" in r and "is blank" in r for r in refused), refused
    assert len(refused) == (1 if name == "incidents.csv" else 0)


def test_suggest_on_a_workbook_imports_every_row(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["Ref", "Date of incident", "Incident type", "District", "Victim", "Notes"])
    ws.append(["K-1", datetime(2025, 4, 3), "Shooting", "Kerrow ", "Amal Haddou", "At noon"])
    ws.append(["K-2", "4 March 2025", "Arrest", "Dunmere", "N/A", None])
    ws.append(["K-3", "12/03/2025", "Arrest", None, "unknown", 'He said "go"'])
    path = tmp_path / "team.xlsx"
    book.save(path)
    mapping_file = tmp_path / "m.toml"
    mapping_file.write_text(suggest(open_table(path), SITE), encoding="utf-8")
    got = list(Applier(load_mapping(mapping_file), SITE).items(open_table(path)))
    assert [str(i.error) for i in got if i.error] == []
    records = [i.record for i in got if i.record is not None]
    assert [(r.slug, str(r.date), r.external_id) for r in records] == [
        ("shooting-in-kerrow", "2025-04-03", "K-1"),
        ("arrest-in-dunmere", "2025-03-04", "K-2"),
        ("arrest", "2025-03-12", "K-3"),
    ]
