"""The Spanish and French part of the real-news ingest set (tests/fixtures/realnews/, files
`es-*` and `fr-*`, tracker records/esfr.ndjson) is well-formed: every article has a gold file
with the agreed keys, its record is in the tracker and the tracker imports, and what the gold
expects is written in the rewrite (quotes verbatim, dates in Spanish or French).

The checks of test_gold_set.py, made to read Spanish and French dates; gold statutes carry the
article's own name, so a French or Spanish name is looked up in the tracker through ALIASES."""

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

REALNEWS = Path(__file__).resolve().parents[1] / "fixtures" / "realnews"
RECORDS = REALNEWS / "records" / "esfr.ndjson"

KEYS = ["record", "title", "published", "authors", "publisher", "events", "figures", "quotes"]
KEYS += ["statutes", "tags", "source_url", "kind", "language", "notes"]
KINDS = {"wire", "ngo", "court", "local", "newspaper", "government"}
MONTHS = {
    "es": [
        "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
        "septiembre", "octubre", "noviembre", "diciembre",
    ],
    "fr": [
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
        "octobre", "novembre", "décembre",
    ],
}  # fmt: skip
WEEKDAYS = {
    "es": ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
}
# words for the publication day and the day before it
TODAY = {"es": ("hoy", "esta madrugada"), "fr": ("aujourd",)}
YESTERDAY = {"es": ("ayer",), "fr": ("la veille",)}
# the article's name of an instrument → the tracker's (English) name for it
ALIASES = {
    "Statut de Rome": "Rome Statute",
    "derecho internacional de los derechos humanos": "international human rights law",
}


def article_paths() -> list[Path]:
    return sorted(
        p
        for split in ("dev", "heldout")
        for p in (REALNEWS / split).glob("*")
        if p.suffix in (".md", ".html") and p.name[:3] in ("es-", "fr-")
    )


def expected(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.with_suffix(".expected.json").read_text("utf-8"))
    return data


def records() -> list[dict[str, Any]]:
    return [json.loads(line) for line in RECORDS.read_text("utf-8").splitlines() if line]


def body(path: Path) -> str:
    """The text a reader takes the items from: trafilatura's main text of a page, a Markdown
    file without its front matter and with links and emphasis reduced to their words."""
    raw = path.read_text("utf-8")
    if path.suffix == ".html":
        text = trafilatura.extract(raw) or ""
    else:
        text = re.sub(r"\A---\n.*?\n---\n", "", raw, flags=re.DOTALL)
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
        text = re.sub(r"(?<!\w)[*_]+|[*_]+(?!\w)", "", text)
    return " ".join(html.unescape(text).split())


PATHS = article_paths()
IDS = [p.name for p in PATHS]


def test_the_set_has_both_languages_in_both_splits() -> None:
    for prefix in ("es-", "fr-"):
        for split in ("dev", "heldout"):
            found = [p for p in PATHS if p.parent.name == split and p.name.startswith(prefix)]
            assert len(found) >= 3, (prefix, split)
    about = [expected(p)["record"] for p in PATHS]
    assert about.count(None) >= 2
    stems = {(p.parent.name, p.stem) for p in PATHS}
    for split in ("dev", "heldout"):
        for gold in (REALNEWS / split).glob("[ef][sr]-*.expected.json"):
            assert (split, gold.name.removesuffix(".expected.json")) in stems, gold.name


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_expected_file_has_the_agreed_format(path: Path) -> None:
    gold = expected(path)
    assert list(gold) == KEYS
    assert gold["language"] == path.name[:2]
    assert gold["kind"] in KINDS
    assert gold["source_url"].startswith("http") and gold["notes"]
    date.fromisoformat(gold["published"])
    for event in gold["events"]:
        assert list(event) == ["date", "precision"]
        day = date.fromisoformat(event["date"])
        assert event["precision"] in {"day", "month", "year"}
        assert event["precision"] == "day" or day.day == 1
        assert event["precision"] != "year" or day.month == 1
    for figure in gold["figures"]:
        money = figure["unit"] == "money"
        assert list(figure) == ["value", "unit", "counts", "period"] + (["currency"] * money)
        assert figure["value"] > 0 and figure["unit"] in {"people", "percent", "money", "count"}
        assert re.fullmatch(r"[a-z]+", figure["counts"]), figure
    for quote in gold["quotes"]:
        assert list(quote) == ["speaker", "organization", "starts"]
        assert quote["speaker"] and len(quote["starts"].split()) == 4
    for key, fields in (
        ("events", ("date", "precision")),
        ("figures", ("value", "unit", "counts")),
        ("quotes", ("speaker", "starts")),
        ("statutes", ("statute", "article")),
    ):
        items = [tuple(item[f] for f in fields) for item in gold[key]]
        assert len(items) == len(set(items)), key


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_record_statutes_and_tags_come_from_the_tracker(path: Path) -> None:
    tracker = records()
    gold = expected(path)
    statutes = {law["statute"] for r in tracker for law in r["internationalLaw"]}
    assert gold["record"] is None or gold["record"] in {r["slug"] for r in tracker}
    assert {ALIASES.get(s["statute"], s["statute"]) for s in gold["statutes"]} <= statutes
    assert set(gold["tags"]) <= {tag for r in tracker for tag in r["tags"]}


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
    assert len({r["slug"] for r in records()}) == count


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_every_expected_quote_is_in_the_article(path: Path) -> None:
    text = body(path)
    for quote in expected(path)["quotes"]:
        assert quote["starts"] in text, quote


def _written(day: date, precision: str, published: date, language: str, text: str) -> bool:
    low = text.lower()
    month = MONTHS[language][day.month - 1]
    if precision == "year":
        return re.search(rf"\b{day.year}\b", text) is not None
    if precision == "month":
        # 'la fin de la semaine prochaine': a scheduled week, dated by its month
        return month in low or "semaine prochaine" in low
    # '16 de marzo', '16 mars', 'le 10 et le 30 juillet', '1 Ene.'
    if re.search(rf"\b{day.day} (?:de )?{month}|\b{day.day} {month[:3]}", low):
        return True
    if re.search(rf"\b{day.day} (?:et le|y el) \d+ (?:de )?{month}", low):
        return True
    if day == published and any(word in low for word in TODAY[language]):
        return True
    if day == published - timedelta(days=1) and any(w in low for w in YESTERDAY[language]):
        return True
    weekday = WEEKDAYS[language][day.weekday()]
    return abs((day - published).days) < 7 and weekday in low


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_every_expected_date_is_written_in_the_article(path: Path) -> None:
    gold = expected(path)
    published = date.fromisoformat(gold["published"])
    text = body(path)
    for event in gold["events"]:
        day = date.fromisoformat(event["date"])
        assert _written(day, event["precision"], published, gold["language"], text), event


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_metadata_is_what_the_file_says(path: Path) -> None:
    gold = expected(path)
    raw = path.read_text("utf-8")
    if path.suffix == ".html":
        assert f'<meta property="og:title" content="{gold["title"]}">' in raw
        assert f'<meta property="og:site_name" content="{gold["publisher"]}">' in raw
        return
    front = re.match(r"\A---\n(.*?)\n---\n", raw, re.DOTALL)
    assert front is not None
    assert f'title: "{gold["title"]}"' in front.group(1)
    assert f"publisher: {gold['publisher']}" in front.group(1)
    assert f"source: {gold['source_url']}" in front.group(1)
    authors = re.findall(r"^author: (.+)$", front.group(1), re.MULTILINE)
    assert authors == gold["authors"]
