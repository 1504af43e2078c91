"""Search benchmark: p50/p99 of 200 one- and two-word queries with facet counts, and its peers.

    python benchmarks/search.py [--records 100000] [--worst N]

Builds (once; cached under ./bench-data/) a tracker of N generated records, then runs two sets
of 200 queries through `Store.search` with all six facets, each set twice (the first pass
asks each word for the first time; the second, the same queries again): the realistic set
(words drawn uniformly from the distinct words of titles, tags, summaries and key points:
what readers type) and the stress set (words drawn by frequency from titles, summaries and
bodies: mostly words found in most records); the goal (issue 17: p99 <= 20 ms at 100,000
records) applies to both.
In the same run the peers on the same text: a naive one-table FTS5 index (every field and the
body, detail=full) queried with plain bm25 (`ORDER BY rank LIMIT 20`), and a GROUP BY facet
count over its matches joined to the records table. Each query's CPU time is printed beside
its wall-clock time: on a shared machine only the CPU time is comparable between runs.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

from casework.model import Record
from casework.store import history as h
from casework.store import open_store
from casework.store.base import Query

BENCH_DATA = Path("bench-data")
STOPWORDS = set(
    "the and that with from were their this have which they been after said into about over "
    "also than there other more when where while would could should these those what under "
    "between during against before being only them then some such through".split()
)


def records(n: int, seed: int = 1) -> tuple[str, Iterator[Record]]:
    """(name of the generator, records): casework.examples when it exists, else a local one."""
    try:
        from casework.examples import generate_records
    except ImportError:
        return "local", _local_records(n, seed)
    return "examples", generate_records(n, seed=seed)


_WORDS = (
    "detention border raid court ruling appeal police protest curfew checkpoint village "
    "airstrike convoy shelter hospital school journalist lawyer witness refugee camp ministry "
    "decree injunction deportation flight asylum hearing tribunal militia soldiers unit "
    "commander order evidence footage testimony report investigation families children "
    "strike drone harbour fuel water medicine aid blockade permit visa judge prosecutor "
    "federal state province district county city river bridge road market mosque church "
    "clinic warehouse prison cell guard interrogation statement denial spokesperson agency"
).split()


def _local_records(n: int, seed: int) -> Iterator[Record]:
    rng = random.Random(seed)
    vocab = _WORDS + ["".join(rng.choice("bcdfgklmnprstvz") + rng.choice("aeiou")
                               for _ in range(rng.randint(2, 4))) for _ in range(6000)]  # fmt: skip
    weights = [1 / (i + 1) ** 0.9 for i in range(len(vocab))]
    tags = [f"{a} {b}" for a, b in zip(vocab[:150], vocab[150:300], strict=True)]

    def sentence(k: int) -> str:
        return " ".join(rng.choices(vocab, weights, k=k)).capitalize() + "."

    start = date(2010, 1, 1)
    for i in range(n):
        sections_md, sections_html = [], []
        while sum(map(len, sections_md)) < 5800:
            heading = sentence(4)[:-1]
            para = " ".join(sentence(rng.randint(10, 22)) for _ in range(5))
            items = [sentence(8) for _ in range(3)]
            sections_md.append(f"## {heading}\n\n{para}\n\n" + "".join(f"- {x}\n" for x in items))
            sections_html.append(
                f"<h2>{heading}</h2>\n<p>{para}</p>\n<ul>\n"
                + "".join(f"<li>{x}</li>\n" for x in items) + "</ul>"
            )  # fmt: skip
        day = start + timedelta(days=rng.randrange(15 * 365))
        yield Record.model_validate(
            {
                "slug": f"example-{i}", "title": sentence(7)[:-1], "date": day.isoformat(),
                "lastUpdated": day.isoformat(), "summary": sentence(40),
                "category": rng.choice(["foreign-policy", "rule-of-law", "deportation",
                                        "civil-liberties", "domestic-military",
                                        "humanitarian-aid"]),
                "severity": rng.choice(["concerning", "serious", "severe", "extreme"]),
                "posture": rng.choice(["reported", "executive-action", "litigation",
                                       "judicial-finding", "disputed"]),
                "ongoing": rng.random() < 0.3, "victims": sentence(6), "perpetrators": sentence(4),
                "structuredVictims": [], "structuredPerpetrators": [], "legalBasis": sentence(8),
                "tags": rng.sample(tags, 4), "keyPoints": [sentence(15) for _ in range(4)],
                "warCrimeClassification": "none", "internationalLaw": [], "iccRelevance": False,
                "legalAnalyses": [], "description": sentence(60), "relatedIncidents": [],
                "sources": [], "documents": [], "timeline": [], "updateLog": [],
                "$body": "\n".join(sections_md), "$bodyHtml": "\n".join(sections_html),
            }
        )  # fmt: skip


def build_store(n: int) -> Path:
    BENCH_DATA.mkdir(exist_ok=True)
    name, generated = records(n)
    path = BENCH_DATA / f"search-{name}-{n}.db"
    if path.exists():
        return path
    partial = path.with_suffix(".partial.db")
    for leftover in BENCH_DATA.glob(partial.name + "*"):
        leftover.unlink()
    store = open_store(partial)
    started = time.perf_counter()
    done = 0

    def progress(k: int) -> None:
        nonlocal done
        done += k
        if done % 10_000 < k:
            print(f"  imported {done:,} ({time.perf_counter() - started:.0f} s)", file=sys.stderr)

    store.import_records(generated, author="bench", message="benchmark", progress=progress)
    print(f"built {path}: generate + import {time.perf_counter() - started:.1f} s", file=sys.stderr)
    store.close()
    partial.rename(path)
    for suffix in ("-wal", "-shm"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    return path


def build_peer(store_path: Path) -> Path:
    """The naive peer: one FTS5 table over every field and the body, detail=full."""
    path = store_path.with_name(store_path.stem + "-peer.db")
    if path.exists():
        return path
    started = time.perf_counter()
    peer = sqlite3.connect(path)
    peer.execute(
        "CREATE VIRTUAL TABLE peer USING fts5(title, tags, summary, key_points, description, "
        "body, tokenize='unicode61 remove_diacritics 2')"
    )
    source = sqlite3.connect(store_path)
    cursor = source.execute("SELECT id, data FROM records ORDER BY id")
    while rows := cursor.fetchmany(1000):
        batch = []
        for rowid, data in rows:
            record = h.record_from_json(data)
            batch.append((rowid, *h.head_texts(record), h.body_text(record)))
        peer.executemany(
            "INSERT INTO peer VALUES (?, ?, ?, ?, ?, ?, ?)".replace(
                "VALUES (?",
                "(rowid, title, tags, summary, key_points, description, body) VALUES (?",
            ),
            batch,
        )
    peer.commit()
    peer.close()
    print(f"built {path} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return path


def _sample(db: sqlite3.Connection, rng: random.Random, k: int = 100) -> list[Record]:
    total = db.execute("SELECT max(id) FROM records").fetchone()[0]
    ids = sorted(rng.sample(range(1, total + 1), min(k, total)))
    return [
        h.record_from_json(data)
        for (data,) in db.execute(
            f"SELECT data FROM records WHERE id IN ({','.join(map(str, ids))}) ORDER BY id"
        )
    ]


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[^\W\d_]{4,}", text.lower()) if w not in STOPWORDS]


def _draw(words: list[str], rng: random.Random, count: int) -> list[str]:
    half = count // 2
    return [rng.choice(words) for _ in range(half)] + [
        f"{rng.choice(words)} {rng.choice(words)}" for _ in range(count - half)
    ]


def realistic_queries(store_path: Path, count: int = 200, seed: int = 7) -> list[str]:
    """What readers type: half one-word, half two-word queries, each word drawn uniformly from
    the DISTINCT words (4+ letters, no stopwords) of the titles, tags, summaries and key points
    of 100 records: places, parties, topics, tags; a common word is as likely as a rare one."""
    rng = random.Random(seed)
    db = sqlite3.connect(store_path)
    distinct: set[str] = set()
    for record in _sample(db, rng):
        distinct.update(
            _words(" ".join((record.title, *record.tags, record.summary, *record.key_points)))
        )
    db.close()
    return _draw(sorted(distinct), rng, count)


def stress_queries(store_path: Path, count: int = 200, seed: int = 7) -> list[str]:
    """The stress set: words drawn in proportion to how often they occur in the titles,
    summaries and bodies of 100 records, so mostly words found in most records."""
    rng = random.Random(seed)
    db = sqlite3.connect(store_path)
    words: list[str] = []
    for record in _sample(db, rng):
        words += _words(" ".join((record.title, record.summary, h.body_text(record))))
    db.close()
    return _draw(words, rng, count)


class Times:
    """Each query's wall-clock and CPU time (ms). On a shared machine the wall clock counts the
    time other processes held the cores; the CPU time (this process's user + system, taken
    around each query) is what the query itself cost, the figure comparable between runs."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []


