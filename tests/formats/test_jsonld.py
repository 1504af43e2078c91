"""schema.org JSON-LD of a record, and its text inside an HTML script element."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from casework.formats.jsonld import jsonld_script_body, record_jsonld
from casework.model import Site
from tests.store.factories import make_record

SITE = Site(url="https://tracker.example.org", title="Harbour Watch")
ATTACK = "</script><script>alert(1)</script>"


def test_record_as_schema_org_report() -> None:
    record = make_record(
        "pier-arrests",
        date="2022-05-01",
        lastUpdated="2022-06-10",
        sources=[
            {"url": "https://news.example.com/a", "title": "Arrests", "publisher": "Coast Post"},
            {"url": "https://radio.example.org/b", "title": "Pier", "publisher": "Radio B"},
        ],
    )
    data = record_jsonld(record, SITE)
    url = "https://tracker.example.org/incident/pier-arrests/"
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Report"
    assert data["url"] == data["@id"] == url
    assert data["headline"] == record.title
    assert data["description"] == record.summary
    assert data["datePublished"] == "2022-05-01"
    assert data["dateModified"] == "2022-06-10"
    assert data["keywords"] == ["harbour", "movement"]
    assert data["articleSection"] == "Civil Liberties"
    assert data["about"] == {
        "@type": "Event",
        "name": record.title,
        "startDate": "2022-05-01",
        "description": record.summary,
    }
    assert data["publisher"]["name"] == "Harbour Watch"
    assert data["isPartOf"]["url"] == "https://tracker.example.org/"
    assert data["citation"] == [
        {
            "@type": "CreativeWork",
            "url": "https://news.example.com/a",
            "name": "Arrests",
            "publisher": {"@type": "Organization", "name": "Coast Post"},
        },
        {
            "@type": "CreativeWork",
            "url": "https://radio.example.org/b",
            "name": "Pier",
            "publisher": {"@type": "Organization", "name": "Radio B"},
        },
    ]


class Scripts(HTMLParser):
    """Collects each script element's text and every start tag seen."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


@pytest.mark.parametrize(
    "title",
    [ATTACK, "<!--<script>", "a & b > c", "line\u2028sep\u2029para", "東京 \"quoted\" 'x'"],
)
def test_script_body_stays_inside_its_element_and_round_trips(title: str) -> None:
    record = make_record(title=title, summary=title, tags=[title])
    data = record_jsonld(record, SITE)
    body = jsonld_script_body(data)
    assert json.loads(body) == data
    for character in "<>&\u2028\u2029":
        assert character not in body
    page = (
        f'<html><head><script type="application/ld+json">{body}</script></head><body></body></html>'
    )
    parser = Scripts()
    parser.feed(page)
    assert parser.tags == ["html", "head", "script", "body"]
    assert parser.scripts == [body]
    assert json.loads(parser.scripts[0])["headline"] == title


def test_script_body_keeps_non_ascii_readable() -> None:
    body = jsonld_script_body({"name": "حقوق 東京"})
    assert body == '{"name":"حقوق 東京"}'
