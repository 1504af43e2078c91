"""What every reader makes and every extractor reads: an article's text and metadata, and the
span of text an extracted item came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Article:
    """One article, read. `text` is the main text only (no navigation, no captions), its
    paragraphs separated by a blank line; every Span indexes into it."""

    text: str
    title: str = ""
    dek: str = ""  # the standfirst under the title
    authors: tuple[str, ...] = ()
    published: date | None = None
    publisher: str = ""
    url: str = ""  # where it was published (the fetched URL, or a canonical link found in it)
    language: str = ""  # ISO 639-1 when known ("en")
    source: str = ""  # the file or URL it was read from
    kind: str = ""  # html | markdown | text | pdf
    # Where the reader found each metadata value: "page" (HTML meta, front matter), "byline"
    # (a byline or date line), "config" (the domain → publisher table); for the publication
    # date also "url" (the URL's path), "dateline", "title", "caption" (a photo's date).
    found: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Span:
    """A stretch of Article.text: `start`/`end` are character offsets, `text` the whole
    sentence the item came from (what an editor reads before accepting it)."""

    start: int
    end: int
    text: str


class ReadError(Exception):
    """A source that cannot be read as an article: one line naming the source and why."""
