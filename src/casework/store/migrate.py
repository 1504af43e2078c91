"""Bring a database to the newest schema with the Alembic migrations shipped in the package.

SQLAlchemy is imported by the functions that use it (~0.12 s): `casework.store` imports this
module, and a command that opens no database (`casework --help`) need not load it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Connection, Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def _alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    """The newest migration's id: the highest-numbered file's `revision`."""
    newest = max((MIGRATIONS / "versions").glob("[0-9]*.py"))
    for line in newest.read_text(encoding="utf-8").splitlines():
        if line.startswith("revision"):
            return line.split("=", 1)[1].strip().strip("\"'")
    raise RuntimeError(f"{newest} names no revision")


def at_head(connection: Connection) -> bool:
    """Whether the database is already at the newest schema (without loading Alembic,
    which costs a third of a second of every command's start)."""
    from sqlalchemy import inspect, text

    if not inspect(connection).has_table("alembic_version"):
        return False
    rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    return [row[0] for row in rows] == [head_revision()]


# Any constant shared by every casework process: the key of the PostgreSQL advisory lock that
# lets one of several processes opening a new database at once migrate it, the rest wait.
_MIGRATION_LOCK = 0x63617365776F726B  # "casework"


def migrate_connection(connection: Connection) -> None:
    """Upgrade the database behind `connection` to head, in one transaction. Idempotent."""
    from sqlalchemy import text

    if connection.dialect.name == "postgresql":
        # SQLite's write lock already serializes migrations; PostgreSQL would let two
        # processes both create the tables and one fail on the catalog's unique index.
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
    if at_head(connection):
        return
    from alembic import command

    config = _alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def migrate_engine(engine: Engine) -> None:
    with engine.begin() as connection:
        migrate_connection(connection)


def sqlalchemy_url(url: str) -> str:
    """`url` with PostgreSQL's driver named: casework talks to PostgreSQL through psycopg 3,
    while SQLAlchemy reads a bare `postgresql://` as psycopg2 (which is not installed)."""
    for scheme in ("postgresql://", "postgres://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme) :]
    return url


def migrate(url: str) -> None:
    """Upgrade the database at `url` (an SQLAlchemy URL) to the newest schema; a new SQLite
    file is created. Running it on an up-to-date database changes nothing."""
    from sqlalchemy import create_engine

    from casework.store.postgres_driver import is_postgres, require_psycopg

    if is_postgres(url):
        require_psycopg()
    engine = create_engine(sqlalchemy_url(url))
    try:
        migrate_engine(engine)
    finally:
        engine.dispose()
