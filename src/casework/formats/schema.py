"""JSON Schemas (draft 2020-12) of the record format as the site publishes it
(docs/format.md), served at /schema/record.json, /schema/document.json and /schema/archive.json
by the static build and the live site alike, and used by the API's OpenAPI description.

The record's parts come from the pydantic model (casework.model), so that the schema says what
validation checks; the derived keys, which the model computes rather than holds, and the
public-only `captures` are added here. Keys that never reach a public copy (`externalId`, the
body's Markdown) are left out. What JSON Schema cannot say (a key of the tracker's vocabulary,
a real calendar day, timeline order) stays with `casework check` and the importer.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from typing import Any

from casework.model import Record
from casework.model.record import DERIVED_KEYS, OWN_KEYS, RECORD_KEYS

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
# name → what it describes: each is served at /schema/NAME.
SCHEMA_NAMES = ("record.json", "document.json", "archive.json")

# Keys of casework's own that a public copy never holds (docs/format.md).
PRIVATE_KEYS = frozenset({"externalId"})

_DERIVED: dict[str, dict[str, Any]] = {
    "url": {"type": "string", "format": "uri", "description": "{site}/incident/{slug}"},
    "displayDate": {"type": "string", "description": "`date` in English: December 2, 2025"},
    "displayLastUpdated": {"type": "string", "description": "`lastUpdated` in English"},
    "categoryLabel": {"type": "string", "description": "the category's label"},
    "severityLabel": {"type": "string", "description": "the severity's label"},
    "postureLabel": {"type": "string", "description": "the posture's label"},
    "sourceCount": {"type": "integer", "minimum": 0, "description": "how many `sources`"},
    "documentCount": {"type": "integer", "minimum": 0, "description": "how many `documents`"},
    "updateCount": {"type": "integer", "minimum": 0, "description": "how many `updateLog` entries"},
    "contentHtml": {"type": "string", "description": "the Markdown body as sanitized HTML"},
    "citation": {
        "type": "string",
        "description": "{title}. {url}. Published {displayDate}. Updated {displayLastUpdated}.",
    },
}
assert set(_DERIVED) == set(DERIVED_KEYS)

_VOCABULARY = {
    "category": "category",
    "severity": "severity (an ordered scale)",
    "posture": "posture (evidentiary standing)",
    "warCrimeClassification": "classification; an empty string while none is chosen",
}

_CAPTURE = {
    "type": "object",
    "required": ["url", "capturedAt", "finalUrl", "status", "sha256", "warc"],
    "properties": {
        "url": {"type": "string"},
        "capturedAt": {"type": "string", "format": "date-time"},
        "finalUrl": {"type": "string"},
        "status": {"type": "integer"},
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "textSha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "warc": {"type": "string"},
        "text": {"type": "string"},
    },
}


def _tidy(node: Any) -> Any:
    """pydantic's schema as the format is written: an optional key is left out, never `null`
    (so `anyOf [X, null]` is X), and without pydantic's generated titles and null defaults."""
    if isinstance(node, list):
        return [_tidy(item) for item in node]
    if not isinstance(node, dict):
        return node
    options = node.get("anyOf")
    if isinstance(options, list) and {"type": "null"} in options:
        rest = [option for option in options if option != {"type": "null"}]
        merged = {k: v for k, v in node.items() if k not in ("anyOf", "default")}
        node = {**merged, **rest[0]} if len(rest) == 1 else {**merged, "anyOf": rest}
    out = {}
    for key, value in node.items():
        if key == "title" and isinstance(value, str):
            continue
        # A property named "title" holds a schema: kept, and tidied like the rest.
        out[key] = _tidy(value) if key != "properties" else {k: _tidy(v) for k, v in value.items()}
    return out


@lru_cache(maxsize=1)
def _record_schema() -> dict[str, Any]:
    model = _tidy(Record.model_json_schema(by_alias=True, mode="serialization"))
    authored = model["properties"]
    properties: dict[str, Any] = {}
    for key in RECORD_KEYS:
        properties[key] = copy.deepcopy(_DERIVED[key] if key in _DERIVED else authored[key])
        if key in _VOCABULARY:
            properties[key]["description"] = f"a key of the tracker's {_VOCABULARY[key]}"
    for key in OWN_KEYS:
        if key not in PRIVATE_KEYS:
            properties[key] = authored[key]
    properties["captures"] = {"type": "array", "items": _CAPTURE}
    properties["slug"]["description"] = "the record's identity in addresses"
    return {
        "type": "object",
        "description": "One incident record (docs/format.md). Keys not listed are kept as "
        "they were (data from other tools passes through).",
        "required": list(RECORD_KEYS),
        "properties": properties,
        "additionalProperties": True,
        "$defs": model["$defs"],
    }


