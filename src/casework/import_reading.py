"""An import's input read by other processes: parsed, validated, sanitized, serialized and cut
into search keys there, while the importing process writes the store (`transfer.import_path`).

A module of its own, importing only what reading needs (formats, model, the prepared form):
each reader is a new process (spawned) that imports this module to run `_reader_process`, and
importing `casework.transfer` instead would load SQLAlchemy, the editing service and the
publishing code for nothing (0.3 s of CPU per reader, measured).
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from multiprocessing.queues import Queue
from pathlib import Path
from queue import Empty, Full
from typing import Any

from casework import search_words
from casework.formats import InvalidInput, Shard, is_ndjson, read_any, read_records
from casework.model import Site
from casework.store.prepared import PreparedRecord, prepare_record

CHUNK = 128
"""Records a reader sends at a time (and the run length an NDJSON file is dealt out in)."""


@dataclass
class Read:
    """An Item as the reading process sends it: the record already prepared for storage."""

    location: str
    prepared: PreparedRecord | None
    error: InvalidInput | None
    warnings: list[str]


def _reader_process(
    path: Path, site: Site, shard: Shard | None, language: str, importer: int, queue: Queue[Any]
) -> None:
    """Read, validate, sanitize, serialize and cut into search keys (stemmed in `language`,
    the importing process's) records (of `shard`) in this process; send them `CHUNK` at a
    time (the shard's runs), then ("done", None), to process `importer` (its parent, given:
    by the time this runs, a killed one's place may have been taken by init)."""

    def gone() -> None:
        # A killed importer reads no more: stop rather than wait for it forever. Nothing to
        # flush or clean (this process only read), and an exit that waited for the queue's
        # feeder thread would wait forever.
        queue.cancel_join_thread()
        os._exit(0)

    def send(message: tuple[str, Any]) -> None:
        while True:
            try:
                queue.put(message, timeout=1)
                return
            except Full:
                if os.getppid() != importer:
                    gone()

    try:
        search_words.set_language(language)
        # Not niced: the importer waits on its readers most of the time (36 of 50 s at
        # 100,000 records, measured), and on a shared machine a niced reader got a third of
        # another process's share of a core.
        chunk: list[Read] = []
        items = read_records(path, site, shard=shard) if shard else read_any(path, site)
        for item in items:
            prepared = prepare_record(item.record) if item.record is not None else None
            chunk.append(Read(item.location, prepared, item.error, item.warnings))
            if len(chunk) >= CHUNK:
                send(("items", chunk))
                chunk = []
        if chunk:
            send(("items", chunk))
        send(("done", None))
    except BaseException as error:
        send(("failed", error if isinstance(error, InvalidInput) else repr(error)))
    # Exit once the importer has taken every message (until then the queue's feeder thread
    # may still hold some), or once it is gone. (macOS cannot count a queue: there the exit
    # waits for the feeder thread.)
    with suppress(NotImplementedError):
        while queue.qsize():
            if os.getppid() != importer:
                gone()
            time.sleep(0.05)


def read_in_other_processes(path: Path, site: Site) -> Iterator[Read]:
    """What read_any yields, read by other processes: parsing, validating and serializing
    records is most of an import's work. An NDJSON file is dealt out to two readers in runs
    of `CHUNK` records and their chunks are taken back in turn, so records arrive in input
    order; SQLite's share of the work runs here meanwhile."""
    context = multiprocessing.get_context("spawn")
    count = 2 if is_ndjson(path) else 1
    shards = [Shard(i, count, CHUNK) for i in range(count)] if count > 1 else [None]
    queues: list[Queue[Any]] = [context.Queue(maxsize=8) for _ in shards]
    workers = [
        context.Process(
            target=_reader_process,
            args=(path, site, shard, search_words.language(), os.getpid(), queue),
            daemon=True,
        )
        for shard, queue in zip(shards, queues, strict=True)
    ]
    for worker in workers:
        worker.start()
    try:
        turn = 0
        while True:
            queue, worker = queues[turn % len(queues)], workers[turn % len(workers)]
            try:
                kind, payload = queue.get(timeout=5)
            except Empty:
                if not worker.is_alive():
                    raise RuntimeError(f"reading {path} stopped unexpectedly") from None
                continue
            if kind == "items":
                yield from payload
                if count > 1 and len(payload) < CHUNK:
                    return  # a short run is the last one of the whole file
                turn += 1
            elif kind == "done":
                return  # the reader whose turn it is has no more runs: neither has any other
            elif isinstance(payload, InvalidInput):
                raise payload
            else:
                raise RuntimeError(f"reading {path} failed: {payload}")
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
            worker.join(timeout=10)
