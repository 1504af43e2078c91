"""/data/datapackage.json: the data files as a Frictionless Data Package
(https://specs.frictionlessdata.io/data-package/), so that `frictionless validate` and the
tools that read packages know each file's format, size, SHA-256 and schema, and the licence.

records.csv carries a Table Schema (its columns and their types); the JSON files name the JSON
Schema they follow (`jsonSchema`, an absolute address on the site: formats/schema.py), which
the Data Package spec leaves to a property of the resource's own. Written beside the manifest
by `write_data_files`, so the static build and the live site publish the same package.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from casework.evidence.checkpoint import LOG_NAME, PUBLIC_KEY_NAME, PUBLISHED_CHECKPOINTS_NAME
from casework.formats import CSV_COLUMNS, dumps
from casework.model import Site

DATAPACKAGE_NAME = "datapackage.json"

# Columns of records.csv that are not plain text (formats/csv_export.py writes them).
_CSV_TYPES: dict[str, dict[str, Any]] = {
    "slug": {"type": "string", "constraints": {"required": True, "unique": True,
                                               "pattern": "[a-z0-9]+(-[a-z0-9]+)*"}},
    "url": {"type": "string", "format": "uri"},
    "date": {"type": "date"},
    "lastUpdated": {"type": "date"},
    "ongoing": {"type": "boolean", "trueValues": ["true"], "falseValues": ["false"]},
    "iccRelevance": {"type": "boolean", "trueValues": ["true"], "falseValues": ["false"]},
    "sourceCount": {"type": "integer", "constraints": {"minimum": 0}},
    "documentCount": {"type": "integer", "constraints": {"minimum": 0}},
    "updateCount": {"type": "integer", "constraints": {"minimum": 0}},
    "timelineCount": {"type": "integer", "constraints": {"minimum": 0}},
}  # fmt: skip
_CSV_NOTES = {
    "structuredVictims": "each party as `name (kind[, role][, count])`, joined by `; `",
    "structuredPerpetrators": "each party as `name (kind[, role][, count])`, joined by `; `",
    "tags": "joined by `; `",
    "keyPoints": "joined by ` | `",
    "internationalLaw": "each `statute[ article]`, joined by `; `",
    "legalAnalyses": "their URLs, joined by `; `",
    "relatedIncidents": "slugs, joined by `; `",
    "sources": "their URLs, joined by `; `",
    "documents": "their URLs, joined by `; `",
}


def csv_table_schema() -> dict[str, Any]:
    """records.csv's Table Schema. A cell a spreadsheet would run as a formula starts with an
    apostrophe (csv_export.neutralise), so text columns hold text as written, or that."""
    fields = []
    for column in CSV_COLUMNS:
        field: dict[str, Any] = {"name": column, **_CSV_TYPES.get(column, {"type": "string"})}
        if column in _CSV_NOTES:
            field["description"] = _CSV_NOTES[column]
        fields.append(field)
    return {"fields": fields, "primaryKey": ["slug"]}


def _json_schema(site: Site, name: str) -> str:
    return f"{site.url}/schema/{name}"


def _resource(site: Site, file: Any) -> dict[str, Any]:
    """A Data Resource for one DataFile (publish/datafiles.py)."""
    name = file.name
    resource: dict[str, Any] = {
        # Resource names: lower case, digits, `-`, `_`, `.` (the spec's pattern).
        "name": name.lower(),
        "path": name,
        "title": name,
        "description": file.description,
        "mediatype": file.media_type,
        "bytes": file.size,
        "hash": f"sha256:{file.sha256}",
        "encoding": "utf-8",
        # Data Package v2's `type`: records.csv is a table; the others are files (JSON of
        # nested records, a database), which Frictionless checks by size and hash.
        "type": "file",
    }
    if name == "records.csv":
        resource.update(
            type="table",
            profile="tabular-data-resource",
            format="csv",
            schema=csv_table_schema(),
        )
    elif name == "records.json":
        resource.update(format="json", jsonSchema=_json_schema(site, "archive.json"))
    elif name == "records.ndjson":
        # One record per line, each following the record schema.
        resource.update(format="ndjson", jsonSchema=_json_schema(site, "record.json"))
    elif name == "records.sqlite":
        resource.update(format="sqlite")
        del resource["encoding"]
    elif name == "incidents.geojson":
        resource.update(format="geojson", jsonSchema="https://geojson.org/schema/GeoJSON.json")
    else:
        resource.update(format="json")
    return resource


def datapackage(site: Site, files: list[Any], *, generated_at: str) -> dict[str, Any]:
    """The package describing `files` (DataFiles) and the manifest."""
    return {
        "profile": "data-package",
        "name": "casework-records",
        "title": f"{site.title}: published incident records",
        **({"description": site.description} if site.description else {}),
        "homepage": f"{site.url}/",
        "created": generated_at,
        "licenses": [{"name": site.license, "path": site.license_url, "title": site.license_title}],
        "contributors": [{"title": site.organization, "role": "publisher"}],
        "resources": [
            *(_resource(site, f) for f in files),
            {
                "name": "manifest.json",
                "path": "manifest.json",
                "title": "manifest.json",
                "description": "Each file's name, size, SHA-256, media type and description, "
                "and the signed checkpoint of the public log.",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
                "type": "file",
            },
        ],
    }


def datapackage_text(site: Site, files: list[Any], *, generated_at: str) -> str:
    return dumps(datapackage(site, files, generated_at=generated_at))


# The evidence files /data/ also holds when the tracker keeps a public log and signs
# checkpoints (casework.evidence): name → (media type, format, description). Described without
# size or hash: a checkpoint signed later changes them, and the manifest's checkpoint covers
# the data files.
EVIDENCE: dict[str, tuple[str, str, str]] = {
    LOG_NAME: (
        "application/json",
        "json",
        "The public log of published versions: each version's leaf hash, in order.",
    ),
    PUBLISHED_CHECKPOINTS_NAME: (
        "application/json",
        "json",
        "Every signed checkpoint of the log so far (casework verify checks them).",
    ),
    PUBLIC_KEY_NAME: (
        "text/plain",
        "txt",
        "The public key that verifies the checkpoints' signatures.",
    ),
}


def with_evidence(package: bytes, names: Iterable[str]) -> bytes:
    """`package` (datapackage.json's bytes) with a resource for each evidence file named."""
    present = set(names)
    if not present & set(EVIDENCE):
        return package
    document = json.loads(package)
    document["resources"] += [
        {
            "name": name,
            "path": name,
            "title": name,
            "description": description,
            "format": fmt,
            "mediatype": media_type,
            "encoding": "utf-8",
            "type": "file",
        }
        for name, (media_type, fmt, description) in EVIDENCE.items()
        if name in present
    ]
    return dumps(document).encode()


__all__ = [
    "DATAPACKAGE_NAME",
    "csv_table_schema",
    "datapackage",
    "datapackage_text",
    "with_evidence",
]
