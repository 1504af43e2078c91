"""A real store on a real SQLite file per test. Parametrise `store` over engines when
PostgreSQL arrives (the tests speak only the Store protocol, except where marked)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from casework.store import open_store
from casework.store.base import Store


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "tracker.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{db_path}")
    yield opened
    opened.close()
