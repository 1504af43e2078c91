"""The live public site's first pages at size: how long one `casework serve` worker takes to
answer its first home page, listing page and record page, what CPU it spent on each, and how
much memory it holds after (issue 17: "the live public site answering its first page <= 1 s
per worker with <= 1 GB per worker" at a million records).

    python benchmarks/first_page.py --tracker FOLDER [--db postgresql://…/name]
    python benchmarks/first_page.py --count 100000 [--postgres postgresql://…/postgres]
    python benchmarks/first_page.py … --path /tag/use-of-force/ [--path /entity/x/ …]

With --tracker, an existing tracker (and --db its database): nothing is imported. With
--count, a tracker of that many scaled records (datasets.scaled_ndjson) is made in a new
PostgreSQL database, dropped after (the import is untimed, and slow at size).

Timed, one worker, started with CASEWORK_WARM_SITE=0 so that the first request pays what it
needs (with warming on, the same work runs at start-up instead): the time from the process
start to its first answer (/api/stats), then each first request in turn (a record page, a
category listing, the home page): wall seconds, and the
worker's CPU seconds (user+sys, read from /proc/PID/stat) spent meanwhile. After each, the
worker's resident memory (VmRSS) and its peak (VmHWM). Then the same requests again (warm).
With --path (repeatable), those pages are asked for after the record page, instead of the
category listing and the home page: run once per page to see each page's own first cost.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from change_feed import database, free_port, make_tracker, request
from datasets import scaled_ndjson

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def memory_mib(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) in MiB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0]) / 1024
    return found["VmRSS"], found["VmHWM"]


def timed(pid: int, port: int, path: str) -> dict[str, Any]:
    cpu, wall = cpu_seconds(pid), time.perf_counter()
    status, body = request(port, path, timeout=3600)
    wall, cpu = time.perf_counter() - wall, cpu_seconds(pid) - cpu
    rss, peak = memory_mib(pid)
    return {
        "path": path,
        "status": status,
        "bytes": len(body),
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "rss_mib": round(rss),
        "peak_mib": round(peak),
    }


def measure(
    tracker: Path, env: dict[str, str], log: Path, extra: list[str] | None = None
) -> dict[str, Any]:
    port = free_port()
    # The app factory every `serve --workers N` process runs (web/asgi.py), with warming off.
    env = {**env, "CASEWORK_WARM_SITE": "0", "NO_COLOR": "1", "CASEWORK_TRACKER": str(tracker)}
    command = [sys.executable, "-m", "uvicorn", "--factory", "casework.web.asgi:create"]
    command += ["--port", str(port), "--no-access-log"]
    started = time.perf_counter()
    with log.open("wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        while True:
            try:
                if request(port, "/api/stats", timeout=3600)[0] == 200:
                    break
            except OSError:
                pass
            if proc.poll() is not None:
                raise SystemExit(f"the worker died: see {log}")
            time.sleep(0.1)
        up = {"wall_s": round(time.perf_counter() - started, 3), "cpu_s": cpu_seconds(proc.pid)}
        up["rss_mib"], up["peak_mib"] = (round(m) for m in memory_mib(proc.pid))
        listing = json.loads(request(port, "/api/incidents?perPage=1")[1])
        hit = listing["incidents"][0]
        # A record page first (it needs no site plan), then a listing (the first page that
        # needs the site's cards), then the home page.
        paths = [f"/incident/{hit['slug']}/", f"/category/{hit['category']}/", "/"]
        if extra:
            paths = [paths[0], *extra]
        first = [timed(proc.pid, port, p) for p in paths]
        again = [timed(proc.pid, port, p) for p in paths]
        return {"records": listing["total"], "started": up, "first": first, "again": again}
    finally:
        proc.terminate()
        proc.wait(60)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tracker", type=Path)
    parser.add_argument("--db", help="the tracker's database URL (with --tracker)")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "CASEWORK_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
    )
    parser.add_argument("--path", action="append", help="a page to ask for (repeatable)")
    args = parser.parse_args(argv)
    env = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="casework-first-page-") as folder:
        work = Path(folder)
        if args.tracker is not None:
            if args.db:
                env["CASEWORK_DATABASE_URL"] = args.db
            result = measure(args.tracker, env, work / "serve.log", args.path)
        else:
            ndjson = scaled_ndjson(args.count).resolve()
            with database("postgres", args.postgres) as url:
                assert url is not None
                env["CASEWORK_DATABASE_URL"] = url
                tracker, _token = make_tracker(work, ndjson, env)
                result = measure(tracker, env, work / "serve.log", args.path)
    result["load_1min"] = round(os.getloadavg()[0], 1)
    for label in ("first", "again"):
        for row in result[label]:
            print(
                f"{label:5} {row['path'][:40]:40} {row['status']} {row['wall_s']:8.3f} s wall "
                f"{row['cpu_s']:8.3f} CPU s  RSS {row['rss_mib']} MiB (peak {row['peak_mib']})"
            )
    started = result["started"]
    print(
        f"{result['records']} records: worker answering after {started['wall_s']} s wall, "
        f"{started['cpu_s']} CPU s, RSS {started['rss_mib']} MiB; load {result['load_1min']}"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
