"""A small builder of invented records for the check rules' tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from casework.check import Corpus, Finding, rule_by_id, run_checks
from casework.model import Record, Site, Status

SITE = Site(url="https://tracker.example")
TODAY = date(2024, 6, 1)


def wire(slug: str = "harbour-curfew", **changes: Any) -> dict[str, Any]:
    """An invented, well-formed record in camelCase wire form, with `changes` applied."""
    data: dict[str, Any] = {
        "slug": slug,
        "title": "Harbour district curfew enforced by soldiers",
        "date": "2023-03-14",
        "lastUpdated": "2023-05-02",
        "summary": "Soldiers enforced a night curfew in the harbour district of Lindqvist.",
        "category": "domestic-military",
        "severity": "serious",
        "posture": "reported",
        "ongoing": False,
        "victims": "Residents of the harbour district.",
        "perpetrators": "The garrison command.",
        "structuredVictims": [{"name": "Harbour residents", "kind": "population", "count": 4000}],
        "structuredPerpetrators": [
            {"name": "Garrison command", "kind": "organization", "entity": "garrison-command"}
        ],
        "legalBasis": "Freedom of movement",
        "tags": ["curfew", "Lindqvist"],
        "keyPoints": ["The curfew ran from 20:00 to 06:00."],
        "warCrimeClassification": "none",
        "internationalLaw": [
            {"statute": "ICCPR", "article": "Article 12", "provision": "Liberty of movement"}
        ],
        "iccRelevance": False,
        "legalAnalyses": [
            {
                "title": "Curfews and the law",
                "url": "https://analysis.example/curfews",
                "organization": "Example Law Clinic",
            }
        ],
        "description": "A night curfew enforced by soldiers.",
        "relatedIncidents": [],
        "sources": [
            {
                "url": "https://news.example/2023/03/curfew",
                "title": "Curfew imposed",
                "publisher": "Example News",
            }
        ],
        "documents": [
            {
                "title": "Curfew order",
                "url": "https://gov.example/order.pdf",
                "kind": "order",
                "date": "2023-03-13",
            }
        ],
        "timeline": [
            {"date": "2023-03-13", "title": "Order signed", "summary": "The order is signed."},
            {"date": "2023-03-14", "title": "Curfew begins", "summary": "Patrols start."},
        ],
        "updateLog": [{"date": "2023-05-02", "summary": "Added the order."}],
        # Every claim cites the order (a document: records built with `sources=[]` still
        # cite something they list).
        "provenance": [
            {
                "claim": "keyPoints/0",
                "sources": ["https://gov.example/order.pdf"],
                "sentence": "Nobody may be out of doors between 20:00 and 06:00.",
            },
            {"claim": "timeline/0", "sources": ["https://gov.example/order.pdf"]},
            {"claim": "timeline/1", "sources": ["https://gov.example/order.pdf"]},
        ],
    }
    data.update(changes)
    return data


def record(slug: str = "harbour-curfew", **changes: Any) -> Record:
    return Record.model_validate(wire(slug, **changes))


def check(
    rule_id: str, *records: Record | tuple[Record, Status], site: Site = SITE
) -> list[Finding]:
    """The findings of one rule over `records` (published unless a status is given)."""
    items = [r if isinstance(r, tuple) else (r, Status.published) for r in records]
    return run_checks(Corpus.from_records(items, site, TODAY), [rule_by_id(rule_id)])


def fields(findings: list[Finding]) -> list[tuple[str, str | None]]:
    return [(f.slug, f.field) for f in findings]
