"""Live app: casework's JSON API beside Datasette, the same N records, the same load, one run.

    python benchmarks/serve.py [--count 10000] [--seconds 10] [--rounds 2] [--warmup 2]
                               [--connections 32] [--seed 1] [--datasette-immutable]
                               [--no-tag-facet] [--casework-http serve|httptools|h11]
                               [--json OUT] [--keep]

Prep (untimed): a casework tracker of N generated records (`casework init`, `casework import`,
all published; the NDJSON is cached by datasets.py), and from that tracker's records a SQLite
file for Datasette, written with sqlite-utils: an `incidents` table (the columns of a hit, the
facet columns, `tags` as a JSON array) with an index per filtered or sorted column, a
`documents` table (slug, `record` = the very tracker JSON casework's API serves), and an FTS5
table over the text casework's search matches (title, tags, summary, key points, description,
body: casework's own functions make it), so that a search matches the same records on both
sides: the run checks that the first search and listing find as many on both.

Timed: both servers up, each one process pinned to one core, the load generator
(benchmarks/loadgen.py, its own process) pinned to the other, loading one server at a time.
casework = uvicorn serving `casework.web.app.create_app(store, site)` (1 worker, uvloop, no
access log) with the HTTP protocol and limits `casework serve` runs (web/server.py: httptools
guarded by casework.web.protocol, --limit-concurrency, --timeout-keep-alive), or with
--casework-http, uvicorn's plain httptools or h11, to measure what the guard costs; Datasette =
its own `datasette serve records.sqlite` command with uvicorn's httptools and uvloop (uvicorn's
access log turned off, which `datasette serve` has no flag for). Three requests, the same
seeded sequence for both (which record, which words, which category), each for --seconds per
server after a warm-up, then the three interleaved ("mix"): one record as JSON; a search
(casework: bm25 ranking and snippets, its default; Datasette's table search cannot rank, it
sorts newest first) with the six facets; a category listing, newest first, with the six facets.
A row's seconds are split into --rounds that alternate between the servers, so that other work
on the machine weighs on both alike. Printed: requests per second and p50/p99 latency of each,
their ratio, the exact URLs, and the load generator's own ceiling against a trivial server.
Goal: >= 2x Datasette's throughput at equal or lower p99, on every row. Any non-200 response
fails the run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from array import array
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))

import loadgen
from datasets import BENCH_DATA, SITE, examples_ndjson

BENCH_DIR = Path(__file__).resolve().parent

HOST = "127.0.0.1"
CASEWORK = Path(sys.executable).parent / "casework"
TRACKER_ENV = "CASEWORK_BENCH_TRACKER"
CACHE_ENV = "CASEWORK_RESPONSE_CACHE_MB"
PATHS_PER_ENDPOINT = 20_000  # the seeded sequence; a run longer than it starts it again
PER_PAGE = 20
ENDPOINTS = ("record", "search", "listing")
GOAL_RATIO = 2.0
SERVER_CORE, LOADGEN_CORE = 0, 1
console = Console()


class BenchFailed(Exception):
    """A server did not start, answered something unexpected, or a request failed."""


# -- the casework app (uvicorn --factory imports this module as `serve`) ----------------------


def casework_app() -> Any:
    """The live app over the tracker named by $CASEWORK_BENCH_TRACKER; the store stays open
    for the process's life."""
    from casework.config import load_config
    from casework.store import open_store
    from casework.web.app import create_app

    config = load_config(Path(os.environ[TRACKER_ENV]))
    return create_app(open_store(config.resolved_database_url), config.site)


# -- prep: the tracker and Datasette's SQLite file ------------------------------------------------


