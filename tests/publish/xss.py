"""A record with a script, event-handler or javascript: payload in every text field."""

from __future__ import annotations

from casework.model import Record
from tests.store.factories import make_record

PAYLOADS = (
    "<script>window.__xss = 1</script>",
    '"><img src=x onerror="window.__xss=2">',
    "javascript:window.__xss=3",
    "</script><script>window.__xss=4</script>",
    "'><svg onload=window.__xss=5>",
)


def payload(i: int) -> str:
    return f"x{PAYLOADS[i % len(PAYLOADS)]}"


def hostile_record(slug: str = "hostile") -> Record:
    body = (
        "# Heading <script>window.__xss=6</script>\n\n"
        "[click](javascript:window.__xss=7) <img src=x onerror=window.__xss=8>\n\n"
        '<a href="javascript:window.__xss=9">raw</a> <iframe src="javascript:1"></iframe>\n'
    )
    return make_record(
        slug,
        title=payload(0),
        summary=payload(1),
        victims=payload(2),
        perpetrators=payload(3),
        legalBasis=payload(4),
        description=payload(0),
        tags=[payload(1), payload(3)],
        keyPoints=[payload(2), payload(4)],
        structuredVictims=[
            {"name": payload(0), "kind": "group", "role": payload(1), "entity": "hostile-party"}
        ],
        structuredPerpetrators=[{"name": payload(3), "kind": "state"}],
        internationalLaw=[{"statute": payload(3), "article": payload(1), "provision": payload(0)}],
        legalAnalyses=[
            {"title": payload(1), "url": "https://example.org/a", "organization": payload(3)}
        ],
        sources=[{"url": "https://example.org/s", "title": payload(0), "publisher": payload(3)}],
        documents=[{"title": payload(1), "url": "https://example.org/d", "kind": payload(4)}],
        timeline=[{"date": "2021-03-14", "title": payload(3), "summary": payload(1)}],
        updateLog=[{"date": "2021-04-02", "summary": payload(0)}],
        **{"$body": body},
    )
