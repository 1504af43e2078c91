"""Tracker JSON (docs/format.md): record documents, archives, collections, arrays and NDJSON.

Writing reproduces the published form to the byte: `dumps(record_document(...))` of a record
read from a document gives back that document (except `generatedAt`). Reading never trusts
its input: every record is validated, derived values are recomputed (a disagreement is a
warning), `contentHtml` is sanitized before it is kept, and sizes are bounded: a JSON document
over `max_document_bytes` is refused before it is parsed, NDJSON is streamed a line at a time.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import orjson
from pydantic import ValidationError

from casework.formats.common import (
    Item,
    derived_warnings,
    location_of,
    note,
    slug_in,
    unknown_key_warnings,
    validate_record,
)
from casework.formats.errors import InvalidInput, from_validation_error, show_value
from casework.formats.json_input import (
    BOM,
    DEFAULT_DOCUMENT_LIMIT,
    DEFAULT_LINE_LIMIT,
    NDJSON_SUFFIXES,
    check_file,
    decode_utf8,
    first_line,
    kind_of,
    looks_like_ndjson,
    parse_json,
    parse_json_line,
    size_text,
    skip_rest_of_line,
)
from casework.model import OWN_KEYS, RECORD_KEYS, Collection, Record, Site, derived_fields
from casework.render.html import sanitize_html

_ENVELOPE_KEYS = {
    "record": ("site", "generatedAt", "record"),
    "archive": ("site", "generatedAt", "recordCount", "records"),
    "collection": ("site", "generatedAt", "collection", "records"),
}


# ---------------------------------------------------------------------------------------------
# Writing


def format_generated_at(moment: datetime) -> str:
    """`moment` as docs/format.md's `generatedAt`: UTC, milliseconds, `Z`
    (`2026-04-08T03:57:56.460Z`). A naive datetime is taken to be UTC already."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _generated_at(value: str | datetime | None) -> str:
    if value is None:
        return format_generated_at(datetime.now(UTC))
    if isinstance(value, datetime):
        return format_generated_at(value)
    return value


def record_dict(record: Record, site: Site, *, extensions: bool = True) -> dict[str, Any]:
    """The record as docs/format.md writes it: every key in order, derived values computed for
    `site`, casework's own keys (OWN_KEYS: `provenance`, ...) after them when they hold
    something, unknown keys back where they stood in the input. `extensions=False` leaves
    casework's own keys out: the seed tracker's format exactly (`casework export` without
    `--extensions`)."""
    wire = record.to_wire()
    unknown = record.model_extra or {}
    derived = derived_fields(record, site)
    known = {key: derived[key] if key in derived else wire[key] for key in RECORD_KEYS}
    if extensions:
        known.update({key: wire[key] for key in OWN_KEYS if key in wire})
    if not unknown:
        return known
    return record.place_unknown_keys(known)


def without_extensions(document: dict[str, Any]) -> dict[str, Any]:
    """A record dict without casework's own keys (OWN_KEYS), for writers that add an own key
    of theirs to a record dict after `record_dict` made it."""
    if not any(key in document for key in OWN_KEYS):
        return document
    return {key: value for key, value in document.items() if key not in OWN_KEYS}


def record_document(
    record: Record,
    site: Site,
    generated_at: str | datetime | None = None,
    *,
    extensions: bool = True,
) -> dict[str, Any]:
    """`{"site", "generatedAt", "record"}`; `generated_at` defaults to now (a string is used
    as given, which is how tests compare whole bytes)."""
    return {
        "site": site.url,
        "generatedAt": _generated_at(generated_at),
        "record": record_dict(record, site, extensions=extensions),
    }


def archive_document(
    records: Iterable[Record],
    site: Site,
    generated_at: str | datetime | None = None,
    *,
    extensions: bool = True,
) -> dict[str, Any]:
    """`{"site", "generatedAt", "recordCount", "records"}` (docs/format.md's archive.json)."""
    items = [record_dict(record, site, extensions=extensions) for record in records]
    return {
        "site": site.url,
        "generatedAt": _generated_at(generated_at),
        "recordCount": len(items),
        "records": items,
    }


