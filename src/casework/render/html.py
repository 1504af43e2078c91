"""Markdown → sanitized HTML (FORMAT.md's body rules), HTML → Markdown, HTML → text.

Every HTML fragment casework stores or shows passes `sanitize_html`, an nh3 allow-list: no
script, no event handler attributes, no `javascript:` URLs.
"""

from __future__ import annotations

import html as htmllib
import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from casework.model import Record

_TAGS = set(nh3.ALLOWED_TAGS) | {"section", "hr", "input"}
_ATTRIBUTES: dict[str, set[str]] = {k: set(v) for k, v in nh3.ALLOWED_ATTRIBUTES.items()}
for _tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
    _ATTRIBUTES.setdefault(_tag, set()).add("id")
# Footnotes (mdit footnote plugin) link by id and class.
for _tag, _names in {
    "a": {"id", "class", "title"},
    "li": {"id", "class"},
    "sup": {"class", "id"},
    "section": {"class"},
    "hr": {"class"},
    "ol": {"class", "start"},
    "th": {"style"},
    "td": {"style"},
    "code": {"class"},
}.items():
    _ATTRIBUTES.setdefault(_tag, set()).update(_names)
_URL_SCHEMES = {"http", "https", "mailto"}
# nh3 adds rel="noopener noreferrer" by default; casework's own links stay as written.
_CLEANER_ARGS = {
    "tags": _TAGS,
    "attributes": _ATTRIBUTES,
    "url_schemes": _URL_SCHEMES,
    "link_rel": None,
    "filter_style_properties": {"text-align"},
}


# Built once: passing the allow-lists to nh3.clean on every call cost a third of its time.
_CLEANER = nh3.Cleaner(**_CLEANER_ARGS)  # type: ignore[arg-type]


def sanitize_html(fragment: str) -> str:
    """The allow-listed subset of `fragment`. Clean HTML comes back unchanged."""
    return _CLEANER.clean(fragment)


def is_clean_html(fragment: str) -> bool:
    return sanitize_html(fragment) == fragment


def github_slug(text: str) -> str:
    """GitHub's heading id: lower case, punctuation dropped, spaces to hyphens."""
    text = text.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")
    md.use(footnote_plugin)
    md.use(anchors_plugin, min_level=1, max_level=6, slug_func=github_slug, permalink=False)
    return md


def render_markdown(source: str) -> str:
    """CommonMark + tables + footnotes → sanitized HTML, blocks separated by a newline, no
    trailing newline (the shape of FORMAT.md's `contentHtml`)."""
    if not source.strip():
        return ""
    return sanitize_html(_markdown().render(source)).rstrip("\n")


def html_to_markdown(fragment: str) -> str:
    """A Markdown body for editing a record that arrived as HTML only.

    html-to-markdown (Rust) converts a 6 KB body in ~0.4 ms; markdownify took ~20 ms, which
    made exporting 100,000 imported records as Markdown files a half-hour job."""
    from html_to_markdown import convert  # imported late: only this path needs it

    text: str = convert(sanitize_html(fragment)).content or ""
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return text + "\n" if text else ""


_TAG = re.compile(r"<[^>]*>")


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment, for the search index."""
    return htmllib.unescape(_TAG.sub(" ", fragment))


def body_text(record: Record) -> str:
    """A record's body as plain text: from its stored HTML (imported records may have HTML
    only), else its Markdown source. What full-text search, in the store and on the static
    site, matches against."""
    if record.body_html:
        return html_to_text(record.body_html)
    return record.body


def excerpt(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters, ellipsis included."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + "…"
