"""Bring a database to the newest schema with the Alembic migrations shipped in the package."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine

MIGRATIONS = Path(__file__).parent / "migrations"


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def migrate_connection(connection: Connection) -> None:
    """Upgrade the database behind `connection` to head, in one transaction. Idempotent."""
    config = _alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def migrate_engine(engine: Engine) -> None:
    with engine.begin() as connection:
        migrate_connection(connection)


def migrate(url: str) -> None:
    """Upgrade the database at `url` (an SQLAlchemy URL) to the newest schema; a new SQLite
    file is created. Running it on an up-to-date database changes nothing."""
    engine = create_engine(url)
    try:
        migrate_engine(engine)
    finally:
        engine.dispose()
