"""Change feed: how long until every `casework serve` worker shows a save made in one of them,
with every worker under load; beside it, what each worker paid for that save before the feed
(a full rebuild of its facet index), measured in the same run.

    python benchmarks/change_feed.py [--count 10000] [--workers 4] [--repeats 5]
                                     [--engine sqlite|postgres|both] [--connections 2]
                                     [--postgres postgresql://postgres@127.0.0.1:5432/postgres]
                                     [--trace FOLDER]

Prep (untimed): a tracker of N generated records, all published (`casework init`, `casework
import`; the NDJSON is cached by datasets.py), on a SQLite file or a new PostgreSQL database
(dropped after), an admin with a write API token. Then --workers `casework serve` processes on
one database, each on its own port (what `serve --workers N` runs, each reachable alone), each
warmed (a faceted search builds its facet index; the feed waits for the live site's snapshot).

Timed: the load generator (benchmarks/loadgen.py) keeps every worker busy with --connections
keep-alive connections each (faceted searches, category listings, record pages), while
--repeats times a record's title is saved through worker 0's API with a word no record holds.
From the moment the save's response arrives (it committed), each worker is polled every 10 ms
(a thread per worker and page type: polled in turn, a listing's figure held the search's and
the page's round trips too) until its public API search for the word finds the record (the
facet index patched from the feed), its public record page shows the new title and so does
the first page of the record's category listing (the record is one of the newest): each
worker's latency for the three, and their p50 and p99 (the maximum, at these few samples)
across repeats and workers; and how often the first poll after the commit already showed the
save (then the figure is one request's round trip under the load, not the feed's delay).
Goal: <= 1 s.

Peer, the same run, in this process on the same database: the full rebuild of a facet index
(what each of the other workers did for every save before the feed), and the patch that
replaces it (`store.follow()` after another store's save), both in CPU seconds.

With --trace, each worker writes where its time went (benchmarks/feed_trace.py: its follower,
every request's wait for the thread pool, CPU, database statements) and the polls are kept
beside them; `python benchmarks/feed_trace.py FOLDER/ENGINE` explains each repeat from them.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from datasets import SITE, examples_ndjson

BENCH_DIR = Path(__file__).resolve().parent
CASEWORK = Path(sys.executable).parent / "casework"
HOST = "127.0.0.1"
PASSWORD = "change feed benchmark password"
GOAL_SECONDS = 1.0
POLL_SECONDS = 0.01
DEADLINE_SECONDS = 120.0
WARM_SECONDS = 900.0  # planning a worker's site at start-up, on a loaded machine


class BenchFailed(Exception):
    """A server did not start, or a request failed."""


def run(command: list[str], env: dict[str, str], stdin: str | None = None) -> str:
    done = subprocess.run(command, capture_output=True, text=True, input=stdin, env=env)
    if done.returncode != 0:
        raise BenchFailed(f"{' '.join(command[:5])} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


def request(
    port: int,
    path: str,
    *,
    method: str = "GET",
    body: Any = None,
    token: str = "",
    timeout: float = 60,
) -> tuple[int, bytes]:
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"} if data else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    ask = urllib.request.Request(
        f"http://{HOST}:{port}{path}", data=data, method=method, headers=headers
    )
    try:
        with urllib.request.urlopen(ask, timeout=timeout) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@contextmanager
def database(engine: str, admin: str) -> Iterator[str | None]:
    """None for SQLite (the tracker's file); a new PostgreSQL database's URL, dropped after."""
    if engine == "sqlite":
        yield None
        return
    import psycopg

    name = f"casework_bench_feed_{secrets.token_hex(4)}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        yield admin.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def make_tracker(work: Path, ndjson: Path, env: dict[str, str]) -> tuple[Path, str]:
    tracker = work / "tracker"
    run([str(CASEWORK), "init", str(tracker), "--url", SITE.url, "--title", SITE.title], env)
    t = ["--tracker", str(tracker)]
    run([str(CASEWORK), *t, "import", str(ndjson), "--status", "published"], env)
    run([str(CASEWORK), *t, "user", "add", "ada", "--role", "admin", "--password-stdin"], env,
        PASSWORD + "\n")  # fmt: skip
    out = run([str(CASEWORK), *t, "user", "token", "ada", "--name", "bench", "--scope", "write"],
              env)  # fmt: skip
    return tracker, out.strip().splitlines()[-1]


@contextmanager
def workers(
    tracker: Path, count: int, env: dict[str, str], work: Path, trace: Path | None = None
) -> Iterator[list[int]]:
    ports = [free_port() for _ in range(count)]
    if trace is not None:  # benchmarks/feed_trace.py, installed in each worker
        import feed_trace

        hook = feed_trace.sitecustomize(work / "trace-hook", BENCH_DIR)
        path = os.pathsep.join(filter(None, [str(hook), env.get("PYTHONPATH", "")]))
        env = {**env, "PYTHONPATH": path, "CASEWORK_FEED_TRACE": str(trace)}
    with ExitStack() as stack:
        for i, port in enumerate(ports):
            log = (work / f"serve-{i}.log").open("wb")
            stack.callback(log.close)
            proc = subprocess.Popen(
                [str(CASEWORK), "--tracker", str(tracker), "serve", "--port", str(port)],
                stdout=log, stderr=subprocess.STDOUT, env=env,
            )  # fmt: skip
            stack.callback(proc.wait, 30)
            stack.callback(proc.terminate)
        deadline = time.monotonic() + 300
        for port in ports:
            while True:
                try:
                    if request(port, "/api/stats")[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise BenchFailed(f"a worker did not answer: see {work}/serve-*.log")
                time.sleep(0.2)
        yield ports


def paths(slugs: list[str], categories: list[str]) -> list[str]:
    out = []
    for i in range(300):
        slug, category = slugs[i % len(slugs)], categories[i % len(categories)]
        out += [
            "/api/incidents?" + urlencode({"q": "protest", "perPage": 20, "page": 1 + i % 5}),
            "/api/incidents?" + urlencode({"category": category, "perPage": 20, "page": 1 + i}),
            f"/incident/{slug}/",
        ]
    return out


@contextmanager
def loaded(ports: list[int], paths_file: Path, connections: int, seconds: float) -> Iterator[None]:
    if connections == 0:  # no load: what the feed costs alone
        yield
        return
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                str(BENCH_DIR / "loadgen.py"),
                "run",
                "--port",
                str(port),
                "--paths",
                str(paths_file),
                "--seconds",
                str(seconds),
                "--warmup",
                "0",
                "--connections",
                str(connections),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for port in ports
    ]
    try:
        yield
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(30)


SHOWN = ("search", "page", "listing")  # what each worker is polled for after a save


def shown_at(
    port: int,
    slug: str,
    category: str,
    word: str,
    since: float,
    out: dict[str, float],
    polls: list[dict[str, Any]] | None = None,
) -> None:
    """Poll one worker until its API search finds `word`, and its record page and the first
    page of the record's category listing (where the newest records are) show it, each page
    type by its own thread (one page type's round trips are not another's latency: polled
    one after the other, the listing's figure was the sum of three round trips); each poll
    (its page type, wall-clock start and end, whether it showed the save) added to `polls`."""
    search = "/api/incidents?" + urlencode({"q": word, "perPage": 5})
    page = f"/incident/{slug}/"
    listing = f"/category/{category}/"
    deadline = since + DEADLINE_SECONDS
    lock = threading.Lock()

    def shown(name: str, status: int, body: bytes) -> bool:
        if status != 200:
            return False
        if name == "search":
            return bool(json.loads(body)["total"] >= 1)
        return word.encode() in body.lower()

    def poll(name: str, path: str) -> None:
        while time.monotonic() < deadline:
            start = time.time()
            status, body = request(port, path)
            seen = shown(name, status, body)
            with lock:
                if polls is not None:
                    polls.append({"name": name, "path": path, "start": start,
                                  "end": time.time(), "shown": seen})  # fmt: skip
                if seen:
                    out[name] = time.monotonic() - since
                    return
            time.sleep(POLL_SECONDS)

    threads = [
        threading.Thread(target=poll, args=(name, path))
        for name, path in (("search", search), ("page", page), ("listing", listing))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def first_shown(polls: list[dict[str, Any]], name: str) -> bool:
    """Whether the first poll of `name` after the commit already showed the save: then the
    figure is that poll's round trip under load, not the feed's delay."""
    mine = sorted((p for p in polls if p["name"] == name), key=lambda p: p["start"])
    return bool(mine) and bool(mine[0]["shown"])


def peer(url: str, slug: str) -> dict[str, float]:
    """CPU seconds of a facet index's full rebuild and of the feed's patch, on `url`."""
    from casework.store import open_store
    from casework.store.base import Query

    reader, writer = open_store(url), open_store(url)
    try:
        started, wall = time.process_time(), time.perf_counter()
        reader.search(Query(limit=1))  # builds the index
        rebuild, rebuild_wall = time.process_time() - started, time.perf_counter() - wall
        stored = writer.get(slug)
        record = stored.record.model_copy(update={"title": stored.record.title + " (peer)"})
        writer.save(record, base_revision=stored.revision, author="bench", message="peer")
        started, wall = time.process_time(), time.perf_counter()
        reader.follow()
        patch, patch_wall = time.process_time() - started, time.perf_counter() - wall
        index = reader._facets.current  # type: ignore[attr-defined]
        if index is None or index.writes == 0:
            raise BenchFailed("the peer's follow() rebuilt the index instead of patching it")
        return {
            "rebuild_cpu_s": rebuild,
            "patch_cpu_s": patch,
            "rebuild_wall_s": rebuild_wall,
            "patch_wall_s": patch_wall,
        }
    finally:
        reader.close()
        writer.close()


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


def p50(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def bench(args: argparse.Namespace, engine: str, ndjson: Path, work: Path) -> dict[str, Any]:
    with database(engine, args.postgres) as url:
        env = {**os.environ, "NO_COLOR": "1"}
        if url:
            env["CASEWORK_DATABASE_URL"] = url
        tracker, token = make_tracker(work, ndjson, env)
        db_url = url or f"sqlite:///{tracker / 'tracker.db'}"
        trace = None
        if args.trace is not None:
            trace = args.trace.resolve() / engine
            trace.mkdir(parents=True, exist_ok=True)
        with workers(tracker, args.workers, env, work, trace) as ports:
            listing = json.loads(request(ports[0], "/api/incidents?perPage=50")[1])
            slugs = [hit["slug"] for hit in listing["incidents"]]  # the newest first
            category_of = {hit["slug"]: hit["category"] for hit in listing["incidents"]}
            categories = sorted(set(category_of.values()))
            for port in ports:  # warm: facet index built, site planned
                query = urlencode({"q": "protest", "perPage": 20})
                request(port, "/api/incidents?" + query, timeout=WARM_SECONDS)
                request(port, "/", timeout=WARM_SECONDS)
                # The feed waits for the live site's snapshot (the start-up's warming makes it:
                # minutes at 10,000 records under load), which a listing takes its records'
                # cards from once current; the home page no longer waits for it.
                request(port, "/feed.xml", timeout=WARM_SECONDS)
            paths_file = work / "paths.json"
            paths_file.write_text(json.dumps(paths(slugs, categories)))
            latencies: dict[str, list[float]] = {name: [] for name in (*SHOWN, "rtt")}
            firsts = dict.fromkeys(SHOWN, 0)  # (worker, repeat)s whose first poll showed it
            rows = []
            seconds = args.repeats * 15 + 30
            with loaded(ports, paths_file, args.connections, seconds):
                time.sleep(2)  # the load is on
                for repeat in range(args.repeats):
                    slug = slugs[repeat]  # among the newest: on its category's first page
                    word = f"feedmark{repeat}x{secrets.token_hex(3)}"
                    for port in ports:  # a search's own round trip before the save, for reference
                        asked = time.monotonic()
                        request(port, "/api/incidents?" + urlencode({"q": word, "perPage": 5}))
                        latencies["rtt"].append(time.monotonic() - asked)
                    status, body = request(ports[0], f"/api/records/{slug}", token=token)
                    state = json.loads(body)
                    record = state["record"] | {"title": f"{state['record']['title']} {word}"}
                    status, body = request(
                        ports[0], f"/api/records/{slug}", method="PUT", token=token,
                        body={"record": record, "baseRevision": state["revision"],
                              "message": "benchmark"},
                    )  # fmt: skip
                    if status != 200:
                        raise BenchFailed(f"save failed: {status} {body[:300]!r}")
                    since, committed = time.monotonic(), time.time()
                    seen: list[dict[str, float]] = [{} for _ in ports]
                    polls: list[list[dict[str, Any]]] = [[] for _ in ports]
                    threads = [
                        threading.Thread(
                            target=shown_at,
                            args=(p, slug, category_of[slug], word, since, seen[i], polls[i]),
                        )
                        for i, p in enumerate(ports)
                    ]
                    for thread in threads:
                        thread.start()
                    for thread in threads:
                        thread.join()
                    for i, got in enumerate(seen):
                        if len(got) < len(SHOWN):
                            raise BenchFailed(f"worker {i} never showed the save: {got}")
                        for name in SHOWN:
                            latencies[name].append(got[name])
                            firsts[name] += first_shown(polls[i], name)
                    rows.append([tuple(round(g[n], 3) for n in SHOWN) for g in seen])
                    if trace is not None:
                        with (trace / "bench.jsonl").open("a") as log:
                            log.write(json.dumps({
                                "repeat": repeat, "committed": committed, "ports": ports,
                                "polls": polls, "load": os.getloadavg()[0]}) + "\n")  # fmt: skip
                    print(f"  {engine} repeat {repeat}: per worker (search s, page s, listing "
                          f"s): {rows[-1]}", flush=True)  # fmt: skip
                    time.sleep(1)
            figures = peer(db_url, slugs[1])
        return {
            "engine": engine,
            "records": args.count,
            "workers": args.workers,
            "repeats": rows,
            **{f"{name}_p99_s": p99(latencies[name]) for name in SHOWN},
            **{f"{name}_p50_s": p50(latencies[name]) for name in SHOWN},
            "search_rtt_median_s": sorted(latencies["rtt"])[len(latencies["rtt"]) // 2],
            **{f"{name}_first_poll_shown": firsts[name] for name in SHOWN},
            **figures,
            "load_1min": os.getloadavg()[0],
        }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--connections", type=int, default=2)
    parser.add_argument("--engine", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "CASEWORK_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
    )
    parser.add_argument(
        "--trace",
        type=Path,
        help="a folder for each worker's timestamps (benchmarks/feed_trace.py) and the polls'; "
        "`python benchmarks/feed_trace.py FOLDER/ENGINE` explains each repeat from them",
    )
    args = parser.parse_args(argv)
    ndjson = examples_ndjson(args.count).resolve()
    engines = ("sqlite", "postgres") if args.engine == "both" else (args.engine,)
    import tempfile

    results = []
    for engine in engines:
        with tempfile.TemporaryDirectory(prefix="casework-feed-") as folder:
            results.append(bench(args, engine, ndjson, Path(folder)))
    for r in results:
        verdict = "met" if max(r[f"{n}_p99_s"] for n in SHOWN) <= GOAL_SECONDS else "MISSED"
        print(
            f"{r['engine']}: {r['records']} records, {r['workers']} workers under load: "
            f"a save shown by every worker in p50 / max "
            f"{r['search_p50_s']:.3f} / {r['search_p99_s']:.3f} s (API search, facets), "
            f"{r['page_p50_s']:.3f} / {r['page_p99_s']:.3f} s (record page), "
            f"{r['listing_p50_s']:.3f} / {r['listing_p99_s']:.3f} s (category listing); "
            f"goal <= {GOAL_SECONDS} s: "
            f"{verdict}; one search's round trip under the same load, median "
            f"{r['search_rtt_median_s']:.3f} s; the first poll after the commit showed it "
            f"{r['search_first_poll_shown']}, {r['page_first_poll_shown']}, "
            f"{r['listing_first_poll_shown']} times of {len(r['repeats']) * r['workers']} "
            f"(search, page, listing). Peer, each worker's cost of a save elsewhere: "
            f"full rebuild {r['rebuild_cpu_s']:.3f} CPU s / {r['rebuild_wall_s']:.3f} s before, "
            f"feed patch {r['patch_cpu_s']:.4f} CPU s / {r['patch_wall_s']:.4f} s now. "
            f"Load average {r['load_1min']:.1f}."
        )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
