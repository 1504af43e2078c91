"""Refuse a PostgreSQL server that would not keep what it acknowledged.

A record's history is a hash chain: a commit the server confirmed and then lost in a crash is
a revision an editor was told was saved, and a torn page can break the chain for good. Three
settings decide it, and each can be turned off for speed (benchmarks, disposable test
servers), so the PostgreSQL engine checks them when it opens:

- `fsync`: off, writes are never forced to disk — a crash can lose or corrupt anything;
- `full_page_writes`: off, a page half-written when the power went cannot be repaired from the
  WAL — a crash can corrupt committed data;
- `synchronous_commit`: off, a commit returns before its WAL is on disk — a crash loses the
  last commits (any other value, `local` included, waits for the local disk).

`fsync` and `full_page_writes` are server-wide; `synchronous_commit` may also be set per role,
database or session, so it is read in the session the store will write through.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection, Engine

from casework.store.base import StoreError

SETTINGS = ("fsync", "full_page_writes", "synchronous_commit")

# Why each setting matters, in the order the error lists them.
WHY: dict[str, str] = {
    "fsync": "writes are not forced to disk",
    "full_page_writes": "a page half-written at a crash cannot be repaired",
    "synchronous_commit": "commits are confirmed before they reach the disk",
}


class NotDurable(StoreError):
    """The server's settings let a crash lose or corrupt committed revisions."""


def durability_problems(settings: Mapping[str, str]) -> list[str]:
    """The settings of SETTINGS that are off in `settings` (name → value as PostgreSQL shows
    it), each as 'NAME is off (why)'. A setting missing from `settings` counts as off: a
    server that does not say cannot be trusted."""
    problems = []
    for name in SETTINGS:
        value = settings.get(name, "").strip().lower()
        if value in ("off", "false", "0", "no", ""):
            problems.append(f"{name} is off ({WHY[name]})")
    return problems


def durability_message(settings: Mapping[str, str]) -> str | None:
    """The one-line error for `settings`, or None when they are all safe."""
    problems = durability_problems(settings)
    if not problems:
        return None
    return (
        "PostgreSQL is not crash-safe: "
        + "; ".join(problems)
        + " — a crash could lose or corrupt committed revisions; turn "
        + ("it" if len(problems) == 1 else "them")
        + " on in postgresql.conf (or ALTER SYSTEM / ALTER DATABASE / ALTER ROLE)"
    )


def read_settings(connection: Connection) -> dict[str, str]:
    """The current values of SETTINGS in `connection`'s session."""
    rows = connection.execute(
        text("SELECT name, setting FROM pg_settings WHERE name IN :names").bindparams(
            bindparam("names", value=list(SETTINGS), expanding=True)
        )
    ).all()
    return {str(name): str(setting) for name, setting in rows}


def check_durability(connection_or_engine: Connection | Engine) -> None:
    """Raise NotDurable (a StoreError) naming each of fsync, full_page_writes and
    synchronous_commit that is off on the PostgreSQL server behind `connection_or_engine`.
    Other databases pass: the SQLite engine sets its own durability (synchronous=FULL)."""
    if connection_or_engine.dialect.name != "postgresql":
        return
    if isinstance(connection_or_engine, Engine):
        with connection_or_engine.connect() as connection:
            settings = read_settings(connection)
    else:
        settings = read_settings(connection_or_engine)
    message = durability_message(settings)
    if message is not None:
        raise NotDurable(message)


__all__ = [
    "SETTINGS",
    "NotDurable",
    "check_durability",
    "durability_message",
    "durability_problems",
    "read_settings",
]
