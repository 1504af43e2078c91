"""Derived fields: computed from the authored ones and the site, never trusted from input."""

from __future__ import annotations

from datetime import date
from typing import Any

from casework.model.record import Record
from casework.model.site import Site

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def display_date(value: date) -> str:
    """`2025-12-02` → `December 2, 2025` (English month, day without a leading zero)."""
    return f"{MONTHS[value.month - 1]} {value.day}, {value.year}"


def record_url(site: Site, slug: str) -> str:
    """A record's one public address, the page's, with its slash: what a static host and the
    live app answer 200 at (`/incident/SLUG` redirects there). The canonical link, JSON-LD,
    the feed, citations, the sitemap and the API all take it from here."""
    return f"{site.url}/incident/{slug}/"


def citation(record: Record, site: Site) -> str:
    return (
        f"{record.title}. {record_url(site, record.slug)}. "
        f"Published {display_date(record.date)}. Updated {display_date(record.last_updated)}."
    )


def derived_fields(record: Record, site: Site) -> dict[str, Any]:
    """Every derived key of docs/format.md with the value casework computes for it."""
    labels = site.vocabularies
    return {
        "url": record_url(site, record.slug),
        "displayDate": display_date(record.date),
        "displayLastUpdated": display_date(record.last_updated),
        "categoryLabel": labels.label("category", record.category),
        "severityLabel": labels.label("severity", record.severity),
        "postureLabel": labels.label("posture", record.posture),
        "sourceCount": len(record.sources),
        "documentCount": len(record.documents),
        "updateCount": len(record.update_log),
        "contentHtml": record.body_html,
        "citation": citation(record, site),
    }


def derived_mismatches(record: Record, site: Site) -> dict[str, tuple[Any, Any]]:
    """Derived keys whose imported value differs from what casework computes:
    key → (given, computed)."""
    computed = derived_fields(record, site)
    return {
        key: (given, computed[key])
        for key, given in record.given_derived.items()
        if given != computed[key]
    }
