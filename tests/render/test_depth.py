"""The estimate of how deep HTML nests when parsed: high enough that the sanitizer never gets
HTML it would take quadratic time on, low enough that real HTML is sanitized as HTML."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework.render import depth
from casework.render.depth import MAX_HTML_DEPTH, nests_too_deep

GOLDEN = Path(__file__).resolve().parents[1] / "publish" / "golden"


@pytest.mark.parametrize(
    "html",
    [
        "<ul><li>a<li>b</ul>" * 500,  # list items left open: each closes the one before
        "<p>a<b>b</b>" * 500,  # paragraphs left open
        "<table>" + "<tr><td>x<td>y" * 500 + "</table>",  # cells and rows left open
        "<dl>" + "<dt>a<dd>b" * 500 + "</dl>",
        "<div>" * 200 + "x" + "</div>" * 200,  # deep, but closed
        "<p><b>bold</b></p>" * 1000,
        '<a title="x &gt; y" href="https://e.org/">link</a>' * 500,
        "<noscript><div><div><div></noscript>" * 300,  # text to the parser: nothing nests
        "<script>" + "<div>" * 300 + "</script><p>after</p>",
        "<!-- " + "<div>" * 300 + " --><p>after</p>",
    ],
)
def test_real_html_is_not_too_deep(html: str) -> None:
    assert not nests_too_deep(html)


def test_pages_casework_publishes_are_not_too_deep() -> None:
    pages = [p for p in GOLDEN.rglob("*.html") if "<svg" not in p.read_text(encoding="utf-8")]
    assert pages and not [p for p in pages if nests_too_deep(p.read_text(encoding="utf-8"))]


@pytest.mark.parametrize(
    "html",
    [
        "<div>" * (MAX_HTML_DEPTH + 1),
        "<span>" * (MAX_HTML_DEPTH + 1) + "<p>x</p>",
        "<p><b>x</p>y" * (MAX_HTML_DEPTH + 1),  # each <b> reopened by the parser, never closed
        "".join(f"<p><b id={n}>x</p>y" for n in range(MAX_HTML_DEPTH + 1)),
        "<table><tr><td>" * 100,  # a table holds three elements open at least
        "<span><div></span>" * (MAX_HTML_DEPTH + 1),  # an end tag the parser does not honour
        "<p><hr><span></p>" * (MAX_HTML_DEPTH + 1),  # <hr> closed the <p>: </p> closes nothing
        '<b title="></b></b>">' * 10,  # a quoted ">": where the tag ends is not followed here
        "<svg><style>" + "<g>" * 10,  # text or tags: it depends on what holds it
    ],
)
def test_html_that_may_nest_too_deep_is_found(html: str) -> None:
    assert nests_too_deep(html)


def test_a_run_of_brackets_without_a_tag_is_read_once() -> None:
    assert not nests_too_deep("<" * 1_000_000)


# The fast paths give the answers of the slow ones they stand in front of.
_TAG_TEXT = st.text(alphabet=" \t\n\f\r\v/=\"'abİK\u00e9<>", max_size=24)


@settings(max_examples=3000, deadline=None)
@given(_TAG_TEXT)
def test_attributes_taken_as_quoting_plainly_do_quote(attributes: str) -> None:
    if depth._PLAIN_ATTRIBUTES.fullmatch(attributes):
        assert depth._quotes_close(attributes)


def test_ordinary_attributes_take_the_fast_path() -> None:
    for attributes in (
        ' href="https://x.example/a?b=c&amp;d=e"',
        " class='x' id=y",
        ' a = "x"',
        ' rel="nofollow noopener" href="x"/',
    ):
        assert depth._PLAIN_ATTRIBUTES.fullmatch(attributes)
    for attributes in (' a  ="x"', ' a=b"c"', ' "a"', " a='x"):  # quotes the parser reads otherwise
        assert not depth._PLAIN_ATTRIBUTES.fullmatch(attributes)
        assert not depth._quotes_close(attributes)


@given(st.text(alphabet=st.characters(exclude_categories=())))
def test_only_ascii_letters_are_lowered(text: str) -> None:
    expected = "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in text)
    assert depth._ascii_lower(text) == expected


# The fast path of nests_too_deep (counting in C) answers False only where following every
# tag does too.
_SOUP = st.lists(
    st.sampled_from(
        [
            "<p>",
            "</p>",
            "<b>",
            "</b>",
            "<a href='x'>",
            "</a>",
            "<i>",
            "<table>",
            "</table>",
            "<tr>",
            "<td>",
            "<div>",
            "</div>",
            "<li>",
            "<ul>",
            "</ul>",
            '<span title="a>b">',
            '<b title="></b></b>">',
            "<em x=y'z>",
            "<br/>",
            "<hr>",
            "x",
            "<",
            ">",
            "'",
            '"',
            "<!-- ",
            " -->",
            "<script>",
            "</script>",
            "<svg>",
            "<select>",
            "</1>",
            "<?x>",
            "<h2>",
            "</h3>",
            "<p class='a' id=b>",
            "</ b>",
            "<a title='</a>'>",
        ]
    ),
    max_size=400,
).map("".join)


def _followed(html: str) -> bool:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(depth, "_surely_shallow", lambda lowered: False)
        return nests_too_deep(html)


@settings(max_examples=3000, deadline=None)
@given(_SOUP)
def test_the_counting_fast_path_agrees_with_following_the_tags(html: str) -> None:
    if not _followed(html):
        assert not nests_too_deep(html)
    elif depth._surely_shallow(depth._ascii_lower(html[: html.rfind(">") + 1])):
        raise AssertionError(f"the fast path said shallow: {html!r}")


def test_the_fast_path_takes_a_typical_record_body() -> None:
    body = (
        "<h2 id='what-happened'>What happened</h2>"
        + '<p>Text with <a href="https://e.org/a?b=c&amp;d=e">a link</a> and <em>words</em>.'
        "</p><ol><li><strong>May 5</strong>: more</li></ol>" * 15
    )
    assert depth._surely_shallow(depth._ascii_lower(body))
    assert not nests_too_deep(body)
    deep = "<b>" * (MAX_HTML_DEPTH // 2 + 1)  # few tags, but each counts twice
    assert not depth._surely_shallow(deep)
    assert nests_too_deep(deep) == _followed(deep)
