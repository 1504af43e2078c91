"""A tracker of generated records for the listing tests: most published, some drafts and
records in review that share their categories, tags and years (so that a leak would show as
a wrong count or an extra row)."""

from __future__ import annotations

from datetime import date

from casework.demo import DEMO_SITE
from casework.examples import generate_records
from casework.model import Record, Status
from casework.publish.listing import listings_of
from casework.store.base import Store

SITE = DEMO_SITE
PUBLISHED = 70
UNPUBLISHED = 20


def fill_listings(store: Store) -> tuple[list[Record], list[Record]]:
    """(published, unpublished) records, put into `store`."""
    records = list(
        generate_records(PUBLISHED + UNPUBLISHED, seed=7, site=SITE, today=date(2026, 6, 1))
    )
    # A place for every third record: the country filter and the table's place column.
    places = [
        [{"name": "Harbour road", "country": "UA", "precision": "town"}],
        [{"country": "PS", "precision": "country"}, {"country": "UA", "precision": "country"}],
    ]
    records = [
        Record.model_validate(r.to_wire() | {"locations": places[i % 2]}) if i % 3 == 0 else r
        for i, r in enumerate(records)
    ]
    published, hidden = records[:PUBLISHED], records[PUBLISHED:]
    store.import_records(published, author="test", message="seed")
    for i, record in enumerate(hidden):
        status = Status.review if i % 2 else Status.draft
        store.create(record, author="test", message="draft", status=status)
    return published, hidden


def busiest_listing(cards: list[dict], kind: str) -> str:
    """The key of the `kind` listing (entity, law) holding the most of `cards`."""
    catalog = SITE.statute_catalog()
    keys = [key for c in cards for k, key in listings_of(c, catalog) if k == kind]
    return max(sorted(set(keys)), key=keys.count)
