"""How deep HTML may nest when parsed, estimated high in linear time, so that the sanitizer is
never given HTML that would take it quadratic time.

nh3's parser (html5ever) walks its stack of open elements at most tags: its time grows with
the tags times their depth. 40,000 nested <div> took 4 s; 60,000 tags that make it reopen
ever more <b> (each closed by a paragraph's end) 18 s. Real pages nest a few dozen deep, and
Markdown's own nesting stops at 20, so HTML that may hold more than MAX_HTML_DEPTH elements
open at once is not sanitized as HTML (render/html.py shows it as text).

The estimate follows the parser's rules only where they close elements for sure, and errs
high everywhere else: every start tag opens an element; an end tag closes one only where the
parser surely does; a formatting element closed by another's end tag counts until its own,
since the parser reopens it. What it cannot follow (a quote out of place in a tag, CDATA,
raw text in SVG) counts as too deep, and so do SVG drawings of hundreds of shapes ("<rect/>"
is closed at once only in SVG, and where SVG ends is not followed here).
"""

from __future__ import annotations

import re

MAX_HTML_DEPTH = 256

# A comment (its end is found apart), a doctype or bogus comment (up to the first ">"), a tag:
# its name as the parser's tokenizer reads it, then the rest up to the first ">".
_MARKUP = re.compile(
    r"<!--|<[!?][^>]*>|</(?![A-Za-z])[^>]*>|<(/?)([A-Za-z][^\t\n\f\r />]*)([^>]*)>"
)
_SPACE = " \t\n\f\r"
# A tag's text after its name that surely quotes as the parser reads it (`_quotes_close` is
# True for every text this matches): attribute names, each with at most one space before its
# "=" (two make the "=" start a name), and a value quoted or not (not quoted, it runs to a
# space: a quote in it is not followed); spaces and "/" between.
_PLAIN_ATTRIBUTES = re.compile(
    r"""(?:[ \t\n\f\r/]+|[^ \t\n\f\r/"'=]+"""
    r"""(?:[ \t\n\f\r]?=[ \t\n\f\r]*(?:"[^"]*"|'[^']*'|[^ \t\n\f\r"']+(?![^ \t\n\f\r])))?)*"""
)

_VOID = frozenset(
    "area base br col embed hr img input keygen link meta param source track wbr".split()
)
_FORMATTING = frozenset("a b big code em font i nobr s small strike strong tt u".split())
_SPECIAL = frozenset(
    """address applet area article aside base basefont bgsound blockquote body br button
    caption center col colgroup dd details dir div dl dt embed fieldset figcaption figure
    footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html iframe img input
    keygen li link listing main marquee menu meta nav noembed noframes noscript object ol p
    param plaintext pre script search section select source style summary table tbody td
    template textarea tfoot th thead title tr track ul wbr xmp""".split()
)
# Where an end tag of a special element stops looking for its element (more than the
# parser's scopes: stopping sooner only overestimates the depth).
_SCOPE = frozenset(
    "applet caption html table td th marquee object template button ol ul select".split()
)
# What a start tag surely closes when open above it in HTML (a paragraph the paragraph before
# it, a row the cells of the row before it). In SVG or MathML nothing is closed this way.
_CLOSES: dict[str, frozenset[str]] = {
    name: frozenset(closed.split())
    for names, closed in (
        ("p", "p"),
        ("li", "li"),
        ("dd dt", "dd dt"),
        ("option", "option"),
        ("optgroup", "option optgroup"),
        ("rb rp rt rtc", "rb rp rt rtc"),
        ("td th", "td th"),
        ("tr", "td th tr"),
        ("tbody thead tfoot", "td th tr tbody thead tfoot"),
        ("colgroup", "colgroup"),
    )
    for name in names.split()
}
# A table counts as three elements: itself and the tbody and tr the parser adds.
_TABLE_DEPTH = 3
_NEVER_OPENED_IN_HTML = frozenset("html head body".split())
# End tags counted as closing nothing: the parser may drop them, or close more than this count
# can tell without its insertion modes (the next row's start tag, the table's own end tag
# close them here instead).
_NEVER_CLOSED = frozenset(
    "html head body template caption colgroup tbody td tfoot th thead tr form".split()
)
# Start tags that close an open <p> first (the parser closes it unless a scope stops it).
_CLOSE_A_P = frozenset(
    """address article aside blockquote center details dialog dir div dl fieldset figcaption
    figure footer header hgroup main menu nav ol p search section summary ul h1 h2 h3 h4 h5 h6
    pre listing form plaintext hr xmp dd dt li""".split()
)
_FOREIGN = frozenset(("svg", "math"))
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
# Text up to their end tag, in HTML (in SVG and MathML, elements like any other); <noscript>
# too, since nh3's parser runs with scripting on.
_RAW_TEXT = frozenset("script style xmp iframe noembed noframes noscript textarea title".split())


