"""A whole tracker from one store to another, across engines: records, their complete
hash-chained history, collections, accounts, the job queue, ingest's proposals, the index of
captures and the link-health reports, row for row (the captures' WARC files stay in the
tracker's archive/ folder); then the destination's search index is built and the copy is
checked — every table's row count, every record's current revision hash, and every hash chain
recomputed on the destination.

Both engines share one schema (schema.py, the same migrations), so the copy is table by table
in SQLAlchemy Core, in primary-key order, in one transaction on the destination: a failed or
interrupted copy leaves the destination as empty as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Table, func, select, text
from sqlalchemy.engine import Connection, Engine

from casework.store import schema
from casework.store.base import Store, StoreError

BATCH = 2_000

# Parents before children (foreign keys), every table of the shared schema.
TABLES: tuple[Table, ...] = (
    schema.records,
    schema.record_tags,
    schema.record_pages,
    schema.revisions,
    schema.revision_log,
    schema.withdrawals,
    schema.collections,
    schema.collection_records,
    schema.store_meta,
    schema.users,
    schema.sessions,
    schema.api_tokens,
    schema.login_failures,
    schema.jobs,
    schema.captures,
    schema.link_reports,
    schema.link_checks,
    schema.notes,
    schema.renames,
    schema.deletions,
    schema.proposals,
    schema.changes,
)


class CopyError(StoreError):
    """The destination is not empty, or the copy does not match its source."""


@dataclass
class CopyReport:
    rows: dict[str, int] = field(default_factory=dict)
    records: int = 0
    revisions: int = 0


def engine_of(store: Store) -> Engine:
    engine = getattr(store, "_engine", None)
    if not isinstance(engine, Engine):
        raise CopyError(f"{type(store).__name__} has no SQL engine to copy from or to")
    return engine


def _count(connection: Connection, table: Table) -> int:
    return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def copy_store(
    source: Store, destination: Store, progress: Callable[[str, int], None] | None = None
) -> CopyReport:
    """Copy everything in `source` into the empty `destination`, then verify it."""
    if destination.count() or destination.accounts.users():
        raise CopyError("the destination already holds records or users: copy into an empty one")
    src, dst = engine_of(source), engine_of(destination)
    report = CopyReport()
    with src.connect() as reading, dst.begin() as writing:
        writing.execute(schema.store_meta.delete())  # a new store's own row; the source's comes
        for table in TABLES:
            key = [c for c in table.primary_key.columns] or list(table.columns)
            rows = reading.execute(select(table).order_by(*key)).mappings()
            copied = 0
            while batch := rows.fetchmany(BATCH):
                writing.execute(table.insert(), [dict(row) for row in batch])
                copied += len(batch)
                if progress:
                    progress(table.name, len(batch))
            report.rows[table.name] = copied
        if writing.dialect.name == "postgresql":
            # Rows came with their ids: move each id sequence past them.
            for table in TABLES:
                for column in table.primary_key.columns:
                    if column.autoincrement is True or (
                        column.autoincrement == "auto" and len(table.primary_key.columns) == 1
                        and column.type.python_type is int
                    ):  # fmt: skip
                        writing.execute(
                            text(
                                "SELECT setval(pg_get_serial_sequence(:t, :c), "
                                f"coalesce((SELECT max({column.name}) FROM {table.name}), 0) + 1, "
                                "false)"
                            ),
                            {"t": table.name, "c": column.name},
                        )
        # A new generation: caches the destination built before the copy are stale.
        writing.execute(
            schema.store_meta.update().values(generation=schema.store_meta.c.generation + 1)
        )
    rebuild = getattr(destination, "rebuild_search_index", None)
    if callable(rebuild):
        rebuild()
    report.records = report.rows.get("records", 0)
    report.revisions = report.rows.get("revisions", 0)
    verify_copy(source, destination)
    return report


def verify_copy(source: Store, destination: Store) -> None:
    """Raise CopyError unless `destination` holds what `source` does: the same row count in
    every table, the same current revision hash for every record, every chain intact."""
    src, dst = engine_of(source), engine_of(destination)
    with src.connect() as a, dst.connect() as b:
        for table in TABLES:
            if table is schema.store_meta or table is schema.changes:
                continue  # both move with the search index rebuilt after the copy
            left, right = _count(a, table), _count(b, table)
            if left != right:
                raise CopyError(f"table {table.name}: {left} rows in the source, {right} copied")
    if source.versions() != destination.versions():
        raise CopyError("a record's current revision hash differs between source and copy")
    problems = destination.verify_history()
    if problems:
        first = problems[0]
        raise CopyError(
            f"history of {first.slug!r} revision {first.number} does not verify: {first.message}"
        )