def write_archive(
    records: Iterable[Record],
    site: Site,
    stream: IO[str],
    *,
    count: int,
    generated_at: str | datetime | None = None,
    progress: Callable[[int], None] | None = None,
    extensions: bool = True,
) -> None:
    """Write `dumps(archive_document(records, ...))` to `stream` a record at a time, so that
    memory does not grow with the tracker (the whole archive as one dict took 10 GB for
    100,000 records). `count` is written as `recordCount` before the records are read; a
    different number of records raises ValueError (the caller's output is then incomplete)."""
    head = dumps(
        {"site": site.url, "generatedAt": _generated_at(generated_at), "recordCount": count}
    )
    stream.write(head[:-2] + ',\n  "records": [')
    written = 0
    for record in records:
        text = dumps(record_dict(record, site, extensions=extensions)).replace("\n", "\n    ")
        stream.write(("," if written else "") + "\n    " + text)
        written += 1
        if progress is not None:
            progress(1)
    stream.write("\n  ]\n}" if written else "]\n}")
    if written != count:
        raise ValueError(f"the archive says {count} records but {written} were written")


def collection_summary(collection: Collection, records: list[Record]) -> dict[str, Any]:
    """The `collection` object of a collection document. `incidentCount` is the number of
    records written; `latestUpdate` is the latest `lastUpdated` among them as `YYYY-MM-DD`,
    or null for a collection with no records (docs/format.md leaves both unspecified; this is
    the choice casework makes and checks on import)."""
    latest = max((record.last_updated for record in records), default=None)
    return _summary(collection, len(records), latest.isoformat() if latest else None)


def _summary(collection: Collection, count: int, latest: str | None) -> dict[str, Any]:
    return {
        "slug": collection.slug,
        "title": collection.title,
        "description": collection.description,
        "lede": collection.lede,
        "incidentCount": count,
        "latestUpdate": latest,
    }


def collection_document(
    collection: Collection,
    records: Iterable[Record],
    site: Site,
    generated_at: str | datetime | None = None,
    *,
    extensions: bool = True,
) -> dict[str, Any]:
    """`{"site", "generatedAt", "collection", "records"}`; `records` in the collection's
    order (the caller fetches them)."""
    items = list(records)
    return {
        "site": site.url,
        "generatedAt": _generated_at(generated_at),
        "collection": collection_summary(collection, items),
        "records": [record_dict(record, site, extensions=extensions) for record in items],
    }


def collection_document_of(
    collection: Collection,
    documents: list[dict[str, Any]],
    site: Site,
    generated_at: str | datetime | None = None,
) -> dict[str, Any]:
    """`collection_document` of its records' documents (`record_dict`'s, with casework's own
    keys: how the static build keeps them) rather than the records."""
    latest = max((d["lastUpdated"] for d in documents), default=None)
    return {
        "site": site.url,
        "generatedAt": _generated_at(generated_at),
        "collection": _summary(collection, len(documents), latest),
        "records": documents,
    }


def dumps(document: Any) -> str:
    """The published serialization: two-space indent, non-ASCII as is, no trailing newline.

    docs/format.md defines it as `json.dumps(doc, indent=2, ensure_ascii=False)`; orjson writes
    the same bytes for the values a record holds (strings, ints, bools, null, lists, dicts;
    tests/formats check it) ten times faster. What orjson refuses (a lone surrogate, an int
    beyond 64 bits, a float) goes through json itself, so the result is always the defined one."""
    if type(document) is dict or type(document) is list:
        try:
            return orjson.dumps(document, option=orjson.OPT_INDENT_2).decode()
        except (TypeError, orjson.JSONEncodeError):
            pass
    return json.dumps(document, indent=2, ensure_ascii=False)


def write_ndjson(
    records: Iterable[Record],
    site: Site,
    stream: IO[str],
    progress: Callable[[int], None] | None = None,
    *,
    extensions: bool = True,
) -> int:
    """One compact record dict per line to `stream`; returns the number written.
    `progress(1)` is called after each record."""
    count = 0
    for record in records:
        stream.write(
            json.dumps(
                record_dict(record, site, extensions=extensions),
                ensure_ascii=False,
                separators=(",", ":"),
            )
        )
        stream.write("\n")
        count += 1
        if progress is not None:
            progress(1)
    return count


