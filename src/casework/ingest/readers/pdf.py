"""PDF files → Article, with pypdf: the text of each page, laid back out as paragraphs.

A PDF is a program of sorts, and a hostile one can loop (a page tree or a cross-reference chain
that points back at itself) or explode (a stream that inflates to gigabytes). Reading is
bounded: pypdf's own limits are lowered for the duration (pypdf.apply_configuration, which is
scoped to this call's context, not the process) so that any stream inflates to at most
PDF_MAX_STREAM_BYTES, a content stream is parsed within a small budget, page trees are shallow,
and no external decoder (jbig2dec) is run; at most MAX_PDF_PAGES pages and MAX_TEXT_CHARS
characters are read, and the pages are read against a deadline. Whatever pypdf raises on a
malformed file becomes one ReadError.
"""

from __future__ import annotations

import io
import itertools
import re
import time
from collections import Counter
from dataclasses import replace
from typing import Any

from pypdf import PageObject, PdfReader, apply_configuration
from pypdf.errors import LimitReachedError

from casework.ingest.article import Article, ReadError
from casework.ingest.readers.header import parse_byline
from casework.ingest.readers.limits import (
    MAX_PDF_PAGES,
    MAX_TEXT_CHARS,
    PDF_MAX_STREAM_BYTES,
    PDF_SECONDS,
    fail,
)
from casework.ingest.readers.markdown import Block, Meta, text_article

_LIMITS: dict[str, Any] = {
    "maximum_declared_stream_length": PDF_MAX_STREAM_BYTES,
    "array_based_stream_maximum_output_length": PDF_MAX_STREAM_BYTES,
    "jbig2_maximum_output_length": PDF_MAX_STREAM_BYTES,
    "lzw_maximum_output_length": PDF_MAX_STREAM_BYTES,
    "run_length_maximum_output_length": PDF_MAX_STREAM_BYTES,
    "zlib_maximum_output_length": PDF_MAX_STREAM_BYTES,
    "zlib_maximum_recovery_input_length": 1024 * 1024,
    "brotli_maximum_output_length": PDF_MAX_STREAM_BYTES,
    "image_maximum_buffer_size": PDF_MAX_STREAM_BYTES,
    "stream_decoding_work_maximum_length": 4 * PDF_MAX_STREAM_BYTES,
    # A page of prose is some thousands of operands and operators; parsing 100,000 takes
    # pypdf about a second, so a page past it (a bomb, or a detailed map) is skipped.
    "stream_parsing_work_maximum_count": 100_000,
    "xform_maximum_invocations_per_extraction": 500,
    "page_tree_maximum_entries": 20_000,
    "page_tree_maximum_depth": 32,
    "page_tree_maximum_page_entries": 200_000,
    "outline_maximum_entries": 10_000,
    "named_destinations_maximum_entries": 10_000,
    "jbig2dec_binary": None,
}
_PAGE_NUMBER = re.compile(
    r"(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|[-–—]\s*\d{1,4}\s*[-–—]", re.I
)
_TERMINAL = (".", "!", "?", ":", '"', "”", "’", ")")
Line = tuple[str, float]  # a line of text and the height on its page where it starts
# Titles that are a file's name or a tool's placeholder, not the document's title.
_JUNK_TITLE = re.compile(
    r"^(?:untitled|microsoft (?:word|powerpoint) - .*|.*\.(?:docx?|pdf|odt|rtf|pages|indd))$",
    re.IGNORECASE,
)


def read_pdf(
    data: bytes,
    *,
    source: str,
    url: str = "",
    publishers: dict[str, str] | None = None,
    max_pages: int = MAX_PDF_PAGES,
    seconds: float = PDF_SECONDS,
) -> Article:
    if b"%PDF-" not in data[:1024]:
        raise fail(source, "not a PDF (no %PDF- header at its start)")
    deadline = time.monotonic() + seconds
    with apply_configuration(**_LIMITS):
        try:
            pages, meta = _read(data, source, max_pages, deadline, seconds)
        except ReadError:
            raise
        except LimitReachedError as error:
            raise fail(source, f"the PDF goes past a safety limit: {_first_line(error)}") from None
        except Exception as error:  # pypdf raises anything on a malformed file
            raise fail(
                source, f"not a readable PDF ({type(error).__name__}: {_first_line(error)})"
            ) from None
    pages = _without_furniture(pages)
    if meta.title and pages and pages[0] and pages[0][0][0].casefold() == meta.title.casefold():
        pages[0] = pages[0][1:]
    blocks = [Block("paragraph", paragraph) for paragraph in _paragraphs(pages)]
    if not blocks:
        raise fail(source, "no text in the PDF (scanned pages without a text layer?)")
    # The info dictionary's author is often an organisation or whoever made the file: a
    # byline in the text names the writers better, so the author is only a fallback.
    article = text_article(
        blocks,
        replace(meta, authors=()),
        {"title": "page"} if meta.title else {},
        kind="pdf",
        source=source,
        url=url,
        publishers=publishers,
        dehyphenate=True,
    )
    if article.authors or not meta.authors:
        return article
    return replace(article, authors=meta.authors, found={**article.found, "authors": "page"})


