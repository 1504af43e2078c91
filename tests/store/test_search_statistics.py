"""Public search is ranked with statistics of published records only (issue 12, finding 4):
the answer to a search of published records — hits, order, scores, totals, facets, snippets —
is the same whether or not drafts and records in review hold the words searched for, so that
nobody can count unpublished records mentioning a name by watching public scores move.
Editors' searches still find (and rank) every record."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from casework.model import Record, Status
from casework.store import open_store, postgres_search, sqlite_search
from casework.store.base import Query, SearchResult, Store
from casework.store.postgres import PostgresStore
from casework.store.sqlite import SQLiteStore

from .factories import inspection_record, make_record

# What the public asks: one rare word, a word in a third of the records, both, a word in
# every record (too common to rank), a prefix, a filter, a page, the "any word" tier.
PUBLIC_QUERIES = (
    Query(text="saltmarsh"),
    Query(text="lantern"),
    Query(text="lantern quarry"),
    Query(text="quarry saltmarsh"),
    Query(text="detained"),
    Query(text="detained lantern"),
    Query(text="lanter*"),
    Query(text="lantern", year=(2015,)),
    Query(text="lantern", limit=2, offset=1),
    Query(text="inspection lantern", sort="relevance", limit=50),
)

TIER_BUDGET = 5  # the published records hold at most 5 matches of a tier; drafts add many


@pytest.fixture(autouse=True)
def small_budgets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Budgets that a dozen records cross, on both engines: past them a tier is ordered
    newest first instead of scored."""
    monkeypatch.setattr(sqlite_search, "RANK_BUDGET", TIER_BUDGET)
    monkeypatch.setattr(postgres_search, "PG_RANK_BUDGET", TIER_BUDGET)


def _published(i: int, **changes: Any) -> Record:
    return inspection_record(f"public-{i}", i, **changes)


def published_records() -> list[Record]:
    """Twelve records: 'saltmarsh' and 'quarry' are rare, 'lantern' is in the short fields
    of four (and a body), 'detained' in every summary."""
    records = [_published(i) for i in range(12)]
    records[0] = _published(0, title="Saltmarsh wardens fined", date="2023-01-01")
    records[1] = _published(
        1, description="Wardens of the saltmarsh were fined.", date="2024-01-01"
    )
    records[2] = _published(
        2, summary="A quarry was seized; officials detained two.", **{"$body": "A lantern."}
    )
    records[3] = _published(
        3, summary="A lantern was lit; officials detained two.", date="2021-06-01",
        **{"$body": "By the quarry."},
    )  # fmt: skip
    for i in (4, 5, 6):
        records[i] = _published(i, description="A lantern hung at the gate.")
    return records


def unpublished(slug: str, day: str = "2025-02-02") -> Record:
    """A record holding every searched word many times, in every field."""
    many = "Lantern saltmarsh quarry lantern saltmarsh lantern"
    return make_record(
        slug,
        title=f"{many} {slug}",
        date=day,
        tags=["lantern", "saltmarsh", "quarry"],
        summary=f"{many}; officials detained a lantern keeper.",
        keyPoints=[many, many],
        description=many,
        **{"$body": f"{many} inspection detained"},
    )


def unrelated(slug: str) -> Record:
    """A record holding none of the searched words (it only changes how many records exist)."""
    return make_record(slug, title=f"Tide tables {slug}", summary="Tides were late.",
                       tags=["tides"], keyPoints=["Tides"], description="Tides.",
                       **{"$body": "Tides."})  # fmt: skip


def public_answers(store: Store) -> list[SearchResult]:
    return [store.search(query) for query in PUBLIC_QUERIES]


def add_unpublished(store: Store, count: int) -> None:
    """`count` drafts and `count` records in review holding the words, through every way a
    record is written (create, bulk import, save, status change), and `count` drafts that
    hold none of them."""
    store.import_records(
        [unpublished(f"imported-draft-{i}") for i in range(count)],
        author="t",
        message="",
        status=Status.draft,
    )
    for i in range(count):
        store.create(unpublished(f"in-review-{i}"), author="t", message="", status=Status.review)
        store.create(unrelated(f"unrelated-{i}"), author="t", message="")
    # A draft saved with new text, and one sent to review: their old text leaves only the
    # tables it was in.
    store.save(unpublished("imported-draft-0", "2026-03-03"), base_revision=1, author="t",
               message="")  # fmt: skip
    store.set_status("imported-draft-1", Status.review, base_revision=1, author="t", message="")


