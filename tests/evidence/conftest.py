"""The store tests' engines: each test that asks for `store` (or `store_url`) runs on a real
SQLite file and on a fresh PostgreSQL database."""

from tests.store.conftest import (  # noqa: F401 (fixtures and the parametrizing hook)
    engine,
    postgres_url,
    pytest_configure,
    pytest_generate_tests,
    store,
    store_url,
)
