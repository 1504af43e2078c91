"""The time budget of one article's extraction: past it, every extractor stops with a one-line
ReadError naming the article; without one, nothing stops."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from casework.ingest.article import Article, ReadError
from casework.ingest.extract.budget import ExtractionTimeout, check_budget, extraction_budget
from casework.ingest.extract.events import extract_events
from casework.ingest.extract.figures import extract_figures
from casework.ingest.extract.law import LawCatalog, extract_law
from casework.ingest.extract.names import extract_mentions
from casework.ingest.extract.quotes import extract_quotes
from casework.ingest.extract.sentences import sentences
from casework.ingest.extract.tags import extract_tags
from tests.watchdog import finishes

ARTICLE = Article(
    text="On Friday, at least 1,945 people were killed in Harwick, the ministry said. “We will "
    "not stop,” said Ana Lima of Harbour Watch, citing Article 8 of the Rome Statute.",
    published=date(2025, 6, 13),
    source="harwick.md",
)
EXTRACTORS: dict[str, Callable[[Article], Any]] = {
    "sentences": lambda article: sentences(article.text),
    "events": extract_events,
    "figures": extract_figures,
    "quotes": extract_quotes,
    "names": extract_mentions,
    "law": lambda article: extract_law(article, LawCatalog.default()),
    "tags": lambda article: extract_tags(article, ["landmines", "civilians"]),
}


@pytest.mark.parametrize("name", list(EXTRACTORS))
def test_every_extractor_stops_once_the_budget_is_spent(name: str) -> None:
    # A budget of no time at all: spent before the first sentence, whatever the machine.
    with extraction_budget(0, "harwick.md"), pytest.raises(ExtractionTimeout) as stopped:
        EXTRACTORS[name](ARTICLE)
    message = str(stopped.value)
    assert isinstance(stopped.value, ReadError)
    assert "\n" not in message and message.startswith("harwick.md: extraction stopped after 0 s")


@pytest.mark.parametrize("name", list(EXTRACTORS))
def test_without_a_budget_or_within_it_extraction_runs_to_the_end(name: str) -> None:
    unbounded = EXTRACTORS[name](ARTICLE)
    with extraction_budget(3600, "harwick.md"):
        assert EXTRACTORS[name](ARTICLE) == unbounded
    with extraction_budget(0, "harwick.md"):
        pass
    check_budget()  # the budget ended with its block
    assert EXTRACTORS[name](ARTICLE) == unbounded


def _extract_under_budget(text: str, seconds: float) -> str:
    article = Article(text=text, published=date(2025, 6, 13), source="hostile.txt")
    try:
        with extraction_budget(seconds, article.source):
            extract_events(article)
            extract_figures(article)
            extract_quotes(article)
            extract_mentions(article)
    except ExtractionTimeout as stopped:
        return str(stopped)
    return "finished"


def test_a_hostile_article_stops_soon_after_its_budget() -> None:
    # 1 MB of dates in one sentence: events alone take ~40 s on it (each date is read in
    # the clause around it), quotes and names as long again. With a budget of 1 s it stops
    # within a unit of work of it (a second or two); the watchdog allows 60.
    text = "(Harwick" + " on Friday" * 100_000
    assert finishes(60, _extract_under_budget, text, 1.0) == (
        "hostile.txt: extraction stopped after 1 s, the time one article may take "
        "([ingest] extract_seconds in casework.toml)"
    )
