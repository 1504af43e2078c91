from __future__ import annotations

from typing import Any

import pytest

from casework.model import Record, Status
from casework.store.base import FACET_NAMES, Query, Store

from .factories import inspection_record, make_record


@pytest.fixture
def corpus(store: Store) -> Store:
    store.import_records(
        [
            make_record(
                "lighthouse-raid",
                title="Lighthouse keepers detained",
                date="2019-05-01",
                category="deportation",
                severity="severe",
                tags=["detention", "coast"],
                summary="Keepers of the old lighthouse were held for a week.",
            ),
            make_record(
                "ferry-strike",
                title="Ferry crews on strike",
                date="2020-07-09",
                category="civil-liberties",
                severity="serious",
                ongoing=True,
                tags=["labour"],
                summary="Crews walked out after wages went unpaid.",
                **{"$body": "The union said the lighthouse road was blocked by police."},
            ),
            make_record(
                "café-closure".replace("é", "e"),
                title="Café owners fined",
                date="2021-01-02",
                category="rule-of-law",
                severity="concerning",
                posture="litigation",
                tags=["détente", "coast"],
                summary="Owners of a seaside café were fined.",
            ),
        ],
        author="t",
        message="",
    )
    store.create(make_record("draft-lighthouse", title="Lighthouse draft"), author="t", message="")
    return store


def test_a_title_match_ranks_above_a_body_only_match(corpus: Store) -> None:
    # "lighthouse" is in the short fields of one of the three published records (the draft's
    # title does not count for public ranking): bm25 places the record whose title holds it
    # first, although the body-only match is newer.
    result = corpus.search(Query(text="lighthouse"))
    assert [h.slug for h in result.hits] == ["lighthouse-raid", "ferry-strike"]
    assert result.total == 2


def _filler(i: int, **changes: Any) -> Record:
    """A record that holds none of the ranking tests' words (but 'detained' in its summary)."""
    return inspection_record(f"filler-{i}", i, **changes)


@pytest.fixture
def ranked(store: Store) -> Store:
    """Twelve records; 'saltmarsh' and 'quarry' are rare, 'lantern' is in five of them,
    'detained' in the summary of all."""
    records = [_filler(i) for i in range(12)]
    records[0] = _filler(0, title="Saltmarsh wardens fined", date="2023-01-01")
    records[1] = _filler(1, description="Wardens of the saltmarsh were fined.", date="2024-01-01")
    records[2] = _filler(
        2, summary="A quarry was seized; officials detained two.", **{"$body": "A lantern."}
    )
    records[3] = _filler(
        3, summary="A lantern was lit; officials detained two.", date="2021-06-01",
        **{"$body": "By the quarry."},
    )  # fmt: skip
    for i in (4, 5, 6):
        records[i] = _filler(i, description="A lantern hung at the gate.")
    store.import_records(records, author="t", message="")
    return store


def test_a_title_match_outranks_a_description_match(ranked: Store) -> None:
    hits = ranked.search(Query(text="saltmarsh")).hits
    assert [h.slug for h in hits] == ["filler-0", "filler-1"]  # the newer one is second
    assert hits[0].score > 0 and hits[1].score > 0  # both placed by bm25


def test_the_rare_words_matches_come_first(ranked: Store) -> None:
    # Both hold both words; filler-2 has the rare word in its summary, filler-3 (newer) the
    # five-record word: the rare word weighs more.
    hits = ranked.search(Query(text="lantern quarry")).hits
    assert [h.slug for h in hits] == ["filler-2", "filler-3"]
    assert hits[0].score > hits[1].score


def test_a_word_in_most_records_does_not_change_the_order(ranked: Store) -> None:
    alone = ranked.search(Query(text="lantern")).hits
    with_common = ranked.search(Query(text="lantern detained")).hits
    assert len(alone) == 5
    assert [(h.slug, h.score) for h in with_common] == [(h.slug, h.score) for h in alone]