def timed(run: Callable[[str], object], texts: list[str]) -> Times:
    times = Times()
    for text in texts:
        cpu, started = time.process_time(), time.perf_counter()
        run(text)
        times.wall.append((time.perf_counter() - started) * 1000)
        times.cpu.append((time.process_time() - cpu) * 1000)
    return times


def p(times: list[float], q: float) -> float:
    return statistics.quantiles(times, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--worst", type=int, default=0, help="print the N slowest queries")
    args = parser.parse_args()
    store_path = build_store(args.records)
    peer_path = build_peer(store_path)
    sets = {"realistic": realistic_queries(store_path), "stress": stress_queries(store_path)}

    store = open_store(store_path)
    started = time.perf_counter()
    store.search(Query(text="warmup"))
    warm = (time.perf_counter() - started) * 1000
    load = os.getloadavg()
    ours = {name: timed(lambda t: store.search(Query(text=t)), sets[name]) for name in sets}
    # The same queries again, in the same generation: what a repeated search costs with the
    # lookups `facets.Matches` kept the first time.
    again = {name: timed(lambda t: store.search(Query(text=t)), sets[name]) for name in sets}
    totals = {
        name: [store.search(Query(text=t, facets=False, limit=0)).total for t in texts]
        for name, texts in sets.items()
    }
    store.close()

    peer = sqlite3.connect(peer_path)
    peer.execute(f"ATTACH DATABASE '{store_path}' AS store")

    def plain_bm25(text: str) -> None:
        expression = " ".join('"' + w + '"' for w in text.split())
        peer.execute(
            "SELECT rowid, rank FROM peer WHERE peer MATCH ? ORDER BY rank LIMIT 20", (expression,)
        ).fetchall()

    def group_by_facet(text: str) -> None:
        expression = " ".join('"' + w + '"' for w in text.split())
        peer.execute(
            "SELECT r.category, count(*) FROM peer JOIN store.records r ON r.id = peer.rowid "
            "WHERE peer MATCH ? GROUP BY r.category",
            (expression,),
        ).fetchall()

    bm25 = {name: timed(plain_bm25, texts) for name, texts in sets.items()}
    grouped = {name: timed(group_by_facet, texts) for name, texts in sets.items()}
    peer.close()

    load = tuple(max(a, b) for a, b in zip(load, os.getloadavg(), strict=True))
    print(f"search over {args.records:,} records, 200 queries per set, half one-word, half two")
    print(f"  first search (builds the facet cache): {warm:.0f} ms")
    loads = " ".join(f"{x:.1f}" for x in load)
    print(f"  load average (1, 5, 15 min; the higher of start and end): {loads}; "
          "CPU = this process's user + system")  # fmt: skip
    for name, texts in sets.items():
        print(f"{name} set (matches per query: median {statistics.median(totals[name]):,.0f}, "
              f"max {max(totals[name]):,})")  # fmt: skip
        rows = [
            ("casework Store.search (ranked page, snippets, 6 facets)", ours[name]),
            ("casework Store.search, the same queries asked again", again[name]),
            ("peer: plain FTS5 bm25, ORDER BY rank LIMIT 20", bm25[name]),
            ("peer: GROUP BY category over the FTS5 matches", grouped[name]),
        ]
        for label, times in rows:
            cpu, wall = times.cpu, times.wall
            print(f"  {label:58s} CPU p50 {p(cpu, 50):6.1f} p99 {p(cpu, 99):6.1f} ms"
                  f"   wall p50 {p(wall, 50):6.1f} p99 {p(wall, 99):6.1f} ms")  # fmt: skip
        mine = ours[name]
        ratio_bm25 = p(bm25[name].cpu, 99) / p(mine.cpu, 99)
        ratio_grouped = p(grouped[name].cpu, 99) / p(mine.cpu, 99)
        print(f"  ratio CPU p99: plain bm25 / casework = {ratio_bm25:.1f}x, "
              f"GROUP BY / casework = {ratio_grouped:.1f}x")  # fmt: skip
        worst = sorted(zip(mine.cpu, mine.wall, texts, totals[name], strict=True), reverse=True)
        for cpu, wall, text, total in worst[: args.worst]:
            print(f"    CPU {cpu:6.1f} ms  wall {wall:6.1f} ms  {total:7,} matches  {text!r}")
    for name in sets:
        cpu, wall = p(ours[name].cpu, 99), p(ours[name].wall, 99)
        print(f"goal p99 <= 20 ms on the {name} set (first pass): CPU {cpu:.1f} ms "
              f"{'met' if cpu <= 20 else 'NOT met'}, wall {wall:.1f} ms "
              f"{'met' if wall <= 20 else 'NOT met'}")  # fmt: skip


if __name__ == "__main__":
    main()
