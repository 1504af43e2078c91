"""One Markdown file per record, `SLUG.md`: YAML front matter (the authored fields, in
docs/format.md's order, camelCase, unknown keys kept) between `---` lines, then the Markdown body.

For teams that keep records in git: a folder written here and read back writes the same bytes
again. YAML is loaded safely: no aliases or anchors (an "alias bomb" is refused before it can
expand), front matter size and nesting depth capped, only JSON-shaped values accepted. Dates
are plain strings in both directions (the YAML timestamp type is switched off), so they come
back exactly as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

from casework.formats.common import (
    Item,
    check_plain_data,
    check_reserved_keys,
    note,
    slug_in,
    unknown_key_warnings,
    validate_record,
)
from casework.formats.errors import InvalidInput
from casework.model import DERIVED_KEYS, Record, Site
from casework.render.html import html_to_markdown, render_markdown

MB = 1024 * 1024
MAX_FRONT_MATTER_BYTES = 1 * MB
MAX_FILE_BYTES = 16 * MB
MAX_DEPTH = 20
# Never fold long lines: a line break inside a value would be a needless diff in git.
_WIDTH = 1 << 30
_OPENING = re.compile(r"---[ \t]*\r?\n")
_CLOSING = re.compile(r"^---[ \t]*(?:\r?\n|\Z)", re.MULTILINE)
_STRING_ONLY = ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:value", "tag:yaml.org,2002:merge")
# Characters that YAML reads as line breaks: a block scalar would turn them into "\n".
_YAML_BREAKS = re.compile("[\r\x85\u2028\u2029]")


def _without_resolvers(
    resolvers: dict[Any, list[tuple[str, Any]]], tags: tuple[str, ...]
) -> dict[Any, list[tuple[str, Any]]]:
    # PyYAML shares these lists between classes: build new ones rather than edit them.
    return {
        first: [(tag, regexp) for tag, regexp in entries if tag not in tags]
        for first, entries in resolvers.items()
    }


class _Aborted(yaml.YAMLError):
    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


class _CheckedComposer(yaml.composer.Composer):
    """Builds the node tree refusing aliases and anchors (an "alias bomb" never gets to
    expand) and nesting deeper than MAX_DEPTH (checked before going deeper)."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[attr-defined]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Aborted(
                "YAML anchors and aliases (& and *) are not allowed in record files",
                event.start_mark,
            )
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _Aborted(f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


# libyaml (C) scans and parses when PyYAML has it, about ten times faster than Python;
# composing stays in Python above, where the checks are.
_PARSER_BASES: tuple[type, ...] = (
    (yaml._yaml.CParser,)
    if getattr(yaml, "__with_libyaml__", False)
    else (yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser)
)


class _RecordLoader(
    _CheckedComposer,
    *_PARSER_BASES,  # type: ignore[misc]
    yaml.constructor.SafeConstructor,
    yaml.resolver.Resolver,
):
    """A safe loader: no aliases or anchors, no timestamps or merge keys, depth-capped."""

    yaml_implicit_resolvers = _without_resolvers(
        yaml.resolver.Resolver.yaml_implicit_resolvers, _STRING_ONLY
    )

    def __init__(self, stream: str) -> None:
        if _PARSER_BASES[0] is yaml.reader.Reader:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
        else:
            _PARSER_BASES[0].__init__(self, stream)  # type: ignore[misc]
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)


_RESOLVERS_FOR_DUMPING = _without_resolvers(
    yaml.resolver.Resolver.yaml_implicit_resolvers, ("tag:yaml.org,2002:timestamp",)
)


class _RecordDumper(yaml.SafeDumper):
    """Safe dumper that writes date-like strings plain (they load back as strings here),
    multi-line strings as literal blocks, and never anchors shared values."""

    yaml_implicit_resolvers = _RESOLVERS_FOR_DUMPING

    def ignore_aliases(self, data: Any) -> bool:
        return True


class _FastRecordDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """The same with libyaml's emitter, about six times faster."""

    yaml_implicit_resolvers = _RESOLVERS_FOR_DUMPING

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: Any, value: str) -> Any:
    style: str | None = None
    if _YAML_BREAKS.search(value):
        style = '"'  # escaped, so nothing is normalised on the way back
    elif "\n" in value:
        style = "|"  # the emitter falls back to double quotes when a block can't hold it
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_RecordDumper.add_representer(str, _represent_str)
_FastRecordDumper.add_representer(str, _represent_str)


def _dump(data: dict[str, Any], dumper: type) -> str:
    text: str = yaml.dump(
        data,
        Dumper=dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=_WIDTH,
    )
    return text


def front_matter(record: Record) -> str:
    """The YAML front matter of `record` (without the `---` lines)."""
    data = record.to_wire()
    text = _dump(data, _FastRecordDumper)
    if "\\U" in text:
        # libyaml escapes characters beyond the BMP (emoji, rare CJK) as \UXXXXXXXX; the
        # Python emitter writes them as they are, which is what a person editing wants.
        # The choice depends on the record only, so a file still writes back the same.
        text = _dump(data, _RecordDumper)
    return text


def markdown_body(record: Record) -> str:
    """The record's Markdown; for a record that arrived as HTML only, Markdown made from it."""
    if record.body or not record.body_html:
        return record.body
    return html_to_markdown(record.body_html)


def record_to_markdown(record: Record) -> str:
    """`---`, the front matter, `---`, a blank line and the body (no blank line, nothing
    after, when the body is empty)."""
    body = markdown_body(record)
    text = f"---\n{front_matter(record)}---\n"
    return f"{text}\n{body}" if body else text


