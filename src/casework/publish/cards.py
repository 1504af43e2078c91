"""A card: the small part of a record that pages other than its own show.

Listings, home, law, entity, timeline and collection pages need a few fields of many records;
they are planned from cards (plain data), so that a page's key can be the hash of what it shows.
"""

from __future__ import annotations

from typing import Any

from casework.model import Record, tag_slug
from casework.render.pages import statute_page, statute_slug
from casework.render.templates import place_label


def card_of(record: Record) -> dict[str, Any]:
    """Plain JSON-ready data (cheap to pickle, store and hash)."""
    parties = []
    for side, group in (
        ("victim", record.structured_victims),
        ("perpetrator", record.structured_perpetrators),
    ):
        for party in group:
            if party.entity:
                parties.append([party.entity, party.name, party.kind, side])
    return {
        "slug": record.slug,
        "title": record.title,
        "date": record.date.isoformat(),
        "lastUpdated": record.last_updated.isoformat(),
        "summary": record.summary,
        "category": record.category,
        "severity": record.severity,
        "posture": record.posture,
        "ongoing": record.ongoing,
        "tags": list(record.tags),
        "entities": parties,
        "law": [
            [provision.statute, provision.article or "", provision.provision]
            for provision in record.international_law
        ],
        "timeline": [
            [entry.date.isoformat(), entry.title, entry.summary] for entry in record.timeline
        ],
        # The map page's list: each location as the public sees it (the record given is its
        # public form, so a point is at its published precision): [label, lat, lon].
        "places": [
            [place_label(location), location.latitude, location.longitude]
            for location in record.locations
        ],
        # The search page's country filter (ISO 3166 codes, as the search index has them).
        "countries": sorted({location.country for location in record.locations}),
    }


__all__ = ["card_of", "statute_page", "statute_slug", "tag_slug"]
