"""Readers: a file or fetched bytes → an Article (readers/html.py, markdown.py, pdf.py).

`read_path` picks the reader by the file's suffix (.html/.htm, .md/.markdown, .txt, .pdf),
or by its first bytes when the suffix says nothing; `read_bytes` by the Content-Type a server
sent, checked against the first bytes (a server that calls a PDF "text/html" is not believed).
Both refuse what is too large before reading it, and raise ReadError with one line naming the
source and why. An article in another language is read, not refused: the caller asks its
language (`language.article_language`). The HTML and PDF readers (trafilatura, pypdf) are
loaded only when a page or a PDF is read: reading a Markdown file costs neither.

`publishers` maps a domain to a publisher's name (from the tracker's config): it fills
Article.publisher when the page names none (Article.found["publisher"] == "config").
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from casework.ingest.article import Article, ReadError
from casework.ingest.readers.language import guess_language, is_english
from casework.ingest.readers.limits import MAX_FILE_BYTES, check_size, fail, read_file
from casework.ingest.readers.markdown import decode_text, read_markdown, read_text

__all__ = [
    "Article",
    "ReadError",
    "guess_language",
    "is_english",
    "read_bytes",
    "read_path",
]

_SUFFIXES = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
    ".pdf": "pdf",
}
_MEDIA_TYPES = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "text/plain": "text",
    "application/pdf": "pdf",
    "application/x-pdf": "pdf",
}


def read_path(
    path: Path,
    *,
    publishers: dict[str, str] | None = None,
    max_bytes: int = MAX_FILE_BYTES,
) -> Article:
    """The article in the file at `path` (HTML, Markdown, plain text or PDF)."""
    source = str(path)
    data = read_file(path, max_bytes)
    kind = _SUFFIXES.get(path.suffix.lower()) or _sniff(data) or (_utf8_text(data) and "text")
    if not kind:
        raise fail(source, f"not a kind of file casework reads ({', '.join(sorted(_SUFFIXES))})")
    if kind != "pdf" and data.startswith(b"%PDF-"):
        kind = "pdf"  # a PDF saved under another name
    return _read(data, kind, source=source, url="", charset=None, publishers=publishers)


def read_bytes(
    data: bytes,
    content_type: str,
    url: str,
    *,
    source: str | None = None,
    publishers: dict[str, str] | None = None,
    max_bytes: int = MAX_FILE_BYTES,
) -> Article:
    """The article in fetched bytes. `content_type` is the whole Content-Type value (its
    charset is used for text); `url` is where they came from (the source, unless `source`)."""
    source = source or url or "the fetched page"
    check_size(data, source, max_bytes)
    media_type, _, parameters = content_type.partition(";")
    media_type = media_type.strip().lower()
    charset = _charset(parameters)
    sniffed = _sniff(data)
    kind = _MEDIA_TYPES.get(media_type)
    if sniffed == "pdf" or (kind in (None, "text") and sniffed is not None):
        kind = sniffed  # the bytes outrank a missing, vague or wrong label
    if kind is None:
        raise fail(source, f"not an article: content type {media_type or 'missing'}")
    if (
        kind == "text"
        and _SUFFIXES.get(PurePosixPath(urlsplit(url).path).suffix.lower()) == "markdown"
    ):
        kind = "markdown"  # raw Markdown is served as text/plain (GitHub's raw files are)
    return _read(data, kind, source=source, url=url, charset=charset, publishers=publishers)


def _read(
    data: bytes,
    kind: str,
    *,
    source: str,
    url: str,
    charset: str | None,
    publishers: dict[str, str] | None,
) -> Article:
    if kind == "pdf":
        from casework.ingest.readers.pdf import read_pdf  # pypdf: loaded for a PDF only

        return read_pdf(data, source=source, url=url, publishers=publishers)
    if kind == "html":
        from casework.ingest.readers.html import read_html  # trafilatura: for a page only

        return read_html(data, source=source, url=url, publishers=publishers)
    if not data.strip():
        raise fail(source, "no article text (the file is empty)")
    text = decode_text(data, source, charset)
    reader = read_markdown if kind == "markdown" else read_text
    return reader(text, source=source, url=url, publishers=publishers)


def _sniff(data: bytes) -> str | None:
    """What the first bytes say the data is: "pdf", "html", or None (no telling)."""
    start = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"%pdf-"):
        return "pdf"
    if start.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in start[:512]:
        return "html"
    return None


def _utf8_text(data: bytes) -> bool:
    try:
        return b"\x00" not in data and bool(data.decode("utf-8").strip())
    except UnicodeDecodeError:
        return False


def _charset(parameters: str) -> str | None:
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None