def _generated_at() -> dict[str, Any]:
    return {"type": "string", "format": "date-time", "pattern": r"^\d{4}-\d\d-\d\dT.*Z$"}


def record_schema(site_url: str) -> dict[str, Any]:
    """The schema of one record (an element of records.ndjson, of an archive's records)."""
    body = copy.deepcopy(_record_schema())
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": f"{site_url}/schema/record.json",
        "title": "Incident record",
        **body,
    }


def _with_record(site_url: str, name: str, title: str, shape: dict[str, Any]) -> dict[str, Any]:
    """A self-contained schema (no reference to another file: validators need not fetch one)
    whose `#/$defs/record` is the record's schema."""
    record = copy.deepcopy(_record_schema())
    defs = record.pop("$defs")
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": f"{site_url}/schema/{name}",
        "title": title,
        **shape,
        "$defs": {**defs, "record": record},
    }


def document_schema(site_url: str) -> dict[str, Any]:
    """A record document: /incident/SLUG.json, GET /api/incidents/SLUG."""
    return _with_record(
        site_url,
        "document.json",
        "Incident record document",
        {
            "type": "object",
            "required": ["site", "generatedAt", "record"],
            "properties": {
                "site": {"type": "string", "format": "uri"},
                "generatedAt": _generated_at(),
                "record": {"$ref": "#/$defs/record"},
            },
        },
    )


def archive_schema(site_url: str) -> dict[str, Any]:
    """The archive: /archive.json, /data/records.json."""
    return _with_record(
        site_url,
        "archive.json",
        "Archive of incident records",
        {
            "type": "object",
            "required": ["site", "generatedAt", "recordCount", "records"],
            "properties": {
                "site": {"type": "string", "format": "uri"},
                "generatedAt": _generated_at(),
                "recordCount": {"type": "integer", "minimum": 0},
                "records": {"type": "array", "items": {"$ref": "#/$defs/record"}},
            },
        },
    )


def schema_files(site_url: str) -> dict[str, dict[str, Any]]:
    """Every published schema by file name (SCHEMA_NAMES)."""
    return {
        "record.json": record_schema(site_url),
        "document.json": document_schema(site_url),
        "archive.json": archive_schema(site_url),
    }


__all__ = [
    "SCHEMA_NAMES",
    "archive_schema",
    "document_schema",
    "record_schema",
    "schema_files",
]


# Keys a write through the API may leave out: the server's (lastUpdated, updateLog), a legal
# classification not chosen yet, the slug (in the address; a new record names it), and what
# the server computes.
_SERVER_OWNED = frozenset({"slug", "lastUpdated", "updateLog", "warCrimeClassification"})


def openapi_components() -> dict[str, dict[str, Any]]:
    """The record's schemas as OpenAPI components (their references into
    `#/components/schemas/`): Record (as read), RecordDocument, RecordInput (a write's record)
    and NewRecordInput (the same, with its slug), and the parts they use."""
    body = copy.deepcopy(_record_schema())
    defs = body.pop("$defs")
    authored = [key for key in body["required"] if key not in DERIVED_KEYS]
    written = [key for key in authored if key not in _SERVER_OWNED]
    components = {
        **defs,
        "Record": body,
        "RecordInput": {**body, "required": written},
        "NewRecordInput": {**body, "required": ["slug", *written]},
        "RecordDocument": {
            "type": "object",
            "required": ["site", "generatedAt", "record"],
            "properties": {
                "site": {"type": "string", "format": "uri"},
                "generatedAt": _generated_at(),
                "record": {"$ref": "#/$defs/Record"},
            },
        },
    }
    text = json.dumps(components).replace('"#/$defs/', '"#/components/schemas/')
    found: dict[str, dict[str, Any]] = json.loads(text)
    return found
