"""A fresh PostgreSQL database per test, on the server at $CASEWORK_TEST_POSTGRES (default: the
local one, user postgres, trust). Unreachable, the tests that need it are skipped — except
under CI=true, where that is a failure."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

SERVER = os.environ.get("CASEWORK_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432")


def _unreachable() -> str | None:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed"
    engine = create_engine(f"{SERVER}/postgres", connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as error:
        return " ".join(str(error.orig).split())[:200]
    finally:
        engine.dispose()
    return None


def require_postgres() -> None:
    """Skip (fail under CI=true) when the server cannot be reached."""
    why = _unreachable()
    if why is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL at {SERVER} is unreachable under CI: {why}")
    pytest.skip(f"PostgreSQL at {SERVER} is unreachable: {why}")


@contextmanager
def fresh_database(prefix: str) -> Iterator[str]:
    """The URL of a new, empty database, dropped afterwards (connections and all)."""
    require_postgres()
    name = f"{prefix}_{secrets.token_hex(6)}"
    admin = create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield f"{SERVER}/{name}"
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
