"""The real-news held-out split (tests/fixtures/realnews/heldout/, English articles) is
well-formed: the agreed gold format, even months only (the dev split has the odd ones), every
gold quote written in the rewrite, records and tags from the tracker, a tracker that imports
without errors. Nothing here runs the extractors: the split is scored only by
benchmarks/ingest_eval.py, and never tuned on."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from casework.cli import app
from tests.ingest.test_gold_set import KEYS
from tests.ingest.test_realnews_dev import EXTRA, KINDS, article_body

HELDOUT = Path(__file__).resolve().parents[1] / "fixtures" / "realnews" / "heldout"
RECORDS = HELDOUT.parent / "records" / "heldout.ndjson"
PATHS = sorted(
    p
    for p in HELDOUT.iterdir()
    if p.suffix in (".md", ".html") and not p.name.startswith(("es-", "fr-"))
)
IDS = [p.name for p in PATHS]


def gold(path: Path) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(path.with_suffix(".expected.json").read_text("utf-8"))
    return found


def records() -> list[dict[str, Any]]:
    lines = RECORDS.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_the_split_has_enough_articles_of_each_kind() -> None:
    kinds = Counter(gold(p)["kind"] for p in PATHS)
    assert len(PATHS) >= 18
    assert kinds["wire"] >= 4 and kinds["ngo"] >= 4 and kinds["court"] >= 4
    about = [gold(p)["record"] for p in PATHS]
    assert 0.1 <= about.count(None) / len(about) <= 0.25


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_gold_file_has_the_agreed_format(path: Path) -> None:
    g = gold(path)
    assert list(g) == KEYS + EXTRA
    assert g["kind"] in KINDS and g["language"] == "en"
    assert g["source_url"].startswith(("http://", "https://")) and g["notes"]
    assert date.fromisoformat(g["published"]).month % 2 == 0
    for figure in g["figures"]:
        assert re.fullmatch(r"[a-z]+", figure["counts"]), figure
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


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_records_and_tags_come_from_the_tracker(path: Path) -> None:
    tracker = records()
    g = gold(path)
    assert g["record"] is None or g["record"] in {r["slug"] for r in tracker}
    assert set(g["tags"]) <= {tag for r in tracker for tag in r["tags"]}


def test_the_tracker_imports_without_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    folder = tmp_path / "t"
    assert runner.invoke(app, ["init", str(folder)]).exit_code == 0
    result = runner.invoke(app, ["--tracker", str(folder), "import", str(RECORDS)])
    assert result.exit_code == 0, result.stderr
    result = runner.invoke(app, ["--tracker", str(folder), "check"])
    assert result.exit_code == 0, result.stdout
    assert f"{len(records())} records checked: 0 errors" in result.stdout