def nests_too_deep(fragment: str) -> bool:
    """Whether parsing `fragment` may hold more than MAX_HTML_DEPTH elements open at once."""
    # A tag not ended by a ">" is never one: nothing after the last ">" is looked at (each
    # "<" of a run with no ">" after it would be read to the end).
    end = fragment.rfind(">") + 1
    lowered = _ascii_lower(fragment[:end])
    if "<![cdata[" in lowered:
        return True
    if _surely_shallow(lowered):
        return False
    stack: list[str] = []
    tables = 0  # tables open in `stack`
    foreign = 0  # svg and math elements open in `stack`
    closed_early: dict[str, int] = {}  # formatting elements closed by another's end tag
    reopened = 0
    at = 0
    while (match := _MARKUP.search(lowered, at, end)) is not None:
        at = match.end()
        if match.group(2) is None:
            if match.group() == "<!--":
                at = _comment_end(lowered, match.start(), end)
            continue
        name, attributes = match.group(2), match.group(3)
        if (
            ("'" in attributes or '"' in attributes)
            and not _PLAIN_ATTRIBUTES.fullmatch(attributes)
            and not _quotes_close(attributes)
        ):
            return True  # the tag may end later than its first ">", or not as read here
        if match.group(1):
            closed = _closed_by(name, stack, foreign=bool(foreign))
            if closed is None:
                if closed_early.get(name):  # not open: its end tag ends one to be reopened
                    closed_early[name] -= 1
                    reopened -= 1
                continue
            for position, element in closed:
                tables -= element == "table"
                foreign -= element in _FOREIGN
                if position and element in _FORMATTING:
                    closed_early[element] = closed_early.get(element, 0) + 1
                    reopened += 1
            continue
        if not foreign and name in _CLOSE_A_P:
            for position, element in _closed_by("p", stack, foreign=False) or []:
                if position and element in _FORMATTING:
                    closed_early[element] = closed_early.get(element, 0) + 1
                    reopened += 1
        if name in _VOID or (name in _NEVER_OPENED_IN_HTML and not foreign):
            continue
        while not foreign and stack and stack[-1] in _CLOSES.get(name, ()):
            stack.pop()
        stack.append(name)
        tables += name == "table"
        foreign += name in _FOREIGN
        if len(stack) + (_TABLE_DEPTH - 1) * tables + reopened > MAX_HTML_DEPTH:
            return True
        if foreign and (name in _RAW_TEXT or name == "plaintext"):
            return True  # text or tags: in SVG and MathML, it depends on what holds it
        if name == "plaintext":
            break  # the rest is text
        if name in _RAW_TEXT:
            if "select" in stack and name not in ("script", "textarea"):
                return True  # text or tags: in a <select> the parser drops <style> and the like
            at = _raw_text_end(lowered, name, at, end)
    return False


# For the fast path (`_surely_shallow`): each tag's text after its name (start and end tags,
# as `_MARKUP` reads them), start tags, start tags of formatting elements and tables, and what
# makes the loop skip text or stop following it.
_TAG_ATTRIBUTES = re.compile(r"</?[a-z][^\t\n\f\r />]*([^>]*)>")
_START_TAG = re.compile(r"<[a-z]")
_HEAVY_START = re.compile(r"<(?:" + "|".join(sorted(_FORMATTING)) + r"|table)(?=[\t\n\f\r />])")
_NOT_PLAIN_TAGS = re.compile(
    r"<[!?]|</(?![a-z])|<(?:svg|math|select|plaintext|" + "|".join(sorted(_RAW_TEXT)) + ")"
)


