"""Command start-up: the time of a whole `casework` command, Python's start included, beside a
peer's doing the same, in one run.

    python benchmarks/startup.py [--count 10000] [--runs 5]

Prep (untimed, kept under bench-data/startup-<count>/): a tracker of COUNT generated records
(`casework init`, `casework import --status published` of datasets.py's NDJSON), its site built
once; and, for the peer, sqlite-utils' database of the same NDJSON lines with FTS5 on the same
text columns as benchmarks/import_export.py.

Timed, each command in a new process, RUNS times after one untimed warm-up run (the OS's file
cache), the median printed with the fastest: `casework --version`, `casework --help`, `casework
search x` (the first search of a process reads the facet index), `casework build` with nothing
changed; beside `sqlite-utils --version`, `--help` and `search` on its database, and `hugo
version` (when the bench extra's hugo is installed) beside the build. casework runs from this
checkout (`python -m casework`), whichever casework the virtualenv installed. Goals (issue 17):
--version <= 0.15 s, a no-change build <= 0.3 s, a search at 10,000 records <= 0.3 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))

from datasets import BENCH_DATA, SITE, examples_ndjson

SOURCE = Path(__file__).resolve().parent.parent / "src"
BIN = Path(sys.executable).parent
FTS_COLUMNS = ["title", "summary", "description", "keyPoints", "tags", "contentHtml"]


def casework(*args: str) -> list[str]:
    return [sys.executable, "-m", "casework", *args]


def environment() -> dict[str, str]:
    """This checkout's casework first."""
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": f"{SOURCE}{os.pathsep}{path}" if path else str(SOURCE)}


def prepare(count: int) -> tuple[Path, Path]:
    """The tracker (built once) and the peer's database, made on first use."""
    work = BENCH_DATA / f"startup-{count}"
    tracker, peer = work / "tracker", work / "peer.db"
    if (work / "ready").exists():
        return tracker, peer
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    ndjson = examples_ndjson(count)
    for command in (
        casework("init", str(tracker), "--url", SITE.url, "--title", SITE.title),
        casework("-t", str(tracker), "import", "--status", "published", str(ndjson)),
        casework("-t", str(tracker), "build"),
    ):
        subprocess.run(command, check=True, capture_output=True, env=environment())
    import json

    import sqlite_utils

    db = sqlite_utils.Database(peer)
    with ndjson.open(encoding="utf-8") as lines:
        rows = (json.loads(line) for line in lines if line.strip())
        db["records"].insert_all(rows, pk="slug", batch_size=1000, alter=True)
    db["records"].enable_fts(FTS_COLUMNS)
    db.close()
    (work / "ready").write_text("")
    return tracker, peer


def timed(command: list[str], runs: int) -> tuple[float, float]:
    """(median, fastest) wall seconds of `command`, after one warm-up run."""
    seconds = []
    for i in range(runs + 1):
        started = time.perf_counter()
        subprocess.run(
            command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env=environment(),
        )  # fmt: skip
        if i:
            seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), min(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    console = Console(width=120)
    with console.status(f"prep: a tracker of {options.count} records, built, and its peer"):
        tracker, peer = prepare(options.count)
    sqlite_utils = str(BIN / "sqlite-utils")
    hugo = shutil.which("hugo", path=str(BIN)) or shutil.which("hugo")
    rows = [
        ("--version", casework("--version"), [sqlite_utils, "--version"], 0.15),
        ("--help", casework("--help"), [sqlite_utils, "--help"], None),
        ("search x", casework("-t", str(tracker), "search", "x"),
         [sqlite_utils, "search", str(peer), "records", "x", "--limit", "10"], 0.3),
        ("build, nothing changed", casework("-t", str(tracker), "build"),
         [hugo, "version"] if hugo else None, 0.3),
    ]  # fmt: skip
    table = Table(
        "command",
        "casework median (fastest)",
        "peer",
        "peer median (fastest)",
        "goal",
        title=f"Command start-up, {options.count:,} records, median of {options.runs} runs "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)",
    )
    for name, ours, theirs, goal in rows:
        with console.status(f"casework {name}"):
            median, fastest = timed(ours, options.runs)
        peer_text = peer_name = "—"
        if theirs is not None:
            with console.status(f"peer of {name}"):
                peer_median, peer_fastest = timed(theirs, options.runs)
            peer_text = f"{peer_median:.3f} s ({peer_fastest:.3f})"
            peer_name = " ".join(Path(theirs[0]).name if i == 0 else a for i, a in
                                 enumerate(theirs) if a not in (str(peer),))  # fmt: skip
        verdict = "" if goal is None else f"≤ {goal} s: " + ("met" if median <= goal else "NOT met")
        table.add_row(
            f"casework {name}", f"{median:.3f} s ({fastest:.3f})", peer_name, peer_text, verdict
        )
    console.print(table)


if __name__ == "__main__":
    main()
