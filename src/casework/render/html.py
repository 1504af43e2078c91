"""Markdown → sanitized HTML (docs/format.md's body rules), HTML → Markdown, HTML → text.

Every HTML fragment casework stores or shows passes `sanitize_html`, an nh3 allow-list: no
script, no event handler attributes, no `javascript:` URLs.
"""

from __future__ import annotations

import html as htmllib
import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from mdit_py_plugins.footnote import footnote_plugin

from casework.model import Record
from casework.render.depth import nests_too_deep

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
    """The allow-listed subset of `fragment`. Clean HTML comes back unchanged. HTML that may
    nest too deep to parse in linear time (render/depth.py) comes back as its text, escaped."""
    if nests_too_deep(fragment):
        return htmllib.escape(html_to_text(fragment).strip(), quote=False)
    return _CLEANER.clean(fragment)


def is_clean_html(fragment: str) -> bool:
    return sanitize_html(fragment) == fragment


def github_slug(text: str) -> str:
    """GitHub's heading id: lower case, punctuation dropped, spaces to hyphens."""
    text = text.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _heading_ids(state: StateCore) -> None:
    """Every heading's id: its GitHub slug, a repeat numbered -1, -2, … (the first free one),
    as mdit's anchors plugin gives them. That plugin counted from -1 again for each repeat, so
    n headings alike took n²/2 lookups (80 KB of "# A" took 36 s); here each slug remembers
    the next number to try, and a number is tried only once."""
    taken: set[str] = {
        str(heading_id)
        for token in state.tokens
        if token.type == "heading_open" and (heading_id := token.attrGet("id"))
    }
    next_number: dict[str, int] = {}
    for index, token in enumerate(state.tokens):
        if token.type != "heading_open" or token.attrGet("id"):
            continue
        children = state.tokens[index + 1].children or []
        slug = github_slug(
            "".join(c.content for c in children if c.type in ("text", "code_inline"))
        )
        unique = slug
        if unique in taken:
            number = next_number.get(slug, 1)
            while (unique := f"{slug}-{number}") in taken:
                number += 1
            next_number[slug] = number + 1
        taken.add(unique)
        token.attrSet("id", unique)


@lru_cache(maxsize=2)
def _markdown(html: bool = True) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": html}).enable("table").enable("strikethrough")
    md.use(footnote_plugin)
    md.core.ruler.push("heading_ids", _heading_ids)
    return md


def render_markdown(source: str) -> str:
    """CommonMark + tables + footnotes → sanitized HTML, blocks separated by a newline, no
    trailing newline (the shape of docs/format.md's `contentHtml`). HTML written in the Markdown
    that nests too deep to sanitize (`nests_too_deep`) is shown as text."""
    if not source.strip():
        return ""
    html = _markdown().render(source)
    if nests_too_deep(html):
        html = _markdown(html=False).render(source)
    return sanitize_html(html).rstrip("\n")


# The most characters of a body the editor's live preview renders: ~30,000 words. Rendering is
# linear, but Markdown that is all brackets costs ~20 µs a character (200,000: ~4 s).
PREVIEW_MAX_CHARS = 200_000


def render_preview(body: str) -> str:
    """The editor's live preview of a Markdown body: `render_markdown` of at most its first
    PREVIEW_MAX_CHARS characters (cut at a line's end), with a note saying so when cut."""
    if len(body) <= PREVIEW_MAX_CHARS:
        return render_markdown(body)
    cut = body.rfind("\n", 0, PREVIEW_MAX_CHARS)
    cut = cut if cut > PREVIEW_MAX_CHARS // 2 else PREVIEW_MAX_CHARS
    note = (
        f"<p><strong>Preview of the first {cut:,} characters of {len(body):,}: the preview "
        f"stops at {PREVIEW_MAX_CHARS:,}. The record itself keeps and renders the whole "
        "body.</strong></p>"
    )
    return note + "\n" + render_markdown(body[:cut])


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
    # No tag can start after the last ">": without the cut, each "<" of a run with no ">"
    # after it was read to the end of the text (80,000 of them: 5 s).
    last = fragment.rfind(">") + 1
    return htmllib.unescape(_TAG.sub(" ", fragment[:last]) + fragment[last:])


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
