"""The downloadable data files: each parses back to the records, the JSON files are the bytes
`casework export` writes, and the manifest describes the files on disk."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from casework.examples import generate_records
from casework.formats import (
    CSV_COLUMNS,
    read_records,
    record_dict,
    write_archive,
    write_csv,
    write_ndjson,
)
from casework.formats.geojson import write_geojson
from casework.model import Record, Site
from casework.publish.datafiles import BATCH, DataFile, write_data_files
from tests.formats.helpers import FIXTURES
from tests.store.factories import make_record

SITE = Site(url="https://tracker.example.org", title="Harbour Watch")
GENERATED_AT = "2026-11-01T08:00:00.250Z"
NAMES = [
    "records.json",
    "records.ndjson",
    "records.csv",
    "records.sqlite",
    "incidents.geojson",
    "map-points.json",
]
HOSTILE = '=HYPERLINK("http://evil") "quoted", comma\nnew line\r\n東京 حقوق é 🙂 </script>'


def hostile_record() -> Record:
    return make_record(
        "hostile",
        title=HOSTILE,
        summary="+1+1",
        victims="@SUM(A1)",
        tags=["-2+3", "tab\tinside", HOSTILE],
        sources=[{"url": "https://ex.org/?a=1&b=2", "title": HOSTILE, "publisher": "-x"}],
        timeline=[{"date": "2021-03-14", "title": "=1", "summary": HOSTILE}],
        internationalLaw=[
            {"statute": HOSTILE, "provision": "no article"},
            {"statute": "ICCPR", "article": "12", "provision": "Movement"},
        ],
    )


def fixture_records() -> list[Record]:
    items = list(read_records(FIXTURES / "archive.json", SITE))
    return [item.record for item in items if item.record is not None]


def some_records() -> list[Record]:
    return [*fixture_records(), hostile_record(), make_record("plain")]


def written(records: list[Record], directory: Path) -> list[DataFile]:
    return write_data_files(records, SITE, directory, generated_at=GENERATED_AT)


def export_text(writer: str, records: list[Record]) -> str:
    stream = io.StringIO(newline="")
    if writer == "archive":
        write_archive(records, SITE, stream, count=len(records), generated_at=GENERATED_AT)
    elif writer == "ndjson":
        write_ndjson(records, SITE, stream)
    elif writer == "geojson":
        write_geojson(records, SITE, stream)
    else:
        write_csv(records, SITE, stream)
    return stream.getvalue()


@pytest.fixture(scope="module")
def many() -> list[Record]:
    """More records than one batch, so that batches join up."""
    return list(generate_records(BATCH * 2 + 5, seed=3, site=SITE, today=date(2026, 11, 1)))


def test_writes_the_files_and_the_manifest(tmp_path: Path) -> None:
    files = written(some_records(), tmp_path)
    assert [f.name for f in files] == NAMES
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [*NAMES, "manifest.json", "datapackage.json"]
    )
    manifest_text = (tmp_path / "manifest.json").read_text(encoding="utf-8")
    manifest = json.loads(manifest_text)
    assert manifest_text == json.dumps(manifest, indent=2, ensure_ascii=False)
    assert manifest["site"] == SITE.url
    assert manifest["generatedAt"] == GENERATED_AT
    assert manifest["recordCount"] == 5
    assert [entry["name"] for entry in manifest["files"]] == NAMES
    for entry, file in zip(manifest["files"], files, strict=True):
        data = (tmp_path / entry["name"]).read_bytes()
        assert entry["size"] == file.size == len(data)
        assert entry["sha256"] == file.sha256 == hashlib.sha256(data).hexdigest()
        assert entry["mediaType"] == file.media_type and entry["mediaType"]
        assert entry["description"] == file.description and entry["description"]
    assert manifest["files"][3]["mediaType"] == "application/vnd.sqlite3"


@pytest.mark.parametrize("kind", ["fixtures", "many"])
def test_json_and_ndjson_are_the_exported_bytes(
    tmp_path: Path, kind: str, many: list[Record]
) -> None:
    records = some_records() if kind == "fixtures" else many
    written(records, tmp_path)
    archive = (tmp_path / "records.json").read_text(encoding="utf-8")
    assert archive == export_text("archive", records)
    assert (tmp_path / "records.ndjson").read_text(encoding="utf-8") == export_text(
        "ndjson", records
    )
    document = json.loads(archive)
    assert document["recordCount"] == len(records)
    assert document["records"] == [record_dict(r, SITE) for r in records]


def test_csv_is_write_csv_output_with_formulas_neutralised(tmp_path: Path) -> None:
    records = some_records()
    written(records, tmp_path)
    raw = (tmp_path / "records.csv").read_bytes()
    assert raw.decode("utf-8") == export_text("csv", records)
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert len(rows) == len(records) and list(rows[0]) == list(CSV_COLUMNS)
    hostile = next(row for row in rows if row["slug"] == "hostile")
    assert hostile["title"] == "'" + HOSTILE
    assert hostile["summary"] == "'+1+1"
    assert hostile["victims"] == "'@SUM(A1)"


def test_ndjson_lines_parse_to_the_records(tmp_path: Path, many: list[Record]) -> None:
    written(many, tmp_path)
    lines = (tmp_path / "records.ndjson").read_text(encoding="utf-8").split("\n")
    assert lines[-1] == ""
    assert [json.loads(line) for line in lines[:-1]] == [record_dict(r, SITE) for r in many]


def query(path: Path, sql: str) -> list[tuple[object, ...]]:
    db = sqlite3.connect(path)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def test_sqlite_incidents(tmp_path: Path, many: list[Record]) -> None:
    records = [*some_records(), *many]
    written(records, tmp_path)
    path = tmp_path / "records.sqlite"
    rows = query(path, "SELECT * FROM incidents ORDER BY rowid")
    assert len(rows) == len(records)
    for row, record in zip(rows, records, strict=True):
        d = record_dict(record, SITE)
        assert row == (
            d["slug"], d["title"], d["date"], d["lastUpdated"], d["summary"],
            d["category"], d["categoryLabel"], d["severity"], d["severityLabel"],
            d["posture"], d["postureLabel"], int(d["ongoing"]),
            json.dumps(d["tags"], ensure_ascii=False, separators=(",", ":")), d["url"],
            json.dumps(d, ensure_ascii=False, separators=(",", ":")),
        )  # fmt: skip
    # Text, not blobs: SQLite's JSON functions read the columns.
    assert query(path, "SELECT DISTINCT typeof(record), typeof(tags) FROM incidents") == [
        ("text", "text")
    ]
    assert query(path, "SELECT json_extract(record, '$.title') FROM incidents "
                       "WHERE slug = 'hostile'") == [(HOSTILE,)]  # fmt: skip
    assert query(path, "SELECT count(*) FROM incidents, json_each(incidents.tags) "
                       "WHERE json_each.value = '-2+3'") == [(1,)]  # fmt: skip


def test_sqlite_child_tables(tmp_path: Path, many: list[Record]) -> None:
    records = [*some_records(), *many]
    written(records, tmp_path)
    path = tmp_path / "records.sqlite"
    sql = "SELECT * FROM {} ORDER BY slug, position"
    expected_sources = sorted(
        (r.slug, i, s.url, s.title, s.publisher) for r in records for i, s in enumerate(r.sources)
    )
    assert query(path, sql.format("sources")) == expected_sources
    expected_timeline = sorted(
        (r.slug, i, t.date.isoformat(), t.title, t.summary)
        for r in records
        for i, t in enumerate(r.timeline)
    )
    assert query(path, sql.format("timeline")) == expected_timeline
    assert query(path, sql.format("legal_provisions") + "") == sorted(
        (r.slug, i, p.statute, p.article, p.provision)
        for r in records
        for i, p in enumerate(r.international_law)
    )
    assert (HOSTILE, None) in query(path, "SELECT statute, article FROM legal_provisions")
    # Every child row names an incident (what Datasette follows as a foreign key).
    for table in ("sources", "timeline", "legal_provisions"):
        orphans = query(path, f"SELECT count(*) FROM {table} WHERE slug NOT IN "
                              "(SELECT slug FROM incidents)")  # fmt: skip
        assert orphans == [(0,)]
    foreign = query(path, 'SELECT "table", "from", "to" FROM pragma_foreign_key_list(\'sources\')')
    assert foreign == [("incidents", "slug", "slug")]


def test_no_records(tmp_path: Path) -> None:
    files = written([], tmp_path)
    assert (tmp_path / "records.json").read_text(encoding="utf-8") == export_text("archive", [])
    assert json.loads((tmp_path / "records.json").read_text())["records"] == []
    assert (tmp_path / "records.ndjson").read_bytes() == b""
    assert (tmp_path / "records.csv").read_text().splitlines() == [",".join(CSV_COLUMNS)]
    assert query(tmp_path / "records.sqlite", "SELECT count(*) FROM incidents") == [(0,)]
    assert json.loads((tmp_path / "manifest.json").read_text())["recordCount"] == 0
    assert [f.size > 0 for f in files] == [True, False, True, True, True, True]


def test_values_orjson_would_write_differently_take_the_standard_path(tmp_path: Path) -> None:
    # An unknown key may hold a float (json writes 1e+16, orjson 1e16); a count past 64 bits
    # is beyond orjson. Either way the files must stay the exported bytes.
    records = [
        make_record("floaty", zScore=1e16, zRatio=0.1),
        make_record(
            "huge-count", structuredVictims=[{"name": "All", "kind": "population", "count": 2**70}]
        ),
        make_record("plain"),
    ]
    assert records[0].has_unknown_keys()
    written(records, tmp_path)
    assert (tmp_path / "records.json").read_text(encoding="utf-8") == export_text(
        "archive", records
    )
    ndjson = (tmp_path / "records.ndjson").read_text(encoding="utf-8")
    assert ndjson == export_text("ndjson", records)
    assert '"zScore":1e+16' in ndjson and str(2**70) in ndjson
    stored = query(
        tmp_path / "records.sqlite", "SELECT record FROM incidents WHERE slug = 'floaty'"
    )
    assert json.loads(str(stored[0][0]))["zScore"] == 1e16


def test_a_failure_leaves_no_files_behind(tmp_path: Path) -> None:
    twice = [make_record("same"), make_record("same")]  # the slug is the incidents key
    with pytest.raises(sqlite3.IntegrityError):
        written(twice, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_the_geojson_is_the_exported_bytes(tmp_path: Path) -> None:
    records = [
        make_record(
            "clinic-raid",
            locations=[{"country": "PS", "latitude": 31.5, "longitude": 34.5, "precision": "town"}],
        ),
        *some_records(),
    ]
    written(records, tmp_path)
    text = (tmp_path / "incidents.geojson").read_text(encoding="utf-8")
    assert text == export_text("geojson", records)
    [feature] = json.loads(text)["features"]
    assert feature["geometry"]["coordinates"] == [34.5, 31.5]


def test_the_map_points_are_the_geojson_points(tmp_path: Path) -> None:
    """map-points.json (the map page's) holds each point of incidents.geojson, with the fields
    the map shows, and nothing else: a location known only to its country has no point."""
    records = [
        make_record(
            "two-places",
            date="2021-03-04",
            severity="severe",
            locations=[
                {
                    "name": "Clinic",
                    "country": "PS",
                    "latitude": 31.5,
                    "longitude": 34.5,
                    "precision": "town",
                },
                {"country": "UA", "precision": "country"},
                {
                    "adminArea": "Kharkiv Oblast",
                    "country": "UA",
                    "latitude": 50.0,
                    "longitude": 36.0,
                    "precision": "region",
                },
            ],
        ),
        make_record("only-a-country", locations=[{"country": "SY", "precision": "country"}]),
        *some_records(),
    ]
    written(records, tmp_path)
    geojson = json.loads((tmp_path / "incidents.geojson").read_text(encoding="utf-8"))
    expected = []
    for feature in geojson["features"]:
        if feature["geometry"] is None:
            continue
        p = feature["properties"]
        where = ", ".join(x for x in (p.get("name"), p.get("adminArea"), p["countryName"]) if x)
        expected.append(
            [p["slug"], p["title"], p["date"], p["category"], p["categoryLabel"], p["severity"],
             p["severityLabel"], *feature["geometry"]["coordinates"], where]
        )  # fmt: skip
    m = json.loads((tmp_path / "map-points.json").read_bytes())
    got, at = [], 0
    for r, slug in enumerate(m["slug"]):
        category = m["category"][m["categoryIndex"][r]]
        severity = m["severity"][m["severityIndex"][r]]
        for _ in range(m["points"][r]):
            got.append(
                [slug, m["title"][r], m["date"][r], *category, *severity, m["lon"][at],
                 m["lat"][at], m["place"][m["placeIndex"][at]]]
            )  # fmt: skip
            at += 1
    assert at == len(m["lon"]) == len(m["lat"]) == len(m["placeIndex"])
    assert got == expected
    assert [row[0] for row in got] == ["two-places", "two-places"]
    assert got[0][7:] == [34.5, 31.5, "Clinic, Palestine, State of"]
    assert got[1][7:] == [36.0, 50.0, "Kharkiv Oblast, Ukraine"]
    assert m["version"] == 1
