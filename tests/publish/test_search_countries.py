"""The search page's country filter, static side: the search index carries each published
record's countries, from its public locations only, and the page lists them with counts.

Published: a record in Syria whose well is published at town (its place name hidden), one in
Palestine and Ukraine, one in Ukraine, one with no place. A draft in New Zealand and a record
in review in Chile: neither country (nor the draft) may reach the index or the page.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from casework.model import Status
from casework.publish.build import build_site
from casework.store import open_store
from casework.store.base import Store
from tests.publish.conftest import SITE
from tests.store.factories import make_record

WELL = {
    "name": "Zqxwell by the orchard",
    "adminArea": "Idlib",
    "country": "SY",
    "latitude": 35.93178,
    "longitude": 36.63402,
    "precision": "exact",
    "publishedPrecision": "town",
}


def place(country: str) -> dict[str, object]:
    return {"country": country, "latitude": 31.5, "longitude": 34.5, "precision": "town"}


def published() -> list:
    return [
        make_record("well", title="The village well", date="2023-01-01", locations=[WELL]),
        make_record(
            "two-countries",
            title="Across two borders",
            date="2022-01-01",
            locations=[place("UA"), place("PS"), place("UA")],
        ),
        make_record("ukraine", title="In Kharkiv", date="2021-01-01", locations=[place("UA")]),
        make_record("nowhere", title="No place said", date="2020-01-01"),
    ]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = open_store(tmp_path / "tracker.db")
    store.import_records(published(), author="test", message="seed")
    for slug, status, country in (
        ("zqxdraft", Status.draft, "NZ"),
        ("zqxreview", Status.review, "CL"),
    ):
        record = make_record(slug, title=f"Unpublished {slug}", locations=[place(country)])
        store.create(record, author="test", message="new", status=status)
    yield store
    store.close()


def test_the_index_carries_public_countries_only(store: Store, tmp_path: Path) -> None:
    build_site(store, SITE, tmp_path / "site", workers=1)
    index = tmp_path / "site" / "search" / "index"
    meta = json.loads((index / "meta.json").read_bytes())
    countries = {row[0]: row[7] for row in meta["records"]}
    assert countries == {
        "well": ["SY"],
        "two-countries": ["PS", "UA"],
        "ukraine": ["UA"],
        "nowhere": [],
    }
    every_byte = b"".join(p.read_bytes() for p in index.iterdir())
    for secret in (b"zqxdraft", b"zqxreview", b'"NZ"', b'"CL"', b"zqxwell"):
        assert secret not in every_byte, secret
    # The page's select: every country a published record names, by name, with counts.
    page = (tmp_path / "site" / "search" / "index.html").read_text(encoding="utf-8")
    select = page[page.index('<select id="f-country"') :]
    select = select[: select.index("</select>")]
    assert select.count("<option") == 4
    assert (
        '<option value="PS">Palestine, State of (1)</option>'
        '<option value="SY">Syria (1)</option>'
        '<option value="UA">Ukraine (2)</option>'
    ) in select
    assert "NZ" not in page and "CL" not in page and "New Zealand" not in page


def test_a_rebuild_adds_countries_to_search_documents_kept_without_them(
    store: Store, tmp_path: Path
) -> None:
    """A build state written before countries were indexed: its kept documents are made
    again, so the next build's index has them."""
    import sqlite3

    out = tmp_path / "site"
    build_site(store, SITE, out, workers=1)
    state = sqlite3.connect(out.parent / ".site.builds" / "state.sqlite")
    try:
        rows = state.execute("SELECT slug, doc FROM search_docs").fetchall()
        for slug, doc in rows:
            old = json.loads(doc)[:9]  # the shape before countries
            state.execute("UPDATE search_docs SET doc = ? WHERE slug = ?", (json.dumps(old), slug))
        # Such a state said nothing of its documents' form.
        state.execute("DELETE FROM meta WHERE name = 'docs_form'")
        state.commit()
    finally:
        state.close()
    record = store.get("nowhere")
    store.save(
        record.record.model_copy(update={"summary": "Changed."}),
        base_revision=record.revision,
        author="t",
        message="edit",
    )
    build_site(store, SITE, out, workers=1)
    meta = json.loads((out / "search" / "index" / "meta.json").read_bytes())
    assert {row[0]: row[7] for row in meta["records"]}["two-countries"] == ["PS", "UA"]
