"""The development split of the real-news set (tests/fixtures/realnews/dev/) is well-formed: every
article has a gold file in the agreed format, what the gold expects is written in the rewrite
(quotes, dates), and the tracker the articles are matched against imports and checks clean.
The extractors are never run here: the set must not be tuned to them."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from casework.cli import app
from tests.ingest.test_gold_set import KEYS, _day_is_written, _month_is_written, _year_is_written
from tests.ingest.test_gold_set import body as article_body

REALNEWS = Path(__file__).resolve().parents[1] / "fixtures" / "realnews"
DEV = REALNEWS / "dev"
# the tracker the split is matched against: the first 32 articles' records, then those added later
RECORD_FILES = [REALNEWS / "records" / "dev.ndjson", REALNEWS / "records" / "dev2.ndjson"]
EXTRA = ["source_url", "kind", "language", "notes"]
KINDS = {"wire", "ngo", "court", "local", "newspaper", "government"}
# odd-numbered months only: the held-out split takes its articles from the even ones
ODD_MONTHS = {1, 3, 5, 7, 9, 11}

# The English articles (tests/ingest/test_realnews_esfr.py checks the es- and fr- ones).
PATHS = sorted(
    p
    for p in DEV.iterdir()
    if p.suffix in (".md", ".html") and not p.name.startswith(("es-", "fr-"))
)
IDS = [p.name for p in PATHS]


def gold(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.with_suffix(".expected.json").read_text("utf-8"))
    return data


def records() -> list[dict[str, Any]]:
    return [
        json.loads(line)
        for path in RECORD_FILES
        for line in path.read_text("utf-8").splitlines()
        if line
    ]


def test_the_split_has_enough_articles_of_each_kind() -> None:
    kinds = Counter(gold(p)["kind"] for p in PATHS)
    assert len(PATHS) >= 24
    assert kinds["wire"] >= 8 and kinds["ngo"] >= 6 and kinds["court"] >= 5
    assert kinds["local"] + kinds["newspaper"] >= 5
    about = [gold(p)["record"] for p in PATHS]
    assert 0.1 <= about.count(None) / len(about) <= 0.25
    stems = {p.stem for p in PATHS}
    english = [p for p in DEV.glob("*.expected.json") if not p.name.startswith(("es-", "fr-"))]
    assert [p.name for p in english if p.name[:-14] not in stems] == []


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_gold_file_has_the_agreed_format(path: Path) -> None:
    g = gold(path)
    assert list(g) == KEYS + EXTRA
    assert g["kind"] in KINDS and g["language"] == "en"
    assert g["source_url"].startswith(("http://", "https://")) and g["notes"]
    assert date.fromisoformat(g["published"]).month in ODD_MONTHS
    for figure in g["figures"]:
        keys = ["value", "unit", "counts", "period"]
        assert list(figure) == keys + (["currency"] if figure["unit"] == "money" else [])
        assert re.fullmatch(r"[a-z]+", figure["counts"]), figure
    for quote in g["quotes"]:
        assert list(quote) == ["speaker", "organization", "starts"]
        assert quote["speaker"] and len(quote["starts"].split()) == 4
    for statute in g["statutes"]:
        assert list(statute) == ["statute", "article"]
    for key, fields in (
        ("events", ("date", "precision")),
        ("figures", ("value", "unit", "counts")),
        ("quotes", ("speaker", "starts")),
        ("statutes", ("statute", "article")),
    ):
        items = [tuple(item[f] for f in fields) for item in g[key]]
        assert len(items) == len(set(items)), key


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_every_gold_quote_is_in_the_rewrite(path: Path) -> None:
    text = article_body(path)
    for quote in gold(path)["quotes"]:
        assert quote["starts"] in text, quote


def _written(day: date, precision: str, published: date, text: str) -> bool:
    # real news says "Tomorrow", "yesterday" and "Sept. 12", which the invented set never did
    if precision == "day":
        if day == published + timedelta(days=1) and re.search(r"(?i)\btomorrow\b", text):
            return True
        if day == published - timedelta(days=1) and re.search(r"(?i)\byesterday\b", text):
            return True
        if day.month == 9 and re.search(rf"\bSept\.? {day.day}\b", text):
            return True
    if precision == "year":  # "entered the war … two years ago"
        words = {1: "one|a", 2: "two", 3: "three", 4: "four", 5: "five"}
        n = published.year - day.year
        if n in words and re.search(rf"(?i)\b(?:{n}|{words[n]}) years? ago\b", text):
            return True
    check = {"day": _day_is_written, "month": _month_is_written, "year": _year_is_written}
    return check[precision](day, published, text)


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_every_gold_date_is_written_in_the_rewrite(path: Path) -> None:
    g = gold(path)
    published = date.fromisoformat(g["published"])
    text = article_body(path)
    for event in g["events"]:
        assert _written(date.fromisoformat(event["date"]), event["precision"], published, text)


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_record_statutes_and_tags_come_from_the_tracker(path: Path) -> None:
    tracker = records()
    g = gold(path)
    assert g["record"] is None or g["record"] in {r["slug"] for r in tracker}
    statutes = {law["statute"] for r in tracker for law in r["internationalLaw"]}
    assert {s["statute"] for s in g["statutes"]} <= statutes
    assert set(g["tags"]) <= {tag for r in tracker for tag in r["tags"]}


def test_the_tracker_imports_and_checks_without_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    folder = tmp_path / "t"
    result = runner.invoke(app, ["init", str(folder), "--url", "https://dev.example.org"])
    assert result.exit_code == 0, result.stderr
    count = len(records())
    for path in RECORD_FILES:
        lines = [line for line in path.read_text("utf-8").splitlines() if line]
        result = runner.invoke(app, ["--tracker", str(folder), "import", str(path)])
        assert result.exit_code == 0, result.stderr
        assert f"Imported {len(lines)} records" in result.stdout
    result = runner.invoke(app, ["--tracker", str(folder), "check"])
    assert result.exit_code == 0, result.stdout
    assert f"{count} records checked: 0 errors" in result.stdout
    # look-alike records no article is about: matching has to tell them apart
    about = {gold(p)["record"] for p in PATHS}
    assert len({r["slug"] for r in records()} - about) >= 3
