"""Markdown rendering and HTML sanitizing."""

from __future__ import annotations

import re

import markdown_it
import mdit_py_plugins
import pytest

import casework
from casework.render.html import (
    PREVIEW_MAX_CHARS,
    github_slug,
    html_to_markdown,
    html_to_text,
    is_clean_html,
    render_markdown,
    render_preview,
    sanitize_html,
)
from tests.growth import growth
from tests.watchdog import finishes


def test_headings_get_github_style_ids_and_repeats_are_numbered() -> None:
    html = render_markdown("## What Happened\n\n### Ministry's Justification\n\n## What Happened\n")
    assert '<h2 id="what-happened">What Happened</h2>' in html
    assert '<h3 id="ministrys-justification">' in html
    assert '<h2 id="what-happened-1">' in html
    assert github_slug("Why This Is Classified Severe") == "why-this-is-classified-severe"


def test_blocks_are_newline_separated_without_a_trailing_newline() -> None:
    html = render_markdown("First.\n\n1. one\n\n2. two\n")
    assert html == "<p>First.</p>\n<ol>\n<li>\n<p>one</p>\n</li>\n<li>\n<p>two</p>\n</li>\n</ol>"


def test_tables_and_footnotes_render() -> None:
    html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n\nClaim[^1].\n\n[^1]: The source.\n")
    assert "<table>" in html and "<td>2</td>" in html
    assert 'class="footnotes"' in html and "The source." in html


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<svg onload="alert(1)"></svg>',
        '<iframe src="https://evil.example"></iframe>',
        '<p style="background:url(javascript:alert(1))">x</p>',
    ],
)
def test_hostile_html_never_survives(payload: str) -> None:
    for html in (sanitize_html(payload), render_markdown(payload + "\n\ntext")):
        lowered = html.lower()
        assert "<script" not in lowered
        assert "onerror" not in lowered and "onload" not in lowered
        assert "javascript:" not in lowered
        assert "<iframe" not in lowered


def test_clean_html_passes_unchanged() -> None:
    html = render_markdown("## Título\n\nUn párrafo con **énfasis** y [enlace](https://e.org/).")
    assert is_clean_html(html)
    assert sanitize_html(html) == html


def test_html_converts_to_markdown_that_renders_the_same_text() -> None:
    html = '<h2 id="facts">Facts</h2>\n<p>Troops <strong>entered</strong> the camp.</p>'
    markdown = html_to_markdown(html)
    assert markdown.startswith("## Facts")
    assert "**entered**" in markdown
    assert html_to_text(render_markdown(markdown)).split() == html_to_text(html).split()


def test_excerpt_cuts_at_a_word_within_the_limit() -> None:
    from casework.render.html import excerpt

    text = "The pier was closed overnight,  without\nwarning, to every crew."
    assert excerpt(text, 200) == "The pier was closed overnight, without warning, to every crew."
    cut = excerpt(text, 30)
    assert len(cut) <= 30 and cut.endswith("…") and cut == "The pier was closed…"
    assert excerpt("x" * 50, 10) == "x" * 9 + "…"


def test_the_chart_is_the_same_bytes_on_another_day() -> None:
    from datetime import date
    from unittest import mock

    from casework.render import chart as charts
    from casework.render.chart import monthly_chart_svg

    chart = {"months": ["2024-01", "2024-02"], "series": {"rule-of-law": [1, 2]}}

    class Tomorrow(date):
        @classmethod
        def today(cls) -> date:
            return date(2099, 1, 2)

    # Drawn each time: not the drawing kept from the first (render/chart.py DRAWN).
    with mock.patch.object(charts, "DRAWN", {}):
        first = monthly_chart_svg(chart, {"rule-of-law": "Rule of Law"})
        charts.DRAWN.clear()
        with mock.patch("pygal.svg.date", Tomorrow):
            second = monthly_chart_svg(chart, {"rule-of-law": "Rule of Law"})
    assert "2099" not in second and "Generated with pygal" not in second
    assert first == second