def test_words_too_common_to_rank_put_title_matches_first_then_newest(ranked: Store) -> None:
    hits = ranked.search(Query(text="detained inspection")).hits
    slugs = [h.slug for h in hits]
    # Every record holds both words; those whose title holds both come first (none here:
    # the titles hold only "inspection"), so the order is newest first.
    assert slugs[:3] == ["filler-1", "filler-0", "filler-3"] and len(slugs) == 12
    assert all(h.score == 0 for h in hits)
    # filler-0 is the second newest, but the only one without "inspection" in its title.
    titled = [h.slug for h in ranked.search(Query(text="inspection", limit=50)).hits]
    assert titled[:2] == ["filler-1", "filler-3"] and titled[-1] == "filler-0"


def test_ranking_holds_with_filters_and_pages(ranked: Store) -> None:
    first = ranked.search(Query(text="lantern", limit=2))
    second = ranked.search(Query(text="lantern", limit=2, offset=2))
    everything = ranked.search(Query(text="lantern"))
    assert [h.slug for h in first.hits + second.hits] == [h.slug for h in everything.hits][:4]
    assert first.total == 5


def test_drafts_are_not_in_published_search_but_are_with_status_none(corpus: Store) -> None:
    assert "draft-lighthouse" not in [h.slug for h in corpus.search(Query(text="lighthouse")).hits]
    everything = corpus.search(Query(text="lighthouse", status=None))
    assert "draft-lighthouse" in [h.slug for h in everything.hits]
    drafts = corpus.search(Query(status=Status.draft))
    assert [h.slug for h in drafts.hits] == ["draft-lighthouse"]


def test_every_word_must_match_somewhere_in_the_record(corpus: Store) -> None:
    assert [h.slug for h in corpus.search(Query(text="lighthouse police")).hits] == ["ferry-strike"]
    assert corpus.search(Query(text="lighthouse nonexistentword")).total == 0


def test_snippets_mark_the_match_and_escape_the_text(store: Store) -> None:
    store.import_records(
        [make_record("tags", summary="A <b>bold</b> claim about the harbour & its pier.")],
        author="t",
        message="",
    )
    snippet = store.search(Query(text="pier")).hits[0].snippet
    assert "<mark>pier</mark>" in snippet
    assert "&lt;b&gt;bold&lt;/b&gt;" in snippet and "&amp;" in snippet
    body_hit = store.search(Query(text="ferry")).hits[0].snippet
    assert "<mark>ferry</mark>" in body_hit


def test_diacritics_and_case_are_ignored_in_matching(corpus: Store) -> None:
    assert [h.slug for h in corpus.search(Query(text="CAFE")).hits] == ["cafe-closure"]
    # "détente" is stemmed as "detention" is (detent): the record holding the word ranks first.
    assert next(h.slug for h in corpus.search(Query(text="detente")).hits) == "cafe-closure"
    assert next(h.slug for h in corpus.search(Query(text="DÉTENTE")).hits) == "cafe-closure"


def test_plural_and_singular_find_the_same_records(corpus: Store) -> None:
    """One stemmed semantics (`search_words`): a word's forms match each other, on both
    engines, and the snippet marks the form the record holds."""
    for text in ("keeper detain", "keepers detained", "Keeper's detaining"):
        found = corpus.search(Query(text=text)).hits
        assert [h.slug for h in found][:1] == ["lighthouse-raid"], text
    snippet = corpus.search(Query(text="keeper")).hits[0].snippet
    assert "<mark>Keepers</mark>" in snippet


