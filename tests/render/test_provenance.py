"""A record's page: claims that cite sources carry footnote markers `[N]` linking to
`#source-N` (sources, then documents), the sentence quoted beside them, escaped."""

from __future__ import annotations

import re

from casework.model import Site
from casework.model.provenance import footnotes
from casework.render.pages import common, record_page
from tests.store.factories import make_record

SITE = Site(url="https://tracker.example.org", title="Harbour Watch")
POST = "https://example.org/harbour"
RADIO = "https://radio.example.net/pier?ep=4&lang=en"
ORDER = "https://port.example.gov/order-17.pdf"
HOSTILE = 'The harbour master said "<script>window.__xss=1</script>" & left.'


def cited_record():  # type: ignore[no-untyped-def]
    return make_record(
        "pier-closure",
        keyPoints=["No warning was given", "Boats were left unattended", "Nobody cites this"],
        sources=[
            {"url": POST, "title": "Pier shut", "publisher": "Coast Post"},
            {"url": RADIO, "title": "Crews speak", "publisher": "Radio Harbour"},
        ],
        documents=[{"title": "Closure order", "url": ORDER, "kind": "order"}],
        timeline=[
            {"date": "2021-03-14", "title": "Closure", "summary": "The pier shut."},
            {"date": "2021-03-20", "title": "Reopened", "summary": "Boats went out."},
        ],
        provenance=[
            {"claim": "keyPoints/0", "sources": [ORDER, POST], "sentence": HOSTILE},
            {"claim": "keyPoints/1", "sources": [RADIO]},
            {"claim": "timeline/1", "sources": [ORDER]},
            # Neither shows: an unlisted URL, a claim the record lacks (`check` says so).
            {"claim": "keyPoints/2", "sources": ["https://elsewhere.example/x"]},
            {"claim": "timeline/7", "sources": [POST]},
        ],
    )


def items(html: str, css: str) -> list[str]:
    found = re.search(rf'<(?:ul|ol) class="{css}"[^>]*>(.*?)</(?:ul|ol)>', html, re.S)
    assert found, css
    return re.findall(r"<li[^>]*>.*?</li>", found.group(1), re.S)


def test_footnotes_number_sources_then_documents() -> None:
    notes = footnotes(cited_record())
    assert sorted(notes) == ["keyPoints/0", "keyPoints/1", "timeline/1"]
    assert notes["keyPoints/0"].numbers == (1, 3)
    assert notes["keyPoints/0"].urls == (POST, ORDER)
    assert notes["keyPoints/1"].numbers == (2,) and notes["keyPoints/1"].sentence is None
    assert notes["timeline/1"].numbers == (3,)


def test_the_page_shows_markers_linking_to_numbered_sources() -> None:
    html = record_page(cited_record(), SITE, common(SITE), [])
    points = items(html, "key-points")
    assert '<a href="#source-1" aria-label="source 1"' in points[0]
    assert ">[1]</a>" in points[0] and ">[3]</a>" in points[0]
    assert '<a href="#source-2" aria-label="source 2">[2]</a>' in points[1]
    assert "#source" not in points[2]  # cites a URL the record does not list
    entries = items(html, "timeline")
    assert "#source" not in entries[0] and '<a href="#source-3"' in entries[1]
    # The anchors they point at: sources 1-2, then the document as 3.
    assert '<li id="source-1"><a href="https://example.org/harbour"' in html
    assert '<li id="source-2"><a href="https://radio.example.net/pier?ep=4&amp;lang=en"' in html
    assert '<ol class="sources" start="3"><li id="source-3"><a href="' + ORDER in html
    assert 'id="source-4"' not in html


def test_the_sentence_is_quoted_and_escaped() -> None:
    html = record_page(cited_record(), SITE, common(SITE), [])
    [point] = items(html, "key-points")[:1]
    assert "<script>window.__xss" not in html
    escaped = (
        "The harbour master said &#34;&lt;script&gt;window.__xss=1&lt;/script&gt;&#34; &amp; left."
    )
    assert f'title="{escaped}"' in point
    assert f'<blockquote cite="{POST}">{escaped}</blockquote>' in point
    assert "What the source says" in point


def test_a_record_without_provenance_shows_no_markers() -> None:
    html = record_page(make_record("plain"), SITE, common(SITE), [])
    assert "sup class" not in html and "What the source says" not in html
    assert '<li id="source-1">' in html