def _read(
    data: bytes, source: str, max_pages: int, deadline: float, seconds: float
) -> tuple[list[list[Line]], Meta]:
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        # Many PDFs are encrypted only to restrict printing: the empty password opens them.
        try:
            opened = bool(reader.decrypt(""))
        except Exception:  # an unsupported cipher is as closed as a password
            opened = False
        if not opened:
            raise fail(source, "the PDF is encrypted (it needs a password)")
    count = len(reader.pages)
    pages: list[list[Line]] = []
    skipped = ""
    total = 0
    for index in range(min(count, max_pages)):
        if time.monotonic() > deadline:
            if any(pages):
                break  # a long document: what was read in time is the article
            raise fail(
                source,
                f"reading the PDF took over {seconds:g} s with no text read "
                f"(stopped at page {index + 1} of {count})",
            )
        try:
            lines = _page_lines(reader.pages[index])
        except LimitReachedError as error:
            # One page past a limit costs that page, not the document; if every page is
            # (a bomb), the reason is given with "no text".
            skipped = skipped or f"page {index + 1}: {_first_line(error)}"
            continue
        pages.append(lines)
        total += sum(len(line) for line, _ in lines)
        if total >= MAX_TEXT_CHARS:
            break
    if skipped and not any(pages):
        raise fail(
            source, f"no text read from the PDF: its pages go past a safety limit ({skipped})"
        )
    return pages, _meta(reader)


def _meta(reader: PdfReader) -> Meta:
    try:
        info = reader.metadata
        title = str(info.title or "").strip() if info else ""
        author = str(info.author or "").strip() if info else ""
    except Exception:  # a broken info dictionary only costs the metadata
        return Meta()
    if _JUNK_TITLE.match(title):
        title = ""
    authors: tuple[str, ...] = ()
    if author:
        byline = parse_byline(author if author.lower().startswith("by ") else f"By {author}")
        authors = byline.authors if byline and byline.authors else (author,)
    return Meta(title=title, authors=authors)


def _page_lines(page: PageObject) -> list[Line]:
    """A page's lines of text (pypdf's own line breaks), each with the height on the page at
    which it starts, which tells a paragraph's end from a line's."""
    chunks: list[tuple[str, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: Any) -> None:
        chunks.append((text, tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))

    page.extract_text(extraction_mode="plain", visitor_text=visit)
    lines: list[Line] = []
    current: list[str] = []
    height: float | None = None
    for text, y in chunks:
        for number, piece in enumerate(text.split("\n")):
            if number:
                lines.append(("".join(current).strip(), height or 0.0))
                current, height = [], None
            if piece.strip() and height is None:
                height = y
            current.append(piece)
    lines.append(("".join(current).strip(), height or 0.0))
    return [(text, y) for text, y in lines if text]


def _without_furniture(pages: list[list[Line]]) -> list[list[Line]]:
    """The pages less page numbers and the running header or footer (a line that opens or
    closes more than half of three or more pages)."""
    edges: Counter[str] = Counter()
    for lines in pages:
        edges.update({text for text, _ in (*lines[:2], *lines[-2:])})
    running = (
        {text for text, seen in edges.items() if seen > len(pages) / 2}
        if len(pages) >= 3
        else set()
    )
    kept = []
    for lines in pages:
        kept.append(
            [
                (text, y)
                for number, (text, y) in enumerate(lines)
                if not (
                    (number < 2 or number >= len(lines) - 2)
                    and (text in running or _PAGE_NUMBER.fullmatch(text))
                )
            ]
        )
    return kept


def _paragraphs(pages: list[list[Line]]) -> list[list[str]]:
    """Lines grouped into paragraphs. A paragraph ends where the space above the next line is
    wider than the page's usual line spacing, where the text jumps up (a new column), or at a
    line that ends a sentence well short of the full width. A paragraph carried over a page
    break is joined back when its last line did not end a sentence."""
    widths = sorted(len(text) for lines in pages for text, _ in lines)
    full = widths[int(0.9 * (len(widths) - 1))] if widths else 0
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for lines in pages:
        gaps = sorted(above - below for (_, above), (_, below) in itertools.pairwise(lines))
        usual = next((gap for gap in gaps[len(gaps) // 2 :] if gap > 0), 0.0)
        if current and current[-1].endswith(_TERMINAL):
            paragraphs.append(current)
            current = []
        for number, (text, y) in enumerate(lines):
            if number and current:
                gap = lines[number - 1][1] - y
                if gap <= 0 or (usual and gap > 1.3 * usual):
                    paragraphs.append(current)
                    current = []
            current.append(text)
            if text.endswith(_TERMINAL) and len(text) < 0.8 * full:
                paragraphs.append(current)
                current = []
    if current:
        paragraphs.append(current)
    return paragraphs


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0][:160] if text else "no details"
