"""Tracker JSON bad input: each gets one clear line naming the file, record and field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from casework.formats import InvalidInput, read_any, read_records
from casework.formats.json_input import MB
from casework.model import Site
from tests.formats.helpers import FIXTURES


def a_record(name: str = "record-empty-lists.json") -> dict[str, Any]:
    record: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))["record"]
    return record


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def file_error(path: Path, site: Site, **limits: int) -> str:
    with pytest.raises(InvalidInput) as caught:
        list(read_records(path, site, **limits))
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(str(path) + ": ")
    return message


def record_errors(path: Path, site: Site) -> list[InvalidInput]:
    errors = [item.error for item in read_records(path, site) if item.error is not None]
    for error in errors:
        assert "\n" not in str(error) and str(error).startswith(str(path))
    return errors


def test_malformed_json_names_line_and_column(site: Site, tmp_path: Path) -> None:
    path = write(tmp_path, "bad.json", '{\n  "record": {\n    "slug": "a",\n    "title" "x"\n')
    message = file_error(path, site)
    assert "malformed JSON at line 4, column 13" in message


def test_malformed_ndjson_line_is_one_bad_record_among_good_ones(
    site: Site, tmp_path: Path
) -> None:
    good = json.dumps(a_record())
    other = a_record()
    other["slug"] = "another-record"
    path = write(tmp_path, "r.ndjson", f'{good}\n{{"slug": "x",, }}\n{json.dumps(other)}\n')
    items = list(read_records(path, site))
    assert [item.ok for item in items] == [True, False, True]
    assert str(items[1].error) == (
        f"{path}: line 2: malformed JSON at column 14: "
        "Expecting property name enclosed in double quotes"
    )


def test_wrong_type_names_the_field(site: Site, tmp_path: Path) -> None:
    record = a_record()
    record["ongoing"] = "yes"
    path = write(tmp_path, "r.json", json.dumps({"record": record}))
    [error] = record_errors(path, site)
    assert str(error) == (
        f"{path}: record port-aldane-quay-closure: field ongoing: expected true or false, got 'yes'"
    )
    assert error.record == "port-aldane-quay-closure" and error.field == "ongoing"


def test_bad_nested_date_names_the_dotted_path(site: Site, tmp_path: Path) -> None:
    record = a_record("record-filled.json")
    record["timeline"][2]["date"] = "2025/12/01"
    path = write(tmp_path, "r.json", json.dumps({"record": record}))
    [error] = record_errors(path, site)
    assert error.field == "timeline.2.date"
    assert str(error).endswith(
        "field timeline.2.date: expected a date as YYYY-MM-DD, got '2025/12/01'"
    )


def test_bad_nested_url_in_an_array_names_record_position_and_slug(
    site: Site, tmp_path: Path
) -> None:
    record = a_record("record-filled.json")
    record["sources"][1]["url"] = "javascript:alert(1)"
    path = write(tmp_path, "r.json", json.dumps([a_record(), record]))
    [error] = record_errors(path, site)
    assert error.slug == "vell-river-centre-water-shutoff"
    assert error.field == "sources.1.url"
    assert "not an absolute http(s) URL" in str(error)


def test_unknown_vocabulary_key_is_an_error(site: Site, tmp_path: Path) -> None:
    record = a_record()
    record["category"] = "weather"
    path = write(tmp_path, "r.json", json.dumps({"record": record}))
    [error] = record_errors(path, site)
    assert error.field == "category"
    assert "'weather' is not a key of the site's vocabulary" in str(error)


def test_a_record_with_no_slug_is_named_by_position(site: Site, tmp_path: Path) -> None:
    record = a_record()
    del record["slug"]
    path = write(tmp_path, "r.json", json.dumps([a_record(), record]))
    [error] = record_errors(path, site)
    assert str(error).startswith(f"{path}: record 2: field slug: missing")


def test_invalid_utf8_names_the_byte_offset(site: Site, tmp_path: Path) -> None:
    text = json.dumps({"record": a_record()}, ensure_ascii=False).encode("utf-8")
    at = text.index(b"Port Aldane")
    path = write(tmp_path, "r.json", text[:at] + b"\xff" + text[at:])
    message = file_error(path, site)
    assert f"not valid UTF-8: line 1, byte offset {at} (byte 0xff)" in message


def test_invalid_utf8_in_an_ndjson_line_names_line_and_file_offset(
    site: Site, tmp_path: Path
) -> None:
    first = json.dumps(a_record()).encode() + b"\n"
    bad = b'{"slug": "caf\xe9"}\n'
    path = write(tmp_path, "r.ndjson", first + bad)
    items = list(read_records(path, site))
    assert items[0].ok
    offset = len(first) + bad.index(b"\xe9")
    assert (
        str(items[1].error) == f"{path}: line 2: not valid UTF-8: byte offset {offset} (byte 0xe9)"
    )


def test_slug_collision_within_the_input(site: Site, tmp_path: Path) -> None:
    path = write(tmp_path, "r.json", json.dumps([a_record(), a_record()]))
    items = list(read_records(path, site))
    assert items[0].ok and not items[1].ok
    assert str(items[1].error) == (
        f"{path}: record port-aldane-quay-closure: field slug: "
        "slug collision: record 1 has the same slug"
    )


def test_empty_file(site: Site, tmp_path: Path) -> None:
    assert file_error(write(tmp_path, "r.json", b""), site).endswith(
        "the file is empty: no records"
    )
    assert file_error(write(tmp_path, "r.ndjson", b""), site).endswith(
        "the file is empty: no records"
    )
    assert "only whitespace" in file_error(write(tmp_path, "w.json", b" \n\n "), site)
    assert "only whitespace" in file_error(write(tmp_path, "w.ndjson", b"\n\n"), site)


@pytest.mark.parametrize(
    ("content", "kind"),
    [("42", "a number"), ('"text"', "a string"), ("null", "null"), ("true", "a boolean")],
)
def test_json_that_is_not_an_object_or_array(
    content: str, kind: str, site: Site, tmp_path: Path
) -> None:
    message = file_error(write(tmp_path, "r.json", content), site)
    assert message.endswith(f"expected a JSON object or array of records, got {kind}")


def test_an_object_that_is_no_kind_of_record_document(site: Site, tmp_path: Path) -> None:
    message = file_error(write(tmp_path, "r.json", '{"data": {}, "meta": 1}'), site)
    assert "not a record, a record document, an archive or a collection" in message
    assert "found keys: data, meta" in message


def test_records_nested_wrongly(site: Site, tmp_path: Path) -> None:
    document = {"site": "https://x.example", "generatedAt": "t", "record": a_record()}
    archive = {"site": "https://x.example", "generatedAt": "t", "recordCount": 1}
    path = write(tmp_path, "a.json", json.dumps({**archive, "records": [document]}))
    [error] = record_errors(path, site)
    assert str(error).startswith(f"{path}: record 1: records nested wrongly")
    path = write(tmp_path, "b.json", json.dumps({**archive, "records": {"a": 1}}))
    assert file_error(path, site).endswith(
        "field records: expected an array of records, got an object"
    )
    path = write(tmp_path, "c.json", json.dumps({"record": [a_record()]}))
    assert file_error(path, site).endswith("field record: expected a record object, got an array")
    path = write(tmp_path, "d.json", json.dumps({"record": document}))
    [error] = record_errors(path, site)
    assert "records nested wrongly" in str(error)
    path = write(tmp_path, "e.json", json.dumps([[a_record()]]))
    [error] = record_errors(path, site)
    assert str(error) == f"{path}: record 1: expected a record object, got an array"


def test_duplicate_keys_in_an_object_are_refused(site: Site, tmp_path: Path) -> None:
    message = file_error(write(tmp_path, "r.json", '{"slug": "a", "slug": "b"}'), site)
    assert "the key 'slug' appears twice in one object" in message


@pytest.mark.parametrize("nested", [False, True])
def test_a_key_twice_on_a_compact_ndjson_line_is_refused(
    site: Site, tmp_path: Path, nested: bool
) -> None:
    """Compact lines are parsed by orjson first, which keeps the last of two keys: such a line
    must still be refused, naming its line and key."""
    good = json.dumps(a_record(), ensure_ascii=False, separators=(",", ":"))
    bad = (
        good.replace('"sources":[', '"sources":[{"url":"https://a.example/","url":"x"},', 1)
        if nested
        else good.replace('{"slug":', '{"slug":"other","slug":', 1)
    )
    assert bad != good
    path = write(tmp_path, "r.ndjson", good + "\n" + bad + "\n")
    errors = record_errors(path, site)
    assert len(errors) == 1
    key = "url" if nested else "slug"
    assert f"line 2: malformed JSON: the key '{key}' appears twice in one object" in str(errors[0])


def test_nan_is_refused(site: Site, tmp_path: Path) -> None:
    record = json.dumps(a_record()).replace('"ongoing": true', '"ongoing": NaN')
    message = file_error(write(tmp_path, "r.json", record), site)
    assert "NaN is not valid JSON" in message


def test_very_deep_nesting_is_an_error_not_a_crash(site: Site, tmp_path: Path) -> None:
    message = file_error(write(tmp_path, "r.json", "[" * 200_000 + "]" * 200_000), site)
    assert "nested too deeply" in message


def test_reserved_dollar_keys_cannot_smuggle_unsanitized_html(site: Site, tmp_path: Path) -> None:
    record = a_record()
    record["$bodyHtml"] = "<script>alert(1)</script>"
    path = write(tmp_path, "r.json", json.dumps({"record": record}))
    [error] = record_errors(path, site)
    assert error.field == "$bodyHtml" and "reserved" in str(error)


def test_content_html_of_the_wrong_type(site: Site, tmp_path: Path) -> None:
    record = a_record()
    record["contentHtml"] = ["<p>x</p>"]
    path = write(tmp_path, "r.json", json.dumps({"record": record}))
    [error] = record_errors(path, site)
    assert error.field == "contentHtml" and "expected a string, got an array" in str(error)


def test_missing_file_and_folder(site: Site, tmp_path: Path) -> None:
    assert file_error(tmp_path / "nope.json", site).endswith("no such file")
    with pytest.raises(InvalidInput, match="cannot tell the format"):
        read_any(write(tmp_path, "records.txt", "x"), site)


def test_a_document_over_the_size_limit_is_refused_before_parsing(
    site: Site, tmp_path: Path
) -> None:
    path = tmp_path / "huge.json"
    chunk = b'{"slug": "x", "padding": "' + b"a" * MB + b'"},\n'
    with path.open("wb") as stream:
        stream.write(b"[\n")
        for _ in range(100):
            stream.write(chunk)
    try:
        message = file_error(path, site)
        assert "100 MB is over the 64 MB limit for one JSON document" in message
        assert "NDJSON" in message
    finally:
        path.unlink()


def test_a_100_mb_single_line_is_refused_without_reading_it_whole(
    site: Site, tmp_path: Path
) -> None:
    # One NDJSON "record" of 100 MB between two good ones: it is skipped with an error,
    # the records around it are read (the reader holds at most the line limit in memory).
    path = tmp_path / "huge.ndjson"
    with path.open("wb") as stream:
        stream.write(json.dumps(a_record()).encode() + b"\n")
        stream.write(b'{"slug": "big", "padding": "')
        for _ in range(100):
            stream.write(b"a" * MB)
        stream.write(b'"}\n')
        other = a_record()
        other["slug"] = "after-the-big-one"
        stream.write(json.dumps(other).encode() + b"\n")
    try:
        items = list(read_records(path, site))
        assert [item.ok for item in items] == [True, False, True]
        assert str(items[1].error) == (
            f"{path}: line 2: the line is longer than the 16 MB limit for one record"
        )
        assert items[2].record is not None and items[2].record.slug == "after-the-big-one"
    finally:
        path.unlink()


def test_a_100_mb_json_file_on_one_line_is_refused(site: Site, tmp_path: Path) -> None:
    path = tmp_path / "line.json"
    with path.open("wb") as stream:
        stream.write(b'{"records": ["')
        for _ in range(100):
            stream.write(b"b" * MB)
        stream.write(b'"]}')
    try:
        assert "over the 64 MB limit" in file_error(path, site)
    finally:
        path.unlink()


def test_limits_can_be_lowered(site: Site, tmp_path: Path) -> None:
    path = write(tmp_path, "r.json", json.dumps({"record": a_record()}))
    message = file_error(path, site, max_document_bytes=1024)
    assert f"{path.stat().st_size:,} bytes is over the 1,024 bytes limit" in message
