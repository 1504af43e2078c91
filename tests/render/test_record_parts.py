"""A record page's parts made in Python (render/pages.py record_parts): each value escaped
once, as the template escaped it — a party's role, a list item's text, a related title."""

from __future__ import annotations

from casework.model import Site
from casework.render.pages import common, record_page
from tests.store.factories import make_record

SITE = Site(url="https://tracker.example.org", title="Harbour Watch")


def test_a_partys_role_and_count_are_escaped_once() -> None:
    record = make_record(
        "pier-closure",
        structuredVictims=[
            {"name": "Dock <crews> & co", "kind": "group", "role": "A & B <x>", "count": 1234567}
        ],
    )
    html = record_page(record, SITE, common(SITE), [])
    assert (
        '<ul class="party-list"><li>Dock &lt;crews&gt; &amp; co <span class="small">group, '
        "A &amp; B &lt;x&gt;, 1,234,567</span></li></ul>"
    ) in html
    assert "&amp;amp;" not in html


def test_list_items_and_related_titles_are_escaped_once() -> None:
    record = make_record(
        "pier-closure",
        keyPoints=['Boats "left" & <gone>'],
        tags=["R&D <x>"],
        updateLog=[{"date": "2021-03-15", "summary": "Fixed a & b"}],
    )
    related = [("other-one", "Other <one> & two", "2021-01-02")]
    html = record_page(record, SITE, common(SITE), related)
    assert "<li>Boats &#34;left&#34; &amp; &lt;gone&gt;</li>" in html
    assert '/tag/r-d-x/">R&amp;D &lt;x&gt;</a></li>' in html
    assert "</time> Fixed a &amp; b</li>" in html
    assert (
        '<li><a href="/incident/other-one/">Other &lt;one&gt; &amp; two</a> '
        '<time class="small" datetime="2021-01-02">January 2, 2021</time></li>'
    ) in html
    assert "&amp;amp;" not in html
