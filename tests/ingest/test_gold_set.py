"""The ingest gold set (tests/fixtures/articles/) is well-formed: every article has an expected
file in the agreed format, its record exists and the records import, and what it expects is
actually written in the article (quotes, dates, metadata)."""

from __future__ import annotations

import html
import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import trafilatura
from typer.testing import CliRunner

from casework.cli import app

ARTICLES = Path(__file__).resolve().parents[1] / "fixtures" / "articles"
RECORDS = ARTICLES / "records.ndjson"

KEYS = ["record", "title", "published", "authors", "publisher", "events", "figures", "quotes"]
KEYS += ["statutes", "tags"]
PRECISIONS = {"day", "month", "year"}
UNITS = {"people", "percent", "money", "count"}
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def article_paths() -> list[Path]:
    return sorted(
        p for p in ARTICLES.iterdir() if p.suffix in (".md", ".html") and p.name != "README.md"
    )


def expected(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.with_suffix(".expected.json").read_text("utf-8"))
    return data


def records() -> list[dict[str, Any]]:
    return [json.loads(line) for line in RECORDS.read_text("utf-8").splitlines() if line]


def body(path: Path) -> str:
    """The article's text without its metadata: the main text trafilatura finds in a page
    (never its navigation, related links or cookie notice), a Markdown file without its front
    matter and byline."""
    raw = path.read_text("utf-8")
    if path.suffix == ".html":
        text = trafilatura.extract(raw) or ""
    else:
        text = re.sub(r"\A---\n.*?\n---\n", "", raw, flags=re.DOTALL)
        text = "\n".join(line for line in text.splitlines() if not line.startswith("By "))
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links keep their words
        text = re.sub(r"(?<!\w)[*_]+|[*_]+(?!\w)", "", text)  # and emphasis its text
    return " ".join(html.unescape(text).split())


def html_meta(raw: str) -> dict[str, str]:
    """`name`/`property` → `content` of a page's meta tags."""
    meta: dict[str, str] = {}
    for tag in re.findall(r"<meta\s[^>]*>", raw):
        key = re.search(r'(?:name|property)="([^"]+)"', tag)
        content = re.search(r'content="([^"]*)"', tag)
        if key and content:
            meta[key.group(1)] = html.unescape(content.group(1))
    return meta


PATHS = article_paths()
IDS = [p.name for p in PATHS]


def test_the_set_has_the_articles_the_benchmark_needs() -> None:
    kinds = [p.suffix for p in PATHS]
    about = [expected(p)["record"] for p in PATHS]
    assert len(PATHS) >= 14
    assert kinds.count(".html") >= 5
    assert sum(1 for slug in about if slug is not None) >= 12
    assert about.count(None) >= 2
    # every expected file belongs to an article
    stems = {p.stem for p in PATHS}
    orphans = [p.name for p in ARTICLES.glob("*.expected.json") if p.name[:-14] not in stems]
    assert orphans == []


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_expected_file_has_the_agreed_format(path: Path) -> None:
    gold = expected(path)
    assert list(gold) == KEYS
    assert gold["record"] is None or isinstance(gold["record"], str)
    assert gold["title"] and isinstance(gold["title"], str)
    date.fromisoformat(gold["published"])
    assert all(isinstance(a, str) and a for a in gold["authors"])
    assert isinstance(gold["publisher"], str)
    for event in gold["events"]:
        assert list(event) == ["date", "precision"]
        day = date.fromisoformat(event["date"])
        assert event["precision"] in PRECISIONS
        if event["precision"] != "day":
            assert day.day == 1, event
        if event["precision"] == "year":
            assert day.month == 1, event
    for figure in gold["figures"]:
        money = figure["unit"] == "money"
        keys = ["value", "unit", "counts", "period"] + (["currency"] if money else [])
        assert list(figure) == keys, figure
        assert isinstance(figure["value"], int | float) and figure["value"] > 0
        assert figure["unit"] in UNITS
        assert re.fullmatch(r"[a-z]+", figure["counts"]), figure
        assert figure["period"] is None or re.fullmatch(r"\d{4}(-\d{2}|-\d{4})?", figure["period"])
        if money:
            assert figure["counts"] == "money" and re.fullmatch(r"[A-Z]{3}", figure["currency"])
    for quote in gold["quotes"]:
        assert list(quote) == ["speaker", "organization", "starts"]
        assert quote["speaker"] and len(quote["starts"].split()) == 4
    for statute in gold["statutes"]:
        assert list(statute) == ["statute", "article"]
        assert statute["article"] is None or not statute["article"].lower().startswith("art")
    # lists are sets, as the scoring treats them
    for key, fields in (
        ("events", ("date", "precision")),
        ("figures", ("value", "unit", "counts")),
        ("quotes", ("speaker", "starts")),
        ("statutes", ("statute", "article")),
    ):
        items = [tuple(item[f] for f in fields) for item in gold[key]]
        assert len(items) == len(set(items)), key
    assert len(gold["tags"]) == len(set(gold["tags"]))


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_record_statutes_and_tags_come_from_the_tracker(path: Path) -> None:
    tracker = records()
    gold = expected(path)
    slugs = {r["slug"] for r in tracker}
    statutes = {law["statute"] for r in tracker for law in r["internationalLaw"]}
    tags = {tag for r in tracker for tag in r["tags"]}
    assert gold["record"] is None or gold["record"] in slugs
    assert {s["statute"] for s in gold["statutes"]} <= statutes
    assert set(gold["tags"]) <= tags