def _split(text: str, *, file: str) -> tuple[str, str, int]:
    """(front matter, body, line number of the front matter's first line)."""
    opening = _OPENING.match(text)
    if opening is None:
        raise InvalidInput(
            "no front matter: a record file starts with a line '---', then YAML, then '---'",
            file=file,
        )
    closing = _CLOSING.search(text, opening.end())
    if closing is None:
        raise InvalidInput(
            "the front matter is not closed: no line '---' after the YAML", file=file
        )
    matter = text[opening.end() : closing.start()]
    if len(matter.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        raise InvalidInput(
            f"the front matter is over the {MAX_FRONT_MATTER_BYTES // MB} MB limit", file=file
        )
    body = text[closing.end() :]
    # The writer puts one blank line between front matter and body.
    if body.startswith("\r\n"):
        body = body[2:]
    elif body.startswith("\n"):
        body = body[1:]
    return matter, body, 2


def _load_yaml(matter: str, *, file: str, first_line: int) -> Any:
    loader = _RecordLoader(matter)
    try:
        return loader.get_single_data()
    except _Aborted as error:
        line = error.mark.line + first_line if error.mark is not None else first_line
        raise InvalidInput(f"line {line}: {error.message}", file=file) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + first_line}, column {mark.column + 1}: " if mark else ""
        problem = error.problem or error.context or "not valid YAML"
        raise InvalidInput(f"{where}malformed YAML: {problem}", file=file) from None
    except yaml.YAMLError as error:
        raise InvalidInput(f"malformed YAML: {error}", file=file) from None
    except RecursionError:
        raise InvalidInput("the front matter is nested too deeply", file=file) from None
    finally:
        loader.dispose()


def _record_and_warnings(text: str, path: Path, site: Site) -> tuple[Record, list[str]]:
    file = str(path)
    matter, body, first_line = _split(text, file=file)
    data = _load_yaml(matter, file=file, first_line=first_line)
    if not isinstance(data, dict):
        kind = "nothing" if data is None else type(data).__name__
        raise InvalidInput(f"the front matter must be a mapping of keys, got {kind}", file=file)
    slug = slug_in(data)
    check_plain_data(data, file=file, slug=slug, path="")
    check_reserved_keys(data, file=file, position=None)
    derived = [key for key in DERIVED_KEYS if key in data]
    record = validate_record(data, site, file=file, position=None)
    if path.name != f"{record.slug}.md":
        raise InvalidInput(
            f"the file name {path.name!r} does not match the slug (expected {record.slug}.md)",
            file=file,
            slug=record.slug,
            field="slug",
        )
    record = record.with_body(body, render_markdown(body))
    warnings = [
        note(
            "derived key in front matter ignored: casework computes it"
            + (" (the body below the front matter is the content)" if key == "contentHtml" else ""),
            file=file,
            slug=record.slug,
            field=key,
        )
        for key in derived
    ]
    warnings.extend(unknown_key_warnings(record, file=file))
    return record, warnings


def record_from_markdown(text: str, path: Path, site: Site) -> Record:
    """The record held by a Markdown file's text (`path` names it in errors and must be
    `SLUG.md`); its body_html is the body rendered. Raises InvalidInput."""
    return _record_and_warnings(text, path, site)[0]


def read_markdown_file(path: Path, site: Site) -> Item:
    """One `SLUG.md` file as an Item (error set if it could not be read or is invalid)."""
    file = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InvalidInput(
                f"{size / MB:.1f} MB is over the {MAX_FILE_BYTES // MB} MB limit "
                "for one record file",
                file=file,
            )
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            raise InvalidInput(
                f"not valid UTF-8: line {line}, byte offset {error.start} "
                f"(byte 0x{data[error.start]:02x})",
                file=file,
            ) from None
        text = text.removeprefix("\ufeff")
        record, warnings = _record_and_warnings(text, path, site)
    except InvalidInput as error:
        return Item(file, error=error)
    except OSError as error:
        return Item(file, error=InvalidInput(f"cannot be read: {error.strerror}", file=file))
    return Item(file, record=record, warnings=warnings)


def read_markdown_folder(path: Path, site: Site) -> Iterator[Item]:
    """Every `*.md` file directly in the folder (sorted by name; hidden files skipped), one
    Item each. Raises InvalidInput, at call time, when `path` is not a readable folder."""
    file = str(path)
    if not path.is_dir():
        raise InvalidInput("not a folder", file=file)
    try:
        names = sorted(
            entry
            for entry in path.iterdir()
            if entry.suffix == ".md" and not entry.name.startswith(".")
        )
    except OSError as error:
        raise InvalidInput(f"cannot be read: {error.strerror}", file=file) from None
    if not names:
        raise InvalidInput("no record files (*.md) in this folder", file=file)
    # No slug-collision check is needed: each file is named after its slug (checked), and
    # the folder is read flat, so two records cannot share one.
    return (read_markdown_file(entry, site) for entry in names)


def write_markdown_folder(
    records: Iterable[Record],
    folder: Path,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write each record to `folder/SLUG.md` (the folder is made if needed; other files are
    left alone); returns the number written. `progress(1)` is called after each file."""
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for record in records:
        # Bytes, not text mode: no newline translation, so the file is the same everywhere.
        (folder / f"{record.slug}.md").write_bytes(record_to_markdown(record).encode("utf-8"))
        count += 1
        if progress is not None:
            progress(1)
    return count
