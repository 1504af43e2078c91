"""CSV export: one row per record, list fields joined into one cell, for spreadsheets.

A cell that a spreadsheet would take for a formula gets a leading apostrophe: record text
comes from outside sources and must not run as a formula on a reader's machine (CSV / formula
injection). Spreadsheets trim leading whitespace before they look for a formula, so, as OWASP
advises, that is any cell whose first character other than whitespace is = + - or @ (or their
full-width forms, which some spreadsheets read alike), and any cell starting with a tab, a
carriage return or a line feed.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from typing import IO, Any

from casework.model import Party, Record, Site, derived_fields

LIST_SEPARATOR = "; "
KEY_POINT_SEPARATOR = " | "
_FORMULA_CHARACTERS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
_CONTROL_STARTS = ("\t", "\r", "\n")


def _parties(parties: list[Party]) -> str:
    out = []
    for party in parties:
        text = f"{party.name} ({party.kind.value}"
        if party.role:
            text += f", {party.role}"
        if party.count is not None:
            text += f", {party.count}"
        out.append(text + ")")
    return LIST_SEPARATOR.join(out)


def _row(record: Record, site: Site) -> dict[str, Any]:
    derived = derived_fields(record, site)
    return {
        "slug": record.slug,
        "title": record.title,
        "url": derived["url"],
        "date": record.date.isoformat(),
        "lastUpdated": record.last_updated.isoformat(),
        "summary": record.summary,
        "category": record.category,
        "categoryLabel": derived["categoryLabel"],
        "severity": record.severity,
        "severityLabel": derived["severityLabel"],
        "posture": record.posture,
        "postureLabel": derived["postureLabel"],
        "ongoing": record.ongoing,
        "victims": record.victims,
        "perpetrators": record.perpetrators,
        "structuredVictims": _parties(record.structured_victims),
        "structuredPerpetrators": _parties(record.structured_perpetrators),
        "legalBasis": record.legal_basis,
        "tags": LIST_SEPARATOR.join(record.tags),
        "keyPoints": KEY_POINT_SEPARATOR.join(record.key_points),
        "warCrimeClassification": record.war_crime_classification,
        "internationalLaw": LIST_SEPARATOR.join(
            f"{law.statute} {law.article}" if law.article else law.statute
            for law in record.international_law
        ),
        "iccRelevance": record.icc_relevance,
        "legalAnalyses": LIST_SEPARATOR.join(a.url for a in record.legal_analyses),
        "description": record.description,
        "relatedIncidents": LIST_SEPARATOR.join(record.related_incidents),
        "sources": LIST_SEPARATOR.join(source.url for source in record.sources),
        "documents": LIST_SEPARATOR.join(document.url for document in record.documents),
        "sourceCount": derived["sourceCount"],
        "documentCount": derived["documentCount"],
        "updateCount": derived["updateCount"],
        "timelineCount": len(record.timeline),
        "citation": derived["citation"],
    }


def neutralise(value: Any) -> str:
    """A cell's text, with a leading apostrophe if a spreadsheet would read it as a formula."""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = "" if value is None else str(value)
    content = text.lstrip()
    if text.startswith(_CONTROL_STARTS) or (content and content[0] in _FORMULA_CHARACTERS):
        return "'" + text
    return text


def write_csv(
    records: Iterable[Record],
    site: Site,
    stream: IO[str],
    progress: Callable[[int], None] | None = None,
) -> int:
    """A header row and one row per record to `stream` (open it with `newline=""`);
    returns the number of records written."""
    writer = csv.writer(stream)
    writer.writerow(COLUMNS)
    count = 0
    for record in records:
        writer.writerow([neutralise(value) for value in _row(record, site).values()])
        count += 1
        if progress is not None:
            progress(1)
    return count


# The header row; a test holds it equal to the keys `_row` makes.
COLUMNS: tuple[str, ...] = (
    "slug", "title", "url", "date", "lastUpdated", "summary", "category", "categoryLabel",
    "severity", "severityLabel", "posture", "postureLabel", "ongoing", "victims",
    "perpetrators", "structuredVictims", "structuredPerpetrators", "legalBasis", "tags",
    "keyPoints", "warCrimeClassification", "internationalLaw", "iccRelevance",
    "legalAnalyses", "description", "relatedIncidents", "sources", "documents",
    "sourceCount", "documentCount", "updateCount", "timelineCount", "citation",
)  # fmt: skip
