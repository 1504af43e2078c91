"""Tracker JSON: reading every kind of document and writing it back byte for byte."""

from __future__ import annotations

import io
import json
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from casework.formats import (
    archive_document,
    collection_document,
    dumps,
    format_generated_at,
    open_tracker_json,
    read_collection,
    read_records,
    record_dict,
    record_document,
    write_ndjson,
)
from casework.model import Record, Site
from casework.render.html import is_clean_html
from tests.formats.helpers import FIXTURES, GENERATED_AT


def records_of(path: Path, site: Site) -> list[Record]:
    items = list(read_records(path, site))
    assert [item.error for item in items] == [None] * len(items)
    return [item.record for item in items if item.record is not None]


@pytest.mark.parametrize("name", ["record-filled.json", "record-empty-lists.json"])
def test_import_then_export_of_a_record_document_gives_back_the_same_bytes(
    name: str, site: Site, fixtures: Path
) -> None:
    [record] = records_of(fixtures / name, site)
    written = dumps(record_document(record, site, GENERATED_AT))
    assert written == (fixtures / name).read_text(encoding="utf-8")


def test_import_then_export_of_an_archive_gives_back_the_same_bytes(
    site: Site, fixtures: Path
) -> None:
    records = records_of(fixtures / "archive.json", site)
    assert len(records) == 3
    written = dumps(archive_document(records, site, GENERATED_AT))
    assert written == (fixtures / "archive.json").read_text(encoding="utf-8")


def test_import_then_export_of_a_collection_gives_back_the_same_bytes(
    site: Site, fixtures: Path
) -> None:
    collection, items = read_collection(fixtures / "collection.json", site)
    assert collection.slug == "detention-and-aid"
    assert collection.records == ["vell-river-centre-water-shutoff", "port-aldane-quay-closure"]
    assert all(not item.warnings or "unknown key" in item.warnings[0] for item in items)
    records = [item.record for item in items if item.record is not None]
    written = dumps(collection_document(collection, records, site, GENERATED_AT))
    assert written == (fixtures / "collection.json").read_text(encoding="utf-8")


def test_import_then_export_of_ndjson_gives_back_the_same_bytes(site: Site, fixtures: Path) -> None:
    records = records_of(fixtures / "records.ndjson", site)
    stream = io.StringIO()
    assert write_ndjson(records, site, stream) == 3
    assert stream.getvalue() == (fixtures / "records.ndjson").read_text(encoding="utf-8")


def test_an_ndjson_line_may_hold_a_record_document(
    site: Site, fixtures: Path, tmp_path: Path
) -> None:
    document = json.loads((fixtures / "record-filled.json").read_text(encoding="utf-8"))
    lines = [json.dumps(document), (fixtures / "records.ndjson").read_text().splitlines()[1]]
    path = tmp_path / "mixed.ndjson"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    slugs = [record.slug for record in records_of(path, site)]
    assert slugs == ["vell-river-centre-water-shutoff", "port-aldane-quay-closure"]


def test_a_json_file_of_one_record_per_line_is_read_as_ndjson(
    site: Site, fixtures: Path, tmp_path: Path
) -> None:
    path = tmp_path / "records.json"
    shutil.copy(fixtures / "records.ndjson", path)
    opened = open_tracker_json(path, site)
    assert opened.kind == "ndjson"
    assert len([item for item in opened.items if item.ok]) == 3


def test_a_bare_array_and_a_bare_record_are_read(
    site: Site, fixtures: Path, tmp_path: Path
) -> None:
    archive = json.loads((fixtures / "archive.json").read_text(encoding="utf-8"))
    (tmp_path / "array.json").write_text(json.dumps(archive["records"]), encoding="utf-8")
    (tmp_path / "bare.json").write_text(json.dumps(archive["records"][2]), encoding="utf-8")
    assert len(records_of(tmp_path / "array.json", site)) == 3
    [bare] = records_of(tmp_path / "bare.json", site)
    assert bare.slug == "kestrel-square-protest-arrests"


def test_unknown_keys_are_kept_in_place_and_reported(site: Site, fixtures: Path) -> None:
    [item] = list(read_records(fixtures / "record-filled.json", site))
    assert item.record is not None
    out = record_dict(item.record, site)
    keys = list(out)
    assert keys[keys.index("url") + 1] == "reviewedBy"
    assert keys[keys.index("summary") + 1] == "fieldNotes"
    assert out["sources"][1]["archivedAt"] == "2024-03-20"
    assert out["structuredPerpetrators"][1]["clearance"] == "level 2"
    fields = sorted(w.split(": field ")[1].split(":")[0] for w in item.warnings)
    assert fields == [
        "fieldNotes",
        "reviewedBy",
        "sources.1.archivedAt",
        "structuredPerpetrators.1.clearance",
    ]
    assert all(w.startswith(str(fixtures / "record-filled.json")) for w in item.warnings)


