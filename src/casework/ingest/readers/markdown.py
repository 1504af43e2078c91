"""Markdown and plain-text articles → Article.

Markdown is parsed (markdown-it, CommonMark + tables) and written back as plain text: link
syntax `[text](url)` becomes `text`, emphasis marks and images go, so that every offset an
extractor gives indexes what a reader reads. Paragraphs are separated by a blank line; a
paragraph's wrapped lines are joined; list items and table rows keep a line each.

The top of the text gives the metadata a file has no meta tags for: the first heading or the
first line is the title, then a byline ("By NAME | Dec 23, 2025"), a date line and a dek (see
header.py). YAML front matter (title, date, author(s), publisher, url, description), when
present, is read first and wins.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from casework.ingest.article import Article
from casework.ingest.readers.header import (
    MAX_TITLE_CHARS,
    find_dateline,
    parse_byline,
    parse_date,
    parse_date_line,
    read_header,
    url_date,
)
from casework.ingest.readers.header import publisher_for as _publisher_for
from casework.ingest.readers.language import guess_language
from casework.ingest.readers.limits import MAX_TEXT_CHARS, fail

MAX_FRONT_MATTER_CHARS = 64 * 1024
_HEADER_BLOCKS = 4  # the blocks at the top searched for title, dek and byline
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_LIST_ITEM = re.compile(r"\s*(?:[-*•–]|\d{1,3}[.)])\s+")
_TERMINAL = (".", "!", "?", ":", '"', "”", "’", "»", ")")
_CLAUSE_END = (*_TERMINAL, ";")
_MARKDOWN = MarkdownIt("commonmark").enable("table")

_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "dek": ("dek", "subtitle", "standfirst", "description", "summary"),
    "authors": ("authors", "author", "byline"),
    "published": ("date", "published", "publishdate", "publishedat", "pubdate", "datepublished"),
    "publisher": ("publisher", "sitename", "site", "source", "outlet"),
    "url": ("url", "canonicalurl", "canonical", "link", "sourceurl", "source"),
    "language": ("language", "lang"),
}


@dataclass
class Meta:
    """Metadata a source declares (front matter, a PDF's info): it wins over the header."""

    title: str = ""
    dek: str = ""
    authors: tuple[str, ...] = ()
    published: date | None = None
    publisher: str = ""
    url: str = ""
    language: str = ""


@dataclass
class Block:
    """A block of the source: a paragraph or heading (its lines joined into one), or a list or
    table (a line per item or row)."""

    kind: str  # paragraph | heading | list | table
    lines: list[str] = field(default_factory=list)
    level: int = 0  # a heading's: 1 for "#"


def decode_text(data: bytes, source: str, charset: str | None = None) -> str:
    """Text from bytes: UTF-8 (a BOM is dropped), else the declared charset, else Windows-1252
    (what mislabelled Western text nearly always is). NUL bytes mean it is not text at all."""
    if b"\x00" in data[:8192]:
        raise fail(source, "not a text file (binary data)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if charset:
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return data.decode("cp1252", errors="replace")


def read_markdown(
    text: str,
    *,
    source: str,
    url: str = "",
    publishers: dict[str, str] | None = None,
) -> Article:
    text = _normalise(text)
    meta, found, body = _front_matter(text, source)
    return text_article(
        _markdown_blocks(body),
        meta,
        found,
        kind="markdown",
        source=source,
        url=url,
        publishers=publishers,
        joiner=" ",
    )


def read_text(
    text: str,
    *,
    source: str,
    url: str = "",
    publishers: dict[str, str] | None = None,
) -> Article:
    text = _normalise(text)
    meta, found, body = _front_matter(text, source)
    return text_article(
        text_blocks(body),
        meta,
        found,
        kind="text",
        source=source,
        url=url,
        publishers=publishers,
    )


def text_blocks(text: str) -> list[Block]:
    """Plain text's blocks: separated by blank lines, each keeping its lines."""
    blocks = []
    for chunk in re.split(r"\n[ \t]*\n", text):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        if lines:
            blocks.append(Block("paragraph", lines))
    return blocks


def join_lines(lines: Sequence[str], *, dehyphenate: bool = False) -> str:
    """A block's lines as paragraph text: wrapped lines joined by a space, but a line break
    kept before a list item and after a line that ends a sentence when the next starts one
    (plain text that puts each paragraph on a line of its own, with no blank line between).
    With `dehyphenate` (PDF), "viola-\\ntions" is joined back into "violations"."""
    if not lines:
        return ""
    parts = [lines[0]]
    for previous, line in itertools.pairwise(lines):
        # "19. We are..." opening a wrapped line is no list item: one follows a line that
        # ended a clause, or another item.
        if _LIST_ITEM.match(line) and (
            previous.endswith(_CLAUSE_END) or _LIST_ITEM.match(previous)
        ):
            parts.append("\n")
        elif previous.endswith(_TERMINAL) and not line[:1].islower():
            parts.append("\n")
        elif dehyphenate and re.search(r"[^\W\d_]-$", previous) and line[:1].islower():
            parts[-1] = parts[-1][:-1]
        else:
            parts.append(" ")
        parts.append(line)
    return "".join(parts)


def text_article(
    blocks: list[Block],
    meta: Meta,
    found: dict[str, str],
    *,
    kind: str,
    source: str,
    url: str,
    publishers: dict[str, str] | None,
    joiner: str | None = None,
    dehyphenate: bool = False,
) -> Article:
    """The Article for a source's blocks and declared metadata: the header is read from the
    top blocks, the rest is the text. `joiner` joins a paragraph's lines (Markdown: a space);
    None uses `join_lines`' rules (plain text, PDF)."""

    def paragraph(block: Block, lines: Sequence[str]) -> str:
        if block.kind in ("list", "table"):
            return "\n".join(lines)
        if joiner is not None:
            return joiner.join(lines)
        return join_lines(lines, dehyphenate=dehyphenate)

    blocks, chrome, source_url = _above_headline(blocks)
    # A title declared in front matter (or a PDF's info) is not looked for in the text, but a
    # first heading (which repeats it, or stands for it) is still not body text.
    heading_first = bool(blocks) and blocks[0].kind == "heading"
    take_title = (
        bool(blocks)
        and (not meta.title or heading_first)
        and len(blocks[0].lines[0]) <= MAX_TITLE_CHARS
        and (heading_first or not _is_lede(blocks[0].lines[0]))
    )
    # The header's units: each line of the top blocks that is a title, byline or date line on
    # its own, the other lines of a block together (a dek may be wrapped over lines).
    units: list[str] = []
    top = 0
    while top < min(len(blocks), _HEADER_BLOCKS) and blocks[top].kind in ("paragraph", "heading"):
        block = blocks[top]
        pending: list[str] = []
        for number, line in enumerate(block.lines):
            if (take_title and top == 0 and number == 0) or _header_line(line):
                if pending:
                    units.append(paragraph(block, pending))
                    pending = []
                units.append(line)
            else:
                pending.append(line)
        if pending:
            units.append(paragraph(block, pending))
        top += 1
    header = read_header(units, take_title=take_title, take_dek=not meta.dek)
    paragraphs = units[header.consumed :] + [
        paragraph(block, block.lines) for block in blocks[top:]
    ]
    # Date lines a little further down ("May 9, 2025, 1:18 p.m. ET" under a caption and a
    # byline) are no body text; the first is the publication date when nothing above gave one.
    body_date: date | None = None
    for index in range(min(len(paragraphs), _DATE_LINE_PARAGRAPHS) - 1, -1, -1):
        line_date = parse_date_line(paragraphs[index])
        if line_date is not None:
            body_date = line_date
            del paragraphs[index]
            continue
        # A list of section labels under the headline with the date as one item
        # ("- International" / "- Lead News" / "- 19 November, 2023 11:04:14"): the item is
        # the date line, and the labels are no text either.
        lines = paragraphs[index].split("\n")
        if 1 < len(lines) <= _LABEL_LINES and all(len(line) <= _LABEL_CHARS for line in lines):
            dated = [parse_date_line(line) for line in lines]
            found_dates = [found for found in dated if found is not None]
            if found_dates:
                body_date = found_dates[0]
                del paragraphs[index]
    trailer_date = _trailer_date(blocks[top:], paragraphs)
    # A dateline alone in its paragraph ("MADRID, 1 Ene. (EUROPA PRESS) -") is no text (nor a
    # new record's summary); its date, with a year, is read below as any dateline's is.
    dateline_alone = ""
    if paragraphs:
        alone = find_dateline(paragraphs[0])
        if alone is not None and not paragraphs[0][alone.end :].strip():
            dateline_alone = paragraphs.pop(0)
    # Photo captions are no article text; the first one's date is the last guess at the
    # publication date of a page that gives no other (a news photo is of the day's events).
    is_caption = [_is_caption(part) for part in paragraphs]
    captions = [part for part, caption in zip(paragraphs, is_caption, strict=True) if caption]
    paragraphs = [part for part, caption in zip(paragraphs, is_caption, strict=True) if not caption]
    dek = header.dek
    if dek and _is_caption(dek):  # a photo under the headline, not a standfirst
        captions.insert(0, dek)
        dek = ""
    text = _cap("\n\n".join(part.strip() for part in paragraphs if part.strip()))
    if not text:
        why = "the file is empty" if not blocks else "no article text below the title"
        raise fail(source, f"no article text ({why})")

    found = {**header.found, **found}
    title = meta.title or header.title
    canonical = meta.url or url or source_url
    if source_url and canonical == source_url:
        found["url"] = "page"
    publisher = meta.publisher
    if not publisher:
        publisher = _publisher_for(canonical, publishers)
        if publisher:
            found["publisher"] = "config"
    published = meta.published or header.published
    if published is None:
        top_text = f"{dateline_alone}\n\n{text}" if dateline_alone else text
        chrome_lines = [line for block in chrome for line in block.lines]
        published, how = _published(
            top_text, canonical, body_date, chrome_lines, trailer_date, title, captions[:1]
        )
        if published is not None:
            found["published"] = how
    language = guess_language(f"{title}\n{text}") or meta.language
    return Article(
        text=text,
        title=title,
        dek=meta.dek or dek,
        authors=meta.authors or header.authors,
        published=published,
        publisher=publisher,
        url=canonical,
        language=language,
        source=source,
        kind=kind,
        found={key: value for key, value in found.items() if key != "title" or title},
    )


_SOURCE_LINE = re.compile(r"^(?:source|url|link)\s*:\s*<?(?P<url>https?://\S+?)>?$", re.IGNORECASE)
_CHROME_BLOCKS = 15  # a headline this far down has only page chrome above it
_CHROME_CHARS = 4000
_DATE_LINE_PARAGRAPHS = 8  # the body paragraphs searched for a date line of their own
_LEDE_WORDS = 15  # a first paragraph this long ending in a full stop is the lede, not a title
_LABEL_LINES = 6  # a list of section labels with a date line among them: this many items,
_LABEL_CHARS = 40  # each this short
_TRAILER_BLOCKS = 3  # the last blocks searched for an agency's date line ("(SERVIMEDIA)")


def _above_headline(blocks: list[Block]) -> tuple[list[Block], list[Block], str]:
    """The blocks from the headline down, the page chrome above it (navigation, tickers, a
    site's running date, a copyright notice: searched for a date line, never read as the
    article), and the URL of a "Source: URL" line. The headline is the first "#" heading,
    when one comes among the first blocks; without one, nothing is chrome."""
    source_url = ""
    if blocks and blocks[0].kind == "paragraph":
        source = _SOURCE_LINE.match(blocks[0].lines[0])
        if source:
            source_url = source["url"]
            rest = blocks[0].lines[1:]
            blocks = ([Block("paragraph", rest)] if rest else []) + blocks[1:]
    for index, block in enumerate(blocks[:_CHROME_BLOCKS]):
        if block.kind == "heading" and block.level == 1:
            above = blocks[:index]
            if sum(len(line) for b in above for line in b.lines) <= _CHROME_CHARS:
                return blocks[index:], above, source_url
            break
    return blocks, [], source_url


def _is_lede(line: str) -> bool:
    """A page stored without its headline opens with the lede: a whole sentence of many
    words, which is text, not a title ("On Thursday a court in … found seven soldiers …")."""
    return len(line.split()) >= _LEDE_WORDS and line.rstrip("\"'”’»)").endswith((".", "!", "?"))


def _trailer_date(blocks: list[Block], paragraphs: list[str]) -> date | None:
    """An agency's date line at the foot of its copy ("(SERVIMEDIA)" / "01 Jul 2019" /
    "GIC/caa"): the line is taken out of the text, its date returned."""
    for block in blocks[-_TRAILER_BLOCKS:]:
        if block.kind != "paragraph" or len(block.lines) < 2:
            continue
        for line in block.lines:
            found = parse_date_line(line)
            if found is None:
                continue
            joined = " ".join(block.lines)
            if joined in paragraphs:
                kept = " ".join(other for other in block.lines if other is not line)
                paragraphs[paragraphs.index(joined)] = kept
            return found
    return None


def _published(
    text: str,
    url: str,
    body_date: date | None,
    chrome: list[str],
    trailer_date: date | None,
    title: str,
    captions: list[str],
) -> tuple[date | None, str]:
    """The publication date, when no front matter, byline or date line under the headline
    gave one, and where it was found: the URL's path (a site's own filing date, surer than
    a running date in the chrome), a date line lower down, a dateline with its year, a date
    line in the chrome above the headline, an agency's date line at the foot, the headline,
    the first photo caption."""
    from_url = url_date(url) if url else None
    if from_url:
        return from_url, "url"
    if body_date:
        return body_date, "byline"
    for paragraph in text.split("\n\n", 3)[:3]:
        dateline = find_dateline(paragraph)
        if dateline is not None and dateline.year is not None:
            found = dateline.date_in(dateline.year)
            if found:
                return found, "dateline"
    for line in chrome:
        found = parse_date_line(line)
        if found:
            return found, "byline"
    if trailer_date:
        return trailer_date, "byline"
    found = parse_date(title) if title else None
    if found:
        return found, "title"
    found = parse_date(captions[0]) if captions else None
    return (found, "caption") if found else (None, "")


# A photo caption: HRW's "Click to expand Image …", a credit ("© 2022 REUTERS/Vincent Bado",
# "Credit...Sophie Park for The New York Times", "(Gleb Garanich/Reuters)", "Photo: AFP").
_CAPTION = re.compile(
    r"^Click to expand Image\b|©\s*(?:\d{4}|[A-Z])|\bCredit(?:\.\.\.|…|:)\s*[A-Z]"
    r"|\((?:[A-Z][\w.'’-]*\s+){1,4}[A-Z][\w.'’-]*\s*/\s*[A-Z][\w .'’-]*\)$"
    r"|\b(?:Photo|Photograph|Picture)\s*(?:by|:)\s*[A-Z]",
)
_MAX_CAPTION_CHARS = 400


def _is_caption(paragraph: str) -> bool:
    return len(paragraph) <= _MAX_CAPTION_CHARS and _CAPTION.search(paragraph) is not None


def _header_line(line: str) -> bool:
    return parse_byline(line) is not None or parse_date_line(line) is not None


def _cap(text: str) -> str:
    if len(text) <= MAX_TEXT_CHARS:
        return text
    cut = text.rfind("\n\n", 0, MAX_TEXT_CHARS)
    return text[: cut if cut > 0 else MAX_TEXT_CHARS]


def _normalise(text: str) -> str:
    # Only the text that can be kept is parsed (markup takes room: twice the cap): parsing
    # 20 MB of Markdown would take half a GB and twenty seconds for text thrown away.
    if len(text) > 2 * MAX_TEXT_CHARS:
        cut = text.rfind("\n\n", 0, 2 * MAX_TEXT_CHARS)
        text = text[: cut if cut > 0 else 2 * MAX_TEXT_CHARS]
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


# --- front matter ---------------------------------------------------------------------------


def _front_matter(text: str, source: str) -> tuple[Meta, dict[str, str], str]:
    """The metadata of YAML front matter, what it was found for, and the text below it."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        return Meta(), {}, text
    matter = match.group("yaml")
    if len(matter) > MAX_FRONT_MATTER_CHARS:
        raise fail(source, f"the front matter is over {MAX_FRONT_MATTER_CHARS // 1024} KB")
    data = _load_yaml(matter, source)
    if not isinstance(data, dict):
        # Not front matter after all (a "---" rule above prose): the whole text is the article.
        return Meta(), {}, text
    values = {_key(name): value for name, value in data.items() if isinstance(name, str)}
    meta = Meta(
        title=_string(_first(values, "title")),
        dek=_string(_first(values, "dek")),
        authors=_authors(_first(values, "authors")),
        published=_date(_first(values, "published")),
        publisher=_publisher_name(values),
        url=next((u for key in _KEYS["url"] if (u := _url(values.get(key)))), ""),
        language=_string(_first(values, "language")).lower()[:2],
    )
    found = {
        name: "page"
        for name in ("title", "dek", "authors", "published", "publisher", "url")
        if getattr(meta, name)
    }
    return meta, found, text[match.end() :]


def _load_yaml(matter: str, source: str) -> Any:
    import yaml  # only an article with front matter needs it (~10 ms to import)

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        # Anchors and aliases are refused before anything is built: an alias bomb never expands.
        for token in yaml.scan(matter, Loader=loader_class):
            if isinstance(token, yaml.AnchorToken | yaml.AliasToken):
                raise fail(source, "YAML anchors and aliases (& and *) are not allowed")
        return yaml.load(matter, Loader=loader_class)  # noqa: S506 — a safe loader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f" on line {mark.line + 2}" if mark is not None else ""
        raise fail(source, f"malformed YAML front matter{where}: {error.problem}") from None
    except (yaml.YAMLError, RecursionError):
        raise fail(source, "malformed YAML front matter") from None


def _publisher_name(values: dict[str, Any]) -> str:
    """The publisher front matter names: "source" is a publisher's name, unless it is the
    article's URL."""
    for key in _KEYS["publisher"]:
        name = _string(values.get(key))
        if name and not _url(name):
            return name
    return ""


def _key(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


def _first(values: dict[str, Any], field_name: str) -> Any:
    for key in _KEYS[field_name]:
        if values.get(key) not in (None, "", []):
            return values[key]
    return None


def _string(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _url(value: Any) -> str:
    text = _string(value)
    return text if text.startswith(("http://", "https://")) else ""


def _authors(value: Any) -> tuple[str, ...]:
    items: Iterable[Any] = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        if isinstance(item, dict):
            item = item.get("name")
        if isinstance(item, str) and item.strip():
            byline = parse_byline(item if item.lower().startswith("by ") else f"By {item}")
            names.extend(byline.authors if byline and byline.authors else [item.strip()])
    return tuple(names)


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return parse_date(value) if isinstance(value, str) else None


# --- Markdown → blocks of plain text ----------------------------------------------------------


def _markdown_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    container: Block | None = None  # the list or table being filled
    depth = 0
    row: list[str] = []
    in_heading = False
    level = 0
    for token in _MARKDOWN.parse(text):
        kind = token.type
        if kind in ("heading_open", "heading_close"):
            in_heading = kind == "heading_open"
            level = int(token.tag[1:]) if in_heading and token.tag[1:].isdigit() else 0
        elif kind in ("bullet_list_open", "ordered_list_open", "table_open"):
            depth += 1
            if depth == 1:
                container = Block("table" if kind == "table_open" else "list")
        elif kind in ("bullet_list_close", "ordered_list_close", "table_close"):
            depth -= 1
            if depth == 0 and container is not None:
                if container.lines:
                    blocks.append(container)
                container = None
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and container is not None:
            cells = [cell for cell in row if cell]
            if cells:
                container.lines.append(" | ".join(cells))
        elif kind == "inline":
            lines = _inline_lines(token.children or [])
            if container is not None and container.kind == "table":
                row.append(" ".join(lines))
            elif container is not None:
                container.lines.append(" ".join(lines))
            elif lines:
                if in_heading:
                    blocks.append(Block("heading", lines, level))
                else:
                    blocks.append(Block("paragraph", lines))
    return blocks


def _inline_lines(children: list[Token]) -> list[str]:
    """The plain text of an inline token, split at its line breaks (so that a title, byline or
    date on a line of its own can be told from the lines around it)."""
    lines: list[str] = []
    current: list[str] = []
    for child in children:
        if child.type == "text" or child.type == "code_inline":
            current.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            lines.append("".join(current).strip())
            current = []
        # Images, raw HTML and the marks of emphasis and links carry no article text.
    lines.append("".join(current).strip())
    return [re.sub(r"[ \t]+", " ", line) for line in lines if line]
