from __future__ import annotations

import pytest

from casework.model import Status
from casework.store.base import FACET_NAMES, Query, Store

from .factories import make_record


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
    result = corpus.search(Query(text="lighthouse"))
    assert [h.slug for h in result.hits] == ["lighthouse-raid", "ferry-strike"]
    assert result.total == 2
    assert result.hits[0].score > result.hits[1].score


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
    assert [h.slug for h in corpus.search(Query(text="detente")).hits] == ["cafe-closure"]


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