def test_content_html_is_kept_as_html_without_converting_it_to_markdown(
    site: Site, fixtures: Path
) -> None:
    document = json.loads((fixtures / "record-filled.json").read_text(encoding="utf-8"))
    [record] = records_of(fixtures / "record-filled.json", site)
    assert record.body == ""
    assert record.body_html == document["record"]["contentHtml"]
    assert is_clean_html(record.body_html)
    assert '<h2 id="what-happened">' in record.body_html


def test_hostile_content_html_is_sanitized_and_reported(
    site: Site, fixtures: Path, tmp_path: Path
) -> None:
    document = json.loads((fixtures / "record-filled.json").read_text(encoding="utf-8"))
    document["record"]["contentHtml"] = (
        '<p onclick="steal()">Hi <a href="javascript:alert(1)">link</a></p>'
        "<script>alert(document.cookie)</script><img src=x onerror=alert(1)>"
    )
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    [item] = list(read_records(path, site))
    assert item.record is not None
    stored = item.record.body_html
    assert "script" not in stored and "onclick" not in stored and "onerror" not in stored
    assert "javascript:" not in stored
    assert "Hi" in stored and is_clean_html(stored)
    [warning] = [w for w in item.warnings if "contentHtml" in w]
    assert "record vell-river-centre-water-shutoff: field contentHtml:" in warning
    assert "sanitized" in warning
    assert not any("differs from the computed" in w and "contentHtml" in w for w in item.warnings)


def test_derived_values_that_disagree_are_warned_about_and_recomputed(
    site: Site, fixtures: Path, tmp_path: Path
) -> None:
    document = json.loads((fixtures / "record-empty-lists.json").read_text(encoding="utf-8"))
    document["record"]["sourceCount"] = 4
    document["record"]["categoryLabel"] = "Aid"
    path = tmp_path / "wrong.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    [item] = list(read_records(path, site))
    assert item.record is not None
    warned = {w.split(": field ")[1].split(":")[0] for w in item.warnings}
    assert warned == {"sourceCount", "categoryLabel"}
    out = record_dict(item.record, site)
    assert out["sourceCount"] == 0
    assert out["categoryLabel"] == "Humanitarian Aid"


def test_export_uses_the_configured_site_url(fixtures: Path) -> None:
    other = Site(url="https://mirror.example.net/")
    [record] = records_of(fixtures / "record-empty-lists.json", other)
    document = record_document(record, other, GENERATED_AT)
    assert document["site"] == "https://mirror.example.net"
    assert (
        document["record"]["url"] == "https://mirror.example.net/incident/port-aldane-quay-closure/"
    )


def test_record_dict_keys_follow_format_order(site: Site, fixtures: Path) -> None:
    [record] = records_of(fixtures / "record-empty-lists.json", site)
    keys = list(record_dict(record, site))
    assert keys[:4] == ["slug", "title", "url", "date"]
    assert keys[-2:] == ["contentHtml", "citation"]
    assert len(keys) == 37


def test_collection_counts_and_latest_update_are_computed(site: Site, fixtures: Path) -> None:
    collection, items = read_collection(fixtures / "collection.json", site)
    records = [item.record for item in items if item.record is not None]
    summary = collection_document(collection, records, site, GENERATED_AT)["collection"]
    assert summary["incidentCount"] == 2
    assert summary["latestUpdate"] == "2025-11-02"
    empty = collection_document(collection, [], site, GENERATED_AT)["collection"]
    assert empty["incidentCount"] == 0 and empty["latestUpdate"] is None


def test_a_wrong_record_count_in_an_archive_is_a_warning(
    site: Site, fixtures: Path, tmp_path: Path
) -> None:
    archive = json.loads((fixtures / "archive.json").read_text(encoding="utf-8"))
    archive["recordCount"] = 7
    path = tmp_path / "archive.json"
    path.write_text(json.dumps(archive), encoding="utf-8")
    items = list(read_records(path, site))
    assert all(item.ok for item in items)
    assert any("field recordCount: says 7 but the archive holds 3" in w for w in items[0].warnings)


def test_read_collection_refuses_an_archive(site: Site, fixtures: Path) -> None:
    with pytest.raises(Exception, match="not a collection document"):
        read_collection(fixtures / "archive.json", site)


def test_generated_at_has_milliseconds_and_z() -> None:
    moment = datetime(2026, 4, 8, 5, 57, 56, 460999, tzinfo=timezone(timedelta(hours=2)))
    assert format_generated_at(moment) == "2026-04-08T03:57:56.460Z"
    assert format_generated_at(datetime(2026, 4, 8, 3, 57, 56)) == "2026-04-08T03:57:56.000Z"
    [record] = records_of(FIXTURES / "record-empty-lists.json", Site())
    now = record_document(record, Site())["generatedAt"]
    datetime.strptime(now, "%Y-%m-%dT%H:%M:%S.%fZ")  # raises if the shape is wrong
    assert now.endswith("Z") and len(now) == len(GENERATED_AT)


def test_dumps_has_no_trailing_newline_and_keeps_non_ascii() -> None:
    text = dumps({"a": "Zoë 東京 💧"})
    assert text == '{\n  "a": "Zoë 東京 💧"\n}'