# ---------------------------------------------------------------------------------------------
# Reading: records


@dataclass
class TrackerJson:
    """An opened tracker JSON input. `kind` is `record`, `archive`, `collection`, `array`,
    `bare-record` or `ndjson`; `collection` is set for a collection document (its `records`
    are the slugs of the valid records, in order); `items` yields one Item per record."""

    path: Path
    kind: str
    items: Iterator[Item]
    site: str | None = None
    generated_at: str | None = None
    collection: Collection | None = None
    warnings: list[str] = field(default_factory=list)


# How far sanitizing may run ahead of validation (records, and bytes of HTML held).
_LOOKAHEAD = 32
# One thread: validation needs the other core (two measured no faster on 2 cores).
_SANITIZE_THREADS = 1
_LOOKAHEAD_BYTES = 4 * 1024 * 1024
_Prepared = tuple[str, "Future[str]"]


def _html_of(value: Any) -> str | None:
    """The contentHtml of a record or record document value, if it has a non-empty one."""
    if not isinstance(value, dict):
        return None
    html = value.get("contentHtml")
    if html is None and isinstance(value.get("record"), dict):
        html = value["record"].get("contentHtml")
    return html if isinstance(html, str) and html else None


class _RecordReader:
    """Turns input values into Items, remembering slugs to catch collisions."""

    def __init__(self, site: Site, file: str) -> None:
        self.site = site
        self.file = file
        self.seen: dict[str, str] = {}

    def item(
        self,
        value: Any,
        position: str | None,
        *,
        documents_allowed: bool,
        prepared: _Prepared | None = None,
    ) -> Item:
        """The Item for one input value; `prepared` is its contentHtml already being
        sanitized on another thread."""
        location = location_of(self.file, position)
        if isinstance(value, InvalidInput):  # a line that could not even be parsed
            return Item(location, error=value)
        try:
            record, warnings = self._record(
                value, position, documents_allowed=documents_allowed, prepared=prepared
            )
        except InvalidInput as error:
            return Item(location, error=error.located(file=self.file, position=position))
        return Item(location, record=record, warnings=warnings)

    def items(
        self, entries: Iterable[tuple[str | None, Any]], *, documents_allowed: bool
    ) -> Iterator[Item]:
        """Items for (position, value) entries, in order. Sanitizing contentHtml is about
        half the cost of reading a record with a 6 KB body and nh3 releases the GIL, so it
        runs on a second thread, a few records ahead of validation on this one."""
        with ThreadPoolExecutor(_SANITIZE_THREADS, thread_name_prefix="sanitize") as pool:
            pending: deque[tuple[str | None, Any, _Prepared | None]] = deque()
            source = iter(entries)
            queued_bytes = 0

            def fill() -> None:
                nonlocal queued_bytes
                while len(pending) < _LOOKAHEAD and queued_bytes < _LOOKAHEAD_BYTES:
                    entry = next(source, None)
                    if entry is None:
                        return
                    position, value = entry
                    html = _html_of(value)
                    prepared = (html, pool.submit(sanitize_html, html)) if html else None
                    queued_bytes += len(html) if html else 0
                    pending.append((position, value, prepared))

            fill()
            while pending:
                position, value, prepared = pending.popleft()
                queued_bytes -= len(prepared[0]) if prepared else 0
                fill()
                yield self.item(
                    value, position, documents_allowed=documents_allowed, prepared=prepared
                )

    def _record(
        self,
        value: Any,
        position: str | None,
        *,
        documents_allowed: bool,
        prepared: _Prepared | None,
    ) -> tuple[Record, list[str]]:
        file = self.file
        if not isinstance(value, dict):
            raise InvalidInput(f"expected a record object, got {kind_of(value)}", position=position)
        if "slug" not in value and ("record" in value or "records" in value):
            if documents_allowed and "record" in value and "records" not in value:
                value = _unwrap_record_document(value, file=file, position=position)
            else:
                inner = "record" if "record" in value else "records"
                raise InvalidInput(
                    f"records nested wrongly: expected a record's own keys (slug, title, ...) "
                    f"here, found a document with {inner!r} inside",
                    position=position,
                )
        given_html = value.get("contentHtml")
        if given_html is not None and not isinstance(given_html, str):
            raise InvalidInput(
                f"expected a string, got {show_value(given_html)}",
                slug=slug_in(value),
                position=position,
                field="contentHtml",
            )
        record = validate_record(value, self.site, file=file, position=position)
        first = self.seen.get(record.slug)
        if first is not None:
            raise InvalidInput(
                f"slug collision: {first} has the same slug",
                slug=record.slug,
                position=position,
                field="slug",
            )
        self.seen[record.slug] = position or file
        warnings: list[str] = []
        skip: tuple[str, ...] = ()
        if given_html:
            # Kept as HTML; the Markdown body is made from it only when someone edits it.
            if prepared is not None and prepared[0] is given_html:
                clean = prepared[1].result()
            else:
                clean = sanitize_html(given_html)
            record = record.with_body("", clean)
            if clean != given_html:
                skip = ("contentHtml",)
                warnings.append(
                    note(
                        "held markup outside the allow-list (scripts, event handlers, "
                        "javascript: links or other tags); stored sanitized",
                        file=file,
                        slug=record.slug,
                        field="contentHtml",
                    )
                )
        warnings.extend(unknown_key_warnings(record, file=file))
        warnings.extend(derived_warnings(record, self.site, file=file, skip=skip))
        return record, warnings


