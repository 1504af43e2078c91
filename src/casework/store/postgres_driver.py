"""psycopg, the PostgreSQL driver, is optional (the `postgres` extra: `pip install
'casework[postgres]'`): a tracker on SQLite never loads it. Every way to a PostgreSQL
database asks for it here first, so that its absence is one line naming the extra, not a
traceback from deep in SQLAlchemy."""

from __future__ import annotations

from casework.store.base import StoreError

POSTGRES_SCHEMES = ("postgresql://", "postgresql+psycopg://", "postgres://")


class PostgresDriverMissing(StoreError):
    """A PostgreSQL database was asked for where psycopg is not installed."""


def is_postgres(url: str) -> bool:
    return url.startswith(POSTGRES_SCHEMES)


def require_psycopg() -> None:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise PostgresDriverMissing(
            "PostgreSQL needs the psycopg driver, which is not installed here: "
            "pip install 'casework[postgres]'"
        ) from None