def test_filters_narrow_the_matches_and_facets_count_all_of_them(corpus: Store) -> None:
    result = corpus.search(Query(text="", limit=1))
    assert result.total == 3 and len(result.hits) == 1
    assert set(result.facets) == set(FACET_NAMES)
    assert dict(result.facets["category"]) == {
        "deportation": 1,
        "civil-liberties": 1,
        "rule-of-law": 1,
    }
    assert dict(result.facets["tag"]) == {"coast": 2, "detention": 1, "labour": 1, "détente": 1}
    assert dict(result.facets["year"]) == {"2019": 1, "2020": 1, "2021": 1}
    assert dict(result.facets["ongoing"]) == {"true": 1, "false": 2}
    assert dict(result.facets["posture"]) == {"reported": 2, "litigation": 1}
    coast = corpus.search(Query(tag=("coast",)))
    assert {h.slug for h in coast.hits} == {"lighthouse-raid", "cafe-closure"}
    assert dict(coast.facets["tag"])["coast"] == 2
    assert [h.slug for h in corpus.search(Query(year=(2020,))).hits] == ["ferry-strike"]
    assert [h.slug for h in corpus.search(Query(ongoing=True)).hits] == ["ferry-strike"]
    assert [
        h.slug
        for h in corpus.search(
            Query(severity=("severe", "concerning"), category=("rule-of-law",))
        ).hits
    ] == ["cafe-closure"]
    assert corpus.search(Query(category=("no-such-key",))).total == 0


def test_sort_options_and_pagination(corpus: Store) -> None:
    newest = [h.slug for h in corpus.search(Query(sort="-date")).hits]
    assert newest == ["cafe-closure", "ferry-strike", "lighthouse-raid"]
    assert [h.slug for h in corpus.search(Query(sort="date")).hits] == newest[::-1]
    titles = [h.title for h in corpus.search(Query(sort="title")).hits]
    assert titles == sorted(titles, key=str.casefold)
    pages = [corpus.search(Query(sort="date", limit=1, offset=i)).hits for i in range(4)]
    assert [p[0].slug for p in pages[:3]] == newest[::-1] and pages[3] == []


def test_search_sees_edits_made_after_the_facet_cache_was_built(corpus: Store) -> None:
    assert corpus.search(Query(text="wages")).total == 1
    corpus.save(
        make_record("ferry-strike", title="Tugboat crews", summary="Tugboats idle."),
        base_revision=1,
        author="t",
        message="",
    )
    assert corpus.search(Query(text="tugboat")).total == 1
    assert corpus.search(Query(text="wages")).total == 0
    assert "labour" not in dict(corpus.search(Query()).facets["tag"])


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '""',
        "'",
        'lighthouse"',
        "NEAR(lighthouse keepers)",
        "lighthouse NEAR keepers",
        "*",
        "light*",
        "(lighthouse",
        "lighthouse)",
        "AND",
        "OR OR",
        "NOT lighthouse",
        "title:lighthouse",
        "^lighthouse",
        "-lighthouse",
        "+",
        "lighthouse AND (ferry OR",
        "💥",
        "ﬁre",
        "мир",
        "水",
        "e\u0301",
        "a\u0000b",
        "x" * 2000,
        "lighthouse " * 50,
        "हिन्दी",
        "%_\\",
        "{col1 col2}: x",
    ],
)
def test_hostile_query_strings_never_raise(corpus: Store, text: str) -> None:
    result = corpus.search(Query(text=text, status=None))
    assert result.total >= 0


def test_a_trailing_star_is_a_prefix_search(corpus: Store) -> None:
    assert [h.slug for h in corpus.search(Query(text="lighth*")).hits][:1] == ["lighthouse-raid"]
    assert corpus.search(Query(text="lighth")).total == 0


def test_a_word_that_becomes_common_through_writes_stops_ranking(ranked: Store) -> None:
    # In the short fields of 4 of 12 records (and the body of one more): bm25 ranks by it.
    assert sum(h.score > 0 for h in ranked.search(Query(text="lantern")).hits) == 4
    for i in (12, 13, 14, 15):
        ranked.create(_filler(i, title="Lantern festival banned"), author="t", message="")
    hits = ranked.search(Query(text="lantern", status=None)).hits  # 8 of 16: too common
    assert len(hits) == 9 and all(h.score == 0 for h in hits)
    assert {h.slug for h in hits[:4]} == {f"filler-{i}" for i in (12, 13, 14, 15)}
