"""A real store per test, on each engine: a real SQLite file, and a fresh PostgreSQL database
(created for the test and dropped after it). The tests speak only the Store protocol, except
the ones marked `sqlite_only` (or listed in SQLITE_ONLY), which run on SQLite alone.

PostgreSQL is found at $CASEWORK_TEST_POSTGRES (default postgresql://postgres@127.0.0.1:5432/
postgres, a role that may create databases). When it cannot be reached its tests are skipped,
except under CI=true, where they fail: CI must not pass without them.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from casework.store import open_store
from casework.store.base import Store

ENGINES = ("sqlite", "postgres")
ADMIN_URL = os.environ.get(
    "CASEWORK_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)

# Tests written before PostgreSQL that read SQLite's file or objects directly (sqlite3 on
# db_path, the file's bytes, SQLiteStore's facet cache). test_postgres.py checks the same
# properties on PostgreSQL where they apply. New tests use @pytest.mark.sqlite_only instead.
SQLITE_ONLY = {
    "test_history.py::test_verify_history_reports_a_revision_edited_with_raw_sql",
    "test_history.py::test_verify_history_reports_rewritten_record_data_even_with_a_fresh_hash",
    "test_history.py::test_verify_history_reports_a_deleted_revision_and_a_changed_current_record",
    "test_search_cache.py::test_own_writes_patch_the_index_without_a_rebuild",
    "test_search_cache.py::test_counting_most_records_as_all_minus_the_rest_gives_the_same_counts",
    "test_accounts.py::test_the_password_is_kept_as_an_argon2id_hash_only",
    "test_accounts.py::test_session_tokens_are_kept_only_as_their_hash",
    "test_accounts.py::test_api_tokens",
    "test_accounts.py::test_a_hash_made_with_cheaper_parameters_is_replaced_at_login",
    "test_accounts.py::test_migration_0003_builds_what_schema_py_describes",
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: run this store test on SQLite alone")
    config.addinivalue_line("markers", "postgres_only: run this store test on PostgreSQL alone")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine" not in metafunc.fixturenames:
        return
    name = f"{Path(metafunc.definition.path).name}::{metafunc.definition.originalname}"
    if metafunc.definition.get_closest_marker("sqlite_only") or name in SQLITE_ONLY:
        engines: tuple[str, ...] = ("sqlite",)
    elif metafunc.definition.get_closest_marker("postgres_only"):
        engines = ("postgres",)
    else:
        engines = ENGINES
    metafunc.parametrize("engine", engines, indirect=True)


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


_unreachable: list[str] = []  # why the server could not be reached, once known


def _admin_connection() -> object:
    """An autocommit psycopg connection to the administrative database, or a skip (a failure
    under CI=true) when the server cannot be reached."""
    import psycopg

    if not _unreachable:
        try:
            return psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5)
        except psycopg.OperationalError as error:
            _unreachable.append(str(error).strip().splitlines()[0])
    message = f"PostgreSQL is not reachable at {ADMIN_URL}: {_unreachable[0]}"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def new_postgres_database() -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped when the block ends."""
    import psycopg

    admin = _admin_connection()
    assert isinstance(admin, psycopg.Connection)
    name = f"casework_test_{secrets.token_hex(6)}"
    with admin:
        admin.execute(f"CREATE DATABASE {name}")
    base = ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped after the test."""
    with new_postgres_database() as url:
        yield url


@pytest.fixture
def store_url(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """The URL of this test's store, on its engine."""
    if engine == "postgres":
        return str(request.getfixturevalue("postgres_url"))
    return f"sqlite:///{tmp_path / 'tracker.db'}"


@pytest.fixture
def db_path(engine: str, tmp_path: Path, store_url: str) -> Path | str:
    """Where the store lives, for the tests that open it a second time: the SQLite file, or
    the PostgreSQL URL (open_store takes either)."""
    return tmp_path / "tracker.db" if engine == "sqlite" else store_url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    yield opened
    opened.close()
