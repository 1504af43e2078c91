"""Bytes to JSON values, safely and within bounds: strict UTF-8 (errors give the byte
offset), no duplicate keys or NaN, malformed JSON located by line and column, file and line
size limits checked before anything large is read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

import orjson

from casework.formats.errors import InvalidInput

MB = 1024 * 1024
# A JSON document is parsed whole: its size bounds the memory an import takes.
DEFAULT_DOCUMENT_LIMIT = 64 * MB
# NDJSON is read a line at a time: one line (one record) may not be larger than this.
DEFAULT_LINE_LIMIT = 16 * MB
NDJSON_SUFFIXES = (".ndjson", ".jsonl")
BOM = b"\xef\xbb\xbf"


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json keeps the last of two equal keys silently; that would lose authored data.
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def decode_utf8(data: bytes, *, file: str, base_offset: int, position: str | None) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        offset = base_offset + error.start
        line = data.count(b"\n", 0, error.start) + 1
        where = f"line {line}, " if position is None else ""
        raise InvalidInput(
            f"not valid UTF-8: {where}byte offset {offset} (byte 0x{data[error.start]:02x})",
            file=file,
            position=position,
        ) from None


def parse_json(text: str, *, file: str, position: str | None) -> Any:
    """JSON text → value, or InvalidInput saying where it is malformed."""
    try:
        return json.loads(
            text, object_pairs_hook=_object_without_duplicates, parse_constant=_refuse_constant
        )
    except json.JSONDecodeError as error:
        where = f"column {error.colno}"
        if position is None:  # a whole document; an NDJSON line is named by its position
            where = f"line {error.lineno}, {where}"
        raise InvalidInput(
            f"malformed JSON at {where}: {error.msg}", file=file, position=position
        ) from None
    except _DuplicateKey as error:
        raise InvalidInput(
            f"malformed JSON: the key {error.key!r} appears twice in one object",
            file=file,
            position=position,
        ) from None
    except RecursionError:
        raise InvalidInput(
            "malformed JSON: nested too deeply", file=file, position=position
        ) from None
    except ValueError as error:  # e.g. NaN, or an integer with thousands of digits
        raise InvalidInput(f"malformed JSON: {error}", file=file, position=position) from None


def parse_json_line(line: bytes, *, file: str, base_offset: int, position: str) -> Any:
    """One NDJSON line (bytes, at `base_offset` in `file`) → value, or InvalidInput as
    `decode_utf8` and `parse_json` say it.

    orjson parses it first (2.5x faster than the json module with the duplicate-key hook), but
    keeps the last of two equal keys silently: its value is taken only when writing it back
    gives the very bytes of the line, which a line with a key twice cannot be (the written
    object holds each key once). Anything else — a line written in another style (spaces,
    ASCII escapes), one orjson refuses (NaN, a lone surrogate, a huge integer), malformed
    JSON — is read by the json module, as before, with its messages."""
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError:
        pass
    else:
        if orjson.dumps(value) == line.strip():
            return value
    text = decode_utf8(line, file=file, base_offset=base_offset, position=position)
    return parse_json(text, file=file, position=position)


def kind_of(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    return "a number"


def check_file(path: Path) -> int:
    file = str(path)
    if not path.exists():
        raise InvalidInput("no such file", file=file)
    if path.is_dir():
        raise InvalidInput("is a folder, not a JSON file", file=file)
    try:
        size = path.stat().st_size
        with path.open("rb"):
            pass
    except OSError as error:
        raise InvalidInput(f"cannot be read: {error.strerror}", file=file) from None
    if size == 0:
        raise InvalidInput("the file is empty: no records", file=file)
    return size


def first_line(path: Path, line_limit: int) -> tuple[bytes | None, bool]:
    """The first non-blank line (None if it is longer than `line_limit`) and whether more
    non-blank content follows it. Reads at most about one line."""
    with path.open("rb") as stream:
        line = b""
        while not line.strip():
            line = stream.readline(line_limit + 1)
            if not line:
                return b"", False
        if len(line) > line_limit and not line.endswith(b"\n"):
            return None, True
        while chunk := stream.read(64 * 1024):
            if chunk.strip():
                return line, True
        return line, False


def looks_like_ndjson(path: Path, line_limit: int) -> bool:
    line, more = first_line(path, line_limit)
    if line is None:
        return False
    if not line.strip():
        raise InvalidInput("the file holds only whitespace: no records", file=str(path))
    stripped = line.strip().removeprefix(BOM)
    if not more or not (stripped.startswith(b"{") and stripped.endswith(b"}")):
        return False
    try:
        value = json.loads(stripped.decode("utf-8"))
    except (ValueError, RecursionError):
        return False
    return isinstance(value, dict)


def size_text(count: int) -> str:
    if count >= MB:
        return f"{count / MB:.1f}".removesuffix(".0") + " MB"
    return f"{count:,} bytes"


def skip_rest_of_line(stream: IO[bytes]) -> int:
    skipped = 0
    while chunk := stream.readline(MB):
        skipped += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return skipped
