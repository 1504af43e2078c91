"""One ranking on both engines (issue 16): SQLite's FTS5 bm25 and PostgreSQL's
`search_rank.bm25` over the same statistics give the same hits in the same order, with the
same scores, on every judged query of benchmarks/search_quality.py."""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from casework import search_rank
from casework.demo import DEMO_SITE
from casework.examples import generate_records
from casework.model import Status
from casework.store import open_store
from casework.store.base import Query

from .pg import fresh_database

JUDGMENTS = Path(__file__).parents[2] / "benchmarks" / "search_judgments.json"
QUERIES = [q["query"] for q in json.loads(JUDGMENTS.read_text(encoding="utf-8"))["queries"]]
# Beside the judged queries: a prefix, a word folding splits, a word and its stem twice.
EXTRA = ["civilian*", "attack civil*", "mine mines", "school attack shelling"]


def _rankings(url: str) -> list[list[tuple[str, float]]]:
    records = list(generate_records(120, seed=1, site=DEMO_SITE, mutual_links=True))
    store = open_store(url)
    try:
        # A quarter drafts: editors' statistics count them, public ones do not.
        store.import_records(records[:90], author="test", message="demo", status=Status.published)
        store.import_records(records[90:], author="test", message="demo", status=Status.draft)
        # Editors' searches (every record's statistics) and public ones (published records').
        return [
            [(hit.slug, round(hit.score, 9)) for hit in store.search(query).hits]
            for q in [*QUERIES, *EXTRA]
            for query in (Query(text=q, limit=20), Query(text=q, limit=20, status=Status.published))
        ]
    finally:
        store.close()


@pytest.fixture(scope="module")
def sqlite_rankings(tmp_path_factory: pytest.TempPathFactory) -> list[list[tuple[str, float]]]:
    return _rankings(f"sqlite:///{tmp_path_factory.mktemp('rank') / 'demo.db'}")


@pytest.fixture(scope="module")
def postgres_rankings() -> Iterator[list[list[tuple[str, float]]]]:
    with fresh_database("casework_rank") as url:
        yield _rankings(url)


def test_engines_give_the_judged_queries_one_order_and_one_score(
    sqlite_rankings: list[list[tuple[str, float]]],
    postgres_rankings: list[list[tuple[str, float]]],
) -> None:
    assert sum(len(r) for r in sqlite_rankings) > 300  # the queries find records
    assert sum(any(score for _s, score in r) for r in sqlite_rankings) > 40  # and rank them
    asked = [q for q in [*QUERIES, *EXTRA] for _ in range(2)]
    for query, lite, pg in zip(asked, sqlite_rankings, postgres_rankings, strict=True):
        assert pg == lite, query


def test_bm25_is_fts5s(tmp_path: Path) -> None:
    """The formula in Python gives what FTS5's bm25 gives, to the last bits, column weights,
    column filter and all."""
    db = sqlite3.connect(tmp_path / "t.db")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(title, tags, summary, key_points, description)")
    rows = [
        ("mine field", "mine", "a mine was found", "", "long description " * 7),
        ("school", "", "mine near the school", "mine", "mine"),
        ("other", "x", "nothing", "", ""),
        ("mine", "", "", "", ""),
        ("quiet", "", "calm", "", "calm"),
    ]
    db.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?)", rows)
    weights = ", ".join(map(str, search_rank.FIELD_WEIGHTS))
    lengths = [sum(len(text.split()) for text in row) for row in rows]
    avgdl = sum(lengths) / len(rows)
    for expression, fields in (('"mine"', range(5)), ('{title tags} : "mine"', range(2))):
        got = db.execute(
            f"SELECT rowid, -bm25(t, {weights}) FROM t WHERE t MATCH ? ORDER BY rowid",
            (expression,),
        ).fetchall()
        counts = {
            i + 1: sum(search_rank.FIELD_WEIGHTS[f] * row[f].split().count("mine") for f in fields)
            for i, row in enumerate(rows)
        }
        held = [rowid for rowid, n in counts.items() if n]
        idf = search_rank.idf(len(held), len(rows))
        expected = [
            (rowid, search_rank.bm25([counts[rowid]], [idf], lengths[rowid - 1], avgdl))
            for rowid in held
        ]
        assert [rowid for rowid, _ in got] == held
        for (_, score), (_, mine) in zip(got, expected, strict=True):
            assert math.isclose(score, mine, rel_tol=1e-12), expression
