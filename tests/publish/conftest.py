"""A small tracker to build: published records that link to each other, entities, statutes,
a collection, and drafts/in-review records that carry marker strings no output may contain."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from casework.model import Collection, Site, Status
from casework.store import open_store
from casework.store.base import Store
from tests.store.factories import make_record

SITE = Site(url="https://tracker.example.org", title="Harbour Watch", about="We *document*.")
DRAFT_MARKERS = ("ZQXDRAFTMARKER1", "ZQXDRAFTMARKER2", "ZQXREVIEWMARKER3")


def published_records() -> list:
    return [
        make_record(
            "harbour-closure",
            relatedIncidents=["pier-arrests"],
            structuredPerpetrators=[
                {"name": "Port Authority", "kind": "organization", "entity": "port-authority"}
            ],
            tags=["harbour", "movement"],
        ),
        make_record(
            "pier-arrests",
            title="Fishermen arrested at the pier",
            date="2022-05-01",
            lastUpdated="2022-06-01",
            severity="severe",
            category="rule-of-law",
            relatedIncidents=["harbour-closure"],
            structuredPerpetrators=[
                {"name": "Port Authority", "kind": "organization", "entity": "port-authority"}
            ],
            internationalLaw=[
                {"statute": "ICCPR", "article": "Article 9", "provision": "Liberty"},
                {"statute": "Ottawa Convention", "provision": "Mine ban"},
            ],
            tags=["harbour", "arrests"],
        ),
        make_record(
            "ferry-halt",
            title="Ferry service halted",
            date="2022-07-09",
            lastUpdated="2022-07-10",
            ongoing=True,
            tags=["ferry"],
            # A statute by an alias: its page is the Convention against Torture's.
            internationalLaw=[
                {"statute": "ICCPR", "article": "12", "provision": "Movement"},
                {"statute": "Torture Convention", "article": "Article 16", "provision": "Crews"},
            ],
        ),
    ]


def fill(store: Store) -> None:
    store.import_records(published_records(), author="test", message="seed")
    for i, marker in enumerate(DRAFT_MARKERS):
        status = Status.review if i == 2 else Status.draft
        draft = make_record(
            f"secret-{i}",
            title=f"Secret {marker}",
            summary=f"Unpublished {marker}",
            tags=[f"tag-{marker}"],
            structuredVictims=[
                {"name": marker, "kind": "person", "entity": f"e-{i}-{marker}".lower()}
            ],
            internationalLaw=[{"statute": f"Statute {marker}", "provision": marker}],
            timeline=[{"date": "2022-01-01", "title": marker, "summary": marker}],
            relatedIncidents=["harbour-closure"],
            **{"$body": f"Body with {marker}"},
        )
        store.create(draft, author="test", message="draft", status=status)
    store.put_collection(
        Collection(
            slug="harbour",
            title="The harbour",
            lede="Everything at the pier.",
            records=["harbour-closure", "pier-arrests", "secret-0"],
        )
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = open_store(tmp_path / "tracker.db")
    fill(store)
    yield store
    store.close()