def make_tracker(ndjson: Path, work: Path) -> Path:
    tracker = work / "tracker"
    for command in (
        [str(CASEWORK), "init", str(tracker), "--url", SITE.url, "--title", SITE.title],
        [str(CASEWORK), "--tracker", str(tracker), "import", str(ndjson), "--status", "published"],
    ):
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise BenchFailed(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    return tracker


FTS_COLUMNS = ("title", "tags", "summary", "key_points", "description", "body")
FACETS = (("category", "_facet"), ("severity", "_facet"), ("posture", "_facet"),
          ("year", "_facet"), ("ongoing", "_facet"), ("tags", "_facet_array"))  # fmt: skip
HIT_COLUMNS = ("title", "url", "date", "summary", "category", "category_label", "severity",
               "severity_label")  # fmt: skip


def make_datasette_db(tracker: Path, path: Path) -> int:
    """Datasette's file from the tracker's published records; returns how many it holds."""
    import sqlite_utils

    from casework.config import load_config
    from casework.formats import format_generated_at
    from casework.model import Status
    from casework.render.html import body_text
    from casework.render.pages import record_json
    from casework.store import open_store
    from casework.store.history import head_texts

    config = load_config(tracker)
    site, vocab = config.site, config.site.vocabularies
    store = open_store(config.resolved_database_url)
    db = sqlite_utils.Database(path, recreate=True)
    texts: list[tuple[Any, ...]] = []
    documents: list[tuple[str, str]] = []

    def rows() -> Iterator[dict[str, Any]]:
        for stored in store.iter_records():
            if stored.status is not Status.published:
                continue
            r = stored.record
            # The same text casework's search matches, so that both find the same records.
            texts.append((len(texts) + 1, *head_texts(r), body_text(r)))
            # The bytes casework's GET /api/incidents/{slug} answers with.
            documents.append((r.slug, record_json(r, site, format_generated_at(stored.updated_at))))
            yield {
                "slug": r.slug,
                "title": r.title,
                "url": f"{site.url}/incident/{r.slug}",
                "date": r.date.isoformat(),
                "year": r.date.year,
                "summary": r.summary,
                "category": r.category,
                "category_label": vocab.label("category", r.category),
                "severity": r.severity,
                "severity_label": vocab.label("severity", r.severity),
                "posture": r.posture,
                "ongoing": int(r.ongoing),
                "tags": json.dumps(r.tags, ensure_ascii=False),
            }

    try:
        # rowids 1..N in insertion order: the FTS rows below are keyed by them.
        db["incidents"].insert_all(rows(), pk="slug", batch_size=500)  # type: ignore[union-attr]
    finally:
        store.close()
    # Each record's JSON in a table of its own: Datasette's array facet (tags) deduplicates
    # whole rows (SELECT DISTINCT j.value, inner.*), which a 13 KB column beside them would
    # make several times slower than the layout a Datasette user would choose.
    db["documents"].insert_all(  # type: ignore[union-attr]
        ({"slug": slug, "record": text} for slug, text in documents), pk="slug", batch_size=500
    )
    # A contentless FTS5 table named to Datasette in metadata (fts_table): the body is searched
    # but is no column of `incidents`, whose rows the facets and listings read.
    columns = ", ".join(FTS_COLUMNS)
    db.execute(
        f"CREATE VIRTUAL TABLE incidents_fts USING fts5({columns}, content='', "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    marks = ", ".join("?" * (len(FTS_COLUMNS) + 1))
    db.conn.executemany(f"INSERT INTO incidents_fts (rowid, {columns}) VALUES ({marks})", texts)
    for column in ("date", "year", "category", "severity", "posture", "ongoing"):
        db["incidents"].create_index([column])  # type: ignore[union-attr]
    db["incidents"].create_index(["category", "date"])  # type: ignore[union-attr]
    db.conn.commit()
    db.execute("ANALYZE")
    db.close()
    return len(texts)


DATASETTE_METADATA = {
    "databases": {"records": {"tables": {"incidents": {"fts_table": "incidents_fts"}}}}
}


# -- the requests: one seeded sequence, spelt for each server -------------------------------------

STOPWORDS = set(
    "the and that with from were their this have which they been after said into about over "
    "also than there other more when where while would could should these those what under "
    "between during against before being only them then some such through example data".split()
)


@dataclass(frozen=True)
class Choice:
    """One request of the sequence, before it is spelt as either server's URL."""

    endpoint: str
    value: str  # a slug, the words of a search, or a category


def choices(tracker: Path, seed: int) -> dict[str, list[Choice]]:
    """PATHS_PER_ENDPOINT requests of each endpoint: uniform slugs, 1–2 words drawn uniformly
    from the distinct words of titles and tags (what readers type), uniform categories."""
    from casework.config import load_config
    from casework.store import open_store

    config = load_config(tracker)
    store = open_store(config.resolved_database_url)
    slugs: list[str] = []
    words: set[str] = set()
    try:
        for stored in store.iter_records():
            slugs.append(stored.record.slug)
            text = " ".join([stored.record.title, *stored.record.tags]).lower()
            words.update(w for w in re.findall(r"[a-z]{4,}", text) if w not in STOPWORDS)
    finally:
        store.close()
    categories = sorted(config.site.vocabularies.get("category"))
    vocabulary = sorted(words)
    rng = random.Random(seed)
    slugs.sort()
    n = PATHS_PER_ENDPOINT
    return {
        "record": [Choice("record", rng.choice(slugs)) for _ in range(n)],
        "search": [
            Choice("search", " ".join(rng.sample(vocabulary, rng.choice((1, 1, 2)))))
            for _ in range(n)
        ],
        "listing": [Choice("listing", rng.choice(categories)) for _ in range(n)],
    }


def casework_path(choice: Choice) -> str:
    if choice.endpoint == "record":
        return f"/api/incidents/{choice.value}"
    key = "q" if choice.endpoint == "search" else "category"
    return "/api/incidents?" + urlencode({key: choice.value, "perPage": PER_PAGE})


def datasette_path(choice: Choice, tag_facet: bool = True) -> str:
    if choice.endpoint == "record":
        return f"/records/documents/{quote(choice.value)}.json?_shape=objects"
    key = "_search" if choice.endpoint == "search" else "category"
    params: list[tuple[str, Any]] = [(key, choice.value), ("_sort_desc", "date")]
    params += [("_size", PER_PAGE), ("_shape", "objects")]
    params += [("_col", column) for column in HIT_COLUMNS]
    facets = FACETS if tag_facet else [f for f in FACETS if f[0] != "tags"]
    params += [(kind, column) for column, kind in facets] + [("_facet_size", "max")]
    return "/records/incidents.json?" + urlencode(params)


def template(path: str, choice: Choice) -> str:
    """`path` with its seeded value shown as a placeholder, for the printed URL list."""
    name = {"record": "{slug}", "search": "{words}", "listing": "{category}"}[choice.endpoint]
    for spelt in (quote(choice.value), quote(choice.value, safe=""),
                  urlencode({"x": choice.value})[2:]):  # fmt: skip
        path = path.replace(spelt, name)
    return path


def mixed(lists: dict[str, list[Choice]]) -> list[Choice]:
    """The endpoints' sequences interleaved: record, search, listing, record, ..."""
    return [c for group in zip(*(lists[e] for e in ENDPOINTS), strict=True) for c in group]


# -- servers and the load generator --------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


def pinned(core: int) -> Callable[[], None] | None:
    """A preexec_fn pinning the child (and the threads it starts) to `core`, when there are
    two cores to share out; else None, and both share whatever there is."""
    if len(os.sched_getaffinity(0)) < 2:
        return None
    return lambda: os.sched_setaffinity(0, {core})


UVICORN_FLAGS = ("--workers", "1", "--http", "httptools", "--loop", "uvloop",
                 "--no-access-log", "--log-level", "warning")  # fmt: skip
CASEWORK_HTTP = ("serve", "httptools", "h11")


def casework_flags(http: str) -> tuple[str, ...]:
    """uvicorn's flags for casework: Datasette's, but with the protocol and limits `casework
    serve` runs ("serve"), or with uvicorn's own "httptools" or "h11"."""
    if http != "serve":
        return (*UVICORN_FLAGS[:3], http, *UVICORN_FLAGS[4:])
    from casework.web import server as serving

    return (*UVICORN_FLAGS[:3], serving.PROTOCOL, *UVICORN_FLAGS[4:],
            "--limit-concurrency", str(serving.MAX_CONNECTIONS),
            "--timeout-keep-alive", str(serving.KEEP_ALIVE_TIMEOUT))  # fmt: skip


# `datasette serve` runs uvicorn.run(app, log_level="info") with its access log on and no flag
# to turn it off: this runs the same command with the access log off and the same HTTP stack
# as casework's uvicorn.
DATASETTE_QUIET = (
    "import uvicorn\n"
    "run = uvicorn.run\n"
    "def quiet(app, **kw):\n"
    "    kw.update(access_log=False, log_level='warning', http='httptools', loop='uvloop')\n"
    "    run(app, **kw)\n"
    "uvicorn.run = quiet\n"
    "from datasette.cli import cli\n"
    "cli(prog_name='datasette')\n"
)


def casework_command(port: int, http: str = "serve") -> list[str]:
    return [sys.executable, "-m", "uvicorn", "serve:casework_app", "--factory",
            "--app-dir", str(BENCH_DIR), "--host", HOST, "--port", str(port),
            *casework_flags(http)]  # fmt: skip


DATASETTE_SETTINGS = {
    "default_page_size": "20",
    "sql_time_limit_ms": "5000",
    # A facet that times out is left out of the answer: casework always counts all six.
    "facet_time_limit_ms": "5000",
    # casework suggests no facets; Datasette's suggestions would be extra queries.
    "suggest_facets": "off",
}


def datasette_command(port: int, db: Path, metadata: Path, immutable: bool) -> list[str]:
    command = [sys.executable, "-c", DATASETTE_QUIET, "serve"]
    command += ["-i", str(db)] if immutable else [str(db)]
    command += ["--host", HOST, "--port", str(port), "--metadata", str(metadata)]
    for name, value in DATASETTE_SETTINGS.items():
        command += ["--setting", name, value]
    return command


def shown(command: list[str]) -> str:
    """A command as printed: the -c program of the Datasette wrapper named, not spelt out."""
    out = []
    for part in command:
        out.append("<wrapper: access log off>" if part == DATASETTE_QUIET else part)
    return " ".join(out).replace(sys.executable, "python")


def get(port: int, path: str) -> Any:
    with urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=30) as response:
        return json.loads(response.read())


def settle(pid: int, name: str, limit: float = 300.0) -> None:
    """Wait until the server is done with its start-up work: casework's app plans the public
    site in a background thread (seconds at 10,000 records) while it already answers, and load
    measured meanwhile would measure that. Done = under 5% of a core for half a second."""
    stat = Path(f"/proc/{pid}/stat")
    if not stat.exists():  # not Linux: nothing to watch
        return
    ticks = os.sysconf("SC_CLK_TCK")

    def cpu_seconds() -> float:
        fields = stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime, every thread

    deadline = time.monotonic() + limit
    last = cpu_seconds()
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = cpu_seconds()
        if now - last < 0.025:
            return
        last = now
    raise BenchFailed(f"{name} was still busy {limit:.0f} s after it first answered")


@contextmanager
def server(
    name: str, command: list[str], port: int, ready_path: str, log: Path, env: dict[str, str]
) -> Iterator[int]:
    """Run `command` pinned to the server core until it answers `ready_path`; stop it after."""
    with log.open("wb") as out:
        proc = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env=env, preexec_fn=pinned(SERVER_CORE)
        )
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise BenchFailed(f"{name} exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
            try:
                get(port, ready_path)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise BenchFailed(f"{name} did not answer {ready_path} in 120 s") from None
                time.sleep(0.1)
        settle(proc.pid, name)
        yield proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@dataclass
class Measured:
    """The pooled runs of one server on one row: every latency, every status."""

    requests: int = 0
    seconds: float = 0.0
    body_bytes: float = 0.0
    latencies_ns: list[int] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile_ms(self, q: float) -> float:
        ordered = sorted(self.latencies_ns)
        return loadgen.percentile(ordered, q)

    def add(self, run: dict[str, Any], latencies: Path) -> None:
        self.requests += run["requests"]
        self.seconds += run["seconds"]
        self.body_bytes += run["mean_body_bytes"] * run["requests"]
        pooled = array("q")
        with latencies.open("rb") as f:
            pooled.frombytes(f.read())
        self.latencies_ns.extend(pooled)

    def figures(self) -> dict[str, float]:
        return {
            "rps": self.rps,
            "requests": self.requests,
            "seconds": self.seconds,
            "p50_ms": self.percentile_ms(50),
            "p99_ms": self.percentile_ms(99),
            "max_ms": max(self.latencies_ns, default=0) / 1e6,
            "mean_body_bytes": self.body_bytes / self.requests if self.requests else 0.0,
        }


def drive(
    port: int, paths: list[str], seconds: float, warmup: float, connections: int, work: Path,
    name: str,
) -> tuple[dict[str, Any], Path]:  # fmt: skip
    """Run the load generator (its own process, on the other core) over `paths`; its summary
    and the file of its latencies. Any non-200 response raises BenchFailed."""
    file = work / f"paths-{name}.json"
    if not file.exists():
        file.write_text(json.dumps(paths))
    latencies = work / f"latencies-{name}.bin"
    command = [sys.executable, str(BENCH_DIR / "loadgen.py"), "run", "--port", str(port),
               "--paths", str(file), "--seconds", str(seconds), "--warmup", str(warmup),
               "--connections", str(connections), "--latencies", str(latencies)]  # fmt: skip
    done = subprocess.run(
        command, capture_output=True, text=True, check=False, preexec_fn=pinned(LOADGEN_CORE)
    )
    if done.returncode != 0:
        raise BenchFailed(f"load generator failed on {name}:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout)
    bad = {status: n for status, n in result["statuses"].items() if status != "200"}
    if bad or not result["requests"]:
        failures = "\n".join(
            f"  {f['status']} {f['path']}: {f['detail']}" for f in result["failures"]
        )
        raise BenchFailed(f"{name}: non-200 responses {bad or 'none at all'}\n{failures}")
    return result, latencies


# -- checks: both servers answer the same records --------------------------------------------------


def check_casework(port: int, choice: Choice) -> int | None:
    """The first request of an endpoint, read: its total of matches (None for a record)."""
    body = get(port, casework_path(choice))
    if choice.endpoint == "record":
        if body["record"]["slug"] != choice.value:
            raise BenchFailed(f"casework answered {casework_path(choice)} with another record")
        return None
    # Every facet Datasette is asked for (casework also counts its country facet: a little more
    # work on casework's side of the comparison).
    wanted = {"tag" if name == "tags" else name for name, _ in FACETS}
    if not wanted <= set(body["facets"]):
        raise BenchFailed(f"casework counted facets {sorted(body['facets'])}")
    return int(body["total"])


def check_datasette(port: int, choice: Choice, facets: int) -> int | None:
    path = datasette_path(choice, tag_facet=facets == len(FACETS))
    body = get(port, path)
    if choice.endpoint == "record":
        document = json.loads(body["rows"][0]["record"])
        if document["record"]["slug"] != choice.value:
            raise BenchFailed(f"Datasette answered {path} with another record")
        return None
    if body.get("facets_timed_out"):
        raise BenchFailed(f"Datasette's facets timed out on {path}: {body['facets_timed_out']}")
    if len(body["facet_results"]) != facets:
        raise BenchFailed(f"Datasette counted facets {sorted(body['facet_results'])} on {path}")
    return int(body["filtered_table_rows_count"])


# -- the report ------------------------------------------------------------------------------------

Figures = dict[str, float]


def ratio(ours: Figures, theirs: Figures) -> float:
    return ours["rps"] / theirs["rps"]


def met(ours: Figures, theirs: Figures) -> bool:
    return ratio(ours, theirs) >= GOAL_RATIO and ours["p99_ms"] <= theirs["p99_ms"]


def report(
    count: int, args: argparse.Namespace, results: dict[str, dict[str, Figures]],
    ceiling: dict[str, Any],
) -> Table:  # fmt: skip
    rounds = f", in {args.rounds} alternating rounds" if args.rounds > 1 else ""
    table = Table(
        title=f"Live JSON API, {count:,} records: casework vs Datasette "
        f"({args.connections} connections, {args.seconds:g} s per row and server{rounds})",
        caption=f"load generator's own ceiling: {ceiling['rps']:,.0f} req/s against a trivial "
        f"server ({ceiling['mean_body_bytes']:,.0f}-byte body); load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the end",
    )
    columns = ("endpoint", "casework req/s", "p50 ms", "p99 ms", "Datasette req/s", "p50 ms",
               "p99 ms", "casework / Datasette", "goal")  # fmt: skip
    for column in columns:
        table.add_column(column, justify="left" if column in ("endpoint", "goal") else "right")
    for endpoint, pair in results.items():
        ours, theirs = pair["casework"], pair["datasette"]
        goal = "[green]met[/]" if met(ours, theirs) else "[red]missed[/]"
        table.add_row(
            endpoint,
            f"{ours['rps']:,.0f}", f"{ours['p50_ms']:.1f}", f"{ours['p99_ms']:.1f}",
            f"{theirs['rps']:,.0f}", f"{theirs['p50_ms']:.1f}", f"{theirs['p99_ms']:.1f}",
            f"{ratio(ours, theirs):.2f}×", goal,
        )  # fmt: skip
    return table


def print_urls(samples: dict[str, Choice], tag_facet: bool) -> None:
    console.print("[bold]What each side got[/] (the values come from the seeded sequence):")
    for endpoint, choice in samples.items():
        console.print(f"  {endpoint}", style="bold", highlight=False)
        for side, path in (("casework ", casework_path(choice)),
                           ("Datasette", datasette_path(choice, tag_facet))):  # fmt: skip
            console.print(f"    {side}  GET {template(path, choice)}", markup=False,
                          highlight=False)  # fmt: skip
    tags = "the six facets" if tag_facet else "casework six facets, Datasette five (no tags)"
    console.print(
        "  mix: the three interleaved (record, search, listing, ...). casework's search ranks "
        "by bm25 and cuts a snippet per hit; Datasette's table search cannot rank and sorts by "
        f"date. Both count {tags} over every match.",
        highlight=False,
    )


# -- the run ---------------------------------------------------------------------------------------


def ceiling_run(args: argparse.Namespace, body_bytes: int, work: Path) -> dict[str, Any]:
    port = free_port()
    command = [sys.executable, str(BENCH_DIR / "loadgen.py"), "trivial-server", "--port",
               str(port), "--body-bytes", str(body_bytes)]  # fmt: skip
    with server("trivial", command, port, "/", work / "trivial.log", dict(os.environ)):
        seconds = min(args.seconds, 3.0)
        result, _ = drive(port, ["/"], seconds, 0.5, args.connections, work, "trivial")
        return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="records generated")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured, per row and server")
    parser.add_argument("--rounds", type=int, default=2, help="alternations the seconds split in")
    parser.add_argument("--warmup", type=float, default=2.0, help="before a row's first round")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seed", type=int, default=1, help="of the request sequence")
    parser.add_argument(
        "--datasette-immutable", action="store_true", help="serve the file with -i (read-only)"
    )
    parser.add_argument(
        "--no-tag-facet",
        action="store_true",
        help="Datasette without its tags facet (its slowest part; casework still counts tags)",
    )
    parser.add_argument(
        "--casework-cache-mb",
        type=float,
        default=128,
        help="casework's cache of rendered API answers (CASEWORK_RESPONSE_CACHE_MB; 0: off)",
    )
    parser.add_argument(
        "--casework-http",
        choices=CASEWORK_HTTP,
        default="serve",
        help="casework's HTTP protocol: what `casework serve` runs (default), or uvicorn's own",
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)
    if min(args.count, args.seconds, args.connections, args.rounds) <= 0 or args.warmup < 0:
        parser.error("--count, --seconds, --rounds and --connections must be positive")
    ndjson = examples_ndjson(args.count).resolve()
    BENCH_DATA.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="serve-", dir=BENCH_DATA)).resolve()
    try:
        run(args, ndjson, work)
    except BenchFailed as failed:
        console.print(f"[red]failed:[/] {failed}", highlight=False)
        sys.exit(1)
    finally:
        if args.keep:
            console.print(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, ndjson: Path, work: Path) -> None:
    with console.status("prep: casework init + import, Datasette's SQLite file"):
        tracker = make_tracker(ndjson, work)
        db = work / "records.sqlite"
        count = make_datasette_db(tracker, db)
        metadata = work / "metadata.json"
        metadata.write_text(json.dumps(DATASETTE_METADATA))
        lists = choices(tracker, args.seed)
    lists_all = {**lists, "mix": mixed(lists)}
    samples = {endpoint: lists[endpoint][0] for endpoint in ENDPOINTS}
    tag_facet = not args.no_tag_facet
    facets = len(FACETS) - (0 if tag_facet else 1)

    ours_port, theirs_port = free_port(), free_port()
    env = {**os.environ, TRACKER_ENV: str(tracker)}
    ours_command = casework_command(ours_port, args.casework_http)
    theirs_command = datasette_command(theirs_port, db, metadata, args.datasette_immutable)
    paths = {
        "casework": {e: [casework_path(c) for c in cs] for e, cs in lists_all.items()},
        "datasette": {e: [datasette_path(c, tag_facet) for c in cs] for e, cs in lists_all.items()},
    }
    measured = {e: {"casework": Measured(), "datasette": Measured()} for e in lists_all}
    ports = {"casework": ours_port, "datasette": theirs_port}
    # Both up at once, each pinned to the server core, but only one loaded at a time: the
    # rounds alternate between them, so that other work on the machine weighs on both alike.
    with (
        server("casework", ours_command, ours_port, casework_path(samples["record"]),
               work / "casework.log", env | {CACHE_ENV: str(args.casework_cache_mb)}),
        server("datasette", theirs_command, theirs_port, "/-/versions.json",
               work / "datasette.log", env),
    ):  # fmt: skip
        ours_totals = {e: check_casework(ours_port, c) for e, c in samples.items()}
        theirs_totals = {e: check_datasette(theirs_port, c, facets) for e, c in samples.items()}
        # Same records, same text matched: the first search and listing find as many.
        if ours_totals != theirs_totals:
            raise BenchFailed(f"totals differ: casework {ours_totals}, Datasette {theirs_totals}")
        for endpoint in lists_all:
            for round_ in range(args.rounds):
                for side in ("casework", "datasette"):
                    with console.status(f"{endpoint}: {side}, round {round_ + 1}/{args.rounds}"):
                        result, latencies = drive(
                            ports[side], paths[side][endpoint], args.seconds / args.rounds,
                            args.warmup if round_ == 0 else 0.0, args.connections, work,
                            f"{side}-{endpoint}",
                        )  # fmt: skip
                    measured[endpoint][side].add(result, latencies)
    results = {e: {side: m.figures() for side, m in pair.items()} for e, pair in measured.items()}

    body_bytes = max(int(f["mean_body_bytes"]) for pair in results.values() for f in pair.values())
    with console.status("load generator's ceiling against a trivial server"):
        ceiling = ceiling_run(args, body_bytes, work)

    console.print(f"casework:  {shown(ours_command)}", highlight=False, markup=False)
    console.print(f"Datasette: {shown(theirs_command)}", highlight=False, markup=False)
    print_urls(samples, tag_facet)
    console.print(report(count, args, results, ceiling))
    console.print(
        f"casework's cache of rendered API answers: {args.casework_cache_mb:g} MB"
        + (" (off: every request is rendered from the store)" if not args.casework_cache_mb else "")
    )
    goal = all(met(pair["casework"], pair["datasette"]) for pair in results.values())
    verdict = "[green]met[/]" if goal else "[red]missed[/]"
    console.print(
        f"Goal: ≥ {GOAL_RATIO:g}× Datasette's throughput at equal or lower p99, every row: "
        + verdict
    )
    if args.json:
        document = {
            "count": count,
            "settings": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
            "results": {
                e: {
                    **pair,
                    "ratio": ratio(pair["casework"], pair["datasette"]),
                    "met": met(pair["casework"], pair["datasette"]),
                }
                for e, pair in results.items()
            },
            "ceiling": ceiling,
            "goal_met": goal,
            "urls": {
                e: {"casework": casework_path(c), "datasette": datasette_path(c, tag_facet)}
                for e, c in samples.items()
            },
        }
        args.json.write_text(json.dumps(document, indent=2))


if __name__ == "__main__":
    main()
