"""PostgreSQL beside SQLite, the same records on each: import rate, search p50/p99 with all six
facet counts, and the live API's throughput with 2 worker processes.

    .venv/bin/python benchmarks/engines.py --count 1000000

Records past 10,000 come from `datasets.scaled_ndjson`: the first 10,000 generated records,
copied under new slugs, bodies cut to about 1 KB (generating a million would take hours).
The import is `casework import`'s path (`transfer.import_path`: reading, validating and
sanitizing in two reader processes, then the engine's bulk write), the same for both engines.

Issue 17's goals, on PostgreSQL configured as the README's "Configuring the server" says:
import ≥ 3,000 records/s, search p99 ≤ 100 ms with all six facet counts, the mixed API within
2× SQLite's throughput. PostgreSQL is the server on 127.0.0.1:5432 (or
$CASEWORK_BENCH_POSTGRES); each run makes its own database and drops it afterwards.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))

import serve as serving
from datasets import scaled_ndjson
from sqlalchemy import create_engine, text

from casework.config import render_config
from casework.editing import Actor, Editing
from casework.model import Site, Status
from casework.store import open_store
from casework.store.base import Query, Store
from casework.transfer import import_path

SERVER = os.environ.get("CASEWORK_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432")
# README "PostgreSQL", "Configuring the server": the settings a deployer puts in postgresql.conf
# that take effect without a restart, given here to the benchmark's own database (ALTER
# DATABASE ... SET: every session of it starts with them; the server's other databases keep
# theirs). shared_buffers needs a restart: the server's own is printed beside the figures.
PG_SETTINGS = {
    "work_mem": "32MB",
    "maintenance_work_mem": "512MB",
    "effective_cache_size": "6GB",
    "random_page_cost": "1.1",
    "effective_io_concurrency": "200",
}
SITE = Site(url="https://bench.example.org", title="engines benchmark")
QUERIES = 200
console = Console()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def search_times(store: Store, words: list[str]) -> list[float]:
    """Milliseconds of each query (1–2 words, all six facets counted), after one warm-up."""
    store.search(Query(text=words[0]))
    times = []
    for query in words:
        begun = time.perf_counter()
        store.search(Query(text=query, limit=20))
        times.append((time.perf_counter() - begun) * 1000)
    return times


def cpu_seconds() -> float:
    """User + system CPU of this process and its waited-for children (the import's readers)."""
    import resource

    own, children = (
        resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def query_words(store: Store, seed: int) -> list[str]:
    titles = [hit.title for hit in store.search(Query(limit=500, facets=False)).hits]
    vocabulary = sorted({w.lower() for t in titles for w in re.findall(r"[A-Za-z]{5,}", t)})
    rng = random.Random(seed)
    return [" ".join(rng.sample(vocabulary, rng.choice((1, 1, 2)))) for _ in range(QUERIES)]


def api_paths(store: Store, words: list[str], seed: int) -> list[str]:
    rng = random.Random(seed)
    slugs = sorted(store.versions())
    categories = sorted(SITE.vocabularies.get("category"))
    paths = []
    for i in range(3000):
        kind = i % 3
        if kind == 0:
            paths.append(f"/api/incidents/{rng.choice(slugs)}")
        elif kind == 1:
            paths.append("/api/incidents?" + urlencode({"q": rng.choice(words), "perPage": 20}))
        else:
            paths.append("/api/incidents?" + urlencode({"category": rng.choice(categories)}))
    return paths


def api_throughput(
    url: str, work: Path, paths: list[str], seconds: float, name: str
) -> dict[str, Any]:
    """The live app with 2 worker processes on `url`, driven by the load generator."""
    folder = work / f"tracker-{name}"
    folder.mkdir(exist_ok=True)
    (folder / "casework.toml").write_text(render_config(SITE, url), encoding="utf-8")
    port = serving.free_port()
    # Only the API is measured: the public site is not planned at start-up (at a million
    # records that would take each worker minutes, during the measurement).
    env = dict(
        os.environ,
        CASEWORK_TRACKER=str(folder),
        CASEWORK_DATABASE_URL=url,
        CASEWORK_WARM_SITE="0",
    )
    command = [
        sys.executable, "-m", "uvicorn", "casework.web.asgi:create", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--workers", "2", "--http", "httptools",
        "--loop", "uvloop", "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    log = (work / f"server-{name}.log").open("wb")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stats", timeout=60):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise serving.BenchFailed(f"the {name} server did not start") from None
                time.sleep(0.5)
        result, latencies = serving.drive(port, paths, seconds, 2.0, 32, work, name)
        measured = serving.Measured()
        measured.add(result, latencies)
        return {"rps": measured.rps, "p99": measured.percentile_ms(99)}
    finally:
        process.terminate()
        process.wait(30)
        log.close()


def _alone(name: str, figures: dict[str, float], count: int) -> Table:
    table = Table(title=f"{count:,} records on {name} alone (2 cores)")
    table.add_column("")
    table.add_column(name, justify="right")
    table.add_row("import", f"{figures['rate']:,.0f} records/s ({figures['import_s']:.1f} s)")
    table.add_row("import CPU (this process and its readers)", f"{figures['import_cpu']:.1f} s")
    table.add_row("first search (facet index read)", f"{figures['index_s']:.1f} s")
    table.add_row(
        "search p50 / p99, with facets", f"{figures['p50']:.1f} / {figures['p99']:.1f} ms"
    )
    table.add_row(
        "API, 2 workers (record, search, listing mixed)",
        f"{figures['rps']:,.0f} req/s, p99 {figures['api_p99']:.0f} ms",
    )
    return table


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=10.0, help="API load per engine")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--keep",
        type=Path,
        help="keep both trackers in this new folder (the PostgreSQL database too, its URL in "
        "FOLDER/postgres-url.txt) for benchmarks/first_page.py --tracker/--db",
    )
    parser.add_argument(
        "--only",
        choices=("SQLite", "PostgreSQL"),
        help="measure one engine (its figures alone, no ratio): a million records of both may "
        "not fit a machine's disk or time at once",
    )
    args = parser.parse_args(argv)
    if args.keep is not None:
        args.keep.mkdir(parents=True)
    ndjson = scaled_ndjson(args.count)
    database = f"casework_bench_{secrets.token_hex(4)}"
    admin = create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{database}"'))
        for name, value in PG_SETTINGS.items():
            connection.execute(text(f"ALTER DATABASE \"{database}\" SET {name} = '{value}'"))
        shared = connection.execute(text("SHOW shared_buffers")).scalar()
    console.print(
        f"PostgreSQL: shared_buffers {shared}, "
        + ", ".join(f"{name} {value}" for name, value in PG_SETTINGS.items()),
        highlight=False,
    )
    figures: dict[str, dict[str, float]] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="casework-engines-") as scratch:
            work = args.keep.resolve() if args.keep is not None else Path(scratch)
            urls = {
                "SQLite": f"sqlite:///{work / 'tracker.db'}",
                "PostgreSQL": f"{SERVER}/{database}",
            }
            words: list[str] = []
            if args.only is not None:
                urls = {args.only: urls[args.only]}
            for name, url in urls.items():
                store = open_store(url)
                begun = time.perf_counter()
                cpu = cpu_seconds()
                import_path(
                    Editing(store, SITE), ndjson, actor=Actor.operator("bench"),
                    status=Status.published,
                )  # fmt: skip
                seconds = time.perf_counter() - begun
                import_cpu = cpu_seconds() - cpu
                begun = time.perf_counter()
                store.search(Query(text="", limit=1))  # builds the facet index
                index_s = time.perf_counter() - begun
                words = words or query_words(store, args.seed)
                times = search_times(store, words)
                paths = api_paths(store, words, args.seed)
                store.close()
                api = api_throughput(url, work, paths, args.seconds, name)
                figures[name] = {
                    "import_s": seconds, "rate": args.count / seconds, "index_s": index_s,
                    "import_cpu": import_cpu,
                    "p50": percentile(times, 0.5), "p99": percentile(times, 0.99),
                    "rps": api["rps"], "api_p99": api["p99"],
                }  # fmt: skip
                console.print(f"{name}: done", highlight=False)
    finally:
        with admin.connect() as connection:
            if args.keep is None:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            else:
                (args.keep / "postgres-url.txt").write_text(f"{SERVER}/{database}\n")
        admin.dispose()
    if args.only is not None:
        console.print(_alone(args.only, figures[args.only], args.count))
        return
    lite, pg = figures["SQLite"], figures["PostgreSQL"]
    table = Table(title=f"{args.count:,} records: PostgreSQL beside SQLite (2 cores)")
    for column in ("", "SQLite", "PostgreSQL", "PostgreSQL / SQLite", "goal"):
        table.add_column(column, justify="left" if not column else "right")
    table.add_row("import", f"{lite['rate']:,.0f} records/s ({lite['import_s']:.1f} s)",
                  f"{pg['rate']:,.0f} records/s ({pg['import_s']:.1f} s)",
                  f"{lite['import_s'] and pg['import_s'] / lite['import_s']:.2f}× the time",
                  "≥ 3,000 records/s: " + ("met" if pg["rate"] >= 3000 else "missed"))  # fmt: skip
    table.add_row("import CPU (this process and its readers; not the server's)",
                  f"{lite['import_cpu']:.1f} s", f"{pg['import_cpu']:.1f} s",
                  f"{pg['import_cpu'] / lite['import_cpu']:.2f}×", "")  # fmt: skip
    index_ratio = pg["index_s"] / lite["index_s"]
    table.add_row("first search (facet index read)", f"{lite['index_s']:.1f} s",
                  f"{pg['index_s']:.1f} s", f"{index_ratio:.1f}×", "")  # fmt: skip
    table.add_row("search p50, with facets", f"{lite['p50']:.1f} ms", f"{pg['p50']:.1f} ms",
                  f"{pg['p50'] / lite['p50']:.1f}×", "")  # fmt: skip
    table.add_row("search p99, with facets", f"{lite['p99']:.1f} ms", f"{pg['p99']:.1f} ms",
                  f"{pg['p99'] / lite['p99']:.1f}×",
                  "≤ 100 ms: " + ("met" if pg["p99"] <= 100 else "missed"))  # fmt: skip
    table.add_row("API, 2 workers (record, search, listing mixed)",
                  f"{lite['rps']:,.0f} req/s, p99 {lite['api_p99']:.0f} ms",
                  f"{pg['rps']:,.0f} req/s, p99 {pg['api_p99']:.0f} ms",
                  f"{lite['rps'] / pg['rps']:.2f}× slower" if pg["rps"] else "—", "")  # fmt: skip
    console.print(table)
    worst = max(pg["import_s"] / lite["import_s"], pg["p99"] / lite["p99"],
                lite["rps"] / max(pg["rps"], 1e-9))  # fmt: skip
    console.print(
        f"no PostgreSQL figure worse than SQLite's by more than 2×: "
        f"{'met' if worst <= 2 else f'missed (worst {worst:.1f}×)'}"
    )


if __name__ == "__main__":
    main()
