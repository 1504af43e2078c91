"""Which record an article is about: two records on one topic told apart by place, date and
figures; a Spanish article matched to an English record; a match too close to call left to the
reviewer, whose figures are then flagged against no record."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from casework.ingest.article import Article
from casework.ingest.match import (
    MARGIN,
    NEW_RECORD_BELOW,
    Candidate,
    decide,
    is_foreign,
    salient_words,
)
from casework.ingest.pipeline import extract, match, propose
from casework.model import Site, Status, blank_record
from casework.store import open_store
from casework.store.base import Store

SITE = Site(url="https://m.example.org", title="Monitor")


def record(slug: str, **values: Any) -> Any:
    base = {
        "slug": slug, "category": "conflict", "severity": "high", "posture": "reported",
        "warCrimeClassification": "unclassified",
    }  # fmt: skip
    return blank_record(base | values, date(2026, 1, 1))


STRIKES = [
    record(
        "velmora-strike-harlow-2024-03-02",
        title="Air strike on Harlow market kills 23",
        date="2024-03-02",
        summary="An air strike on the market of Harlow, in Velmora's north, killed 23 civilians.",
        locations=[{"name": "Harlow", "country": "UA", "precision": "town"}],
        tags=["air strikes", "Velmora"],
    ),
    record(
        "velmora-strike-dunmere-2024-08-19",
        title="Air strike on Dunmere market kills 41",
        date="2024-08-19",
        summary="An air strike on the market of Dunmere, in Velmora's south, killed 41 civilians.",
        locations=[{"name": "Dunmere", "country": "UA", "precision": "town"}],
        tags=["air strikes", "Velmora"],
    ),
    record(
        "quillany-court-order-ignored",
        title="Justice ministry ignores a court order",
        date="2023-05-01",
        summary="The justice ministry of Quillany did not pay what the court ordered.",
    ),
]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = open_store(tmp_path / "tracker.db")
    for each in STRIKES:
        opened.create(each, author="test", message="seed", status=Status.published)
    return opened


def candidates(store: Store, text: str, **article: Any) -> list[Candidate]:
    return match(store, extract(Article(text, **article), store))


def test_two_strikes_in_one_country_are_told_apart_by_place_date_and_toll(store: Store) -> None:
    text = (
        "An air strike hit the crowded market of Dunmere on Monday, killing 41 civilians, "
        "Velmora's health ministry said. The air strike on the market was the deadliest "
        "this year."
    )
    found = candidates(store, text, published=date(2024, 8, 20))
    assert found[0].slug == "velmora-strike-dunmere-2024-08-19"
    assert found[0].features["places"] == 1.0 and found[1].features["places"] == 0.0
    assert decide(found).best is not None and decide(found).margin >= MARGIN


def test_a_spanish_article_matches_the_english_record(store: Store) -> None:
    text = (
        "Un ataque aéreo contra el mercado de Dunmere, en el sur de Velmora, dejó 41 "
        "civiles muertos, según el ministerio de Salud. Los vecinos de Dunmere enterraron "
        "ayer a sus muertos."
    )
    article = Article(text, language="es", published=date(2024, 8, 20))
    assert is_foreign(article)
    assert all(word not in ("los", "del", "sus") for word, _ in salient_words(article))
    found = match(store, extract(article, store))
    assert found[0].slug == "velmora-strike-dunmere-2024-08-19"
    assert found[0].score >= NEW_RECORD_BELOW


def test_a_place_spelt_another_way_still_counts(store: Store) -> None:
    text = "Shelling hit the market of Dunmire in Velmora, officials said."
    found = candidates(store, text)
    dunmere = next(c for c in found if c.slug == "velmora-strike-dunmere-2024-08-19")
    assert dunmere.features["places"] == 1.0


def test_a_close_call_is_ambiguous_and_proposed_into_neither(store: Store) -> None:
    text = (
        "Air strikes on markets in Velmora have killed civilians this year, the ministry "
        "said, with 23 dead at one market and 41 at another."
    )
    found = candidates(store, text)
    decision = decide(found)
    assert {c.slug for c in found[:2]} == {
        "velmora-strike-harlow-2024-03-02",
        "velmora-strike-dunmere-2024-08-19",
    }
    assert decision.ambiguous and decision.best is None and decision.margin < MARGIN
    assert {c.slug for c in decision.choices} >= {c.slug for c in found[:2]}
    extraction = extract(Article(text, url="https://news.example.org/a"), store)
    proposal = propose(store, SITE, extraction, found, {"file": "a.md"})
    assert proposal.target is None
    assert proposal.match["ambiguous"] and len(proposal.match["choices"]) >= 2
    # No record is the article's: nothing is flagged as contradicting one, and no new draft
    # is offered in place of the records it may be about.
    assert all(item.flag == "" for item in proposal.items)
    assert all(item.kind != "record" for item in proposal.items)
    assert "--target" in proposal.source["why"]


def test_decide_thresholds() -> None:
    def c(slug: str, score: float) -> Candidate:
        return Candidate(slug, slug, score, ())

    assert decide([]).best is None and not decide([]).ambiguous
    low = decide([c("a", NEW_RECORD_BELOW - 0.01)])
    assert low.best is None and not low.ambiguous and low.first_choice is None
    clear = decide([c("a", 0.5), c("b", 0.5 - MARGIN)])
    assert clear.best is not None and clear.best.slug == "a"
    close = decide([c("a", 0.5), c("b", 0.5 - MARGIN / 2), c("z", 0.1)])
    assert close.ambiguous and close.best is None
    assert close.first_choice is not None and close.first_choice.slug == "a"
    assert [x.slug for x in close.choices] == ["a", "b"]


def test_a_record_sharing_only_a_date_is_no_match(store: Store) -> None:
    text = "Ministers met on 19 August 2024 to discuss the budget of the northern railway."
    found = candidates(store, text, published=date(2024, 8, 20))
    assert decide(found).best is None and decide(found).first_choice is None