def _unwrap_record_document(value: dict[str, Any], *, file: str, position: str | None) -> Any:
    extra = [key for key in value if key not in _ENVELOPE_KEYS["record"]]
    if extra:
        raise InvalidInput(
            f"a record document holds only site, generatedAt and record; found {extra[0]!r}",
            file=file,
            position=position,
        )
    return value["record"]


def _check_envelope(
    document: dict[str, Any], kind: str, *, file: str
) -> tuple[str | None, str | None, list[str]]:
    for key in ("site", "generatedAt"):
        if key in document and not isinstance(document[key], str):
            raise InvalidInput(
                f"expected a string, got {show_value(document[key])}", file=file, field=key
            )
    warnings = [
        str(InvalidInput("unknown key in the document envelope, not kept", file=file, field=key))
        for key in document
        if key not in _ENVELOPE_KEYS[kind]
    ]
    return document.get("site"), document.get("generatedAt"), warnings


def _list_field(document: dict[str, Any], key: str, *, file: str) -> list[Any]:
    value = document[key]
    if not isinstance(value, list):
        raise InvalidInput(
            f"expected an array of records, got {kind_of(value)}", file=file, field=key
        )
    return value


def _from_value(value: Any, path: Path, site: Site) -> TrackerJson:
    """A parsed JSON document → TrackerJson (records validated lazily, except for a
    collection, whose record list needs them all)."""
    file = str(path)
    reader = _RecordReader(site, file)
    if isinstance(value, list):
        items = reader.items(
            ((f"record {index}", element) for index, element in enumerate(value, start=1)),
            documents_allowed=True,
        )
        return TrackerJson(path, "array", items)
    if not isinstance(value, dict):
        raise InvalidInput(
            f"expected a JSON object or array of records, got {kind_of(value)}", file=file
        )
    if "record" in value and "records" not in value:
        site_url, generated, warnings = _check_envelope(value, "record", file=file)
        if not isinstance(value["record"], dict):
            raise InvalidInput(
                f"expected a record object, got {kind_of(value['record'])}",
                file=file,
                field="record",
            )
        item = reader.item(value["record"], None, documents_allowed=False)
        return TrackerJson(path, "record", iter([item]), site_url, generated, warnings=warnings)
    if "records" in value:
        kind = "collection" if "collection" in value else "archive"
        site_url, generated, warnings = _check_envelope(value, kind, file=file)
        elements = _list_field(value, "records", file=file)
        if kind == "archive":
            count = value.get("recordCount")
            if "recordCount" in value and count != len(elements):
                warnings.append(
                    str(
                        InvalidInput(
                            f"says {show_value(count)} but the archive holds {len(elements)}",
                            file=file,
                            field="recordCount",
                        )
                    )
                )
            items = reader.items(
                ((f"record {index}", element) for index, element in enumerate(elements, 1)),
                documents_allowed=False,
            )
            return TrackerJson(path, kind, items, site_url, generated, warnings=warnings)
        read = list(
            reader.items(
                ((f"record {index}", element) for index, element in enumerate(elements, 1)),
                documents_allowed=False,
            )
        )
        collection, notes = _collection(value["collection"], read, file=file)
        return TrackerJson(
            path, kind, iter(read), site_url, generated, collection, warnings + notes
        )
    if "slug" in value:
        return TrackerJson(
            path, "bare-record", iter([reader.item(value, None, documents_allowed=False)])
        )
    found = ", ".join(list(value)[:8]) or "none"
    raise InvalidInput(
        "not a record, a record document, an archive or a collection: expected a 'record', "
        f"'records' or 'slug' key; found keys: {found}",
        file=file,
    )


