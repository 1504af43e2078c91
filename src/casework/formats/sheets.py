"""Reading spreadsheets: CSV, TSV and XLSX tables as rows of text keyed by their header.

A table is read the way it was most likely written, without asking:
- encoding: a UTF-8 byte-order mark says UTF-8 (the mark is dropped); otherwise the bytes are
  UTF-8 when they decode as UTF-8, else charset-normalizer's best guess, else cp1252 (what
  Excel on Windows writes), which decodes any byte; a mapping may state it instead;
- delimiter: `.tsv`/`.tab` files are tab-separated; otherwise csv.Sniffer guesses among
  `, ; \\t |` from the first 64 KB, and when it cannot tell, the one of those that appears most
  often in the header line wins; a mapping may state it instead;
- XLSX: openpyxl in read-only mode (rows streamed, not the whole workbook in memory), the
  first worksheet unless the mapping names one; dates come as the dates the cells hold.

Cells are text with surrounding whitespace trimmed; empty header names become `column N`.
A row is numbered as a spreadsheet program shows it (the header is row 1).
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from casework.formats.errors import InvalidInput

_DELIMITERS = ",;\t|"
_SNIFF_BYTES = 64 * 1024
# A cell larger than this is not a spreadsheet cell but something else.
csv.field_size_limit(8 * 1024 * 1024)


@dataclass
class Table:
    """An opened table: its header, and its rows as (row number, {column: text})."""

    path: Path
    header: list[str]
    rows: Iterator[tuple[int, dict[str, str]]]
    encoding: str | None = None
    delimiter: str | None = None


def open_table(
    path: Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> Table:
    """The table in `path`. Raises InvalidInput (naming the file) when it cannot be read."""
    if not path.is_file():
        raise InvalidInput("no such file", file=str(path))
    if path.suffix.lower() == ".xlsx":
        return _open_xlsx(path, sheet)
    return _open_text(path, encoding, delimiter)


def sniff_encoding(raw: bytes) -> str:
    """The encoding of a text table's bytes (see the module's docstring)."""
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as error:
        if error.start >= len(raw) - 3 and len(raw) >= _SNIFF_BYTES:
            return "utf-8"  # cut in the middle of a character by the sample's end
    from charset_normalizer import from_bytes

    best = from_bytes(raw[:_SNIFF_BYTES]).best()
    guessed = best.encoding if best is not None else None
    if guessed and guessed not in ("utf_8", "ascii"):
        try:
            raw.decode(guessed)
            return guessed
        except (UnicodeDecodeError, LookupError):
            pass
    return "cp1252" if _decodes(raw, "cp1252") else "latin-1"


def _decodes(raw: bytes, encoding: str) -> bool:
    try:
        raw.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def sniff_delimiter(sample: str, suffix: str) -> str:
    if suffix in (".tsv", ".tab"):
        return "\t"
    try:
        # The first lines are enough, and the sniffer's regular expressions are slow on more.
        lines = sample[:16384].splitlines()[:-1] or [sample]
        return csv.Sniffer().sniff("\n".join(lines), delimiters=_DELIMITERS).delimiter
    except csv.Error:
        first = sample.split("\n", 1)[0]
        return max(_DELIMITERS, key=first.count) if any(d in first for d in _DELIMITERS) else ","


def _open_text(path: Path, encoding: str | None, delimiter: str | None) -> Table:
    with path.open("rb") as f:
        head = f.read(_SNIFF_BYTES)
    if encoding is None:
        # A whole-file check: a cp1252 byte past the first 64 KB would break a UTF-8 guess.
        encoding = sniff_encoding(head if len(head) < _SNIFF_BYTES else path.read_bytes())
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InvalidInput(f"unknown encoding {encoding!r}", file=str(path)) from None
    sample = head.decode(encoding, errors="replace").lstrip("\ufeff")
    if delimiter is None:
        delimiter = sniff_delimiter(sample, path.suffix.lower())
    stream = path.open(encoding=encoding, newline="", errors="strict")
    reader = csv.reader(stream, delimiter=delimiter, skipinitialspace=True)
    try:
        first = next(reader, None)
    except (UnicodeDecodeError, csv.Error) as error:
        stream.close()
        raise InvalidInput(f"cannot read the header: {error}", file=str(path)) from None
    if first is None:
        stream.close()
        raise InvalidInput("the file is empty: no header row", file=str(path))
    if first and first[0].startswith("\ufeff"):
        first[0] = first[0][1:]
    header = _header(first, path)

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        try:
            for row in reader:
                number = reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) > len(header) and any(c.strip() for c in row[len(header) :]):
                    raise InvalidInput(
                        f"row {number} has {len(row)} cells, the header {len(header)}",
                        file=str(path),
                    )
                yield (
                    number,
                    {
                        name: (row[i].strip() if i < len(row) else "")
                        for i, name in enumerate(header)
                    },
                )
        except UnicodeDecodeError as error:
            raise InvalidInput(
                f"not {encoding} text after line {reader.line_num}: {error.reason}; state the "
                "encoding in the mapping's [sheet] table",
                file=str(path),
            ) from None
        except csv.Error as error:
            raise InvalidInput(f"line {reader.line_num}: {error}", file=str(path)) from None
        finally:
            stream.close()

    return Table(path, header, rows(), encoding=encoding, delimiter=delimiter)


def _header(cells: list[str], path: Path) -> list[str]:
    header: list[str] = []
    for i, cell in enumerate(cells):
        name = cell.strip() or f"column {i + 1}"
        if name in header:
            raise InvalidInput(f"column {name!r} appears twice in the header", file=str(path))
        header.append(name)
    while header and header[-1].startswith("column ") and not cells[len(header) - 1].strip():
        header.pop()  # trailing empty header cells: a spreadsheet's untouched columns
    if not header:
        raise InvalidInput("the header row is empty", file=str(path))
    return header


def cell_text(value: object) -> str:
    """An XLSX cell's value as the text a CSV export of it would hold."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def _open_xlsx(path: Path, sheet: str | None) -> Table:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise InvalidInput(f"not a readable XLSX workbook: {error}", file=str(path)) from None
    if sheet is not None and sheet not in book.sheetnames:
        book.close()
        raise InvalidInput(
            f"no worksheet {sheet!r}; it has " + ", ".join(book.sheetnames), file=str(path)
        )
    ws = book[sheet] if sheet is not None else book.worksheets[0]
    values = ws.iter_rows(values_only=True)
    first = next(values, None)
    if first is None:
        book.close()
        raise InvalidInput("the worksheet is empty: no header row", file=str(path))
    header = _header([cell_text(c) for c in first], path)

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        try:
            for number, row in enumerate(values, start=2):
                cells = [cell_text(c) for c in row]
                if not any(cells):
                    continue
                yield (
                    number,
                    {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header)},
                )
        finally:
            book.close()

    return Table(path, header, rows())
