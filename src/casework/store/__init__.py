"""The system of record: the Store protocol (base.py) and its engines.

`open_store(url)` is the one place that picks an engine from a database URL.
"""

from __future__ import annotations

from pathlib import Path

from casework.store.base import Store, StoreError
from casework.store.migrate import migrate


class UnsupportedDatabase(StoreError):
    """A database URL no engine of this version can open."""


def open_store(url: str | Path) -> Store:
    """Open (creating and migrating as needed) the store at `url`: `sqlite:///path/to/file.db`
    or a plain file path. Raises UnsupportedDatabase for any other kind of URL."""
    text = str(url)
    if text.startswith("sqlite:///") or "://" not in text:
        from casework.store.sqlite import SQLiteStore  # numpy and FTS code load only here

        if text in ("sqlite://", "sqlite:///", "sqlite:///:memory:", ":memory:"):
            raise UnsupportedDatabase(
                f"{text!r}: casework needs a database file, not an in-memory database"
            )
        return SQLiteStore(text)
    scheme = text.split("://", 1)[0]
    raise UnsupportedDatabase(
        f"{text!r}: this version of casework stores trackers in SQLite only "
        f"(sqlite:///path/to/tracker.db); {scheme!r} databases are not supported yet"
    )


__all__ = ["Store", "StoreError", "UnsupportedDatabase", "migrate", "open_store"]
