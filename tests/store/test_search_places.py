"""Searching by where it happened, on both engines: a record is found by its place name, admin
area, country code or country name, as published; a place name hidden by a lowered precision
is found by no search (public or editors'), and editing the location re-indexes it cleanly."""

from __future__ import annotations

from casework.model import Status
from casework.store.base import Query, Store

from .factories import make_record

SHELTER = {
    "name": "Qaryat Zqxhidden school annex",
    "adminArea": "Saada",
    "country": "YE",
    "latitude": 17.38291,
    "longitude": 43.90817,
    "precision": "exact",
    "publishedPrecision": "town",
}
MARKET = {"name": "Dahyan market", "country": "YE", "precision": "town"}
KHARKIV = {"adminArea": "Kharkiv Oblast", "country": "UA", "precision": "region"}


def slugs(store: Store, text: str, status: Status | None = Status.published) -> list[str]:
    return sorted(hit.slug for hit in store.search(Query(text=text, status=status)).hits)


def test_a_record_is_found_by_its_published_places(store: Store) -> None:
    store.import_records(
        [
            make_record("shelter-strike", locations=[SHELTER, MARKET]),
            make_record("kharkiv-shelling", locations=[KHARKIV]),
            make_record("pier-arrests"),
        ],
        author="t",
        message="",
    )
    assert slugs(store, "Dahyan") == ["shelter-strike"]
    assert slugs(store, "Saada") == ["shelter-strike"]
    assert slugs(store, "Yemen") == ["shelter-strike"]
    assert slugs(store, "kharkiv oblast") == ["kharkiv-shelling"]
    assert slugs(store, "Ukraine") == ["kharkiv-shelling"]
    # The lowered location's name is not published, so no search finds it.
    assert slugs(store, "zqxhidden") == []
    assert slugs(store, "zqxhidden", status=None) == []
    # Publishing it at its stored precision makes it findable; lowering again hides it again
    # (each write takes the old text out exactly as it was indexed).
    stored = store.get("shelter-strike")
    shown = {k: v for k, v in SHELTER.items() if k != "publishedPrecision"}
    record = stored.record.model_copy(
        update={"locations": [type(stored.record.locations[0]).model_validate(shown)]}
    )
    store.save(record, base_revision=stored.revision, author="t", message="shown")
    assert slugs(store, "zqxhidden") == ["shelter-strike"]
    assert slugs(store, "Dahyan") == []
    stored = store.get("shelter-strike")
    store.save(
        make_record("shelter-strike", locations=[SHELTER]),
        base_revision=stored.revision,
        author="t",
        message="hidden again",
    )
    assert slugs(store, "zqxhidden") == []
    assert slugs(store, "Saada") == ["shelter-strike"]


def test_the_country_facet_counts_and_filters(store: Store) -> None:
    store.import_records(
        [
            make_record("shelter-strike", locations=[SHELTER, MARKET]),
            make_record("kharkiv-shelling", locations=[KHARKIV]),
            make_record("border-crossing", locations=[KHARKIV, {**MARKET, "country": "PS"}]),
            make_record("pier-arrests"),
        ],
        author="t",
        message="",
    )
    found = store.search(Query())
    assert found.facets["country"] == [("UA", 2), ("PS", 1), ("YE", 1)]
    only = store.search(Query(country=("UA",)))
    assert sorted(h.slug for h in only.hits) == ["border-crossing", "kharkiv-shelling"]
    assert store.search(Query(country=("UA", "YE"))).total == 3
    assert store.search(Query(country=("FR",))).total == 0
    # A changed location moves the record's country (the facet index is patched).
    stored = store.get("kharkiv-shelling")
    store.save(
        make_record("kharkiv-shelling", locations=[{**KHARKIV, "country": "PS"}]),
        base_revision=stored.revision,
        author="t",
        message="moved",
    )
    assert store.search(Query()).facets["country"] == [("PS", 2), ("UA", 1), ("YE", 1)]
    assert store.search(Query(country=("UA",), text="shelling")).total == 0
    # Drafts are counted only in editors' searches.
    store.create(make_record("draft-raid", locations=[{**KHARKIV, "country": "SY"}]), author="t",
                 message="")  # fmt: skip
    assert ("SY", 1) not in store.search(Query()).facets["country"]
    assert ("SY", 1) in store.search(Query(status=None)).facets["country"]
