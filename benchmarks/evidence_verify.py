"""`casework verify` on N generated records, beside `sha256sum` over the same bytes as the floor.

    python benchmarks/evidence_verify.py [--count 100000] [--repeat 1]

Prep (not timed): `casework init`, `casework import --status published` of N generated records,
`casework build` (so that there is a signed checkpoint to check against), then every revision's
stored record JSON — the bytes its hash covers — exported into 100 files.

Timed: `casework verify` (every revision's hash chain, the revision log recomputed against the
revisions, every checkpoint's signature and consistency), and `sha256sum` over the exported
files: hashing the same bytes once, with nothing read from a database, parsed or compared — the
floor no verifier of these bytes can go under. Best of --repeat runs each.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))

from datasets import BENCH_DATA, examples_ndjson

CASEWORK = Path(sys.executable).parent / "casework"
SHARDS = 100
console = Console()


def run(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def export_revisions(database: Path, folder: Path) -> int:
    """Every revision's stored record JSON into SHARDS files; returns the bytes written."""
    import sqlite3

    folder.mkdir()
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    files = [(folder / f"revisions-{i:03}.json").open("wb") for i in range(SHARDS)]
    total = 0
    try:
        for i, (data,) in enumerate(db.execute("SELECT data FROM revisions ORDER BY id")):
            raw = zlib.decompress(data)
            files[i % SHARDS].write(raw)
            total += len(raw)
    finally:
        for handle in files:
            handle.close()
        db.close()
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each timed step (best)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    ndjson = examples_ndjson(args.count).resolve()
    BENCH_DATA.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="verify-", dir=BENCH_DATA)).resolve()
    tracker = work / "tracker"
    try:
        with console.status("prep: casework init, import, build; revisions exported"):
            base = [str(CASEWORK), "--tracker", str(tracker)]
            prep = {
                "import": run([str(CASEWORK), "init", str(tracker)])
                + run([*base, "import", "--status", "published", str(ndjson)]),
                "build": run([*base, "build", "--out", str(work / "site")]),
            }
            size = export_revisions(tracker / "tracker.db", work / "bytes")
        with console.status("casework verify"):
            ours = min(run([*base, "verify"]) for _ in range(args.repeat))
        with console.status("casework verify of the built site"):
            site = min(run([*base, "verify", str(work / "site")]) for _ in range(args.repeat))
        with console.status("sha256sum"):
            shards = sorted(str(p) for p in (work / "bytes").iterdir())
            floor = min(run(["sha256sum", *shards]) for _ in range(args.repeat))
        table = Table(
            title=f"casework verify, {args.count:,} records ({size / 2**20:,.0f} MiB of revisions)"
        )
        for column in ("what", "seconds", "× sha256sum"):
            table.add_column(column, justify="right" if column != "what" else "left")
        table.add_row("casework verify (the tracker)", f"{ours:.2f}", f"{ours / floor:.1f}")
        table.add_row("casework verify SITE (the built site)", f"{site:.2f}", f"{site / floor:.1f}")
        table.add_row("sha256sum over the same bytes (floor)", f"{floor:.2f}", "1.0")
        console.print(table)
        console.print(
            f"prep (not timed): import {prep['import']:.1f} s, build {prep['build']:.1f} s",
            style="dim",
        )
        if args.keep:
            console.print(f"work folder kept: {work}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