def test_records_import_into_a_fresh_tracker_without_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    folder = tmp_path / "t"
    result = runner.invoke(app, ["init", str(folder), "--url", "https://gold.example.org"])
    assert result.exit_code == 0, result.stderr
    count = len(records())
    result = runner.invoke(app, ["--tracker", str(folder), "import", str(RECORDS)])
    assert result.exit_code == 0, result.stderr
    assert f"Imported {count} records" in result.stdout
    result = runner.invoke(app, ["--tracker", str(folder), "check"])
    assert result.exit_code == 0, result.stdout
    assert f"{count} records checked: 0 errors" in result.stdout
    assert len({r["slug"] for r in records()}) == count >= 12


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_every_expected_quote_is_in_the_article(path: Path) -> None:
    text = body(path)
    for quote in expected(path)["quotes"]:
        assert quote["starts"] in text, quote
    if path.name == "estmark-landmine-memo.md":
        assert "said Ines Morrow, Civic Shield International's advocacy director" in text


def _day_is_written(day: date, published: date, text: str) -> bool:
    month = MONTHS[day.month - 1]
    short = month[:3]
    written = (
        rf"\b{day.day}\s+(?:{month}|{short})\b|\b(?:{month}|{short})\.?\s+{day.day}\b"
        rf"|\b{day.isoformat()}\b"
    )
    if re.search(written, text):
        return True
    if day == published and re.search(r"\btoday\b", text):
        return True
    # a weekday names a day within a week of the publication date
    weekday = re.search(rf"\b{WEEKDAYS[day.weekday()]}\b", text)
    return abs((day - published).days) < 7 and weekday is not None


def _month_is_written(day: date, published: date, text: str) -> bool:
    if re.search(rf"\b{MONTHS[day.month - 1]}\b", text):
        return True
    this_month = published.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    next_month = (this_month + timedelta(days=31)).replace(day=1)
    week_ago = published - timedelta(days=published.weekday() + 7)  # last week's Monday
    relative = {
        this_month: r"\b(?:earlier )?this month\b",
        last_month: r"\blast month\b",
        next_month: r"\bnext month\b",
    }
    if day in relative and re.search(relative[day], text, re.IGNORECASE):
        return True
    # the month holding most of last week (its Thursday's month)
    last_week = (week_ago + timedelta(days=3)).replace(day=1)
    return day == last_week and re.search(r"\blast week\b", text, re.IGNORECASE) is not None


def _year_is_written(day: date, published: date, text: str) -> bool:
    if re.search(rf"\b{day.year}\b", text):
        return True
    if day.year == published.year - 1 and re.search(r"\blast year\b", text, re.IGNORECASE):
        return True
    this_year = re.search(r"\bthis year\b", text, re.IGNORECASE)
    return day.year == published.year and this_year is not None


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_every_expected_date_is_written_in_the_article(path: Path) -> None:
    """Sanity, not the extractor: each event's day, month or year appears in the text, or a
    relative expression that resolves to it against the publication date."""
    gold = expected(path)
    published = date.fromisoformat(gold["published"])
    text = body(path)
    check = {"day": _day_is_written, "month": _month_is_written, "year": _year_is_written}
    for event in gold["events"]:
        day = date.fromisoformat(event["date"])
        assert check[event["precision"]](day, published, text), event


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_metadata_is_what_the_file_says(path: Path) -> None:
    gold = expected(path)
    raw = path.read_text("utf-8")
    published = date.fromisoformat(gold["published"])
    if path.suffix == ".html":
        meta = html_meta(raw)
        assert meta["og:title"] == gold["title"]
        assert meta["article:published_time"].startswith(gold["published"])
        assert [meta["author"]] == gold["authors"]
        assert meta["og:site_name"] == gold["publisher"]
        # the page chrome a reader has to see past
        for part in ("<nav", "<footer", "cookie", "related"):
            assert part in raw.lower(), part
        return
    forms = [
        published.isoformat(),
        f"{published:%b} {published.day}, {published.year}",
        f"{published:%B} {published.day}, {published.year}",
        f"{published.day} {published:%B} {published.year}",
        f"{published.day} {published:%b} {published.year}",
    ]
    byline = re.search(r"^By (.+?) \| (.+)$", raw, re.MULTILINE)
    if byline:
        names = [n.strip().title() for n in re.split(r",| and ", byline.group(1)) if n.strip()]
        assert names == gold["authors"]
        assert byline.group(2).strip() in forms
        title = raw.splitlines()[0].removeprefix("# ")
        assert title == gold["title"]
    else:
        front = re.match(r"\A---\n(.*?)\n---\n", raw, re.DOTALL)
        assert front is not None, "neither a byline nor front matter"
        assert f"date: {gold['published']}" in front.group(1)
        assert f'title: "{gold["title"]}"' in front.group(1)
        assert f"publisher: {gold['publisher']}" in front.group(1)
