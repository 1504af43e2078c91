"""Valid Record objects for store tests, in our own invented words."""

from __future__ import annotations

from typing import Any

from casework.model import Record
from casework.render.html import render_markdown
from casework.store.base import Store

BODY = """## What happened

The harbour authority closed the northern pier after the **flood barrier** failed during the
night. Fishermen who tried to reach their boats were turned back at a checkpoint.

- Residents were not warned before the closure.
- The ferry service stopped for three days.

See the [authority's notice](https://example.org/notice) for the official account.
"""


def make_record(slug: str = "harbour-closure", **changes: Any) -> Record:
    """A complete, valid record; keyword arguments override camelCase keys (or `$body`)."""
    data: dict[str, Any] = {
        "slug": slug,
        "title": "Harbour closed without warning",
        "date": "2021-03-14",
        "lastUpdated": "2021-04-02",
        "summary": "The port authority shut the northern pier overnight, stranding fishing crews.",
        "category": "civil-liberties",
        "severity": "serious",
        "posture": "reported",
        "ongoing": False,
        "victims": "Fishing crews of the northern pier",
        "perpetrators": "The port authority",
        "structuredVictims": [{"name": "Fishing crews", "kind": "group", "count": 40}],
        "structuredPerpetrators": [{"name": "Port authority", "kind": "organization"}],
        "legalBasis": "Freedom of movement",
        "tags": ["harbour", "movement"],
        "keyPoints": ["No warning was given", "Boats were left unattended"],
        "warCrimeClassification": "none",
        "internationalLaw": [{"statute": "ICCPR", "article": "12", "provision": "Movement"}],
        "iccRelevance": False,
        "legalAnalyses": [],
        "description": "Crews gathered at the checkpoint at dawn and were refused entry.",
        "relatedIncidents": [],
        "sources": [
            {"url": "https://example.org/harbour", "title": "Pier shut", "publisher": "Coast Post"}
        ],
        "documents": [],
        "timeline": [{"date": "2021-03-14", "title": "Closure", "summary": "The pier shut."}],
        "updateLog": [],
    }
    body = changes.pop("$body", BODY)
    data.update(changes)
    data["$body"] = body
    data["$bodyHtml"] = render_markdown(body) if body else ""
    return Record.model_validate(data)


def inspection_record(slug: str, i: int, **changes: Any) -> Record:
    """A dull record, dated in January 2015 by `i`, that holds none of the search tests'
    ranking words (but "detained" in its summary); keyword arguments override as above."""
    fields: dict[str, Any] = {
        "title": f"Routine inspection number {i}",
        "date": f"2015-01-{i + 1:02d}",
        "summary": "Officials detained nobody during the inspection.",
        "description": "Nothing of note happened.",
        "keyPoints": ["An inspection took place"],
        "tags": ["inspection"],
        "$body": "The inspection ended on time.",
    }
    fields.update(changes)
    return make_record(slug, **fields)


def save_changed(store: Store, slug: str, message: str = "edit", **changes: Any) -> None:
    """Save the stored `slug` with `changes` to its attributes (snake_case, not validated
    again), on its current revision."""
    stored = store.get(slug)
    store.save(
        stored.record.model_copy(update=changes),
        base_revision=stored.revision,
        author="t",
        message=message,
    )
