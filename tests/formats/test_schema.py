"""The published JSON Schemas accept what casework publishes and refuse what the format
forbids, checked with the jsonschema package (draft 2020-12, formats checked)."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from casework.examples import generate_records
from casework.formats import record_dict, record_document, write_archive
from casework.formats.schema import archive_schema, document_schema, record_schema
from casework.model import Site
from casework.model.record import RECORD_KEYS

SITE = Site(url="https://m.example.org", title="Monitor")
RECORDS = list(generate_records(12, seed=3, site=SITE))


def validator(schema: dict[str, Any]) -> Draft202012Validator:
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_every_published_form_is_valid() -> None:
    records = validator(record_schema(SITE.url))
    documents = validator(document_schema(SITE.url))
    for record in RECORDS:
        records.validate(json.loads(json.dumps(record_dict(record, SITE))))
        documents.validate(record_document(record, SITE, "2026-04-08T03:57:56.460Z"))
    stream = io.StringIO()
    write_archive(RECORDS, SITE, stream, count=len(RECORDS))
    validator(archive_schema(SITE.url)).validate(json.loads(stream.getvalue()))


def test_the_schema_names_the_formats_keys_in_order() -> None:
    schema = record_schema(SITE.url)
    assert schema["required"] == list(RECORD_KEYS)
    assert list(schema["properties"])[: len(RECORD_KEYS)] == list(RECORD_KEYS)
    assert "externalId" not in schema["properties"]  # never public
    assert schema["$id"] == "https://m.example.org/schema/record.json"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("slug", "Not A Slug"),
        ("date", "2026-3-1"),
        ("ongoing", "true"),
        ("sources", [{"url": "ftp://x.org/a", "title": "t", "publisher": "p"}]),
        ("internationalLaw", [{"statute": "Rome Statute", "article": None, "provision": "x"}]),
        ("sourceCount", -1),
        ("title", None),
    ],
)
def test_what_the_format_forbids_is_refused(key: str, value: Any) -> None:
    data = json.loads(json.dumps(record_dict(RECORDS[0], SITE)))
    data[key] = value
    assert not validator(record_schema(SITE.url)).is_valid(data)


def test_a_missing_key_is_refused_and_an_unknown_one_kept() -> None:
    data = json.loads(json.dumps(record_dict(RECORDS[0], SITE)))
    check = validator(record_schema(SITE.url))
    assert check.is_valid({**data, "fromAnotherTool": 1})
    del data["updateLog"]
    assert not check.is_valid(data)