def test_a_process_keeps_the_newest_few_chart_drawings() -> None:
    """A server drawing new figures all day keeps a few drawings, not every one."""
    from unittest import mock

    from casework.render import chart as charts

    with mock.patch.object(charts, "DRAWN", {}), mock.patch.object(charts, "USED", set()):
        for n in range(charts.KEEP + 3):
            chart = {"months": ["2024-01", "2024-02"], "series": {"rule-of-law": [1, n]}}
            drawn = charts.monthly_chart_svg(chart, {})
            assert charts.DRAWN[charts.chart_key(chart, {}, False, "en")] == drawn
        assert len(charts.DRAWN) == charts.KEEP


def test_five_thousand_repeated_headings_are_numbered_in_order() -> None:
    html = render_markdown("# A\n\n" * 5000)
    ids = re.findall(r'<h1 id="([^"]*)">', html)
    assert ids == ["a"] + [f"a-{n}" for n in range(1, 5000)]


@pytest.mark.parametrize(
    ("source", "ids"),
    [
        ("# a\n# a\n# a-1\n", ["a", "a-1", "a-1-1"]),  # its own text is a numbered repeat
        ("# a-1\n# a\n# a\n", ["a-1", "a", "a-2"]),  # a number already taken is skipped
        ("# a\n# a-1\n# a\n# a\n# a-2\n", ["a", "a-1", "a-2", "a-3", "a-2-1"]),
        ("## B\n### b\n#### B!\n", ["b", "b-1", "b-2"]),  # every level shares the numbering
    ],
)
def test_a_heading_like_a_numbered_repeat_takes_the_next_free_id(
    source: str, ids: list[str]
) -> None:
    assert re.findall(r'<h\d id="([^"]*)">', render_markdown(source)) == ids


def test_repeated_headings_cost_grows_with_their_number_not_its_square() -> None:
    # Lines run (casework's, markdown-it's and its plugins') on 1,000 and 2,000 headings alike:
    # 2.0 times as many now; before, each repeat tried -1, -2, … again (3.5 times here; 80 KB
    # of "# A" took 36 s, now 0.7 s).
    packages = (casework, markdown_it, mdit_py_plugins)
    assert growth(render_markdown, "# A\n\n", 1000, packages) < 2.4


def test_text_of_a_run_of_unclosed_angle_brackets_is_read_once() -> None:
    # Each "<" with no ">" after it was read to the end of the text: 80,000 took 5 s, these
    # 200,000 some 30 s. Now ~1 ms.
    assert finishes(10, html_to_text, "a < b" + "<" * 200_000) == "a < b" + "<" * 200_000


@pytest.mark.parametrize(
    "hostile",
    [
        "<div>" * 200_000,  # 40,000 took 3.7 s: these ~90 s
        "".join(f"<p><b id={n}>x</p>y" for n in range(40_000)),  # 20,000 took 18 s: ~70 s
    ],
)
def test_html_nested_too_deep_to_sanitize_in_linear_time_comes_back_as_text(
    hostile: str,
) -> None:
    # Parsed, these make the sanitizer's parser walk ever deeper stacks (quadratic). Now they
    # are found too deep before parsing (~20 ms) and come back as their text.
    clean = finishes(10, sanitize_html, hostile)
    assert "<" not in clean and len(clean) < len(hostile)


def test_markdown_around_html_nested_too_deep_still_renders() -> None:
    source = "# Title\n\n" + "<div>" * 300 + "deep" + "</div>" * 300 + "\n\nSome *words*."
    html = render_markdown(source)
    assert '<h1 id="title">Title</h1>' in html and "<em>words</em>" in html
    assert "<div" not in html and "&lt;div&gt;" in html
    shallow = "<div>" * 30 + "deep" + "</div>" * 30
    assert render_markdown(shallow).startswith("<div><div>")


def test_the_preview_renders_at_most_its_bound_and_says_so() -> None:
    short = "# Title\n\nText."
    assert render_preview(short) == render_markdown(short)
    line = "A line of the body.\n"
    body = line * (PREVIEW_MAX_CHARS // len(line) + 100) + "THE END"
    html = render_preview(body)
    assert html.startswith("<p><strong>Preview of the first ")
    assert f"of {len(body):,}: the preview stops at {PREVIEW_MAX_CHARS:,}." in html
    assert "THE END" not in html and html.count("A line of the body.") < len(body) // len(line)
