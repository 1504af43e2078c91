"""Import and export of N generated records, casework beside sqlite-utils.

    python benchmarks/import_export.py [--records 100000]

casework: `casework import` of an NDJSON file into a new SQLite tracker (validation, sanitizing,
revision history with hashes, FTS5 index), then export to tracker JSON (archive.json), NDJSON and a
folder of Markdown files. Peer: sqlite-utils (Datasette's loader) inserting the same NDJSON lines
as plain rows and enabling FTS5 on the same text columns, then dumping the rows to NDJSON. Each side
runs in its own process so that each peak memory figure is its own. Goal (issue 2): import of
100,000 records in <= 60 s on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from datasets import examples_ndjson, peak_rss_mib


def casework_import(ndjson: Path, work: Path) -> dict[str, float]:
    from casework.editing import Actor, Editing
    from casework.model import Site, Status
    from casework.tracker import init_tracker, open_tracker
    from casework.transfer import import_path

    init_tracker(work / "tracker", Site(url="https://bench.example.org"))
    with open_tracker(work / "tracker") as tracker:
        started = time.perf_counter()
        report = import_path(
            Editing(tracker.store, tracker.site),
            ndjson,
            actor=Actor.operator("bench"),
            status=Status.published,
        )
        seconds = time.perf_counter() - started
    size = (work / "tracker" / "tracker.db").stat().st_size
    return {
        "seconds": seconds,
        "records": report.imported,
        "db_mib": size / 2**20,
        "peak_mib": peak_rss_mib(),
    }


def casework_export(work: Path, fmt: str) -> dict[str, float]:
    from casework.tracker import open_tracker
    from casework.transfer import ExportFormat, export_records

    with open_tracker(work / "tracker") as tracker:
        started = time.perf_counter()
        records = (s.record for s in tracker.store.iter_records())
        target = work / f"export-{fmt}" / ("records" if fmt == "markdown" else f"out.{fmt}")
        export_records(
            records, tracker.site, ExportFormat(fmt), target, count=tracker.store.count()
        )
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "peak_mib": peak_rss_mib()}


FTS_COLUMNS = ["title", "summary", "description", "keyPoints", "tags", "contentHtml"]


def peer_import(ndjson: Path, work: Path) -> dict[str, float]:
    import sqlite_utils

    started = time.perf_counter()
    db = sqlite_utils.Database(work / "peer.db")
    with ndjson.open(encoding="utf-8") as lines:
        rows = (json.loads(line) for line in lines if line.strip())
        db["records"].insert_all(rows, pk="slug", batch_size=1000, alter=True)
    db["records"].enable_fts(FTS_COLUMNS)
    seconds = time.perf_counter() - started
    count = db["records"].count
    db.close()
    return {
        "seconds": seconds,
        "records": count,
        "db_mib": (work / "peer.db").stat().st_size / 2**20,
        "peak_mib": peak_rss_mib(),
    }


def peer_export(work: Path) -> dict[str, float]:
    import sqlite_utils

    started = time.perf_counter()
    db = sqlite_utils.Database(work / "peer.db")
    with (work / "peer.ndjson").open("w", encoding="utf-8") as out:
        for row in db["records"].rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return {"seconds": time.perf_counter() - started, "peak_mib": peak_rss_mib()}


def cpu_seconds() -> float:
    """User + system CPU of this process and of its children that ended (an import's readers)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def child(step: str, ndjson: Path, work: Path) -> None:
    steps = {
        "casework-import": lambda: casework_import(ndjson, work),
        "casework-export-archive": lambda: casework_export(work, "archive"),
        "casework-export-ndjson": lambda: casework_export(work, "ndjson"),
        "casework-export-markdown": lambda: casework_export(work, "markdown"),
        "peer-import": lambda: peer_import(ndjson, work),
        "peer-export-ndjson": lambda: peer_export(work),
    }
    before = cpu_seconds()
    result = steps[step]()
    # The whole step's CPU, the set-up around the timed part included (a small share).
    result["cpu"] = cpu_seconds() - before
    print(json.dumps(result))


def run(step: str, ndjson: Path, work: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", step, "--ndjson", str(ndjson), "--work", str(work)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument(
        "--import-only", action="store_true", help="the import steps only, not the exports"
    )
    parser.add_argument("--child")
    parser.add_argument("--ndjson", type=Path)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.ndjson, args.work)
        return
    ndjson = examples_ndjson(args.records).resolve()
    work = Path(tempfile.mkdtemp(prefix="casework-bench-", dir="bench-data")).resolve()
    try:
        mib = ndjson.stat().st_size / 2**20
        print(f"{args.records} records, NDJSON {mib:.0f} MiB")
        rows = [("import", run("casework-import", ndjson, work), run("peer-import", ndjson, work))]
        if not args.import_only:
            rows += [
                (
                    "export ndjson",
                    run("casework-export-ndjson", ndjson, work),
                    run("peer-export-ndjson", ndjson, work),
                ),
                ("export archive.json", run("casework-export-archive", ndjson, work), None),
                ("export markdown files", run("casework-export-markdown", ndjson, work), None),
            ]
        print(
            f"{'step':<24}{'casework s':>12}{'CPU s':>8}{'rec/s':>10}{'peak MiB':>10}"
            f"{'sqlite-utils s':>16}{'CPU s':>8}{'peak MiB':>10}{'ratio':>8}{'CPU ratio':>11}"
        )
        for name, ours, peer in rows:
            rate = args.records / ours["seconds"]
            line = (
                f"{name:<24}{ours['seconds']:>12.1f}{ours['cpu']:>8.1f}{rate:>10.0f}"
                f"{ours['peak_mib']:>10.0f}"
            )
            if peer:
                line += (
                    f"{peer['seconds']:>16.1f}{peer['cpu']:>8.1f}{peer['peak_mib']:>10.0f}"
                    f"{ours['seconds'] / peer['seconds']:>8.2f}{ours['cpu'] / peer['cpu']:>11.2f}"
                )
            print(line)
        ours = rows[0][1]
        print(
            f"casework tracker.db {ours['db_mib']:.0f} MiB, sqlite-utils db "
            f"{rows[0][2]['db_mib']:.0f} MiB; goal: import <= 60 s -> "
            f"{'met' if ours['seconds'] <= 60 else 'NOT met'} ({ours['seconds']:.1f} s)"
        )
        print(f"load average {' '.join(f'{v:.1f}' for v in os.getloadavg())} (2 cores shared)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
