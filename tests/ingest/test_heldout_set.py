"""The held-out ingest set (tests/fixtures/articles-heldout/) is well-formed by the gold set's own
checks: the agreed format, records/statutes/tags from the tracker, and quotes, dates and metadata
actually written in each article. The checks are the gold set's functions, imported under names
pytest does not collect again, so the two sets cannot drift apart in what "well-formed" means."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from tests.ingest.test_gold_set import (
    ARTICLES,
    _day_is_written,
    _month_is_written,
    _year_is_written,
    body,
    expected,
)
from tests.ingest.test_gold_set import (
    test_every_expected_quote_is_in_the_article as check_quotes_are_written,
)
from tests.ingest.test_gold_set import (
    test_expected_file_has_the_agreed_format as check_format,
)
from tests.ingest.test_gold_set import (
    test_metadata_is_what_the_file_says as check_metadata,
)
from tests.ingest.test_gold_set import (
    test_record_statutes_and_tags_come_from_the_tracker as check_tracker_terms,
)

HELDOUT = Path(__file__).resolve().parents[1] / "fixtures" / "articles-heldout"


def article_paths() -> list[Path]:
    return sorted(
        p for p in HELDOUT.iterdir() if p.suffix in (".md", ".html") and p.name != "README.md"
    )


PATHS = article_paths()
IDS = [p.name for p in PATHS]


def test_the_set_has_the_articles_it_promises() -> None:
    about = [expected(p)["record"] for p in PATHS]
    assert len(PATHS) >= 5
    assert [p.suffix for p in PATHS].count(".html") >= 2
    assert sum(1 for slug in about if slug is not None) >= 4
    assert None in about
    stems = {p.stem for p in PATHS}
    orphans = [p.name for p in HELDOUT.glob("*.expected.json") if p.name[:-14] not in stems]
    assert orphans == []


def test_no_article_repeats_one_of_the_gold_set() -> None:
    """Held out means new text: no file name and no sentence shared with the tuning set."""
    gold = {p.name for p in ARTICLES.iterdir()}
    assert not gold & {p.name for p in HELDOUT.iterdir()} - {"README.md"}
    gold_text = " ".join(
        p.read_text("utf-8") for p in ARTICLES.iterdir() if p.suffix in (".md", ".html")
    )
    for path in PATHS:
        for quote in expected(path)["quotes"]:
            assert quote["starts"] not in gold_text, (path.name, quote)


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_expected_file_has_the_agreed_format(path: Path) -> None:
    check_format(path)


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_record_statutes_and_tags_come_from_the_tracker(path: Path) -> None:
    check_tracker_terms(path)


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_every_expected_quote_is_in_the_article(path: Path) -> None:
    check_quotes_are_written(path)


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_every_expected_date_is_written_in_the_article(path: Path) -> None:
    """The gold set's check, except that the AP abbreviation "Sept." is read as "Sep." (the gold
    set's helper knows only three-letter abbreviations, and this set uses US newspaper style)."""
    gold = expected(path)
    published = date.fromisoformat(gold["published"])
    text = re.sub(r"\bSept\.", "Sep.", body(path))
    check = {"day": _day_is_written, "month": _month_is_written, "year": _year_is_written}
    for event in gold["events"]:
        day = date.fromisoformat(event["date"])
        assert check[event["precision"]](day, published, text), event


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_metadata_is_what_the_file_says(path: Path) -> None:
    check_metadata(path)
