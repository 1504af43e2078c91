"""The system of record: the Store protocol (base.py) and its engines.

`open_store(url)` is the one place that picks an engine from a database URL.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from casework.search_words import DEFAULT_LANGUAGE
from casework.store.base import Store, StoreError
from casework.store.migrate import migrate
from casework.store.postgres_driver import is_postgres, require_psycopg


class UnsupportedDatabase(StoreError):
    """A database URL no engine of this version can open."""


def open_store(
    url: str | Path,
    language: str = DEFAULT_LANGUAGE,
    *,
    replica: bool = False,
    place_names: Iterable[tuple[str, str]] = (),
) -> Store:
    """Open (creating and migrating as needed) the store at `url`: `sqlite:///path/to/file.db`
    or a plain file path, or a PostgreSQL database (`postgresql://user@host/dbname`, which
    must exist). Raises UnsupportedDatabase for any other kind of URL, and
    `postgres.DatabaseUnavailable` when the PostgreSQL server cannot be reached.
    `language`: the tracker's search language (`[search] language`): the store stems what it
    indexes and what it is asked in it (`search_words.using`), whatever another store of the
    same process uses. `place_names`: its [places.names], which name the codes in the search
    text its writes index (`places.using_place_names`). With `replica`, `url` is a
    PostgreSQL read replica of the tracker's database (`[database] replica_url`): opened
    read-only and never migrated."""
    text = str(url)
    if is_postgres(text):
        require_psycopg()  # an optional dependency: one line when it is missing
        from casework.store.postgres import PostgresStore  # psycopg loads only here

        return PostgresStore(text, language, place_names, replica=replica)
    if replica:
        raise UnsupportedDatabase(
            f"{text!r}: a read replica is a PostgreSQL database (postgresql://user@host/dbname)"
        )
    if text.startswith("sqlite:///") or "://" not in text:
        from casework.store.sqlite import SQLiteStore  # numpy and FTS code load only here

        if text in ("sqlite://", "sqlite:///", "sqlite:///:memory:", ":memory:"):
            raise UnsupportedDatabase(
                f"{text!r}: casework needs a database file, not an in-memory database"
            )
        return SQLiteStore(text, language, place_names)
    scheme = text.split("://", 1)[0]
    raise UnsupportedDatabase(
        f"{text!r}: casework stores trackers in SQLite (sqlite:///path/to/tracker.db) or "
        f"PostgreSQL (postgresql://user@host/dbname); {scheme!r} databases are not supported"
    )


__all__ = ["Store", "StoreError", "UnsupportedDatabase", "migrate", "open_store"]
