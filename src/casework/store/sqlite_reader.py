"""One search of a SQLite database without opening its store: what `casework search` runs
(`cli/quick.py`), with the sqlite3 driver only.

Opening a `SQLiteStore` loads SQLAlchemy (its pool, the migrations' check) and, through the
command line's parsing, pydantic: ~0.4 s of CPU before a search that itself takes
milliseconds. A search only reads, so it needs neither: here one sqlite3 connection reads one
snapshot (a read transaction, as `SQLiteStore._read`), the facet index comes from the file
kept beside the database (`facet_file`) and the search is `sqlite_search.search`, the very
code a store runs. A database this cannot read as it is — no such file, or a schema not at the
newest migration, which opening the store would migrate — is left to the store (None).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from casework.store import disk_errors
from casework.store.base import Query, SearchResult
from casework.store.migrate import head_revision

BUSY_TIMEOUT_S = 30.0  # as SQLiteStore's


def database_file(url: str) -> Path | None:
    """The database file of a plain `sqlite:///path` URL or a path; None for anything else
    (PostgreSQL, a URL with parameters): the store reads those."""
    if url.startswith("sqlite:///"):
        url = url[len("sqlite:///") :]
    elif "://" in url:
        return None
    if not url or "?" in url or url == ":memory:":
        return None
    return Path(url).absolute()


def search_file(database: Path, query: Query) -> SearchResult | None:
    """`query` over the database file `database`, or None when the store must open it."""
    from casework.store.sqlite_search import search, sqlite_facet_index_of

    if not database.is_file():
        return None
    with disk_errors.mapped(str(database)):
        db = sqlite3.connect(database, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            db.execute("BEGIN")
            try:
                versions = db.execute("SELECT version_num FROM alembic_version").fetchall()
            except sqlite3.OperationalError:  # not a casework database, or a new one
                return None
            if [row[0] for row in versions] != [head_revision()]:
                return None
            generation = db.execute("SELECT generation FROM store_meta WHERE id = 1").fetchone()[0]
            index = sqlite_facet_index_of(database, generation, db)
            return search(db, index, query)
        finally:
            if db.in_transaction:
                db.execute("ROLLBACK")
            db.close()
