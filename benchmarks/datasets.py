"""Example datasets for the benchmarks, generated once and cached under ./bench-data/."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from rich.progress import Progress

from casework.examples import generate_records
from casework.formats import write_ndjson
from casework.model import Site

BENCH_DATA = Path("bench-data")
SITE = Site(url="https://bench.example.org", title="casework benchmark")


def examples_ndjson(count: int, seed: int = 1) -> Path:
    """An NDJSON file of `count` generated records (tracker JSON, one per line)."""
    BENCH_DATA.mkdir(exist_ok=True)
    path = BENCH_DATA / f"examples-{count}-seed{seed}.ndjson"
    if path.exists():
        return path
    partial = path.with_suffix(".partial")
    started = time.perf_counter()
    tracker = BENCH_DATA / f"search-examples-{count}.db"
    if seed == 1 and tracker.exists():
        # benchmarks/search.py keeps a tracker of the same generated records: exporting it
        # takes seconds where generating takes minutes.
        from casework.store import open_store

        store = open_store(tracker)
        with partial.open("w", encoding="utf-8") as out:
            write_ndjson((s.record for s in store.iter_records()), SITE, out)
        store.close()
        partial.replace(path)
        print(
            f"exported {path} from {tracker} in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        return path
    with Progress(transient=True) as progress, partial.open("w", encoding="utf-8") as out:
        task = progress.add_task(f"generating {count} records (cached afterwards)", total=count)

        def advancing():  # type: ignore[no-untyped-def]
            for record in generate_records(count, seed=seed, site=SITE):
                yield record
                progress.advance(task)

        write_ndjson(advancing(), SITE, out)
    partial.replace(path)
    print(f"generated {path} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return path


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (Linux: ru_maxrss is in KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
