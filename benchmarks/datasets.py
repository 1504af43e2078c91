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


SCALE_BASE = 10_000  # distinct generated records behind a scaled dataset
BODY_BYTES = 1000  # a scaled record's body (contentHtml) is cut near this size


def scaled_ndjson(count: int, seed: int = 1) -> Path:
    """An NDJSON file of `count` records made from the first SCALE_BASE generated ones, for
    sizes where generating every record would take hours (1,000,000 records: ~1.7 hours on
    one core). Copy k of a base record gets the slug suffix `-k<k>` (its related incidents too,
    so they point into the same copy), its body is cut at the first block ending past
    BODY_BYTES, and its derived keys are left out (casework computes them). Every record is
    distinct by slug and the words' document frequencies are those of the generator."""
    if count <= SCALE_BASE:
        return examples_ndjson(count, seed)
    import orjson

    from casework.model import DERIVED_KEYS

    path = BENCH_DATA / f"scaled-{count}-seed{seed}.ndjson"
    if path.exists():
        return path
    base = []
    with examples_ndjson(SCALE_BASE, seed).open("rb") as lines:
        for line in lines:
            data = orjson.loads(line)
            for key in DERIVED_KEYS:
                if key != "contentHtml":
                    data.pop(key, None)
            html = data.get("contentHtml", "")
            end = html.find("\n", BODY_BYTES)
            data["contentHtml"] = html if end < 0 else html[:end]
            base.append(data)
    partial = path.with_suffix(".partial")
    started = time.perf_counter()
    with Progress(transient=True) as progress, partial.open("wb") as out:
        task = progress.add_task(f"writing {count:,} records (cached afterwards)", total=count)
        for i in range(count):
            copy, data = divmod(i, SCALE_BASE)
            if copy:
                data = dict(base[data])
                suffix = f"-k{copy}"
                data["slug"] += suffix
                data["relatedIncidents"] = [s + suffix for s in data["relatedIncidents"]]
            else:
                data = base[data]
            out.write(orjson.dumps(data) + b"\n")
            if i % 10_000 == 0:
                progress.update(task, completed=i)
    partial.replace(path)
    print(f"wrote {path} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return path


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (Linux: ru_maxrss is in KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