def _collection(raw: Any, items: list[Item], *, file: str) -> tuple[Collection, list[str]]:
    if not isinstance(raw, dict):
        raise InvalidInput(f"expected an object, got {kind_of(raw)}", file=file, field="collection")
    records = [item.record for item in items if item.record is not None]
    given = {key: raw[key] for key in ("incidentCount", "latestUpdate") if key in raw}
    authored = {key: value for key, value in raw.items() if key not in given}
    try:
        collection = Collection.model_validate(
            {**authored, "records": [record.slug for record in records]}
        )
    except ValidationError as error:
        raise from_validation_error(error, file=file, prefix="collection") from None
    computed = collection_summary(collection, records)
    warnings = [
        str(
            InvalidInput(
                f"given {show_value(value)} differs from the computed {show_value(computed[key])}",
                file=file,
                field=f"collection.{key}",
            )
        )
        for key, value in given.items()
        if value != computed[key]
    ]
    return collection, warnings


def open_tracker_json(
    path: Path,
    site: Site,
    *,
    max_document_bytes: int = DEFAULT_DOCUMENT_LIMIT,
    max_line_bytes: int = DEFAULT_LINE_LIMIT,
    shard: Shard | None = None,
) -> TrackerJson:
    """Open a tracker JSON file of any kind docs/format.md allows, or NDJSON (by the `.ndjson` /
    `.jsonl` suffix, or a `.json` file whose first line is a whole JSON object with more
    lines after it). Raises InvalidInput when the file cannot be read at all (missing,
    empty, too large, not UTF-8, malformed, not records); a bad record is an Item with an
    error instead."""
    size = check_file(path)
    file = str(path)
    ndjson = path.suffix.lower() in NDJSON_SUFFIXES
    if not ndjson:
        ndjson = looks_like_ndjson(path, max_line_bytes)
    if ndjson:
        if first_line(path, max_line_bytes)[0] == b"":
            raise InvalidInput("the file holds only whitespace: no records", file=file)
        return TrackerJson(path, "ndjson", _ndjson_items(path, site, max_line_bytes, shard))
    if shard is not None:
        raise ValueError("only NDJSON input can be read in shards")
    if size > max_document_bytes:
        raise InvalidInput(
            f"{size_text(size)} is over the {size_text(max_document_bytes)} limit for one JSON "
            "document; write the records as NDJSON (one record per line, .ndjson), which is "
            "read a line at a time",
            file=file,
        )
    data = path.read_bytes()
    offset = 0
    if data.startswith(BOM):
        data, offset = data[len(BOM) :], len(BOM)
    text = decode_utf8(data, file=file, base_offset=offset, position=None)
    if not text.strip():
        raise InvalidInput("the file holds only whitespace: no records", file=file)
    value = parse_json(text, file=file, position=None)
    return _from_value(value, path, site)


