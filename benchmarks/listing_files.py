"""The static build's listing files at N generated records: the shared, sharded files
(publish/listing.py `listing_files`) beside what each listing's own index.csv and index.json
held before (computed exactly from each record's CSV row and archive entry and the listings it
is on: at 10,000 records those files would not fit a test machine's disk), and what one
record's edit changes.

    python benchmarks/listing_files.py [--count 2000] [--ndjson FILE | --tracker DIR]

A tracker's published records (as a build reads them: imported records carry more than the
generated NDJSON, so its files are larger) or the generated ones.

CPU time (time.process_time: the machine is shared) of making every listing file both ways.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))

from datasets import SITE, examples_ndjson

from casework.formats import dumps
from casework.formats.tracker_json import record_dict
from casework.model import Record
from casework.publish import listing
from casework.publish.cards import card_of


def per_listing_bytes(records: list[Record], made: bool) -> tuple[int, int, float | None]:
    """(bytes, files) of the former per-listing index.csv and index.json, and, when `made`,
    the CPU seconds to make them as build.py did (csv_bytes and json_bytes of every listing);
    otherwise the bytes are counted from each record's CSV row and archive entry."""
    cards = [card_of(r) for r in records]
    groups = listing.every_listing(cards, SITE)
    by_slug = {r.slug: r for r in records}
    if made:
        started = time.process_time()
        total = 0
        for members in groups.values():
            chosen = [by_slug[c["slug"]] for c in members]
            total += len(listing.csv_bytes(chosen, SITE))
            total += len(listing.json_bytes(chosen, SITE, "2026-01-01T00:00:00Z"))
        return total, 2 * len(groups), time.process_time() - started
    header = len(listing.csv_bytes([], SITE))
    rows = {r.slug: len(listing.csv_bytes([r], SITE)) - header for r in records}
    entries = {
        r.slug: len(dumps(record_dict(r, SITE)).replace("\n", "\n    ").encode()) for r in records
    }
    empty = len(listing.json_bytes([], SITE, "2026-01-01T00:00:00Z"))
    total = 0
    for members in groups.values():
        slugs = [c["slug"] for c in members]
        total += header + sum(rows[s] for s in slugs)
        # json_bytes: the empty archive ("]\n}" closing), the count's digits, each entry
        # after "\n    " and between commas, and "\n  ]\n}" closing.
        total += empty + len(str(len(slugs))) - 1 + sum(entries[s] + 5 for s in slugs)
        total += len(slugs) - 1 + 4 if slugs else 0
    return total, 2 * len(groups), None


def generated(path: Path, count: int) -> list[Record]:
    with path.open("rb") as lines:
        return [
            Record.model_validate(orjson.loads(line))
            for _, line in zip(range(count), lines, strict=False)
        ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--ndjson", type=Path)
    parser.add_argument("--tracker", type=Path, help="a tracker's folder: its published records")
    parser.add_argument("--count-only", action="store_true", help="count the former bytes")
    args = parser.parse_args()
    if args.tracker:
        from casework.publish.public_view import public_view
        from casework.store import open_store

        store = open_store(args.tracker / "tracker.db")
        records = [p.record for p in public_view(store).records()][: args.count]
        store.close()
    else:
        records = generated(args.ndjson or examples_ndjson(args.count), args.count)
    before, files_before, cpu_before = per_listing_bytes(records, not args.count_only)
    started = time.process_time()
    made = listing.listing_files(records, SITE, "2026-01-01T00:00:00Z")
    cpu_after = time.process_time() - started
    after = sum(len(b) for b in made.values())
    edited = records[len(records) // 2]
    wire = edited.to_wire() | {"summary": edited.summary + " Edited."}
    changed_records = [*records]
    changed_records[len(records) // 2] = Record.model_validate(wire)
    shard = listing.shard_of(edited.slug)
    started = time.process_time()
    rewritten = listing.shard_files(
        shard, [r for r in changed_records if listing.shard_of(r.slug) == shard], SITE
    )
    cpu_edit = time.process_time() - started
    changed = {p: b for p, b in rewritten.items() if made[p] != b}
    manifest = len(made[listing.MANIFEST_FILE])
    print(f"records: {len(records):,}  listings: {files_before // 2:,}")
    spent = "" if cpu_before is None else f", {cpu_before:.1f} s CPU"
    print(f"before: {files_before:,} files, {before / 1e6:,.1f} MB{spent}")
    print(f"after:  {len(made):,} files, {after / 1e6:,.1f} MB, {cpu_after:.1f} s CPU")
    print(
        f"one record's edit: {len(changed)} shard files changed, "
        f"{sum(map(len, changed.values())) / 1e3:,.0f} kB (+ the {manifest:,} B manifest, "
        f"written each build), {cpu_edit:.2f} s CPU"
    )


if __name__ == "__main__":
    main()