@pytest.fixture
def published(store: Store) -> Store:
    store.import_records(published_records(), author="t", message="")
    return store


def test_the_public_answer_is_the_same_with_or_without_unpublished_records(
    published: Store,
) -> None:
    before = public_answers(published)
    assert any(hit.score > 0 for result in before for hit in result.hits)  # bm25 placed some
    # 20 drafts and 20 records in review hold 'lantern' (in 4 of the 12 published records),
    # so that over every record it is in more than half (and would stop ranking), and every
    # tier of every query matches more than TIER_BUDGET records; 20 more drafts hold none of
    # the words, so that 'detained' (in every published record) would fall under the half.
    add_unpublished(published, 20)
    assert public_answers(published) == before


def test_editors_searches_still_find_and_rank_unpublished_records(published: Store) -> None:
    add_unpublished(published, 3)
    everything = published.search(Query(text="saltmarsh", status=None, limit=50))
    slugs = [hit.slug for hit in everything.hits]
    assert {"imported-draft-0", "in-review-0", "public-0", "public-1"} <= set(slugs)
    assert everything.total == 8
    assert slugs.index("in-review-0") < slugs.index("public-1")  # title above description
    drafts = published.search(Query(text="lantern", status=Status.draft))
    assert {hit.slug for hit in drafts.hits} == {"imported-draft-0", "imported-draft-2"}
    review = published.search(Query(text="quarry", status=Status.review))
    assert {hit.slug for hit in review.hits} == {
        "imported-draft-1",
        *(f"in-review-{i}" for i in range(3)),
    }


@pytest.fixture
def other_store(engine: str, tmp_path: Path) -> Iterator[Store]:
    """A second, empty store on the same engine."""
    with ExitStack() as stack:
        if engine == "postgres":
            from tests.store.pg import fresh_database

            url = stack.enter_context(fresh_database("casework_statistics"))
        else:
            url = f"sqlite:///{tmp_path / 'other.db'}"
        opened = open_store(url)
        stack.callback(opened.close)
        yield opened


def test_publishing_adds_a_record_to_public_statistics_and_unpublishing_takes_it_out(
    published: Store, other_store: Store
) -> None:
    published.create(unpublished("named"), author="t", message="")  # a draft
    add_unpublished(published, 10)
    # The reference holds the same published records (with the same ids) and nothing else.
    other_store.import_records(published_records(), author="t", message="")
    only_published = public_answers(other_store)
    assert public_answers(published) == only_published

    published.set_status("named", Status.published, base_revision=1, author="t", message="")
    other_store.create(unpublished("named"), author="t", message="", status=Status.published)
    with_named = public_answers(other_store)
    assert public_answers(published) == with_named
    assert with_named != only_published  # the new record moved the statistics

    published.set_status("named", Status.draft, base_revision=2, author="t", message="")
    assert public_answers(published) == only_published


def test_rebuilding_the_search_index_keeps_public_statistics_published_only(
    published: Store,
) -> None:
    before = public_answers(published)
    add_unpublished(published, 10)
    assert isinstance(published, SQLiteStore | PostgresStore)
    published.rebuild_search_index()
    assert public_answers(published) == before


def test_the_range_a_public_tier_is_counted_in_does_not_depend_on_drafts(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite looks a tier up within the ids of the matches when they span few records; a
    tier's budget is counted there. The span is measured in published records, not in ids,
    which drafts written later would stretch."""
    monkeypatch.setattr(sqlite_search, "RANK_BUDGET", 3)
    monkeypatch.setattr(postgres_search, "PG_RANK_BUDGET", 3)

    def beacon(i: int, year: int, holds: bool = True) -> Record:
        summary = "A beacon was lit at the gate." if holds else "The gate was shut."
        return _published(i, date=f"{year}-01-{i + 1:02d}", summary=summary)

    # ids 1-10: the 2015 matches are ids 1 and 6, the 2022 ones (7 and 8) lie beyond them;
    # 'beacon' is in 4 of the 10, few enough to rank.
    years = (2015,) * 6 + (2022,) * 4
    holding = {0, 5, 6, 7}
    store.import_records(
        [beacon(i, year, i in holding) for i, year in enumerate(years)], author="t", message=""
    )
    query = Query(text="beacon", year=(2015,))
    before = store.search(query)
    for i in range(20):
        store.create(unrelated(f"unrelated-{i}"), author="t", message="")
    assert store.search(query) == before
