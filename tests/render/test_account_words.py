"""record_page's count of an account's words (render/pages.py account_words) is what Jinja's
`body_html|striptags|wordcount` counts, which the page showed before: the fold of an account
over 600 words, and its summary's number, depend on it."""

from __future__ import annotations

import pytest
from jinja2.filters import do_striptags, do_wordcount

from casework.render.pages import account_words

BODIES = [
    "<p>One two <em>three</em></p>",
    "a<!-->b c-->d",  # "<!-->" opens a comment, it does not close one
    "a<!--->b",
    "a<!---->b",
    "x<!-- <p> -->y z",
    "a <!-- never closed <p>x</p> y",
    "q <!--a-->r<!--b",
    "<p>unclosed <b tag and more",
    "p <b x",
    "a<b<c>d e",
    "x>y<z",
    "<p>a</p>b<p>c",
    "&amp;amp x&#39;s &eacute;t&eacute; &#x41;&#65 &lt;b&gt;",
    "a&nbsp;b\xa0c&ampd &amp\rfoo &amp\xa0bar &notin;x",
    "w\u2003v\n\tq  r",
    "snake_case 3.14 l'été naïve über “quoted” — dash",
    "ǅemo ¹²³ ٣٤ x 漢字 かな",
    "Note↩︎ back ︎x ö_ö ñ-ñ Ⅻ ½ 𝔘𝔫𝔦 😀word",
    "",
    "   ",
]


@pytest.mark.parametrize("body", BODIES)
def test_the_words_are_those_jinja_counts(body: str) -> None:
    assert account_words(body) == do_wordcount(do_striptags(body))


def test_a_long_account() -> None:
    body = "<h2>Heading</h2>\n" + "<p>Word “another” über-example, 1,204 <em>x</em>.</p>\n" * 400
    assert account_words(body) == do_wordcount(do_striptags(body)) == 1 + 400 * 7
