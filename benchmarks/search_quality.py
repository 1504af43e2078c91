"""Search quality: nDCG@10 of the judged queries in benchmarks/search_judgments.json over the
demo tracker (`casework demo`'s 120 records, seed 1), before (words only cut and folded:
search as it was before stemming) and after (Snowball stemming, `casework.search_words`),
on SQLite, on PostgreSQL (with --postgres URL, or $CASEWORK_TEST_POSTGRES) and in the static
index (search.js under node), and how often the engines give the same first ten in the
same order.

    PYTHONPATH=src python benchmarks/search_quality.py [--postgres postgresql://postgres@127.0.0.1:5432]

The judgments (benchmarks/search_judgments.json, which says how they were made) grade each
record 3 (its incident is what the query asks for), 2 (a closely related practice, or a tag
names the concept) or 1 (a broader tag, or its short text mentions it), from reading the demo
records' text, frozen with the grades; the file holds a fingerprint of the demo text they were
made against, and the benchmark says when the demo text has changed since.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from casework import search_words
from casework.demo import DEMO_SITE
from casework.examples import generate_records
from casework.model import Status
from casework.store import open_store
from casework.store.base import Query

ROOT = Path(__file__).resolve().parent.parent
JUDGMENTS = Path(__file__).with_name("search_judgments.json")
SEARCH_JS = ROOT / "src/casework/render/static/search.js"
K = 10


def ndcg(ranked: list[str], grades: dict[str, int], k: int = K) -> float:
    gains = [grades.get(slug, 0) for slug in ranked[:k]]
    dcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sorted(grades.values(), reverse=True)[:k]
    best = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best else 0.0


def _records() -> list:  # type: ignore[type-arg]
    return list(generate_records(120, seed=1, site=DEMO_SITE, mutual_links=True))


def demo_fingerprint() -> str:
    """What search_judgments.json's `demo_text.fingerprint` was computed from."""
    fields = [[r.slug, r.title, r.summary, r.tags, r.key_points, r.description] for r in _records()]
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode()).hexdigest()


def _store_rankings(url: str, queries: list[str], language: str) -> list[list[str]]:
    store = open_store(url, language)
    try:
        store.import_records(_records(), author="bench", message="demo", status=Status.published)
        return [[h.slug for h in store.search(Query(text=q, limit=K)).hits] for q in queries]
    finally:
        store.close()


def _static_rankings(folder: Path, queries: list[str], language: str) -> list[list[str]]:
    from casework.publish.public_view import public_locations
    from casework.publish.search_index import search_document, write_search_index

    node = shutil.which("node")
    if node is None:
        return []
    index = folder / "index"
    index.mkdir()
    with search_words.using(language):
        docs = [search_document(public_locations(r), DEMO_SITE) for r in _records()]
        write_search_index(docs, index, {})
    script = (
        f"const s = require({json.dumps(str(SEARCH_JS))});"
        "const fs = require('fs'); const path = require('path');"
        "const dir = process.argv[1]; const qs = JSON.parse(process.argv[2]);"
        "const e = s.createSearch((p) => Promise.resolve("
        "JSON.parse(fs.readFileSync(path.join(dir, p), 'utf8'))));"
        "(async () => { const out = []; for (const q of qs) {"
        "const r = await e.run({q}); out.push(r.records.slice(0, 10).map((x) => x[0])); }"
        "process.stdout.write(JSON.stringify(out)); })();"
    )
    done = subprocess.run(
        [node, "-e", script, str(index), json.dumps(queries)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return list(json.loads(done.stdout))


@contextmanager
def _postgres(server: str) -> Iterator[str]:
    import psycopg

    name = f"casework_quality_{secrets.token_hex(4)}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", default=os.environ.get("CASEWORK_TEST_POSTGRES", ""))
    args = parser.parse_args()
    judgments = json.loads(JUDGMENTS.read_text(encoding="utf-8"))
    if not judgments["demo_text"]["fingerprint"].endswith(demo_fingerprint()):
        print("warning: the demo text has changed since the judgments were made: re-judge them")
    judged = judgments["queries"]
    queries = [q["query"] for q in judged]
    grades = [q["grades"] for q in judged]
    print(f"{len(queries)} judged queries over the demo tracker; nDCG@{K} (mean)")
    results: dict[str, dict[str, list[list[str]]]] = {}
    for mode in (search_words.PLAIN, search_words.DEFAULT_LANGUAGE):
        engines: dict[str, Callable[[Path], list[list[str]]]] = {
            "sqlite": lambda d, m=mode: _store_rankings(f"sqlite:///{d / 'q.db'}", queries, m),
        }
        if args.postgres:

            def pg(_d: Path, m: str = mode) -> list[list[str]]:
                with _postgres(args.postgres.replace("+psycopg", "")) as url:
                    return _store_rankings(url, queries, m)

            engines["postgres"] = pg
        engines["static"] = lambda d, m=mode: _static_rankings(d, queries, m)
        results[mode] = {}
        for engine, run in engines.items():
            with tempfile.TemporaryDirectory() as folder:
                ranked = run(Path(folder))
            if ranked:
                results[mode][engine] = ranked
    label = {search_words.PLAIN: "before (no stemming)", "english": "after (Snowball english)"}
    for mode, engines_ranked in results.items():
        for engine, ranked in engines_ranked.items():
            scores = [ndcg(r, g) for r, g in zip(ranked, grades, strict=True)]
            print(f"  {label[mode]:<26} {engine:<9} nDCG@{K} = {sum(scores) / len(scores):.3f}")
    after = results[search_words.DEFAULT_LANGUAGE]
    base = after["sqlite"]
    for engine, ranked in after.items():
        if engine == "sqlite":
            continue
        same_set = sum(set(a) == set(b) for a, b in zip(base, ranked, strict=True))
        same_order = sum(a == b for a, b in zip(base, ranked, strict=True))
        print(
            f"  after: {engine} vs sqlite: same first {K} on {same_set}/{len(queries)} queries,"
            f" in the same order on {same_order}/{len(queries)}"
        )


if __name__ == "__main__":
    main()