@dataclass(frozen=True)
class Shard:
    """Which part of an NDJSON file to read, so that several processes can share the work:
    records (non-blank lines) are dealt in runs of `run`, run r going to shard r % count.
    Each record still yields exactly one Item, so the shards' Items interleave back into
    input order, `run` at a time."""

    index: int
    count: int
    run: int = 128

    def takes(self, ordinal: int) -> bool:
        return (ordinal // self.run) % self.count == self.index


def is_ndjson(path: Path, max_line_bytes: int = DEFAULT_LINE_LIMIT) -> bool:
    """Whether `path` would be read as NDJSON (by suffix, or by its first line)."""
    return path.suffix.lower() in NDJSON_SUFFIXES or looks_like_ndjson(path, max_line_bytes)


def _ndjson_items(
    path: Path, site: Site, line_limit: int, shard: Shard | None = None
) -> Iterator[Item]:
    reader = _RecordReader(site, str(path))
    return reader.items(_ndjson_values(path, line_limit, shard), documents_allowed=True)


def _ndjson_values(
    path: Path, line_limit: int, shard: Shard | None = None
) -> Iterator[tuple[str, Any]]:
    """(position, parsed value or the InvalidInput of a line that could not be parsed) for
    each non-blank line (of `shard`'s runs only, when given); at most `line_limit` bytes of a
    line are ever held."""
    file = str(path)
    with path.open("rb") as stream:
        offset = 0
        number = 0
        ordinal = -1  # of the non-blank line, for sharding
        while True:
            line = stream.readline(line_limit + 1)
            if not line:
                return
            number += 1
            position = f"line {number}"
            start = offset
            offset += len(line)
            if len(line) > line_limit and not line.endswith(b"\n"):
                offset += skip_rest_of_line(stream)
                ordinal += 1
                if shard is not None and not shard.takes(ordinal):
                    continue
                yield (
                    position,
                    InvalidInput(
                        f"the line is longer than the {size_text(line_limit)} limit for one record",
                        file=file,
                        position=position,
                    ),
                )
                continue
            if number == 1 and line.startswith(BOM):
                line, start = line[len(BOM) :], start + len(BOM)
            if not line.strip():
                continue
            ordinal += 1
            if shard is not None and not shard.takes(ordinal):
                continue
            try:
                yield (
                    position,
                    parse_json_line(line, file=file, base_offset=start, position=position),
                )
            except InvalidInput as error:
                yield position, error


def read_records(
    path: Path,
    site: Site,
    *,
    max_document_bytes: int = DEFAULT_DOCUMENT_LIMIT,
    max_line_bytes: int = DEFAULT_LINE_LIMIT,
    shard: Shard | None = None,
) -> Iterator[Item]:
    """Every record of a tracker JSON or NDJSON file, one Item each (a bad record is an
    Item with `error` set; reading goes on). Raises InvalidInput, at call time, for a file
    that cannot be read at all. Envelope warnings (unknown envelope keys, a wrong
    recordCount) are added to the first Item. `shard` reads only part of an NDJSON file."""
    opened = open_tracker_json(
        path,
        site,
        max_document_bytes=max_document_bytes,
        max_line_bytes=max_line_bytes,
        shard=shard,
    )
    return read_records_of(opened)


def _with_envelope_warnings(opened: TrackerJson) -> Iterator[Item]:
    first = True
    for item in opened.items:
        if first:
            item.warnings[:0] = opened.warnings
            first = False
        yield item


def read_collection(
    path: Path,
    site: Site,
    *,
    max_document_bytes: int = DEFAULT_DOCUMENT_LIMIT,
    max_line_bytes: int = DEFAULT_LINE_LIMIT,
) -> tuple[Collection, list[Item]]:
    """A collection document: the Collection (its `records` = slugs of the valid records,
    in order) and one Item per record. Raises InvalidInput for any other kind of file."""
    opened = open_tracker_json(
        path, site, max_document_bytes=max_document_bytes, max_line_bytes=max_line_bytes
    )
    if opened.collection is None:
        raise InvalidInput(
            f"not a collection document (this is {opened.kind.replace('-', ' ')} input)",
            file=str(path),
        )
    return opened.collection, list(read_records_of(opened))


def read_records_of(opened: TrackerJson) -> Iterator[Item]:
    """The Items of an opened input, envelope warnings on the first."""
    if not opened.warnings:
        return opened.items
    return _with_envelope_warnings(opened)