def _surely_shallow(lowered: str) -> bool:
    """Whether `nests_too_deep` surely answers False for `lowered`, told by counting in C
    rather than following each tag in Python (a record body of ~70 tags: 280 µs, measured).

    Only for text whose every "<" that starts markup starts a tag: no comment, doctype, raw
    text (script, style...), SVG, MathML or <select>. There the loop and `_TAG_ATTRIBUTES`
    find the same tags, so each tag whose quotes the loop would not follow is seen here too.
    Its estimate (open elements, plus two per open table, plus formatting elements closed
    early) counts a start tag at most once as open, once more if it is a formatting element
    closed early, twice more if a table: at most start tags + formatting and table start tags
    + table start tags, each counted here high ("<" and a letter, with or without a ">")."""
    if _NOT_PLAIN_TAGS.search(lowered):
        return False
    starts = len(_START_TAG.findall(lowered))
    heavy = len(_HEAVY_START.findall(lowered)) + lowered.count("<table")
    if starts + heavy > MAX_HTML_DEPTH:
        return False
    plain = _PLAIN_ATTRIBUTES.fullmatch
    attributes = _TAG_ATTRIBUTES.findall(lowered)
    return all(plain(text) for text in attributes if "'" in text or '"' in text)


def _ascii_lower(text: str) -> str:
    """`text` with A-Z lower-cased and nothing else changed (str.lower changes other letters,
    some into two characters). UTF-8 keeps ASCII bytes for ASCII only, and bytes.lower is
    ASCII's: 10x faster than str.translate over text with any non-ASCII character."""
    if text.isascii():
        return text.lower()
    return text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")


def _closed_by(name: str, stack: list[str], *, foreign: bool) -> list[tuple[int, str]] | None:
    """The elements (position above the one closed, name) an end tag surely closes, taken off
    `stack`: in SVG or MathML only the element on top; in HTML the nearest of its name (for
    </h2>, the nearest heading) unless an element the parser would stop at comes first. None
    when no element of its name is open at all."""
    if name in _NEVER_CLOSED:
        return []
    if stack and stack[-1] == name:  # the common case: the element on top
        stack.pop()
        return [(0, name)]
    if foreign:
        stop: frozenset[str] = frozenset()
    elif name == "table":
        stop = frozenset(("html", "template"))
    else:
        stop = _SCOPE if name in _SPECIAL else _SPECIAL
    wanted = _HEADINGS if name in _HEADINGS and not foreign else frozenset((name,))
    for at in range(len(stack) - 1, -1, -1):
        if stack[at] in wanted:
            closed = [(position - at, stack[position]) for position in range(at, len(stack))]
            del stack[at:]
            return closed
        if foreign or stack[at] in stop:
            return []
    return None


def _comment_end(lowered: str, start: int, end: int) -> int:
    """Where a comment opened at `start` ends: after "-->" ("<!-->" and "<!--->" included) or
    "--!>", else at the end."""
    ends = [
        found + length
        for found, length in (
            (lowered.find("-->", start + 2, end), 3),
            (lowered.find("--!>", start + 4, end), 4),
        )
        if found >= 0
    ]
    return min(ends, default=end)


def _raw_text_end(lowered: str, name: str, at: int, end: int) -> int:
    """Where the text of a <script>, <textarea>... opened before `at` ends: at its end tag
    ("</name" then a space, "/" or ">"), else at the end."""
    while (found := lowered.find("</" + name, at, end)) >= 0:
        after = found + 2 + len(name)
        if after < end and lowered[after] in _SPACE + "/>":
            return found
        at = after
    return end


def _quotes_close(attributes: str) -> bool:
    """Whether a tag's text after its name, up to its first ">", quotes as the parser reads it:
    each quote opens or closes an attribute's value. A quote elsewhere (in a name, in a value
    not quoted) or a value still open at the ">" (the tag goes on past it) is not followed
    here."""
    state = "before"  # before | name | after | value | quoted | unquoted
    quote = ""
    for char in attributes:
        if state == "quoted":
            if char == quote:
                state = "before"
            continue
        if char in "\"'" and state != "value":
            return False
        space = char in _SPACE
        if state == "unquoted":
            state = "before" if space else state
        elif state == "value":
            if not space:
                state, quote = ("quoted", char) if char in "\"'" else ("unquoted", "")
        elif space:
            state = "after" if state == "name" else "before"
        elif char == "=" and state in ("name", "after"):
            state = "value"
        elif char == "/":
            state = "before"
        else:
            state = "name"
    return state != "quoted"
