"""HTML pages → Article, with trafilatura: the main text only (no navigation, related links,
cookie banners, footers, comments), favouring precision, and the page's metadata (title,
author, date, site name, canonical URL, language).

The page is parsed here and trafilatura is given the tree, never a string: htmldate (which
trafilatura asks for the date) downloads a string that looks like a URL, and a reader must not
touch the network. The text is rebuilt from trafilatura's XML so that paragraphs are separated
by a blank line and list items keep a line each; byline and date paragraphs left at the top of
the text become metadata instead.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from lxml import etree
from lxml.html import HtmlElement
from trafilatura import bare_extraction
from trafilatura.settings import Document
from trafilatura.utils import load_html

from casework.ingest.article import Article
from casework.ingest.readers.header import (
    find_dateline,
    parse_date_line,
    publisher_for,
    read_header,
    url_date,
)
from casework.ingest.readers.language import guess_language
from casework.ingest.readers.limits import MAX_TEXT_CHARS, fail

# Fewer words than this is not an article: a login form, a list of links, an error page.
MIN_ARTICLE_WORDS = 30
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2009\u200a\u202f]+")
_DOMAIN_ONLY = re.compile(r"^[\w-]+(?:\.[\w-]+)+$")


def read_html(
    data: bytes | str,
    *,
    source: str,
    url: str = "",
    publishers: dict[str, str] | None = None,
) -> Article:
    tree = load_html(data)
    if tree is None or not isinstance(tree, HtmlElement):
        raise fail(source, "not an HTML page")
    declared_language = _declared_language(tree)
    try:
        document = bare_extraction(
            tree,
            url=url or None,
            favor_precision=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            include_formatting=False,
            with_metadata=True,
            deduplicate=False,
            # The date the page declares (meta tags, JSON-LD, <time>, its URL), never one
            # guessed from its text: htmldate's extensive search takes a running date in the
            # footer or a photo's date for the publication's. The text's own date lines and
            # dateline are read below.
            date_extraction_params={
                "original_date": True,
                "extensive_search": False,
                "max_date": datetime.now(UTC).strftime("%Y-%m-%d"),
            },
        )
    except (ValueError, TypeError, etree.LxmlError) as error:
        raise fail(source, f"the HTML could not be read ({error})") from None
    if not isinstance(document, Document) or document.body is None:
        raise _no_article(source)

    title = _title(document)
    paragraphs = _paragraphs(document.body)
    if paragraphs and title and paragraphs[0].casefold() == title.casefold():
        paragraphs = paragraphs[1:]  # the page's <h1>, kept by trafilatura as a heading
    header = read_header(paragraphs[:4], take_title=False, take_dek=False)
    text = "\n\n".join(paragraphs[header.consumed :])
    if len(text) > MAX_TEXT_CHARS:
        text = text[: max(text.rfind("\n\n", 0, MAX_TEXT_CHARS), 0) or MAX_TEXT_CHARS]
    if len(text.split()) < MIN_ARTICLE_WORDS:
        raise _no_article(source)

    found: dict[str, str] = {}
    if title:
        found["title"] = "page"
    authors = _authors(document.author)
    if authors:
        found["authors"] = "page"
    elif header.authors:
        authors = header.authors
        found["authors"] = "byline"
    canonical = document.url if (document.url or "").startswith(("http://", "https://")) else url
    canonical = canonical or ""
    published = _date(document.date)
    if published:
        found["published"] = "page"
    elif header.published:
        published = header.published
        found["published"] = "byline"
    else:
        published, how = _published_in_text(paragraphs, header.consumed, canonical or url)
        if published:
            found["published"] = how
    if canonical and canonical != url:
        found["url"] = "page"
    publisher = document.sitename or ""
    if _DOMAIN_ONLY.match(publisher):
        publisher = ""  # trafilatura's fallback: the host name, not a name the page gives
    if publisher:
        found["publisher"] = "page"
    else:
        publisher = publisher_for(canonical or url, publishers) or publisher_for(url, publishers)
        if publisher:
            found["publisher"] = "config"
    dek = _dek(document.description, text)
    if dek:
        found["dek"] = "page"
    return Article(
        text=text,
        title=title,
        dek=dek,
        authors=authors,
        published=published,
        publisher=publisher,
        url=canonical,
        language=guess_language(f"{title}\n{text}") or declared_language,
        source=source,
        kind="html",
        found=found,
    )


def _published_in_text(paragraphs: list[str], consumed: int, url: str) -> tuple[date | None, str]:
    """The publication date of a page that declares none: its URL's path, a date line among
    the first paragraphs, a dateline with its year."""
    from_url = url_date(url) if url else None
    if from_url:
        return from_url, "url"
    for paragraph in paragraphs[consumed : consumed + 8]:
        line_date = parse_date_line(paragraph)
        if line_date:
            return line_date, "byline"
    for paragraph in paragraphs[consumed : consumed + 3]:
        dateline = find_dateline(paragraph)
        if dateline is not None and dateline.year is not None:
            found = dateline.date_in(dateline.year)
            if found:
                return found, "dateline"
    return None, ""


def _no_article(source: str) -> Exception:
    return fail(
        source,
        "no article text on the page (fewer than "
        f"{MIN_ARTICLE_WORDS} words of prose: a login form, a list of links or an empty page?)",
    )


def _paragraphs(body: etree._Element) -> list[str]:
    """The text of trafilatura's XML body: a paragraph per block element, a line per list
    item or table row, <lb/> (a <br>) as a line break."""
    paragraphs: list[str] = []
    for element in body:
        if not isinstance(element.tag, str):
            continue
        if element.tag == "list":
            lines = [_inline(item) for item in element.iter("item")]
        elif element.tag == "table":
            lines = [
                " | ".join(cell for cell in (_inline(c) for c in row.iter("cell")) if cell)
                for row in element.iter("row")
            ]
        else:
            lines = [_inline(element)]
        text = "\n".join(line for line in lines if line)
        if text:
            paragraphs.append(text)
    return paragraphs


def _inline(element: etree._Element) -> str:
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str):
                if child.tag == "lb":
                    parts.append("\n")
                else:
                    walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    lines = (
        _SPACES.sub(" ", line.replace("\n", " ")).strip() for line in "".join(parts).split("\n")
    )
    return "\n".join(line for line in lines if line)


def _title(document: Document) -> str:
    title = (document.title or "").strip()
    site = (document.sitename or "").strip()
    if site:
        # "Headline | Site" or "Headline - Site" from <title>: the site's name is not the title.
        for separator in (" | ", " - ", " – ", " — ", " :: "):
            if title.endswith(separator + site):
                return title[: -len(separator + site)].strip()
    return title


def _authors(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    names = []
    for part in value.split(";"):
        name = re.sub(r"^by\s+", "", part.strip(), flags=re.IGNORECASE).strip()
        if name and name not in names:
            names.append(name)
    return tuple(names)


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _dek(description: str | None, text: str) -> str:
    """The page's description, unless it only repeats (or cuts short) the first paragraph."""
    dek = _SPACES.sub(" ", description or "").strip()
    if not dek:
        return ""
    stem = dek.rstrip(".…").strip()[:80].casefold()
    if stem and text[:200].casefold().startswith(stem):
        return ""
    return dek


def _declared_language(tree: HtmlElement) -> str:
    """The language the page says it is in: <html lang>, Content-Language, og:locale."""
    candidates = [tree.get("lang"), tree.get("{http://www.w3.org/XML/1998/namespace}lang")]
    for meta in tree.iter("meta"):
        key = (meta.get("http-equiv") or meta.get("property") or meta.get("name") or "").lower()
        if key in ("content-language", "og:locale", "language"):
            candidates.append(meta.get("content"))
    for value in candidates:
        code = (value or "").strip().lower()[:2]
        if code.isalpha() and len(code) == 2:
            return code
    return ""
